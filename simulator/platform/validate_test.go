package platform

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAssistantFieldValidation(t *testing.T) {
	e := setup(t, func(o *Options) { o.RequestsPerMinute = 100000 })
	long := strings.Repeat("x", maxTextLen+1)
	cases := []struct {
		field string
		value any
		ok    bool
	}{
		{"max_duration_seconds", 300, true},
		{"max_duration_seconds", 10, true},
		{"max_duration_seconds", 43200, true},
		{"max_duration_seconds", nil, true},
		{"max_duration_seconds", 300.0, true},
		{"max_duration_seconds", -5, false},
		{"max_duration_seconds", 0, false},
		{"max_duration_seconds", 9, false},
		{"max_duration_seconds", 43201, false},
		{"max_duration_seconds", 12.5, false},
		{"max_duration_seconds", "abc", false},
		{"max_duration_seconds", "300", false},
		{"max_duration_seconds", map[string]any{}, false},
		{"max_duration_seconds", []any{300}, false},
		{"max_duration_seconds", true, false},
		{"silence_timeout_seconds", 30, true},
		{"silence_timeout_seconds", 0, false},
		{"silence_timeout_seconds", nil, false},
		{"name", "Support", true},
		{"name", strings.Repeat("n", maxNameLen+1), false},
		{"name", 42, false},
		{"first_message", "Goedendag!", true},
		{"first_message", long, false},
		{"first_message", false, false},
		{"voicemail_message", long, false},
		{"is_active", true, true},
		{"is_active", "yes", false},
		{"gdpr_mode", 1, false},
		{"voicemail_detection", nil, true},
		{"notification_email", "ops@example.com", true},
		{"notification_email", "not an address", false},
		{"notification_emails", []string{"a@example.com", "b@example.com"}, true},
		{"notification_emails", []string{"a@example.com", "b@example.com", "c@example.com", "d@example.com", "e@example.com", "f@example.com"}, false},
		{"notification_emails", []string{"nope"}, false},
		{"webhook_events", []string{"status-update", "end-of-call-report"}, true},
		{"webhook_events", []string{}, true},
		{"webhook_events", []string{"call-started"}, false},
		{"webhook_events", "status-update", false},
		{"webhook_url", "https://example.com/webhook", true},
		{"webhook_url", "ftp://example.com", false},
		{"webhook_secret", strings.Repeat("s", maxSecretLen+1), false},
		{"llm_config", map[string]any{"model": "gpt-4o"}, true},
		{"llm_config", "gpt-4o", false},
		{"analysis_plan", []any{}, false},
	}
	for _, c := range cases {
		t.Run(c.field, func(t *testing.T) {
			body := map[string]any{"name": "Support", c.field: c.value}
			r := e.do(http.MethodPost, "/api/v1/assistants", body)
			if c.ok {
				require.Equal(t, http.StatusCreated, r.status, "%v: %s", c.value, r.raw)
				return
			}
			require.Equal(t, http.StatusBadRequest, r.status, "%v: %s", c.value, r.raw)
			er := r.body["error"].(map[string]any)
			assert.Equal(t, "invalid_request", er["code"])
			assert.Equal(t, c.field, er["param"])
			assert.Equal(t, "invalid_request_error", er["type"])
			assert.Contains(t, er["message"], c.field)

			// The same value is refused in a transient assistant, on update
			// and in an override (where null removes a field).
			r = e.do(http.MethodPost, "/api/v1/calls/outbound", map[string]any{"destination": "+31612345678", "assistant": body})
			require.Equal(t, http.StatusBadRequest, r.status, string(r.raw))
			assert.Equal(t, "assistant."+c.field, r.body["error"].(map[string]any)["param"])
			if c.value == nil {
				return
			}
			a := e.do(http.MethodPost, "/api/v1/assistants", map[string]any{"name": "Base"})
			require.Equal(t, http.StatusCreated, a.status)
			aid := a.body["assistant"].(map[string]any)["id"].(string)
			r = e.do(http.MethodPatch, "/api/v1/assistants/"+aid, map[string]any{c.field: c.value})
			require.Equal(t, http.StatusBadRequest, r.status, string(r.raw))
			assert.Equal(t, c.field, r.body["error"].(map[string]any)["param"])
			r = e.do(http.MethodPost, "/api/v1/calls/outbound", map[string]any{"destination": "+31612345678",
				"assistant_id": aid, "assistant_override": map[string]any{c.field: c.value}})
			require.Equal(t, http.StatusBadRequest, r.status, string(r.raw))
			assert.Equal(t, "assistant_override."+c.field, r.body["error"].(map[string]any)["param"])
		})
	}
}

func TestRequestFieldValidation(t *testing.T) {
	e, g := held(t, nil)
	id := e.inbound(nil)
	g.waitHeld(t)
	long := strings.Repeat("x", maxTextLen+1)
	asst := map[string]any{"name": "Sales"}
	cases := []struct {
		name, path string
		body       map[string]any
		param      string // "" = accepted
	}{
		{"destination not E.164", "/api/v1/calls/outbound", map[string]any{"destination": "0612345678", "assistant": asst}, "destination"},
		{"destination a number", "/api/v1/calls/outbound", map[string]any{"destination": 31612345678, "assistant": asst}, "destination"},
		{"first_message too long", "/api/v1/calls/outbound", map[string]any{"destination": "+31612345678", "assistant": asst, "first_message": long}, "first_message"},
		{"number_id too long", "/api/v1/calls/outbound", map[string]any{"destination": "+31612345678", "assistant": asst, "number_id": long}, "number_id"},
		{"control content too long", "/api/v1/calls/" + id + "/control", map[string]any{"type": "say", "content": long}, "content"},
		{"control message too long", "/api/v1/calls/" + id + "/control", map[string]any{"type": "end-call", "message": long}, "message"},
		{"control type unknown", "/api/v1/calls/" + id + "/control", map[string]any{"type": "hangup"}, "type"},
		{"control end_after not a boolean", "/api/v1/calls/" + id + "/control", map[string]any{"type": "say", "content": "x", "end_after": "yes"}, "end_after"},
		{"control transfer destination", "/api/v1/calls/" + id + "/control", map[string]any{"type": "transfer", "destination": "sales"}, "destination"},
		{"control accepted", "/api/v1/calls/" + id + "/control", map[string]any{"type": "say", "content": "Een moment."}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := e.do(http.MethodPost, c.path, c.body)
			if c.param == "" {
				require.Less(t, r.status, 300, string(r.raw))
				return
			}
			require.Equal(t, http.StatusBadRequest, r.status, string(r.raw))
			er := r.body["error"].(map[string]any)
			assert.Equal(t, c.param, er["param"])
			assert.Contains(t, []any{"invalid_request", "missing_field"}, er["code"])
		})
	}
}
