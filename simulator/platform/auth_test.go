package platform

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/internal/testkit"
)

func TestAuthentication(t *testing.T) {
	e := setup(t, func(o *Options) { o.APIKeys = []string{testKey, "sk_test_other"}; o.AuthFailuresPerMinute = 1000 })
	unauthorized := `{"error":"Unauthorized","message":"Invalid or missing API key"}` + "\n"
	forbidden := `{"error":"Forbidden","message":"You don't have access to this resource"}` + "\n"

	for _, c := range []struct{ name, header string }{
		{"missing", ""}, {"wrong key", "Bearer sk_wrong"}, {"not bearer", "Basic " + testKey}, {"empty bearer", "Bearer "},
	} {
		for _, target := range []struct{ method, path string }{
			{http.MethodGet, "/api/v1/calls"}, {http.MethodPost, "/api/v1/calls/outbound"}, {http.MethodGet, "/api/v1/assistants"},
			{http.MethodPost, "/simulate/inbound"}, {http.MethodGet, "/api/v1/no-such-thing"},
		} {
			req, err := http.NewRequest(target.method, e.url+target.path, strings.NewReader(`{}`))
			require.NoError(t, err)
			if c.header != "" {
				req.Header.Set("Authorization", c.header)
			}
			resp, err := http.DefaultClient.Do(req)
			require.NoError(t, err)
			var b bytes.Buffer
			_, _ = b.ReadFrom(resp.Body)
			resp.Body.Close()
			assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "%s %s", c.name, target.path)
			assert.Equal(t, unauthorized, b.String(), "%s %s", c.name, target.path)
			assert.Contains(t, resp.Header.Get("WWW-Authenticate"), "Bearer")
		}
	}

	// Resources belong to the key that made them.
	call := e.inbound(map[string]any{"intent": "opening-hours"})
	asst := e.createAssistant(map[string]any{"name": "Mine"})
	for _, target := range []struct {
		method, path string
		body         any
	}{
		{http.MethodGet, "/api/v1/calls/" + call, nil},
		{http.MethodPost, "/api/v1/calls/" + call + "/control", map[string]any{"type": "end-call"}},
		{http.MethodGet, "/api/v1/assistants/" + asst, nil},
		{http.MethodPatch, "/api/v1/assistants/" + asst, map[string]any{"name": "Theirs"}},
		{http.MethodDelete, "/api/v1/assistants/" + asst, nil},
		{http.MethodPost, "/api/v1/calls/outbound", map[string]any{"destination": "+31612345678", "assistant_id": asst}},
		{http.MethodPost, "/simulate/inbound", map[string]any{"assistant_id": asst}},
	} {
		r := e.doKey("sk_test_other", target.method, target.path, target.body)
		assert.Equal(t, http.StatusForbidden, r.status, "%s %s", target.method, target.path)
		assert.Equal(t, forbidden, string(r.raw), "%s %s", target.method, target.path)
	}
	r := e.doKey("sk_test_other", http.MethodGet, "/api/v1/calls", nil)
	assert.Empty(t, r.body["calls"], "another account lists none of them")
	r = e.doKey("sk_test_other", http.MethodGet, "/api/v1/assistants", nil)
	assert.Empty(t, r.body["assistants"])
	e.wait(call)

	// /health needs no key.
	assert.Equal(t, http.StatusOK, e.doKey("", http.MethodGet, "/health", nil).status)
}

func TestOpenAPIWithoutKeys(t *testing.T) {
	e := setup(t, func(o *Options) { o.APIKeys = nil })
	r := e.doKey("", http.MethodGet, "/api/v1/calls", nil)
	assert.Equal(t, http.StatusOK, r.status)
	r = e.doKey("anything", http.MethodPost, "/simulate/inbound", `{"intent":"silent"}`)
	assert.Equal(t, http.StatusCreated, r.status)
	e.wait(r.body["call_id"].(string))
}

