package scenarios

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// campaignsFeature drives campaigns and linked numbers through the mock
// platform API: the first two scenarios pass against the reference
// integrator, the rest expect what did not happen and must fail.
const campaignsFeature = `Feature: campaigns and numbers
  Scenario: every lead is called
    Given a campaign with 2 leads
    When I start the campaign
    Then the API answers 200
    And every lead is called
    And the lead "+31612345001" is "completed"
    And every webhook is answered with a 2xx in time
    And the usage through the API counts 2 calls

  Scenario: a linked number answers with its assistant
    Given my number "+31851234567" is answered by the assistant "Receptie"
    When the number "+31851234567" is called
    Then the call's assistant through the API is "Receptie"
    And every webhook is answered with a 2xx in time

  Scenario: expecting the wrong lead status
    Given a campaign calling "+31612340000"
    When I start the campaign
    Then the lead "+31612340000" is "completed"

  Scenario: a cancelled campaign calls no one
    Given a campaign with 2 leads
    When I cancel the campaign
    Then every lead is called
    And the lead "+31612345001" is "skipped"

  Scenario: expecting the wrong assistant
    Given my number "+31851234567" is answered by the assistant "Receptie"
    When an inbound call is started through the API
    Then the call's assistant through the API is "Receptie"

  Scenario: a campaign step without a campaign
    When I start the campaign
`

func TestCampaignSteps(t *testing.T) {
	target := reference(t, integrator.Options{Secret: testSecret})
	began := time.Now()
	res, _ := run(t, Config{Target: target, Secret: testSecret, Seed: 1},
		RunOptions{Features: writeFeature(t, "campaigns.feature", campaignsFeature), Concurrency: 4})
	t.Logf("%s in %s", res.Reason, time.Since(began).Round(time.Millisecond))
	want := []struct {
		status Status
		err    string
	}{
		{StatusPass, ""},
		{StatusPass, ""},
		{StatusFail, `lead +31612340000 is "no_answer", expected "completed"`},
		{StatusFail, "lead +31612345001 is skipped without a call"},
		{StatusFail, `the call's assistant is none (the account's default agent), expected "Receptie"`},
		{StatusFail, "no campaign yet"},
	}
	require.Len(t, res.Scenarios, len(want))
	for i, s := range res.Scenarios {
		assert.Equal(t, want[i].status, s.Status, "%s: %s", s.Name, s.Error)
		assert.Contains(t, s.Error, want[i].err, s.Name)
		if s.Status == StatusPass {
			assert.Positive(t, s.Webhooks, "%s: the platform's webhooks count", s.Name)
			assert.Contains(t, s.Checks, check.HTTP2xx, s.Name)
		}
	}
	assert.Empty(t, failedChecks(res), "the reference integrator passes every check")
}
