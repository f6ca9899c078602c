package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// The throttling steps pass on the mock platform's documented limits and
// fail when a scenario expects other limits.
func TestRateLimitSteps(t *testing.T) {
	target := reference(t, integrator.Options{Secret: testSecret})
	feature := `Feature: throttling
  Scenario: control commands and wrong keys are throttled
    When an inbound call is started through the API
    And I send 11 control commands to the call through the API
    Then the API throttled the commands after 10
    When I send 11 requests with wrong API keys to a platform API that requires a key
    Then the wrong keys were throttled after 10, and the right key was not

  Scenario: expecting a lower command limit
    When an inbound call is started through the API
    And I send 6 control commands to the call through the API
    Then the API throttled the commands after 5

  Scenario: expecting a higher key limit
    When I send 11 requests with wrong API keys to a platform API that requires a key
    Then the wrong keys were throttled after 20, and the right key was not

  Scenario: no burst
    Then the API throttled the commands after 10
`
	res, _ := run(t, Config{Target: target, Secret: testSecret, Seed: 1},
		RunOptions{Features: writeFeature(t, "ratelimit.feature", feature), Concurrency: 4})
	require.Len(t, res.Scenarios, 4)
	want := []struct {
		status Status
		err    string
	}{
		{StatusPass, ""},
		{StatusFail, "control commands #6, past the limit of 5: answered 200, not 429"},
		{StatusFail, "only 11 requests with wrong API keys were sent"},
		{StatusFail, "no requests were sent in a burst"},
	}
	for i, s := range res.Scenarios {
		assert.Equal(t, want[i].status, s.Status, "%s: %s", s.Name, s.Error)
		assert.Contains(t, s.Error, want[i].err, s.Name)
	}
}