func TestRequestRateLimit(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: start}
	e := setup(t, func(o *Options) {
		o.Now = clock.now
		o.APIKeys = []string{testKey, "sk_test_other"}
	})
	for i := range 100 {
		r := e.do(http.MethodGet, "/api/v1/calls", nil)
		require.Equal(t, http.StatusOK, r.status, "request %d", i+1)
		assert.Equal(t, "100", r.header.Get("X-RateLimit-Limit"))
		assert.Equal(t, strconv.Itoa(99-i), r.header.Get("X-RateLimit-Remaining"))
		assert.Equal(t, strconv.FormatInt(start.Add(time.Minute).Unix(), 10), r.header.Get("X-RateLimit-Reset"))
	}
	r := e.do(http.MethodPost, "/api/v1/assistants", map[string]any{"name": "x"})
	assert.Equal(t, http.StatusTooManyRequests, r.status, "every endpoint counts")
	assert.Equal(t, "60", r.header.Get("Retry-After"))
	assert.Equal(t, "0", r.header.Get("X-RateLimit-Remaining"))
	assert.Equal(t, map[string]any{"code": "rate_limit_exceeded", "type": "rate_limit_error",
		"message": "Too many requests. Please retry after 60 seconds."}, r.body["error"])

	assert.Equal(t, http.StatusOK, e.doKey("sk_test_other", http.MethodGet, "/api/v1/calls", nil).status, "another key has its own limit")
	assert.Equal(t, http.StatusOK, e.doKey("", http.MethodGet, "/health", nil).status, "health is not limited")

	clock.add(45 * time.Second)
	r = e.do(http.MethodGet, "/api/v1/calls", nil)
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "15", r.header.Get("Retry-After"))
	clock.add(15 * time.Second)
	r = e.do(http.MethodGet, "/api/v1/calls", nil)
	assert.Equal(t, http.StatusOK, r.status, "a new window")
	assert.Equal(t, "99", r.header.Get("X-RateLimit-Remaining"))
}

func TestControlRateLimit(t *testing.T) {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	clock := &fakeClock{t: start}
	e, g := held(t, func(o *Options) { o.Now = clock.now })
	a := e.inbound(map[string]any{"intent": "complaint"})
	g.waitHeld(t)
	b := e.inbound(map[string]any{"intent": "complaint"})
	for i := range 10 {
		r := e.control(a, map[string]any{"type": "say", "content": "note " + strconv.Itoa(i)})
		require.Equal(t, http.StatusOK, r.status, string(r.raw))
		assert.Equal(t, "10", r.header.Get("X-RateLimit-Limit"))
		assert.Equal(t, strconv.Itoa(9-i), r.header.Get("X-RateLimit-Remaining"))
	}
	r := e.control(a, map[string]any{"type": "say", "content": "one too many"})
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "10", r.header.Get("X-RateLimit-Limit"))
	assert.Equal(t, "60", r.header.Get("Retry-After"))
	assert.Equal(t, "rate_limit_exceeded", r.body["error"].(map[string]any)["code"])

	r = e.control(b, map[string]any{"type": "say", "content": "another call has its own limit"})
	assert.NotEqual(t, http.StatusTooManyRequests, r.status)

	clock.add(time.Minute)
	r = e.control(a, map[string]any{"type": "say", "content": "a minute later"})
	assert.Equal(t, http.StatusOK, r.status, string(r.raw))
	g.open()
	e.wait(a)
	e.wait(b)
	rep := e.report(a)
	assert.Len(t, slices.DeleteFunc(rep.lines("assistant"), func(l string) bool { return !strings.HasPrefix(l, "note ") }), 10)
	assert.Contains(t, rep.lines("assistant"), "a minute later")
	assert.NotContains(t, rep.lines("assistant"), "one too many", "a limited command never acts")
}

func TestBodyCap(t *testing.T) {
	e := setup(t, func(o *Options) { o.MaxBody = 4096 })
	big := `{"name":"` + strings.Repeat("x", 5000) + `"}`
	r := e.do(http.MethodPost, "/api/v1/assistants", big)
	assert.Equal(t, http.StatusRequestEntityTooLarge, r.status)
	assert.Equal(t, "payload_too_large", r.body["error"].(map[string]any)["code"])
	r = e.do(http.MethodPost, "/api/v1/assistants", `{"name":"small"}`)
	assert.Equal(t, http.StatusCreated, r.status)
}

