package integrator

import (
	"container/list"
	"encoding/json"
	"maps"
	"slices"
	"sync"
)

// CallRecord is what the server saw of one call: the body of GET /calls/{id}.
type CallRecord struct {
	CallID string `json:"call_id"`
	// Format of the call's first event: g1, g2, g3 or interactly.
	Format string `json:"format"`
	// Events counts the deliveries received and accepted, per event type.
	Events map[string]int `json:"events"`
	// Statuses are the status-update statuses in arrival order, as sent.
	Statuses []string `json:"statuses"`
	// ToolCalls counts the distinct tool call ids answered.
	ToolCalls int `json:"tool_calls"`
	// Reports counts the distinct reports stored: reports are idempotent by
	// call id, so a redelivered report leaves it at 1.
	Reports int `json:"reports"`
	// Report is the first end-of-call-report stored; nil before one arrives.
	Report *Report `json:"report"`
	// Metadata is the metadata the platform echoed in the call's events
	// (assistant.metadata, legacy userMetadata, Interactly call.metadata).
	Metadata map[string]json.RawMessage `json:"metadata"`
}

// Report is the stored content of an end-of-call-report.
type Report struct {
	Summary         string          `json:"summary"`
	DurationSeconds float64         `json:"duration_seconds"`
	EndReason       string          `json:"end_reason"`
	Analysis        json.RawMessage `json:"analysis"`
	Messages        int             `json:"messages"` // transcript messages (legacy: transcript lines)
}

func (r CallRecord) clone() CallRecord {
	r.Events = maps.Clone(r.Events)
	r.Statuses = slices.Clone(r.Statuses)
	r.Metadata = maps.Clone(r.Metadata)
	if r.Report != nil {
		rep := *r.Report
		r.Report = &rep
	}
	return r
}

type callState struct {
	rec     CallRecord
	toolIDs map[string]struct{}
}

// store keeps the latest limit calls in memory; the oldest call is evicted
// first. Legacy assistant-requests, which carry no call id, wait under the
// caller's number and are counted for the next new legacy call from that
// number.
type store struct {
	mu      sync.Mutex
	limit   int
	calls   map[string]*callState
	order   *list.List // call ids, oldest first
	pending map[string]int
}

func newStore(limit int) *store {
	return &store{limit: limit, calls: make(map[string]*callState), order: list.New(), pending: make(map[string]int)}
}

// record applies an accepted event to its call's record.
func (s *store) record(ev *event, toolIDs []string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ev.CallID == "" {
		if ev.Format == formatG1 && ev.Type == eventAssistantRequest && ev.Caller != "" {
			s.addPending(ev.Caller)
		}
		return
	}
	c := s.calls[ev.CallID]
	if c == nil {
		c = s.create(ev)
	}
	r := &c.rec
	r.Events[ev.Type]++
	switch ev.Type {
	case eventStatusUpdate:
		if ev.Status != "" {
			r.Statuses = append(r.Statuses, ev.Status)
		}
	case eventToolCalls:
		for _, id := range toolIDs {
			if id != "" {
				c.toolIDs[id] = struct{}{}
			}
		}
		r.ToolCalls = len(c.toolIDs)
	case eventEndOfCallReport:
		if r.Report == nil && ev.Report != nil {
			rep := *ev.Report
			r.Report = &rep
			r.Reports = 1
		}
	}
	for k, v := range ev.Metadata {
		r.Metadata[k] = v
	}
}

func (s *store) create(ev *event) *callState {
	c := &callState{
		rec: CallRecord{
			CallID: ev.CallID,
			Format: string(ev.Format),
			Events: map[string]int{
				eventAssistantRequest: 0, eventToolCalls: 0, eventStatusUpdate: 0, eventEndOfCallReport: 0,
			},
			Statuses: []string{},
			Metadata: map[string]json.RawMessage{},
		},
		toolIDs: make(map[string]struct{}),
	}
	if ev.Format == formatG1 && ev.Caller != "" {
		if n := s.pending[ev.Caller]; n > 0 {
			c.rec.Events[eventAssistantRequest] += n
			delete(s.pending, ev.Caller)
		}
	}
	s.order.PushBack(ev.CallID)
	s.calls[ev.CallID] = c
	for s.order.Len() > s.limit {
		oldest := s.order.Front()
		s.order.Remove(oldest)
		delete(s.calls, oldest.Value.(string))
	}
	return c
}

func (s *store) addPending(caller string) {
	if _, ok := s.pending[caller]; !ok && len(s.pending) >= s.limit {
		for k := range s.pending { // drop any one waiting entry
			delete(s.pending, k)
			break
		}
	}
	s.pending[caller]++
}

func (s *store) get(id string) (CallRecord, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.calls[id]
	if !ok {
		return CallRecord{}, false
	}
	return c.rec.clone(), true
}

// recent returns up to n records, the most recently started call first.
func (s *store) recent(n int) []CallRecord {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]CallRecord, 0, min(n, s.order.Len()))
	for e := s.order.Back(); e != nil && len(out) < n; e = e.Prev() {
		out = append(out, s.calls[e.Value.(string)].rec.clone())
	}
	return out
}
