package contract_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/flireo-sim/flireo-sim/simulator/platform"
)

// breaker rewrites the JSON answers of serve as a server with a bug would
// send them: mutate gets the request and the decoded answer and returns
// the answer to send.
func breaker(mutate func(r *http.Request, v any) any) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			body := rec.Body.Bytes()
			var v any
			if json.Unmarshal(body, &v) == nil {
				var buf bytes.Buffer
				enc := json.NewEncoder(&buf)
				enc.SetEscapeHTML(false)
				_ = enc.Encode(mutate(r, v))
				body = buf.Bytes()
			}
			for k, vs := range rec.Header() {
				w.Header()[k] = vs
			}
			w.Header().Del("Content-Length")
			w.WriteHeader(rec.Code)
			_, _ = w.Write(body)
		})
	}
}

// calls applies f to every call object of an answer (GET /calls/{id} and
// the items of GET /calls).
func calls(f func(c map[string]any)) func(r *http.Request, v any) any {
	return func(r *http.Request, v any) any {
		m, _ := v.(map[string]any)
		if m == nil || r.Method != http.MethodGet || !strings.HasPrefix(r.URL.Path, "/api/v1/calls") {
			return v
		}
		if list, ok := m["calls"].([]any); ok {
			for _, c := range list {
				if cm, ok := c.(map[string]any); ok {
					f(cm)
				}
			}
			return v
		}
		if _, ok := m["id"]; ok {
			f(m)
		}
		return v
	}
}

// TestSessionCatchesBrokenServers plays the session against servers that
// break the SDK's types in the ways serve once did, and in others: each
// must be reported with its JSON path.
func TestSessionCatchesBrokenServers(t *testing.T) {
	cases := []struct {
		name   string
		shape  string // serve's error body shape; the session expects flat
		mutate func(r *http.Request, v any) any
		want   []string
	}{
		{"listed calls without updated_at", platform.ErrorBodyFlat, func(r *http.Request, v any) any {
			if m, ok := v.(map[string]any); ok && r.URL.Path == "/api/v1/calls" {
				list, _ := m["calls"].([]any)
				for _, c := range list {
					delete(c.(map[string]any), "updated_at")
				}
			}
			return v
		}, []string{"calls.list: calls[0].updated_at: missing; Call requires it"}},
		{"nested error bodies", platform.ErrorBodyNested, func(_ *http.Request, v any) any { return v },
			[]string{"calls.get unknown: error: is an object, want string", "assistants.create without name: error: is an object"}},
		{"assistants without is_active", platform.ErrorBodyFlat, func(r *http.Request, v any) any {
			if m, ok := v.(map[string]any); ok {
				if a, ok := m["assistant"].(map[string]any); ok {
					delete(a, "is_active")
				}
			}
			return v
		}, []string{"assistants.create name only: assistant.is_active: missing", "assistants.get: assistant.is_active: missing"}},
		{"injected context as a system message", platform.ErrorBodyFlat, calls(func(c map[string]any) {
			if msgs, ok := c["messages"].([]any); ok && len(msgs) > 0 {
				c["messages"] = append(msgs, map[string]any{"role": "system", "content": "CRM: open invoice 48213"})
			}
		}), []string{`calls.get transferred: messages[`, `].role: is "system", want one of "user" | "assistant"`}},
		{"duration as a string", platform.ErrorBodyFlat, calls(func(c map[string]any) { c["duration_seconds"] = "84" }),
			[]string{"calls.get ended outbound: duration_seconds: is a string, want number"}},
		{"status outside the enum", platform.ErrorBodyFlat, calls(func(c map[string]any) { c["status"] = "finished" }),
			[]string{`calls.get ended inbound: status: is "finished", want one of`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := start(t, tc.shape, breaker(tc.mutate))
			got := strings.Join(s.play(t, platform.ErrorBodyFlat), "\n")
			for _, w := range tc.want {
				assert.Contains(t, got, w)
			}
		})
	}
}
