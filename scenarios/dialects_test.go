package scenarios

import (
	"context"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
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
			res, _ := run(t, Config{Target: target, Secret: secret, Seed: 1, Dialect: name, ProbeAPI: true},
				RunOptions{Concurrency: 4})
			assert.Equal(t, StatusPass, res.Verdict, res.Reason)
			assert.Empty(t, failedChecks(res))
			assert.Equal(t, []string{name}, res.Dialects)
			// One scenario of the built-in suite is another dialect's own or
			// excluded from this one (ended-with-debugging is legacy's).
			assert.Equal(t, []Deselected{{Dialect: name, Scenarios: 1}}, res.Deselected)
			skipped := 0
			for _, s := range res.Scenarios {
				assert.Equal(t, name, s.Dialect, s.Name)
				assert.NotEqual(t, StatusFail, s.Status, "%s: %s", s.Name, s.Error)
				if s.Status == StatusSkip {
					skipped++
					assert.NotEmpty(t, s.Skip, s.Name)
				}
			}
			if secret != "" {
				assert.Equal(t, StatusPass, byIDOf(res, check.SignatureEnforced).Status, "signed on every webhook, refused unsigned")
			}
			t.Logf("%s: %d scenarios, %d skipped, %d of %d checks exercised", name, len(res.Scenarios), skipped, res.Exercised, res.Catalogue)
		})
	}
}

// ownFeatures writes a feature file of one's own into a fresh directory.
func ownFeatures(t *testing.T, text string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mine.feature"), []byte(text), 0o644))
	return dir
}

const taggedFeature = `Feature: tagged by dialect
  Scenario: everywhere
    Given an inbound call
    When the call is played to the end
    Then every webhook is answered with a 2xx in time

  @dialect:flireo-camel @dialect:flireo-legacy
  Scenario: only camel or legacy
    Given an inbound call
    When the call is played to the end
    Then every webhook is answered with a 2xx in time

  @not-dialect:flireo
  Scenario: not flireo
    Given an inbound call
    When the call is played to the end
    Then every webhook is answered with a 2xx in time

  @needs:tool-calls
  Scenario: tools
    Given an inbound call
    When the assistant calls 2 of its tools in one request
    Then every tool call gets exactly one result
`

// TestDialectTagsSelectScenarios: in users' own files, @dialect and
// @not-dialect deselect and are counted; @needs skips with the reason.
func TestDialectTagsSelectScenarios(t *testing.T) {
	target := reference(t, integrator.Options{})
	dir := ownFeatures(t, taggedFeature)
	cases := []struct {
		dialect    string
		ran        []string
		skipped    string
		deselected int
	}{
		{"flireo", []string{"everywhere", "tools"}, "", 2},
		{"flireo-camel", []string{"everywhere", "only camel or legacy", "not flireo", "tools"}, "", 0},
		{"interactly", []string{"everywhere", "not flireo", "tools"}, "tools", 1},
	}
	for _, c := range cases {
		t.Run(c.dialect, func(t *testing.T) {
			res, _ := run(t, Config{Target: target, Seed: 1, Dialect: c.dialect}, RunOptions{Features: dir})
			var names []string
			for _, s := range res.Scenarios {
				names = append(names, s.Name)
				assert.Equal(t, c.dialect, s.Dialect)
				if s.Name == c.skipped {
					assert.Equal(t, StatusSkip, s.Status)
					assert.Contains(t, s.Skip, "the interactly dialect sends no tool-calls")
				} else {
					assert.Equal(t, StatusPass, s.Status, "%s: %s", s.Name, s.Error)
				}
			}
			assert.ElementsMatch(t, c.ran, names)
			if c.deselected == 0 {
				assert.Empty(t, res.Deselected)
			} else {
				assert.Equal(t, []Deselected{{Dialect: c.dialect, Scenarios: c.deselected}}, res.Deselected)
			}
		})
	}
}

