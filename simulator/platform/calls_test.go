package platform

import (
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

func TestHealth(t *testing.T) {
	e := setup(t, nil)
	r := e.doKey("", http.MethodGet, "/health", nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "ok", r.body["status"])
	assert.Equal(t, "1.0.0", r.body["version"])
	_, err := time.Parse(time.RFC3339, r.body["timestamp"].(string))
	assert.NoError(t, err)
	assert.Equal(t, map[string]any{"database": map[string]any{"status": "ok", "latency_ms": float64(0)}}, r.body["checks"])
	assert.Empty(t, r.header.Get("X-RateLimit-Limit"), "health is not rate limited")
}

func TestInboundCallLifecycle(t *testing.T) {
	e := setup(t, nil)
	id := e.inbound(map[string]any{"intent": "book-appointment", "seed": 3, "call": 2, "caller": "+31612345678"})
	assert.True(t, strings.HasPrefix(id, "call-_+31612345678_"), id)
	e.wait(id)

	assert.Equal(t, []string{"assistant-request", "status-update"}, e.events(id)[:2])
	assert.Equal(t, "end-of-call-report", e.events(id)[len(e.events(id))-1])
	for _, d := range e.rec.of(id) {
		assert.True(t, strings.HasPrefix(d.header.Get("X-Webhook-Signature"), "sha256="), "signed with the account secret")
	}

	c := e.get(id)
	assert.Equal(t, id, c["id"])
	assert.Equal(t, "ended", c["status"])
	assert.Equal(t, "inbound", c["direction"])
	assert.Equal(t, "+31612345678", c["caller_phone"])
	assert.NotEmpty(t, c["assistant_phone"])
	assert.Equal(t, c["assistant_phone"], c["phone_number"])
	assert.NotEmpty(t, c["end_reason"])
	assert.Nil(t, c["error"])
	assert.NotEmpty(t, c["summary"])
	assert.Greater(t, c["duration_seconds"], float64(10))
	assert.NotNil(t, c["analysis_result"], "the reference integrator declares an analysis plan")
	for _, k := range []string{"started_at", "ended_at", "created_at", "updated_at"} {
		_, err := time.Parse(time.RFC3339, c[k].(string))
		assert.NoError(t, err, k)
	}
	started, _ := time.Parse(time.RFC3339, c["started_at"].(string))
	ended, _ := time.Parse(time.RFC3339, c["ended_at"].(string))
	assert.InDelta(t, ended.Sub(started).Seconds(), c["duration_seconds"], 1)
	msgs := c["messages"].([]any)
	require.NotEmpty(t, msgs)
	first := msgs[0].(map[string]any)
	assert.Equal(t, "assistant", first["role"])
	assert.Contains(t, first["content"], "Jan", "the integrator greets its known caller")

	// The call object matches the end-of-call-report that was delivered.
	rep := e.report(id)
	assert.Equal(t, rep.EndReason, c["end_reason"])
	assert.Equal(t, rep.Summary, c["summary"])
	assert.Len(t, msgs, len(rep.Messages))
}

func TestInboundTriggerErrors(t *testing.T) {
	e := setup(t, nil)
	cases := []struct {
		body        string
		status      int
		code, param string
	}{
		{`{"intent":"pizza"}`, 400, "invalid_request", "intent"},
		{`{"lang":"de"}`, 400, "invalid_request", "lang"},
		{`{"intent":"voicemail"}`, 400, "invalid_request", "intent"},
		{`{"caller":"0612345678"}`, 400, "invalid_request", "caller"},
		{`{"seed":"seven"}`, 400, "invalid_request", "seed"},
		{`{"call":0}`, 400, "invalid_request", "call"},
		{`{"assistant_id":"nope"}`, 404, "not_found", "assistant_id"},
		{`{"intent":`, 400, "invalid_request", ""},
		{`[1,2]`, 400, "invalid_request", ""},
	}
	for _, c := range cases {
		r := e.do(http.MethodPost, "/simulate/inbound", c.body)
		assert.Equal(t, c.status, r.status, c.body)
		errObj, ok := r.body["error"].(map[string]any)
		require.True(t, ok, "documented error body for %s: %s", c.body, r.raw)
		assert.Equal(t, c.code, errObj["code"], c.body)
		assert.NotEmpty(t, errObj["message"], c.body)
		assert.NotEmpty(t, errObj["type"], c.body)
		if c.param != "" {
			assert.Equal(t, c.param, errObj["param"], c.body)
		}
	}
	// An empty body is an inbound call drawn from the seed.
	r := e.do(http.MethodPost, "/simulate/inbound", "")
	assert.Equal(t, http.StatusCreated, r.status, string(r.raw))
	assert.Equal(t, "ringing", r.body["status"])
	assert.Equal(t, true, r.body["success"])
}

func TestSameSeedSameConversation(t *testing.T) {
	e := setup(t, nil)
	a := e.inbound(map[string]any{"intent": "order-status", "seed": 11, "call": 4, "caller": "+31601234567"})
	b := e.inbound(map[string]any{"intent": "order-status", "seed": 11, "call": 4, "caller": "+31601234567"})
	assert.NotEqual(t, a, b, "every call gets its own id")
	e.wait(a)
	e.wait(b)
	ra, rb := e.report(a), e.report(b)
	assert.Equal(t, ra.Messages, rb.Messages)
}

func TestListCalls(t *testing.T) {
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: now}
	e := setup(t, func(o *Options) { o.Now = clock.now })
	var ids []string
	for i := range 5 {
		clock.set(now.Add(time.Duration(i) * 24 * time.Hour))
		ids = append(ids, e.inbound(map[string]any{"intent": "opening-hours"}))
	}
	for _, id := range ids {
		e.wait(id)
	}
	list := func(q string) response {
		r := e.do(http.MethodGet, "/api/v1/calls"+q, nil)
		require.Equal(t, http.StatusOK, r.status, "%s: %s", q, r.raw)
		return r
	}
	idsOf := func(r response) []string {
		var out []string
		for _, c := range r.body["calls"].([]any) {
			out = append(out, c.(map[string]any)["id"].(string))
		}
		return out
	}
	r := list("")
	assert.Equal(t, []string{ids[4], ids[3], ids[2], ids[1], ids[0]}, idsOf(r), "newest first")
	assert.Equal(t, map[string]any{"total": float64(5), "limit": float64(50), "offset": float64(0)}, r.body["pagination"])
	item := r.body["calls"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "caller_phone", "assistant_phone", "status", "duration_seconds", "summary", "agent_name", "business_name", "started_at", "ended_at", "created_at"} {
		assert.Contains(t, item, k)
	}
	assert.NotContains(t, item, "messages", "the list carries no transcripts")

	r = list("?limit=2&offset=1")
	assert.Equal(t, []string{ids[3], ids[2]}, idsOf(r))
	assert.Equal(t, map[string]any{"total": float64(5), "limit": float64(2), "offset": float64(1)}, r.body["pagination"])
	r = list("?offset=10")
	assert.Empty(t, idsOf(r))
	assert.Equal(t, float64(5), r.body["pagination"].(map[string]any)["total"])

	r = list("?start_date=2026-03-03&end_date=2026-03-04")
	assert.Equal(t, []string{ids[2], ids[1]}, idsOf(r), "plain end date includes the day")
	r = list("?start_date=2026-03-05T10:00:00Z")
	assert.Equal(t, []string{ids[4], ids[3]}, idsOf(r))
	r = list("?status=ended")
	assert.Len(t, idsOf(r), 5)
	r = list("?status=in-progress")
	assert.Empty(t, idsOf(r))

	for q, param := range map[string]string{
		"?limit=0": "limit", "?limit=101": "limit", "?limit=x": "limit", "?offset=-1": "offset",
		"?status=done": "status", "?start_date=yesterday": "start_date", "?end_date=3/4/2026": "end_date",
	} {
		r := e.do(http.MethodGet, "/api/v1/calls"+q, nil)
		assert.Equal(t, http.StatusBadRequest, r.status, q)
		assert.Equal(t, param, r.body["error"].(map[string]any)["param"], q)
	}
}

