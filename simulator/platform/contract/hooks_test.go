package contract_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/platform/contract"
)

// hookLog keeps every webhook serve's calls deliver to the integrator.
type hookLog struct {
	mu     sync.Mutex
	bodies [][]byte
}

// wrap records each delivery's body before the integrator reads it.
func (h *hookLog) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, body)
		h.mu.Unlock()
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

// problems checks every delivery against the SDK's payload type of its
// event and returns what did not fit; it needs one of each event.
func (h *hookLog) problems(t *testing.T) []string {
	t.Helper()
	h.mu.Lock()
	defer h.mu.Unlock()
	var bad []string
	seen := map[string]int{}
	for i, body := range h.bodies {
		var env struct {
			Message struct {
				Type string `json:"type"`
			} `json:"message"`
		}
		require.NoError(t, json.Unmarshal(body, &env), "webhook %d", i)
		event := env.Message.Type
		seen[event]++
		name := contract.PayloadFor(event)
		if name == "" {
			bad = append(bad, fmt.Sprintf("webhook %d: event %q has no payload type in the SDK", i, event))
			continue
		}
		problems, err := contract.Checker{}.Check(name, body)
		require.NoError(t, err)
		for _, p := range problems {
			bad = append(bad, fmt.Sprintf("webhook %d (%s): %s", i, event, p))
		}
	}
	for _, event := range []string{"assistant-request", "status-update", "tool-calls", "end-of-call-report"} {
		if seen[event] == 0 {
			bad = append(bad, "no "+event+" was delivered: the session must play every event")
		}
	}
	return bad
}
