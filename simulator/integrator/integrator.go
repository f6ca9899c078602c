// Package integrator is a reference webhook server for the Flireo platform,
// written from the platform documentation the way an integrator should write
// one: it verifies signatures on the raw body, answers every event of every
// documented format (legacy G1, camelCase G2, snake_case G3, Interactly) in
// the caller's own spelling, personalises the assistant from a small contact
// book, answers tools deterministically, and stores reports idempotently.
//
// It is the demo target and self-test server of flireo-sim. With a
// misbehaviour mode (see Modes) it breaks exactly one thing, which proves
// that the corresponding conformance check can fail.
//
// Endpoints:
//
//	POST /webhook, POST /   every webhook event
//	GET  /calls/{id}        what the server saw of a call (CallRecord), 404 if unknown
//	GET  /calls             the most recent calls first, at most 100
//	GET  /healthz           {"status":"ok"}
//
// What the server records per call id (see CallRecord): the format of the
// call's first event, accepted deliveries per event type, statuses as sent
// (Interactly's ongoing/finished are kept as such), distinct tool call ids
// answered, the first end-of-call-report (later ones for the same call id are
// acknowledged and counted but not stored again) and the metadata the
// platform echoed. A legacy G1 assistant-request carries no call id: it is
// counted under the caller's number and attached to the next new legacy call
// from that number, so with concurrent calls from one number the count may
// land on a sibling call. Deliveries that are refused (401, 400, 413) or
// abandoned by the client while the server waits are not recorded.
package integrator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/internal/suggest"
)

// Options configure a Server.
type Options struct {
	Secret    string           // "" = no signature verification
	Misbehave string           // "" = correct; otherwise one of Modes()
	Delay     time.Duration    // how long the slow modes wait; 0 = defaults (slow-assistant and slow-ack 6 s, slow-tool 11 s, one-at-a-time 25 ms per webhook)
	MaxCalls  int              // calls kept in memory (oldest evicted); 0 = 10000
	Now       func() time.Time // for signature freshness; default time.Now
	// PlatformAPI is the platform REST API base (e.g.
	// http://127.0.0.1:8090/api/v1): when set, the assistant declares the
	// ask_email tool and the server injects the confirmed address into the
	// live call through /calls/{id}/control (see askemail.go). PlatformKey is
	// its bearer API key.
	PlatformAPI string
	PlatformKey string
}

// Server is the reference integrator. It is an http.Handler and safe for
// concurrent use.
type Server struct {
	secret string
	mode   modeDef
	delay  time.Duration
	now    func() time.Time
	store  *store
	mux    *http.ServeMux
	// askEmail is the ask_email flow; nil without a platform API.
	askEmail *askEmail
}

// Limits.
const (
	maxBodyBytes    = 2 << 20 // webhook bodies above 2 MiB are refused with 413
	defaultMaxCalls = 10000
	listLimit       = 100 // records returned by GET /calls
)

// New builds a server. It fails on an unknown misbehaviour mode (the error
// lists the valid ones) and on negative limits.
func New(o Options) (*Server, error) {
	mode, ok := lookupMode(o.Misbehave)
	if !ok {
		return nil, fmt.Errorf("unknown misbehaviour mode %q%s: use one of %s (or none for a correct server)", o.Misbehave, suggest.Hint(o.Misbehave, strings.Split(modeNames(), ", ")), modeNames())
	}
	if o.Delay < 0 {
		return nil, fmt.Errorf("delay %v is negative: use 0 for the mode's default or a positive duration", o.Delay)
	}
	if o.MaxCalls < 0 {
		return nil, fmt.Errorf("max calls %d is negative: use 0 for the default of %d", o.MaxCalls, defaultMaxCalls)
	}
	s := &Server{secret: o.Secret, mode: mode, delay: o.Delay, now: o.Now}
	if s.delay == 0 {
		s.delay = mode.slowDefault
	}
	if s.now == nil {
		s.now = time.Now
	}
	maxCalls := o.MaxCalls
	if maxCalls == 0 {
		maxCalls = defaultMaxCalls
	}
	s.store = newStore(maxCalls)
	ask, err := newAskEmail(o.PlatformAPI, o.PlatformKey)
	if err != nil {
		return nil, err
	}
	s.askEmail = ask

	mux := http.NewServeMux()
	var webhook http.Handler = http.HandlerFunc(s.handleWebhook)
	if mode.wrap != nil {
		webhook = mode.wrap(s, webhook)
	}
	mux.Handle("/webhook", allow(http.MethodPost, webhook))
	mux.Handle("/{$}", allow(http.MethodPost, webhook))
	mux.Handle("/calls/{id}", allow(http.MethodGet, http.HandlerFunc(s.handleCall)))
	mux.Handle("/calls", allow(http.MethodGet, http.HandlerFunc(s.handleCalls)))
	mux.Handle("/healthz", allow(http.MethodGet, http.HandlerFunc(s.handleHealth)))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "not found: webhooks go to POST /webhook"})
	})
	s.mux = mux
	return s, nil
}

// ServeHTTP routes a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mux.ServeHTTP(w, r)
}

// Call returns what GET /calls/{id} returns for the call id.
func (s *Server) Call(id string) (CallRecord, bool) {
	return s.store.get(id)
}

// allow answers 405 with a JSON body to any method but the one given (GET
// also admits HEAD).
func allow(method string, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == method || (method == http.MethodGet && r.Method == http.MethodHead) {
			h.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Allow", method)
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": "method " + r.Method + " not allowed: use " + method})
	})
}