func TestGetCallErrors(t *testing.T) {
	e := setup(t, nil)
	r := e.do(http.MethodGet, "/api/v1/calls/call-_+31600000000_nope", nil)
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, "not_found", r.body["error"].(map[string]any)["code"])
	assert.Contains(t, r.body["error"].(map[string]any)["message"], "Call not found")

	r = e.do(http.MethodDelete, "/api/v1/calls", nil)
	assert.Equal(t, http.StatusMethodNotAllowed, r.status)
	assert.Equal(t, "method_not_allowed", r.body["error"].(map[string]any)["code"])
	r = e.do(http.MethodGet, "/api/v1/nothing", nil)
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, "not_found", r.body["error"].(map[string]any)["code"])
}

func TestLiveCallObject(t *testing.T) {
	e, g := held(t, nil)
	id := e.inbound(map[string]any{"intent": "complaint"})
	g.waitHeld(t)
	c := e.get(id)
	assert.Equal(t, "in-progress", c["status"])
	assert.NotNil(t, c["started_at"])
	assert.Nil(t, c["ended_at"])
	assert.Equal(t, []any{}, c["messages"], "messages arrive with the end-of-call-report")
	g.open()
	e.wait(id)
	assert.Equal(t, "ended", e.get(id)["status"])
}

func TestRejectedCall(t *testing.T) {
	// An assistant-request answered {"error": ...} rejects the call.
	reject := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		var m struct {
			Message struct {
				Type string `json:"type"`
			} `json:"message"`
		}
		_ = json.NewDecoder(r.Body).Decode(&m)
		if m.Message.Type == string(sim.AssistantRequest) {
			_, _ = w.Write([]byte(`{"error":"Wij zijn gesloten."}`))
			return
		}
		_, _ = w.Write([]byte(`{}`))
	})
	e := setupWith(t, reject, nil)
	id := e.inbound(nil)
	e.wait(id)
	c := e.get(id)
	assert.Equal(t, "rejected", c["status"])
	assert.Equal(t, sim.EndRejected, c["end_reason"])
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

func (c *fakeClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}
