// Package simtest holds test doubles for the simulator's ports. Only tests
// import it.
package simtest

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
)

// Sender is a sim.Sender that serves every request with Handler in process,
// without a network: the reply is exactly what the handler wrote, and its
// latency is the handler's own time. Safe for concurrent use.
type Sender struct {
	Handler http.Handler
	// KeepBodies keeps a copy of every body sent, for Sent.
	KeepBodies bool

	mu     sync.Mutex
	sent   [][]byte
	server time.Duration
}

// Send serves req with the handler. The request carries the event header,
// as a delivery would; it is not signed.
func (s *Sender) Send(ctx context.Context, req sim.Request) sim.Response {
	r := httptest.NewRequestWithContext(ctx, http.MethodPost, req.URL, bytes.NewReader(req.Body))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(delivery.HeaderEvent, string(req.Event))
	w := httptest.NewRecorder()
	began := time.Now()
	s.Handler.ServeHTTP(w, r)
	took := time.Since(began)
	s.record(req.Body, took)
	body := w.Body.Bytes()
	return sim.Response{Status: w.Code, Header: w.Header(), Body: body, Size: int64(len(body)), Latency: took,
		SentHeader: r.Header, SentBody: req.Body, SentAt: began}
}

// record adds one send's server time and, with KeepBodies, its body.
func (s *Sender) record(body []byte, took time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.server += took
	if s.KeepBodies {
		s.sent = append(s.sent, bytes.Clone(body))
	}
}

// Sent returns the bodies sent so far (only with KeepBodies).
func (s *Sender) Sent() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.sent...)
}

// ServerTime is the time the handler took over every send so far.
func (s *Sender) ServerTime() time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.server
}