// reply is an encoded answer.
type reply struct {
	status      int
	contentType string
	body        []byte
	// missing, when positive, announces that many bytes more in
	// Content-Length than the body has; the server then closes the
	// connection mid-reply (the cut-reply mode).
	missing int
}

func jsonReply(status int, v any) *reply {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only values built by this package and JSON it decoded are encoded,
		// so this does not happen; answer 500 rather than half a body.
		return &reply{status: http.StatusInternalServerError, contentType: "application/json",
			body: []byte(`{"error":"internal error: the reply could not be encoded"}` + "\n")}
	}
	return &reply{status: status, contentType: "application/json", body: buf.Bytes()}
}

func (r *reply) write(w http.ResponseWriter) {
	w.Header().Set("Content-Type", r.contentType)
	if r.missing > 0 {
		w.Header().Set("Content-Length", strconv.Itoa(len(r.body)+r.missing))
	}
	w.WriteHeader(r.status)
	_, _ = w.Write(r.body) // the client went away: nothing left to do
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	jsonReply(status, v).write(w)
}

func errorReply(status int, msg string) *reply {
	return jsonReply(status, map[string]string{"error": msg})
}

// handleWebhook reads, verifies and parses one delivery, waits if a slow
// mode says so, answers it and records it. A delivery the client abandons
// while the server waits is neither answered nor recorded.
func (s *Server) handleWebhook(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	body, rep := readBody(w, r)
	if s.mode.hang {
		// The body is read first: net/http notices a client that leaves,
		// and cancels ctx, only once the request body has been consumed.
		<-ctx.Done()
		return
	}
	if rep != nil {
		rep.write(w)
		return
	}
	ev, rep := s.accept(r.Header, body)
	if rep != nil {
		rep.write(w)
		return
	}
	rep, abandon := s.misbehave(ctx, ev, r.Header, body)
	if abandon {
		return
	}
	if rep != nil {
		rep.write(w)
		return
	}
	rep = s.answer(ev)
	if s.mode.adjustReply != nil {
		s.mode.adjustReply(ev.Type, rep)
	}
	rep.write(w)
	s.askEmail.inject(ev) // after the reply: the ask_email flow pushes the address into the live call
}

// accept verifies the signature (unless the mode skips it) and parses the
// event; the reply is the error answer for a delivery it refuses.
func (s *Server) accept(h http.Header, body []byte) (*event, *reply) {
	if s.secret != "" && !s.mode.skipVerify {
		if reason := verifySignature(s.secret, h, body, s.now()); reason != "" {
			return nil, errorReply(http.StatusUnauthorized, reason)
		}
	}
	ev, err := parseEvent(body)
	if err != nil {
		return nil, errorReply(http.StatusBadRequest, err.Error())
	}
	return ev, nil
}

// misbehave applies the misbehaviour mode before the answer: a reply of its
// own, or a wait. abandon says the client left while the server waited.
func (s *Server) misbehave(ctx context.Context, ev *event, h http.Header, body []byte) (rep *reply, abandon bool) {
	if s.mode.intercept != nil {
		if rep := s.mode.intercept(ev.Type); rep != nil {
			return rep, false
		}
	}
	if s.mode.before != nil {
		if rep, abandon := s.mode.before(ctx, s, ev, h, body); abandon || rep != nil {
			return rep, abandon
		}
	}
	if s.mode.slowEvent == ev.Type {
		return nil, !sleep(ctx, s.delay)
	}
	return nil, false
}

// sleep waits d; it reports false when ctx ended first.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// readBody reads the raw body through the 2 MiB cap.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, *reply) {
	var buf bytes.Buffer
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, errorReply(http.StatusRequestEntityTooLarge, fmt.Sprintf("body exceeds %d bytes: send one webhook event per request", maxBodyBytes))
	case err != nil:
		return nil, errorReply(http.StatusBadRequest, "reading the body failed: "+err.Error())
	}
	return buf.Bytes(), nil
}

// answer handles a parsed event, records it and builds the reply.
func (s *Server) answer(ev *event) *reply {
	switch ev.Type {
	case eventAssistantRequest:
		p := planFor(ev.Caller)
		if s.mode.adjustPlan != nil {
			s.mode.adjustPlan(p)
		}
		body := renderAssistant(ev.Format, p)
		s.askEmail.declare(ev.Format, body)
		if s.mode.adjustAssistant != nil {
			s.mode.adjustAssistant(ev.Format, body)
		}
		s.store.record(ev, nil)
		return jsonReply(http.StatusOK, body)
	case eventToolCalls:
		if ev.At.IsZero() {
			ev.At = s.now()
		}
		answers := s.askEmail.answer(ev, answerTools(ev))
		ids := make([]string, len(answers))
		for i, a := range answers {
			ids[i] = a.ID
		}
		if s.mode.adjustTools != nil {
			answers = s.mode.adjustTools(answers)
		}
		s.store.record(ev, ids)
		return jsonReply(http.StatusOK, renderToolResults(ev.Format, answers))
	default:
		// status-update, end-of-call-report and any other event: a constant
		// time store, then acknowledge.
		s.store.record(ev, nil)
		return jsonReply(http.StatusOK, map[string]bool{"received": true})
	}
}

func (s *Server) handleCall(w http.ResponseWriter, r *http.Request) {
	rec, ok := s.store.get(r.PathValue("id"))
	if !ok {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "call not found"})
		return
	}
	writeJSON(w, http.StatusOK, rec)
}

func (s *Server) handleCalls(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, s.store.recent(listLimit))
}

func (s *Server) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}
