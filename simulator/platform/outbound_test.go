package platform

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// outbound starts an outbound call and checks the documented answer.
func (e *env) outbound(body map[string]any) string {
	e.t.Helper()
	r := e.do(http.MethodPost, "/api/v1/calls/outbound", body)
	require.Equal(e.t, http.StatusCreated, r.status, string(r.raw))
	assert.Equal(e.t, true, r.body["success"])
	assert.Equal(e.t, "dialing", r.body["status"])
	id, _ := r.body["call_id"].(string)
	assert.True(e.t, strings.HasPrefix(id, "call-outbound-"), id)
	assert.True(e.t, strings.HasPrefix(r.body["room_name"].(string), "outbound-"), r.body["room_name"])
	return id
}

// createAssistant stores an assistant and returns its id.
func (e *env) createAssistant(a map[string]any) string {
	e.t.Helper()
	r := e.do(http.MethodPost, "/api/v1/assistants", a)
	require.Equal(e.t, http.StatusCreated, r.status, string(r.raw))
	id, _ := r.body["assistant"].(map[string]any)["id"].(string)
	require.NotEmpty(e.t, id)
	return id
}

func callType(t *testing.T, d hit) string {
	var m struct {
		Message struct {
			Call struct {
				Type string `json:"type"`
			} `json:"call"`
		} `json:"message"`
	}
	require.NoError(t, json.Unmarshal(d.body, &m))
	return m.Message.Call.Type
}

func TestOutboundModes(t *testing.T) {
	e := setup(t, nil)
	saved := e.createAssistant(map[string]any{
		"name": "Sales", "business_name": "Acme BV", "first_message": "Goedemiddag, u spreekt met Anna van Acme.",
		"end_call_message": "Fijne dag nog!",
	})
	cases := []struct {
		name      string
		body      map[string]any
		first     string
		asstID    string
		agentName string
	}{
		{"transient", map[string]any{"destination": "+31612345678",
			"assistant": map[string]any{"name": "Ad hoc", "first_message": "Hallo, met de transient assistent."}},
			"Hallo, met de transient assistent.", "", "Ad hoc"},
		{"reference", map[string]any{"destination": "+31612345678", "assistant_id": saved},
			"Goedemiddag, u spreekt met Anna van Acme.", saved, "Sales"},
		{"hybrid", map[string]any{"destination": "+31612345678", "assistant_id": saved,
			"assistant_override": map[string]any{"first_message": "Hoi, ik bel over uw offerte."}},
			"Hoi, ik bel over uw offerte.", saved, "Sales"},
		{"deprecated agent_id with first_message", map[string]any{"destination": "+31612345678", "agent_id": saved,
			"first_message": "Goedendag, een korte vraag."},
			"Goedendag, een korte vraag.", saved, "Sales"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.body["simulate"] = map[string]any{"intent": "requested-callback", "seed": 2, "call": 3}
			id := e.outbound(c.body)
			e.wait(id)
			hits := e.rec.of(id)
			require.NotEmpty(t, hits)
			assert.NotContains(t, e.events(id), "assistant-request", "outbound calls send no assistant-request")
			assert.Equal(t, "status-update", hits[0].event)
			assert.Equal(t, "outbound_phone_call", callType(t, hits[0]))
			rep := e.report(id)
			require.NotEmpty(t, rep.Messages)
			assert.Equal(t, message{"assistant", c.first}, rep.Messages[0])

			obj := e.get(id)
			assert.Equal(t, "outbound", obj["direction"])
			assert.Equal(t, "+31612345678", obj["caller_phone"], "the customer's number")
			assert.Equal(t, "ended", obj["status"])
			assert.Equal(t, c.agentName, obj["agent_name"])
			if c.asstID != "" {
				assert.Equal(t, c.asstID, obj["agent_id"])
				assert.Equal(t, c.asstID, obj["assistant_id"])
				assert.Equal(t, "Acme BV", obj["business_name"])
			} else {
				assert.Nil(t, obj["agent_id"])
			}
			assert.True(t, strings.HasPrefix(obj["room_name"].(string), "outbound-"))
		})
	}
}

