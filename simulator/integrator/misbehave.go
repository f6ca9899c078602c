package integrator

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"time"
)

// This file holds the hooks of the misbehaviour modes that break how the
// server copes with deliveries (order, size, repetition, concurrency,
// unknown fields, text) rather than what it answers.

// wait sleeps for d unless ctx ends first; it reports whether ctx ended.
func wait(ctx context.Context, d time.Duration) (abandoned bool) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return true
	case <-t.C:
		return false
	}
}

// slowAck handles status-update, end-of-call-report and tool-calls of async
// tools at once (they are stored) but holds a 2xx acknowledgement back for
// the server's delay; refusals (a bad signature) go out at once.
func slowAck(s *Server, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxBodyBytes+1))
		if err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "reading the body failed: " + err.Error()})
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		ev, err := parseEvent(body)
		if err != nil || !isAck(ev) {
			next.ServeHTTP(w, r)
			return
		}
		buf := &bufferedWriter{header: http.Header{}}
		next.ServeHTTP(buf, r)
		if buf.status >= 200 && buf.status <= 299 && wait(r.Context(), s.delay) {
			return
		}
		buf.writeTo(w)
	})
}

// isAck reports whether the platform ignores the reply to ev.
func isAck(ev *event) bool {
	switch ev.Type {
	case eventStatusUpdate, eventEndOfCallReport:
		return true
	case eventToolCalls:
		return allAsync(ev.Tools)
	}
	return false
}

// bufferedWriter keeps a reply to send later.
type bufferedWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header { return b.header }
func (b *bufferedWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// writeTo sends the kept reply.
func (b *bufferedWriter) writeTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status == 0 {
		b.status = http.StatusOK
	}
	w.WriteHeader(b.status)
	_, _ = w.Write(b.body.Bytes())
}

func (b *bufferedWriter) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

// allAsync reports whether every call is of an async tool of the catalogue.
func allAsync(calls []toolCall) bool {
	for _, c := range calls {
		t, ok := findTool(c.Name)
		if !ok || t.AsyncResponse == "" {
			return false
		}
	}
	return len(calls) > 0
}

// maxDurationAsString spells the max duration as a string wherever the
// format puts it.
func maxDurationAsString(f format, body map[string]any) {
	switch f {
	case formatG1:
		if a, ok := body["assistant"].(map[string]any); ok {
			if _, ok := a["maxDurationSeconds"]; ok {
				a["maxDurationSeconds"] = fmt.Sprint(a["maxDurationSeconds"])
			}
		}
	case formatG3:
		body["max_duration_seconds"] = fmt.Sprint(body["max_duration_seconds"])
	default:
		body["maxDurationSeconds"] = fmt.Sprint(body["maxDurationSeconds"])
	}
}

// errorFalseInResults adds "error": false to every entry of a tool-calls
// results reply.
func errorFalseInResults(eventType string, r *reply) {
	if eventType != eventToolCalls {
		return
	}
	var doc map[string]any
	if json.Unmarshal(r.body, &doc) != nil {
		return
	}
	results, _ := doc["results"].([]any)
	for _, e := range results {
		if m, ok := e.(map[string]any); ok {
			m["error"] = false
		}
	}
	r.body = jsonReply(r.status, doc).body
}

// verifyReserialized verifies the signature over the body after decoding
// and re-encoding it compactly, the mistake of frameworks that hand over a
// parsed body: a correctly signed body that is not compact fails.
func verifyReserialized(_ context.Context, s *Server, _ *event, h http.Header, body []byte) (*reply, bool) {
	if s.secret == "" {
		return nil, false
	}
	var compact bytes.Buffer
	signed := body
	if json.Compact(&compact, body) == nil {
		signed = compact.Bytes()
	}
	if reason := verifySignature(s.secret, h, signed, s.now()); reason != "" {
		return errorReply(http.StatusUnauthorized, reason), false
	}
	return nil, false
}

// rejectDuplicateReport refuses a second report for a call that has one.
func rejectDuplicateReport(_ context.Context, s *Server, ev *event, _ http.Header, _ []byte) (*reply, bool) {
	if ev.Type != eventEndOfCallReport || ev.CallID == "" {
		return nil, false
	}
	if rec, ok := s.store.get(ev.CallID); ok && rec.Reports > 0 {
		return errorReply(http.StatusConflict, "a report for call "+ev.CallID+" was already received"), false
	}
	return nil, false
}

