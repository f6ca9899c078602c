package platform

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

func TestAssistantsCRUD(t *testing.T) {
	e := setup(t, nil)
	r := e.do(http.MethodGet, "/api/v1/assistants", nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, map[string]any{"assistants": []any{}}, r.body)

	r = e.do(http.MethodPost, "/api/v1/assistants", map[string]any{"first_message": "Hallo"})
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, map[string]any{"code": "missing_field", "param": "name", "message": "name is required", "type": "invalid_request_error"}, r.body["error"])

	r = e.do(http.MethodPost, "/api/v1/assistants", map[string]any{
		"name": "Support", "first_message": "Hallo!", "webhook_url": e.hook + "/webhook", "webhook_secret": "whsec_assistant_only",
		"webhook_events": []string{"status-update", "end-of-call-report"}, "gdpr_mode": true, "id": "ignored",
	})
	require.Equal(t, http.StatusCreated, r.status, string(r.raw))
	a := r.body["assistant"].(map[string]any)
	id := a["id"].(string)
	assert.NotEqual(t, "ignored", id, "the server sets the id")
	assert.Equal(t, "Support", a["name"])
	assert.Equal(t, true, a["gdpr_mode"], "unknown fields are kept")
	assert.Equal(t, maskedSecret, a["webhook_secret"], "the secret is never shown")
	assert.NotContains(t, string(r.raw), "whsec_assistant_only")
	assert.NotEmpty(t, a["created_at"])

	r = e.do(http.MethodGet, "/api/v1/assistants/"+id, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "Support", r.body["assistant"].(map[string]any)["name"])
	r = e.do(http.MethodGet, "/api/v1/agents/"+id, nil)
	assert.Equal(t, http.StatusOK, r.status, "the deprecated alias works")

	r = e.do(http.MethodPatch, "/api/v1/assistants/"+id, map[string]any{"name": "Support NL", "gdpr_mode": nil})
	require.Equal(t, http.StatusOK, r.status, string(r.raw))
	a = r.body["assistant"].(map[string]any)
	assert.Equal(t, "Support NL", a["name"])
	assert.NotContains(t, a, "gdpr_mode", "null removes a field")
	assert.Equal(t, "Hallo!", a["first_message"], "other fields stay")

	for body, param := range map[string]string{
		`{"name": ""}`:                             "name",
		`{"name": 5}`:                              "name",
		`{"webhook_url": "not a url"}`:             "webhook_url",
		`{"webhook_events": ["call-started"]}`:     "webhook_events",
		`{"webhook_events": "end-of-call-report"}`: "webhook_events",
		`{"webhook_secret": 42}`:                   "webhook_secret",
	} {
		r = e.do(http.MethodPatch, "/api/v1/assistants/"+id, body)
		assert.Equal(t, http.StatusBadRequest, r.status, body)
		assert.Equal(t, param, r.body["error"].(map[string]any)["param"], body)
	}

	r = e.do(http.MethodGet, "/api/v1/assistants", nil)
	assert.Len(t, r.body["assistants"], 1)
	r = e.do(http.MethodDelete, "/api/v1/assistants/"+id, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, map[string]any{"success": true}, r.body)
	for _, m := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		r = e.do(m, "/api/v1/assistants/"+id, `{}`)
		assert.Equal(t, http.StatusNotFound, r.status, m)
		assert.Equal(t, "not_found", r.body["error"].(map[string]any)["code"])
	}
	r = e.do(http.MethodPut, "/api/v1/assistants/"+id, `{}`)
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
}

func TestAssistantLimit(t *testing.T) {
	e := setup(t, func(o *Options) { o.MaxAssistants = 2 })
	e.createAssistant(map[string]any{"name": "a"})
	e.createAssistant(map[string]any{"name": "b"})
	r := e.do(http.MethodPost, "/api/v1/assistants", map[string]any{"name": "c"})
	assert.Equal(t, http.StatusConflict, r.status)
}