func TestOutboundOutcomes(t *testing.T) {
	e := setup(t, nil)
	asst := map[string]any{"name": "Reminders", "first_message": "Goedendag!", "voicemail_message": "Dit is een herinnering aan uw afspraak van morgen."}

	t.Run("no answer", func(t *testing.T) {
		id := e.outbound(map[string]any{"destination": "+31612340000", "assistant": asst})
		e.wait(id)
		assert.Equal(t, [][2]string{{"ended", EndNoAnswer}}, e.statusUpdates(id))
		assert.Equal(t, []string{"status-update"}, e.events(id), "only the final status-update")
		obj := e.get(id)
		assert.Equal(t, "ended", obj["status"])
		assert.Equal(t, EndNoAnswer, obj["end_reason"])
		assert.Nil(t, obj["started_at"])
		assert.Equal(t, float64(0), obj["duration_seconds"])
		assert.Equal(t, []any{}, obj["messages"])
		r := e.control(id, map[string]any{"type": "end-call"})
		assert.Equal(t, http.StatusBadRequest, r.status)
	})
	t.Run("voicemail", func(t *testing.T) {
		id := e.outbound(map[string]any{"destination": "+31612349999", "assistant": asst})
		e.wait(id)
		rep := e.report(id)
		assert.Equal(t, sim.EndVoicemail, rep.EndReason)
		assert.Contains(t, rep.lines("assistant"), "Dit is een herinnering aan uw afspraak van morgen.")
		assert.Equal(t, sim.EndVoicemail, e.get(id)["end_reason"])
	})
	t.Run("explicit outcome", func(t *testing.T) {
		id := e.outbound(map[string]any{"destination": "+31612345678", "assistant": asst, "simulate": map[string]any{"outcome": "no-answer"}})
		e.wait(id)
		assert.Equal(t, EndNoAnswer, e.get(id)["end_reason"])
		id = e.outbound(map[string]any{"destination": "+31612340000", "assistant": asst, "simulate": map[string]any{"outcome": "answered"}})
		e.wait(id)
		assert.NotEqual(t, EndNoAnswer, e.get(id)["end_reason"])
		assert.Contains(t, e.events(id), "end-of-call-report")
	})
}

func TestOutboundErrors(t *testing.T) {
	e := setup(t, nil)
	saved := e.createAssistant(map[string]any{"name": "Sales"})
	asst := map[string]any{"name": "x"}
	cases := []struct {
		body        any
		status      int
		code, param string
	}{
		{map[string]any{"assistant": asst}, 400, errMissingField, "destination"},
		{map[string]any{"destination": "0612345678", "assistant": asst}, 400, errInvalidRequest, "destination"},
		{map[string]any{"destination": 31612345678, "assistant": asst}, 400, errInvalidRequest, "destination"},
		{map[string]any{"destination": "+31612345678"}, 400, errMissingField, "assistant_id"},
		{map[string]any{"destination": "+31612345678", "assistant_id": saved, "assistant": asst}, 400, errInvalidRequest, "assistant"},
		{map[string]any{"destination": "+31612345678", "assistant_override": asst}, 400, errMissingField, "assistant_id"},
		{map[string]any{"destination": "+31612345678", "assistant_id": "nope"}, 404, errNotFound, "assistant_id"},
		{map[string]any{"destination": "+31612345678", "assistant": "Sales"}, 400, errInvalidRequest, "assistant"},
		{map[string]any{"destination": "+31612345678", "assistant_id": saved, "assistant_override": []int{1}}, 400, errInvalidRequest, "assistant_override"},
		{map[string]any{"destination": "+31612345678", "assistant": map[string]any{"webhook_url": "ftp://x"}}, 400, errInvalidRequest, "assistant.webhook_url"},
		{map[string]any{"destination": "+31612345678", "assistant": asst, "simulate": map[string]any{"outcome": "busy"}}, 400, errInvalidRequest, "simulate.outcome"},
		{map[string]any{"destination": "+31612345678", "assistant": asst, "simulate": map[string]any{"intent": "voicemail"}}, 400, errInvalidRequest, "simulate.intent"},
		{"{not json", 400, errInvalidRequest, ""},
	}
	for _, c := range cases {
		r := e.do(http.MethodPost, "/api/v1/calls/outbound", c.body)
		assert.Equal(t, c.status, r.status, "%v: %s", c.body, r.raw)
		eo, ok := r.body["error"].(map[string]any)
		require.True(t, ok, "%s", r.raw)
		assert.Equal(t, c.code, eo["code"], "%v", c.body)
		if c.param != "" {
			assert.Equal(t, c.param, eo["param"], "%v", c.body)
		}
	}
	// Unknown fields are tolerated.
	r := e.do(http.MethodPost, "/api/v1/calls/outbound", map[string]any{"destination": "+31612345678", "assistant": asst, "campaign": "spring", "priority": 3})
	assert.Equal(t, http.StatusCreated, r.status, string(r.raw))
}
