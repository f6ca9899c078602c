package scenarios

import (
	"io/fs"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/features"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// assistantsFeature is the built-in feature of assistants and templates.
func assistantsFeature(t *testing.T) string {
	t.Helper()
	b, err := fs.ReadFile(features.FS, "platform_assistants.feature")
	require.NoError(t, err, "the feature is embedded")
	return string(b)
}

// wrongAssistantsFeature expects what the calls did not do, and names what
// the scenario never made.
const wrongAssistantsFeature = `Feature: assistants and templates, wrongly
  Scenario: expecting a tool the assistant does not have
    When I create the tool template "booking" through the API with:
      """
      {"function_definition": {"name": "book_appointment"}}
      """
    And I create the assistant "A" through the API with:
      """
      {"llm_config": {"tools": [{"template_id": "{template:booking}"}]}}
      """
    And I start an outbound call to "+31612345678" with the assistant "A" through the API
    Then the platform calls the tool "book_appointment" on my server
    Then the platform calls the tool "check_availability" on my server

  Scenario: expecting analysis fields the template does not have
    When I create the analysis template "mood" through the API with:
      """
      {"schema": {"type": "object", "properties": {"mood": {"type": "string"}}}, "min_messages_threshold": 0}
      """
    And I create the assistant "B" through the API with:
      """
      {"analysis_plan": {"structured_data_plan": {"enabled": true, "template_id": "{template:mood}"}}}
      """
    And I start an outbound call to "+31612345678" with the assistant "B" through the API
    Then the end-of-call-report sent to my server has the analysis fields "mood, sentiment"

  Scenario: a template the scenario never made
    When I create the assistant "C" through the API with:
      """
      {"llm_config": {"tools": [{"template_id": "{template:nope}"}]}}
      """

  Scenario: an assistant the scenario never made
    When an inbound call for the assistant "D" is started through the API
`

// inboundAssistantFeature starts an inbound call for a saved assistant.
const inboundAssistantFeature = `Feature: an inbound call for a saved assistant
  Scenario: the saved assistant's call is played
    When I create the assistant "Support" through the API with:
      """
      {"first_message": "Goedendag, met de support."}
      """
    And an inbound call for the assistant "Support" is started through the API
    Then the API answers 201
    And the call's status through the API is "ended"
    And every webhook is answered with a 2xx in time
`

func TestPlatformAssistantSteps(t *testing.T) {
	cases := []struct {
		name     string
		mode     string // the integrator's misbehaviour, "" for none
		feature  string
		statuses []Status
		errors   []string
		failed   []string // checks that must fail
	}{
		{name: "the built-in feature passes", feature: assistantsFeature(t), statuses: []Status{StatusPass, StatusPass}},
		{name: "a server that drops a tool result fails the tool scenario", mode: "missing-tool-result", feature: assistantsFeature(t),
			statuses: []Status{StatusFail, StatusPass}, failed: []string{check.ToolResultsOnce}},
		{name: "a server that refuses the report fails the analysis scenario", mode: "eocr-500", feature: assistantsFeature(t),
			statuses: []Status{StatusFail, StatusFail}, failed: []string{check.HTTP2xx}},
		{name: "assertions can fail", feature: wrongAssistantsFeature,
			statuses: []Status{StatusFail, StatusFail, StatusFail, StatusFail},
			errors: []string{`called book_appointment on the server, not "check_availability"`, "has no analysis with the fields mood, sentiment",
				`no template "nope" was made in this scenario`, `no assistant "D" was made in this scenario`}},
		{name: "an inbound call for a saved assistant", feature: inboundAssistantFeature, statuses: []Status{StatusPass}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := reference(t, integrator.Options{Secret: testSecret, Misbehave: c.mode})
			began := time.Now()
			res, _ := run(t, Config{Target: target, Secret: testSecret, Seed: 1},
				RunOptions{Features: writeFeature(t, "assistants.feature", c.feature), Concurrency: 4})
			t.Logf("%s: %s in %s", c.name, res.Reason, time.Since(began).Round(time.Millisecond))
			require.Len(t, res.Scenarios, len(c.statuses))
			for i, s := range res.Scenarios {
				assert.Equal(t, c.statuses[i], s.Status, "%s: %s", s.Name, s.Error)
				if i < len(c.errors) {
					assert.Contains(t, s.Error, c.errors[i], s.Name)
				}
				if s.Status == StatusPass {
					assert.Positive(t, s.Webhooks, "%s: the platform's webhooks count", s.Name)
				}
			}
			for _, id := range c.failed {
				assert.Contains(t, failedChecks(res), id)
			}
			if c.mode == "" {
				assert.Empty(t, failedChecks(res), "the reference integrator passes every check")
			}
		})
	}
}
