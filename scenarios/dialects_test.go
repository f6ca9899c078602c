package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// TestEveryDialectPassesAgainstTheReferenceIntegrator runs the built-in
// suite in each dialect, alone, against the reference integrator (which
// answers every dialect): no check fails, no scenario fails, and every
// scenario that does not run says why.
func TestEveryDialectPassesAgainstTheReferenceIntegrator(t *testing.T) {
	for _, name := range dialect.Names() {
		t.Run(name, func(t *testing.T) {
			secret := testSecret
			if name == dialect.NameLegacy {
				secret = "" // unsigned: never sent to a server with a secret
			}
			target := reference(t, integrator.Options{Secret: secret})
			res, _ := run(t, Config{Options: kit.Options{Target: target, Secret: secret, Seed: 1, Dialect: name}, ProbeAPI: true},
				RunOptions{Concurrency: 4})
			assert.Equal(t, "pass", res.Verdict, res.Reason)
			assert.Empty(t, failedChecks(res))
			assert.Equal(t, []string{name}, res.Dialects)
			for _, s := range res.Scenarios {
				assert.Equal(t, name, s.Dialect, s.Name)
				assert.NotEqual(t, "failed", s.Status, "%s: %s", s.Name, s.Error)
				if s.Status == "skipped" {
					assert.NotEmpty(t, s.Skip, s.Name)
				}
				t.Logf("%-8s %s %s", s.Status, s.Name, s.Skip)
			}
			for _, c := range res.Checks {
				if c.Status == "skip" {
					t.Logf("check %s skipped: %s", c.ID, c.Detail)
				}
			}
		})
	}
}