func TestDialectInputErrors(t *testing.T) {
	target := reference(t, integrator.Options{})
	for _, c := range []struct{ tag, want string }{
		{"@dialect:vapi-ish", "@dialect:vapi-ish names no dialect"},
		{"@not-dialect:flireo-snake", "@not-dialect:flireo-snake names no dialect"},
		{"@needs:coffee", "@needs:coffee: a scenario can need assistant-request"},
	} {
		dir := ownFeatures(t, "Feature: f\n  "+c.tag+"\n  Scenario: s\n    Given an inbound call\n")
		lib, err := New(Config{Target: target})
		require.NoError(t, err)
		_, err = lib.Run(context.Background(), RunOptions{Features: dir})
		lib.Close()
		var ie *InputError
		require.True(t, errors.As(err, &ie), "%s: an input error: %v", c.tag, err)
		assert.Contains(t, err.Error(), c.want)
	}
	_, err := New(Config{Target: target, Dialect: dialect.NameLegacy, Secret: "s"})
	assert.ErrorContains(t, err, "unsigned")
	_, err = New(Config{Target: target, Secret: "s", Dialects: []string{dialect.NameLegacy}})
	assert.ErrorContains(t, err, "choose a signed dialect")
	_, err = New(Config{Target: target, Dialects: []string{"flireo", "flireo"}})
	assert.ErrorContains(t, err, "listed twice")
}

// TestUnsignedDialectNeverSentWithASecret: a step that names the unsigned
// dialect skips its scenario when a secret is set, and a run of several
// dialects skips that dialect with the reason; nothing goes out unsigned
// except the signature probes.
func TestUnsignedDialectNeverSentWithASecret(t *testing.T) {
	var unsigned atomic.Int64
	target := integratortest.Start(t, integratortest.Secret(testSecret), integratortest.Wrap(func(srv http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.Header.Get("X-Webhook-Signature") == "" {
				unsigned.Add(1)
			}
			srv.ServeHTTP(w, r)
		})
	})).Webhook()

	dir := ownFeatures(t, `Feature: legacy on purpose
  Scenario: legacy
    Given the platform speaks the "flireo-legacy" dialect
    And an inbound call
    When the call is played to the end
    Then every webhook is answered with a 2xx in time
`)
	res, _ := run(t, Config{Target: target, Secret: testSecret, Seed: 1}, RunOptions{Features: dir})
	require.Len(t, res.Scenarios, 1)
	assert.Equal(t, StatusSkip, res.Scenarios[0].Status)
	assert.Contains(t, res.Scenarios[0].Skip, "unsigned")
	assert.Zero(t, unsigned.Load())

	res, _ = run(t, Config{Target: target, Secret: testSecret, Seed: 1,
		Dialects: []string{dialect.NameLegacy, dialect.NameCamel}}, RunOptions{Tags: "@lifecycle,@signatures", Concurrency: 4})
	assert.Equal(t, StatusPass, res.Verdict, res.Reason)
	assert.Equal(t, []string{dialect.NameCamel}, res.Dialects)
	assert.Equal(t, dialect.NameCamel, res.Dialect)
	require.Len(t, res.SkippedDialects, 1)
	assert.Equal(t, dialect.NameLegacy, res.SkippedDialects[0].Dialect)
	assert.Equal(t, int64(1), unsigned.Load(), "only the probe without a signature")
}

// TestFailuresNameTheirDialect: a failed step, a failed check and the
// scenario's error name the dialect the webhook was sent in.
func TestFailuresNameTheirDialect(t *testing.T) {
	target := reference(t, integrator.Options{Misbehave: "eocr-500"})
	dir := ownFeatures(t, `Feature: f
  Scenario: a whole call
    Given an inbound call
    When the call is played to the end
    Then every webhook is answered with a 2xx in time
`)
	res, _ := run(t, Config{Target: target, Seed: 1, Dialect: dialect.NameCamel}, RunOptions{Features: dir})
	require.Len(t, res.Scenarios, 1)
	assert.Equal(t, StatusFail, res.Scenarios[0].Status)
	assert.Contains(t, res.Scenarios[0].Error, "(sent in the flireo-camel dialect)")
	c := byIDOf(res, check.HTTP2xx)
	assert.Equal(t, StatusFail, c.Status)
	assert.Equal(t, dialect.NameCamel, c.Dialect)
	assert.Contains(t, c.Detail, "(sent in the flireo-camel dialect)")
}

func TestFormatPerDialect(t *testing.T) {
	assert.Equal(t, "pretty,junit:out/r.xml,cucumber:c.flireo-camel.json,compact:l.txt",
		formatPerDialect("pretty,junit:out/r.xml,cucumber:c.json,compact:l.txt", "flireo-camel"),
		"the library's own formats cover the whole run under the name given")
	assert.Equal(t, "progress", formatPerDialect("progress", "flireo"))
}
