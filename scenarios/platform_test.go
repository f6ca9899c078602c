package scenarios

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// platformFeature drives the mock platform API against the reference
// integrator: every scenario must pass.
const platformFeature = `Feature: the platform API
  Scenario: what my code tells the assistant to say is in the report
    Given the platform API is running
    When an inbound call is started through the API
    Then the API answers 201
    When I tell the assistant to say "Een ogenblik, ik kijk het na."
    Then the API answers 200
    When I end the call through the API
    Then the API answers 200
    And the end-of-call-report sent to my server contains "Een ogenblik, ik kijk het na."
    And the call's end reason through the API is "api_end_call"
    And the end-of-call-report is acknowledged with a 2xx
    And every webhook is answered with a 2xx in time

  Scenario: a call ended through the API ends with api_end_call
    Given the caller wants to be called back
    When an inbound call is started through the API
    And I end the call through the API saying "Bedankt voor het wachten, tot ziens."
    Then the call's status through the API is "ended"
    And the call's end reason through the API is "api_end_call"
    And the end-of-call-report sent to my server contains "Bedankt voor het wachten, tot ziens."
    When I GET "{base}/calls/{call_id}"
    Then the response status is 200
    And the JSON at "reports" equals 1

  Scenario: a command after the end is refused
    When an inbound call is started through the API with:
      """
      {"intent": "opening-hours", "lang": "en"}
      """
    And I tell the assistant to say "Goodbye for now." and end the call
    Then the API answers 200
    And the call's status through the API is "ended"
    When I tell the assistant to say "Are you still there?"
    Then the API refuses it with 400

  Scenario: an outbound call started through the API is listed
    When I start an outbound call to "+31612345678" through the API
    Then the API answers 201
    And the API lists the call
    When I GET "{api}/api/v1/calls/{call_id}"
    Then the response status is 200
    And the JSON at "id" equals "{call_id}"
    And the JSON at "direction" equals "outbound"

  Scenario: a transfer and an injected context
    When I start an outbound call to "+31612345678" through the API with:
      """
      {"assistant": {"name": "Sales", "first_message": "Goedemiddag, met de verkoop."}}
      """
    And I inject the context "Verificatiecode: 482913" and let the assistant answer
    And I transfer the call to "+31201234567"
    Then the call's status through the API is "ended"
    And the call's end reason through the API is "transferred"
    And the end-of-call-report sent to my server contains "482913"
    And the end-of-call-report sent to my server contains "Goedemiddag, met de verkoop."

  Scenario: an inbound call started through the API comes from the caller set up
    Given an inbound call from "+31612345678" to "+31850835037"
    And the caller speaks English
    When an inbound call is started through the API
    And I GET "{api}/api/v1/calls/{call_id}"
    Then the JSON at "caller_phone" equals "+31612345678"
    And the JSON at "direction" equals "inbound"

  Scenario: the API refuses an invalid request
    When I start an outbound call to "0612345678" through the API
    Then the API refuses it with 400
`

// failingFeature expects text that was never said.
const failingFeature = `Feature: the platform API, wrongly
  Scenario: expecting words nobody said
    When an inbound call is started through the API
    And I end the call through the API
    Then the end-of-call-report sent to my server contains "words nobody said"

  Scenario: expecting the wrong status
    When an inbound call is started through the API
    And I end the call through the API
    Then the call's status through the API is "transferred"

  Scenario: a command without a call
    Given the platform API is running
    When I send the control command "say" with:
      """
      {"content": "no call to say it in"}
      """
`

func writeFeature(t *testing.T, name, content string) string {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644))
	return dir
}

func TestPlatformSteps(t *testing.T) {
	target := reference(t, integrator.Options{Secret: testSecret})
	cases := []struct {
		name    string
		feature string
		verdict Status
		// statuses of the scenarios, in order, and what the failures say
		statuses []Status
		errors   []string
	}{
		{name: "round trips pass", feature: platformFeature, verdict: "pass",
			statuses: []Status{StatusPass, StatusPass, StatusPass, StatusPass, StatusPass, StatusPass, StatusPass},
			errors:   []string{"", "", "", "", "", "", ""}},
		{name: "assertions can fail", feature: failingFeature, verdict: "fail",
			statuses: []Status{StatusFail, StatusFail, StatusFail},
			errors: []string{`does not contain "words nobody said"`, `is ended through the API (end reason "api_end_call"), not transferred`,
				"no call was started through the API"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			began := time.Now()
			res, _ := run(t, Config{Target: target, Secret: testSecret, Seed: 1},
				RunOptions{Features: writeFeature(t, "platform.feature", c.feature), Concurrency: 4})
			t.Logf("%s: %s in %s", c.name, res.Reason, time.Since(began).Round(time.Millisecond))
			assert.Equal(t, c.verdict, res.Verdict, res.Reason)
			require.Len(t, res.Scenarios, len(c.statuses))
			for i, s := range res.Scenarios {
				assert.Equal(t, c.statuses[i], s.Status, "%s: %s", s.Name, s.Error)
				if c.errors[i] != "" {
					assert.Contains(t, s.Error, c.errors[i], s.Name)
				}
				if s.Status == StatusPass && s.Name != "the API refuses an invalid request" { // that one starts no call
					assert.Positive(t, s.Webhooks, "%s: the platform's webhooks count", s.Name)
					assert.Contains(t, s.Checks, check.HTTP2xx, s.Name)
				}
			}
			assert.Empty(t, failedChecks(res), "the reference integrator passes every check")
			assert.Positive(t, res.Score.Must.Passed)
		})
	}
}

// Every example of the step list is a step of its own phrase and of no
// other (strict runs fail on ambiguity).
func TestStepExamplesMatchOnlyTheirOwnStep(t *testing.T) {
	for _, d := range stepDefinitions() {
		line, _, _ := strings.Cut(d.Example, "\n")
		_, text, ok := strings.Cut(line, " ")
		require.True(t, ok, d.Example)
		assert.True(t, d.re.MatchString(text), "%q matches %s", text, d.re)
		assert.Empty(t, matchProblem(text), text)
	}
}

// A stopped run cancels the platform's live calls instead of letting them
// finish: against a server that never answers, the run still ends at once.
func TestPlatformStepsStopWithTheRun(t *testing.T) {
	target := reference(t, integrator.Options{Secret: testSecret, Misbehave: "hang"})
	lib, err := New(Config{Target: target, Secret: testSecret, Seed: 1})
	require.NoError(t, err)
	t.Cleanup(lib.Close)
	feature := `Feature: a call that never ends
  Scenario: waiting for a server that never answers
    When an inbound call is started through the API
    Then the call's status through the API is "ended"
`
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	res, err := lib.Run(ctx, RunOptions{Features: writeFeature(t, "hang.feature", feature)})
	took := time.Since(began)
	require.NoError(t, err)
	require.Len(t, res.Scenarios, 1)
	assert.Equal(t, StatusSkip, res.Scenarios[0].Status, "cut short by the run's end, not failed by the server")
	assert.Contains(t, res.Scenarios[0].Skip, "the run was stopped")
	assert.True(t, res.Interrupted)
	assert.Less(t, took, 3*time.Second, "the live call was cancelled, not awaited (up to 25 s)")
}
