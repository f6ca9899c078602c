package platform

import (
	"testing"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/fake"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIDsNeverRepeat: call ids and recording ids are fresh per call and per
// run, even for two runs with the same seed; a recording id is never the
// call id the seed would give (what `flireo-sim call` sends).
func TestIDsNeverRepeat(t *testing.T) {
	seen := map[string]string{}
	note := func(kind, v string) {
		t.Helper()
		if v == "" {
			return
		}
		prev, dup := seen[v]
		require.False(t, dup, "%s %q repeats a %s", kind, v, prev)
		seen[v] = kind
	}
	recordings := 0
	for range 2 { // two runs of the same seed
		e := setup(t, nil)
		for n := 1; n <= 6; n++ {
			id := e.inbound(map[string]any{"intent": "opening-hours"})
			e.wait(id)
			note("call id", id)
			c := e.get(id)
			if url, _ := c["recording_url"].(string); url != "" {
				recordings++
				note("recording", url)
				plan, _ := e.p.kit.Calls.Call(n, fakeOptions())
				assert.NotContains(t, url, plan.ID, "the recording id is not the seeded call id")
			}
		}
	}
	assert.Positive(t, recordings)
}

func fakeOptions() fake.Options {
	return fake.Options{Intent: sim.OpeningHours, Direction: sim.Inbound}
}