// endedStatuses are the statuses, in every format, of a call that ended.
var endedStatuses = map[string]bool{
	"ended": true, "ended-with-error": true, "ended-with-debugging": true, "transferred": true,
	"finished": true, "forwarded": true,
}

// reportNeedsEnded refuses a report for a call whose status-update ended has
// not arrived.
func reportNeedsEnded(_ context.Context, s *Server, ev *event, _ http.Header, _ []byte) (*reply, bool) {
	if ev.Type != eventEndOfCallReport || ev.CallID == "" {
		return nil, false
	}
	rec, _ := s.store.get(ev.CallID)
	for _, st := range rec.Statuses {
		if endedStatuses[st] {
			return nil, false
		}
	}
	return errorReply(http.StatusConflict, "call "+ev.CallID+" has not ended yet: send the status-update ended first"), false
}

// legacyTopKeys are the top-level keys of every documented G1 event.
var legacyTopKeys = map[string]bool{
	"eventType": true, "eventTime": true, "eventTimestamp": true, "callId": true, "callSession": true,
	"fromCaller": true, "toAssistant": true, "status": true, "debugging-artifact": true, "tasksInitiated": true,
	"userMetadata": true, "transcriptText": true, "summaryText": true, "recordings": true,
	"callLengthSeconds": true, "analysis": true,
}

// strictFields refuses a body whose top level has a key the server does not
// know: anything but "message" for the envelope formats, anything the G1
// documentation does not show for the flat format.
func strictFields(_ context.Context, _ *Server, ev *event, _ http.Header, body []byte) (*reply, bool) {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return nil, false
	}
	for k := range top {
		known := k == "message"
		if ev.Format == formatG1 {
			known = legacyTopKeys[k]
		}
		if !known {
			return errorReply(http.StatusBadRequest, fmt.Sprintf("unknown field %q", k)), false
		}
	}
	return nil, false
}

// requireCallerNumber refuses webhooks that carry no customer number.
func requireCallerNumber(_ context.Context, _ *Server, ev *event, _ http.Header, _ []byte) (*reply, bool) {
	if ev.Caller == "" {
		return errorReply(http.StatusBadRequest, "customer number is required"), false
	}
	return nil, false
}

// smallBodyLimit is the body limit of the small-body-limit mode.
const smallBodyLimit = 100 << 10

// smallBodyLimitHook refuses bodies over 100 KiB.
func smallBodyLimitHook(_ context.Context, _ *Server, _ *event, _ http.Header, body []byte) (*reply, bool) {
	if len(body) > smallBodyLimit {
		return errorReply(http.StatusRequestEntityTooLarge, fmt.Sprintf("request entity too large: limit is %d bytes", smallBodyLimit)), false
	}
	return nil, false
}

// mangleText replaces every non-ASCII character of the report summary with
// a question mark before the report is stored.
func mangleText(_ context.Context, _ *Server, ev *event, _ http.Header, _ []byte) (*reply, bool) {
	if ev.Report != nil {
		ev.Report.Summary = strings.Map(func(r rune) rune {
			if r > 0x7f {
				return '?'
			}
			return r
		}, ev.Report.Summary)
	}
	return nil, false
}

// oneAtATime lets one webhook in at a time; each takes the server's delay,
// and a webhook that arrives meanwhile gets 503.
func oneAtATime(s *Server, next http.Handler) http.Handler {
	var busy atomic.Bool
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !busy.CompareAndSwap(false, true) {
			_, _ = io.Copy(io.Discard, io.LimitReader(r.Body, maxBodyBytes))
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "busy: one webhook at a time"})
			return
		}
		// The reply is sent only after the server is free again, so that a
		// client that sends its next webhook as soon as it has the reply
		// never finds the server busy with the previous one.
		buf := &bufferedWriter{header: http.Header{}}
		abandoned := wait(r.Context(), s.delay)
		if !abandoned {
			next.ServeHTTP(buf, r)
		}
		busy.Store(false)
		if !abandoned {
			buf.writeTo(w)
		}
	})
}
