package platform

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// serve sends one request straight to the platform from addr, with a
// bearer key (api) or a dashboard password (dash).
func serve(p *Platform, addr, path, key string, dash bool) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.RemoteAddr = addr + ":40000"
	switch {
	case key == "":
	case dash:
		req.SetBasicAuth("me", key)
	default:
		req.Header.Set("Authorization", "Bearer "+key)
	}
	w := httptest.NewRecorder()
	p.ServeHTTP(w, req)
	return w
}

func TestWrongKeysAreThrottledPerAddress(t *testing.T) {
	for _, dash := range []bool{false, true} {
		path := "/api/v1/calls"
		if dash {
			path = "/"
		}
		t.Run(path, func(t *testing.T) {
			wall := &fakeWall{t: time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC)}
			e := setup(t, func(o *Options) {
				o.APIKeys = []string{testKey, otherKey}
				o.ProtectDashboard = true
				o.Now = wall.now
			})
			const attacker, neighbour = "192.0.2.7", "198.51.100.9"
			steps := []struct {
				addr, key string
				want      int
			}{
				{attacker, "", http.StatusUnauthorized}, // a missing key counts too
				{attacker, "sk_wrong_1", http.StatusUnauthorized},
				{attacker, "sk_wrong_2", http.StatusUnauthorized},
				{attacker, "sk_wrong_3", http.StatusUnauthorized},
				{attacker, "sk_wrong_4", http.StatusUnauthorized},
				{attacker, "sk_wrong_5", http.StatusUnauthorized},
				{attacker, "sk_wrong_6", http.StatusUnauthorized},
				{attacker, "sk_wrong_7", http.StatusUnauthorized},
				{attacker, "sk_wrong_8", http.StatusUnauthorized},
				{attacker, "sk_wrong_9", http.StatusUnauthorized},
				{attacker, "sk_wrong_10", http.StatusTooManyRequests},
				{attacker, testKey, http.StatusOK}, // the right key is not locked out
				{attacker, "", http.StatusTooManyRequests},
				{neighbour, "sk_wrong", http.StatusUnauthorized}, // another address has its own count
				{neighbour, otherKey, http.StatusOK},
			}
			for i, s := range steps {
				w := serve(e.p, s.addr, path, s.key, dash)
				require.Equal(t, s.want, w.Code, "step %d (%s, %q): %s", i, s.addr, s.key, w.Body)
				if w.Code == http.StatusTooManyRequests {
					assert.Equal(t, "60", w.Header().Get("Retry-After"))
					assert.Equal(t, "0", w.Header().Get("X-RateLimit-Remaining"))
					var body map[string]map[string]string
					require.NoError(t, json.Unmarshal(w.Body.Bytes(), &body))
					assert.Equal(t, map[string]string{"code": "rate_limit_exceeded", "type": "rate_limit_error",
						"message": "Too many requests. Please retry after 60 seconds."}, body["error"])
				}
			}
			wall.add(30 * time.Second)
			w := serve(e.p, attacker, path, "sk_wrong", dash)
			require.Equal(t, http.StatusTooManyRequests, w.Code)
			assert.Equal(t, "30", w.Header().Get("Retry-After"), "the rest of the minute")
			wall.add(31 * time.Second)
			assert.Equal(t, http.StatusUnauthorized, serve(e.p, attacker, path, "sk_wrong", dash).Code, "a new minute")
		})
	}
}

func TestDashboardShowsOneAccount(t *testing.T) {
	e := setup(t, func(o *Options) {
		o.APIKeys = []string{testKey, otherKey}
		o.ProtectDashboard = true
	})
	mine := e.inbound(map[string]any{"intent": "complaint"})
	r := e.doKey(otherKey, http.MethodPost, "/simulate/inbound", map[string]any{"intent": "opening-hours"})
	require.Equal(t, http.StatusCreated, r.status, string(r.raw))
	theirs := r.body["call_id"].(string)
	a := e.doKey(otherKey, http.MethodPost, "/api/v1/assistants", map[string]any{"name": "Their secret assistant"})
	require.Equal(t, http.StatusCreated, a.status)
	e.wait(mine)
	e.wait(theirs)

	for _, c := range []struct {
		key            string
		shown, notSeen string
	}{{testKey, mine, theirs}, {otherKey, theirs, mine}} {
		list := serve(e.p, "127.0.0.1", "/", c.key, true)
		require.Equal(t, http.StatusOK, list.Code)
		page := html.UnescapeString(list.Body.String())
		assert.Contains(t, page, c.shown)
		assert.NotContains(t, page, c.notSeen, "another account's call")
		assert.NotContains(t, page, "Their secret assistant")
		assert.Equal(t, http.StatusOK, serve(e.p, "127.0.0.1", "/calls/"+c.shown, c.key, true).Code)
		other := serve(e.p, "127.0.0.1", "/calls/"+c.notSeen, c.key, true)
		assert.Equal(t, http.StatusNotFound, other.Code, "another account's call page")
		assert.False(t, strings.Contains(other.Body.String(), "opening-hours") || strings.Contains(other.Body.String(), "complaint"))
	}
}