func TestSecretsNeverShown(t *testing.T) {
	var logs testkit.SyncBuffer
	e := setup(t, func(o *Options) {
		o.Log = slog.New(slog.NewTextHandler(&logs, nil))
	})
	asst := e.createAssistant(map[string]any{"name": "S", "webhook_secret": "whsec_assistant_secret", "webhook_url": e.hook + "/webhook"})
	a := e.inbound(map[string]any{"intent": "callback"})
	b := e.inbound(map[string]any{"assistant_id": asst})
	e.wait(a)
	e.wait(b)
	r := e.control(a, map[string]any{"type": "end-call"})
	assert.Equal(t, http.StatusBadRequest, r.status)
	pages := e.page("/") + e.page("/calls/"+a) + e.page("/calls/"+b)
	for _, secret := range []string{testKey, "whsec_test", "whsec_assistant_secret"} {
		assert.NotContains(t, logs.String(), secret)
		assert.NotContains(t, pages, secret)
	}
	assert.Contains(t, logs.String(), "call ended")
	assert.Contains(t, logs.String(), a)
	assert.Contains(t, pages, "signed (secret set)")
}

func TestShutdownFinishesLiveCalls(t *testing.T) {
	e := setup(t, func(o *Options) { o.Sim.Pace = 1; o.RequestsPerMinute = 100000 }) // real time: calls last a minute or more
	a := e.inbound(map[string]any{"intent": "book-appointment"})
	b := e.inbound(map[string]any{"intent": "order-status"})
	require.Eventually(t, func() bool { // answered after their ring
		return e.get(a)["status"] == "in-progress" && e.get(b)["status"] == "in-progress"
	}, 30*time.Second, 50*time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	began := time.Now()
	cancelled := e.p.Shutdown(ctx)
	assert.Zero(t, cancelled)
	assert.Less(t, time.Since(began), 10*time.Second, "hurried, not played in real time")
	for _, id := range []string{a, b} {
		assert.Equal(t, "ended", e.get(id)["status"])
		e.report(id) // delivered
	}
	r := e.do(http.MethodPost, "/simulate/inbound", `{}`)
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
	assert.Equal(t, "service_unavailable", r.body["error"].(map[string]any)["code"])
	r = e.do(http.MethodPost, "/api/v1/calls/outbound", map[string]any{"destination": "+31612345678", "assistant": map[string]any{"name": "x"}})
	assert.Equal(t, http.StatusServiceUnavailable, r.status)
}

func TestShutdownCancelsStuckCalls(t *testing.T) {
	stuck := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	e := setupWith(t, stuck, nil)
	id := e.inbound(nil)
	select {
	case <-e.rec.seen:
	case <-time.After(10 * time.Second):
		t.Fatal("no assistant-request within 10 s")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	began := time.Now()
	assert.Equal(t, 1, e.p.Shutdown(ctx))
	assert.Less(t, time.Since(began), 4*time.Second, "cancelled, not waited for the 5 s deadline")
	c := e.get(id)
	assert.Equal(t, "failed", c["status"])
	assert.Contains(t, c["error"], "cancelled")
	assert.Zero(t, e.p.Live())
}

func TestLiveCallCap(t *testing.T) {
	e, g := held(t, func(o *Options) { o.MaxLive = 1 })
	a := e.inbound(nil)
	g.waitHeld(t)
	r := e.do(http.MethodPost, "/simulate/inbound", `{}`)
	assert.Equal(t, http.StatusTooManyRequests, r.status)
	assert.Equal(t, "too_many_live_calls", r.body["error"].(map[string]any)["code"])
	g.open()
	e.wait(a)
	assert.Equal(t, http.StatusCreated, e.do(http.MethodPost, "/simulate/inbound", `{}`).status)
}

func TestCallsKept(t *testing.T) {
	e := setup(t, func(o *Options) { o.MaxCalls = 3 })
	var ids []string
	for range 5 {
		id := e.inbound(map[string]any{"intent": "silent"})
		e.wait(id)
		ids = append(ids, id)
	}
	r := e.do(http.MethodGet, "/api/v1/calls", nil)
	assert.Equal(t, float64(3), r.body["pagination"].(map[string]any)["total"])
	assert.Equal(t, http.StatusNotFound, e.do(http.MethodGet, "/api/v1/calls/"+ids[0], nil).status)
	assert.Equal(t, http.StatusOK, e.do(http.MethodGet, "/api/v1/calls/"+ids[4], nil).status)
}
