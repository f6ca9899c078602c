package platform

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// TestOutboundIntents: an outbound call takes only outbound intents: an
// inbound one asked for is refused naming the ones that fit, except that a
// destination whose voicemail answers plays voicemail whatever was asked.
func TestOutboundIntents(t *testing.T) {
	e := setup(t, nil)
	asst := map[string]any{"name": "x"}
	r := e.do(http.MethodPost, "/api/v1/calls/outbound", map[string]any{"destination": "+31612345678", "assistant": asst,
		"simulate": map[string]any{"intent": "book-appointment"}})
	require.Equal(t, http.StatusBadRequest, r.status, "%s", r.raw)
	eo := r.body["error"].(map[string]any)
	assert.Equal(t, "simulate.intent", eo["param"])
	assert.Contains(t, eo["message"], "an outbound call takes one of "+strings.Join(sim.IntentNamesFor(sim.Outbound), ", "))

	r = e.do(http.MethodPost, "/api/v1/calls/outbound", map[string]any{"destination": "+31612345678", "assistant": asst,
		"simulate": map[string]any{"intent": "pizza"}})
	require.Equal(t, http.StatusBadRequest, r.status, "%s", r.raw)
	assert.Contains(t, r.body["error"].(map[string]any)["message"], `intent "pizza" is not one of`)

	id := e.outbound(map[string]any{"destination": "+31612349999", "assistant": asst, "simulate": map[string]any{"intent": "book-appointment"}})
	e.wait(id)
	assert.Equal(t, sim.EndVoicemail, e.report(id).EndReason, "the callee's voicemail answers, whatever was asked")

	r = e.do(http.MethodPost, "/simulate/inbound", map[string]any{"intent": "appointment-reminder"})
	require.Equal(t, http.StatusBadRequest, r.status, "%s", r.raw)
	eo = r.body["error"].(map[string]any)
	assert.Equal(t, "intent", eo["param"])
	assert.Contains(t, eo["message"], "an inbound call takes one of book-appointment")

	for _, in := range []string{"appointment-confirmation", "ticket-follow-up"} {
		id := e.outbound(map[string]any{"destination": "+31612345678", "assistant": asst, "simulate": map[string]any{"intent": in, "lang": "en"}})
		e.wait(id)
		assert.Contains(t, e.report(id).lines("assistant")[0], "assistant of", in)
	}
}

// TestOutboundDefaultMessages: an outbound call's assistant without first
// or end-call message opens with an introduction and the reason of the
// call, on behalf of its business_name, and closes without thanking the
// callee for calling; configured messages are said as configured.
func TestOutboundDefaultMessages(t *testing.T) {
	e := setup(t, nil)
	for n := range 6 {
		asst := map[string]any{"name": "Herinneringen", "business_name": "Tandartspraktijk Wit"}
		id := e.outbound(map[string]any{"destination": "+31612345678", "assistant": asst,
			"simulate": map[string]any{"intent": "appointment-reminder", "lang": "nl", "seed": 5, "call": n + 1}})
		e.wait(id)
		rep := e.report(id)
		lines := rep.lines("assistant")
		require.NotEmpty(t, lines)
		assert.Contains(t, lines[0], "assistent van Tandartspraktijk Wit", "the opening names the assistant's business")
		for _, l := range lines {
			assert.NotContains(t, strings.ToLower(l), "bedankt voor het bellen")
			assert.NotContains(t, strings.ToLower(l), "waarmee kan ik u helpen")
		}
	}

	asst := map[string]any{"name": "x", "first_message": "Goedemiddag, met Julia.", "end_call_message": "Fijne dag!"}
	id := e.outbound(map[string]any{"destination": "+31612345678", "assistant": asst,
		"simulate": map[string]any{"intent": "requested-callback", "seed": 1, "call": 2}})
	e.wait(id)
	msgs := e.report(id).Messages
	require.NotEmpty(t, msgs)
	assert.Equal(t, message{"assistant", "Goedemiddag, met Julia."}, msgs[0], "configured first message")
	assert.Contains(t, e.report(id).lines("assistant"), "Fijne dag!", "configured end-call message")
}