func TestWebhookEventsFilter(t *testing.T) {
	e := setup(t, nil)
	id := e.createAssistant(map[string]any{"name": "Quiet", "webhook_events": []string{"end-of-call-report"}})
	call := e.inbound(map[string]any{"assistant_id": id, "intent": "opening-hours"})
	e.wait(call)
	assert.Equal(t, []string{"end-of-call-report"}, e.events(call), "events not enabled are not sent")

	none := e.createAssistant(map[string]any{"name": "Silent", "webhook_events": []string{}})
	call = e.inbound(map[string]any{"assistant_id": none})
	e.wait(call)
	assert.Empty(t, e.events(call))
	assert.Equal(t, "ended", e.get(call)["status"], "the call itself still happens")
}

func TestAssistantWebhookAndSecret(t *testing.T) {
	// A second receiver that records what it gets and acknowledges.
	var mu sync.Mutex
	var got []*http.Request
	var bodies [][]byte
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Clone(r.Context()))
		bodies = append(bodies, b)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(other.Close)
	e := setup(t, nil)
	id := e.createAssistant(map[string]any{"name": "Own hook", "webhook_url": other.URL + "/hooks/flireo?token=abc", "webhook_secret": "whsec_own"})
	call := e.inbound(map[string]any{"assistant_id": id})
	e.wait(call)
	assert.Empty(t, e.rec.of(call), "the account webhook gets nothing")
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, got)
	for i, r := range got {
		assert.Equal(t, "/hooks/flireo", r.URL.Path)
		mac := hmac.New(sha256.New, []byte("whsec_own"))
		mac.Write([]byte(r.Header.Get("X-Webhook-Timestamp") + "."))
		mac.Write(bodies[i])
		assert.Equal(t, "sha256="+hex.EncodeToString(mac.Sum(nil)), r.Header.Get("X-Webhook-Signature"), "signed with the assistant's secret")
		assert.NotContains(t, string(bodies[i]), "whsec_own", "the echoed assistant leaves the secret out")
		if r.Header.Get("X-Webhook-Event") == "status-update" {
			assert.Contains(t, string(bodies[i]), `"name":"Own hook"`, "the saved assistant is echoed")
		}
	}
	// The dashboard shows the webhook without its query string.
	page := e.page("/calls/" + call)
	assert.Contains(t, page, "/hooks/flireo?…")
	assert.NotContains(t, page, "token=abc")
}

func TestToolWithOwnURL(t *testing.T) {
	var mu sync.Mutex
	var toolCalls []string
	tools := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var m struct {
			Message struct {
				Type string `json:"type"`
				List []struct {
					ID       string `json:"id"`
					Function struct {
						Name string `json:"name"`
					} `json:"function"`
				} `json:"tool_call_list"`
			} `json:"message"`
		}
		_ = json.NewDecoder(r.Body).Decode(&m)
		mu.Lock()
		for _, c := range m.Message.List {
			toolCalls = append(toolCalls, c.Function.Name)
		}
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		id := ""
		if len(m.Message.List) > 0 {
			id = m.Message.List[0].ID
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"results": []any{map[string]any{"tool_call_id": id, "result": map[string]any{"status": "onderweg", "eta": "morgen"}}}})
	}))
	t.Cleanup(tools.Close)
	e := setup(t, func(o *Options) {
		o.adjustPlan = func(p *sim.CallPlan) {
			for i := range p.Turns {
				p.Turns[i].Need = ""
			}
			p.Turns[0].Need = sim.NeedOrder
		}
	})
	asst := map[string]any{"name": "Orders", "first_message": "Goedendag!", "llm_config": map[string]any{"tools": []any{
		map[string]any{"name": "lookup_order", "description": "Look up an order", "url": tools.URL + "/tools",
			"parameters": map[string]any{"type": "object", "properties": map[string]any{"order_id": map[string]any{"type": "string"}}}},
	}}}
	call := e.outbound(map[string]any{"destination": "+31612345678", "assistant": asst, "simulate": map[string]any{"intent": "requested-callback"}})
	e.wait(call)
	mu.Lock()
	assert.Equal(t, []string{"lookup_order"}, toolCalls, "the tool call went to the tool's own url")
	mu.Unlock()
	assert.NotContains(t, e.events(call), "tool-calls", "not to the assistant's webhook")
	assert.True(t, strings.Contains(strings.Join(e.report(call).lines("assistant"), " "), "morgen"), "the tool's result was used")
}
