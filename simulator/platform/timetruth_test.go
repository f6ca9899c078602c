package platform

import (
	"context"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// stepper holds every paced wait of the calls until the test releases it,
// so that the test looks at a call between each two steps of its play.
type stepper struct {
	waiting chan struct{}
	next    chan struct{}
	stop    chan struct{}
	once    sync.Once
}

func newStepper() *stepper {
	return &stepper{waiting: make(chan struct{}), next: make(chan struct{}), stop: make(chan struct{})}
}

func (s *stepper) sleep(ctx context.Context, _ time.Duration) error {
	select {
	case s.waiting <- struct{}{}:
	case <-s.stop:
		return nil
	case <-ctx.Done():
		return nil
	}
	select {
	case <-s.next:
	case <-s.stop:
	case <-ctx.Done():
	}
	return nil
}

func (s *stepper) close() { s.once.Do(func() { close(s.stop) }) }

// stepped is a platform whose calls are paced by a stepper.
func stepped(t *testing.T, now func() time.Time) (*env, *stepper) {
	s := newStepper()
	e := setup(t, func(o *Options) {
		o.Sim.Pace = 1
		o.Sleep = s.sleep
		o.RequestsPerMinute = 100000
		o.Now = now
	})
	t.Cleanup(s.close)
	return e, s
}

// fakeWall is a wall clock the test moves.
type fakeWall struct {
	mu sync.Mutex
	t  time.Time
}

func (w *fakeWall) now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.t
}

func (w *fakeWall) add(d time.Duration) {
	w.mu.Lock()
	w.t = w.t.Add(d)
	w.mu.Unlock()
}

// snapshot is what the API showed of a call at one moment.
type snapshot struct {
	status    string
	started   string
	ended     string
	reason    string
	secs      int64
	messages  int
	summary   bool
	updatedAt string
}

func snap(c *callState) snapshot {
	o := c.object()
	s := snapshot{status: o.Status, secs: o.DurationSeconds, messages: len(o.Messages), summary: o.Summary != nil, updatedAt: o.UpdatedAt}
	if o.StartedAt != nil {
		s.started = *o.StartedAt
	}
	if o.EndedAt != nil {
		s.ended = *o.EndedAt
	}
	if o.EndReason != nil {
		s.reason = *o.EndReason
	}
	return s
}

// statusRank orders the statuses of a call's life.
func statusRank(s string) int {
	switch s {
	case statusRinging, statusDialing:
		return 0
	case statusInProgress:
		return 1
	}
	return 2
}

// truths checks what every two successive looks at a call must agree on:
// statuses only move forward, started_at is set once, the duration never
// goes back, and an ended call is complete in the same look.
type truths struct {
	t    *testing.T
	mu   sync.Mutex
	last *snapshot
	seen []string // statuses in order, without repeats
}

// look takes a snapshot of the call and checks it against the one before;
// looks are serialised, so they are checked in the order they were taken.
func (tr *truths) look(c *callState) snapshot {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	s := snap(c)
	tr.check(s)
	return s
}

func (tr *truths) check(s snapshot) {
	t := tr.t
	if len(tr.seen) == 0 || tr.seen[len(tr.seen)-1] != s.status {
		tr.seen = append(tr.seen, s.status)
	}
	if statusRank(s.status) == 2 {
		assert.NotEmpty(t, s.reason, "an ended call has its end reason: %+v", s)
		assert.NotEmpty(t, s.ended, "an ended call has ended_at: %+v", s)
		if s.started != "" {
			assert.Positive(t, s.messages, "an ended call has its messages: %+v", s)
			assert.True(t, s.summary, "an ended call has its summary: %+v", s)
		}
	} else {
		assert.Empty(t, s.ended, "a live call has no ended_at: %+v", s)
		assert.Empty(t, s.reason, "a live call has no end reason: %+v", s)
	}
	if statusRank(s.status) == 0 {
		assert.Empty(t, s.started, "a call not yet answered has no started_at: %+v", s)
		assert.Zero(t, s.secs)
	}
	if p := tr.last; p != nil {
		assert.GreaterOrEqual(t, statusRank(s.status), statusRank(p.status), "status went back: %s after %s", s.status, p.status)
		if p.started != "" {
			assert.Equal(t, p.started, s.started, "started_at was rewritten")
		}
		assert.GreaterOrEqual(t, s.secs, p.secs, "duration_seconds went back: %d after %d (%s after %s)", s.secs, p.secs, s.status, p.status)
	}
	tr.last = &s
}

// watch looks at the call as fast as it can until it is over, checking
// every look; it returns when the call is done.
func (tr *truths) watch(c *callState) func() {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			tr.look(c)
			select {
			case <-stop:
				return
			default:
				runtime.Gosched()
			}
		}
	}()
	return func() { close(stop); wg.Wait() }
}

func TestCallTimeTruths(t *testing.T) {
	cases := []struct {
		name    string
		start   func(e *env) string
		first   string // status before the answer
		command map[string]any
		reason  string // "" = the plan's
		// slow: the wall clock runs 20 s ahead at every step, as when the
		// webhook server answers slowly (the call's own clock does not wait).
		slow bool
	}{
		{name: "inbound", first: statusRinging, start: func(e *env) string {
			return e.inbound(map[string]any{"intent": "book-appointment", "seed": 3, "call": 2, "lang": "en"})
		}},
		{name: "outbound", first: statusDialing, start: func(e *env) string {
			r := e.do(http.MethodPost, "/api/v1/calls/outbound", map[string]any{"destination": "+31612345678",
				"assistant": map[string]any{"name": "Reminders", "first_message": "Goedendag."}, "simulate": map[string]any{"seed": 3, "call": 4}})
			require.Equal(e.t, http.StatusCreated, r.status, string(r.raw))
			return r.body["call_id"].(string)
		}},
		{name: "slow webhooks", first: statusRinging, slow: true, start: func(e *env) string {
			return e.inbound(map[string]any{"intent": "book-appointment", "seed": 3, "call": 2, "lang": "en"})
		}},
		{name: "transfer", first: statusRinging, reason: sim.EndTransferred,
			command: map[string]any{"type": "transfer", "destination": "+31201234567", "message": "I'm transferring you."},
			start: func(e *env) string {
				return e.inbound(map[string]any{"intent": "callback", "seed": 5, "call": 1, "lang": "en"})
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			wall := &fakeWall{t: time.Now()}
			e, st := stepped(t, wall.now)
			id := tc.start(e)
			e.p.mu.Lock()
			c := e.p.calls[id]
			e.p.mu.Unlock()
			tr := &truths{t: t}
			stopWatch := tr.watch(c)

			steps, sent := 0, false
			for done := false; !done; {
				select {
				case <-st.waiting:
				case <-c.done:
					done = true
					continue
				case <-time.After(20 * time.Second):
					t.Fatalf("call %s made no step within 20 s", id)
				}
				steps++
				s := tr.look(c)
				if steps == 1 {
					// Held at the ring: not answered yet, so not controllable.
					require.Equal(t, tc.first, s.status)
					r := e.control(id, map[string]any{"type": "say", "content": "Too early."})
					require.Equal(t, http.StatusBadRequest, r.status, string(r.raw))
					er := r.body["error"].(map[string]any)
					assert.Equal(t, errCallNotActive, er["code"])
					assert.Equal(t, "invalid_request_error", er["type"])
					assert.Contains(t, er["message"], "Invalid command or call not active: the call is "+tc.first)
				}
				if steps > 1 {
					require.NotEqual(t, tc.first, s.status, "answered after the ring")
				}
				if tc.command != nil && !sent && s.status == statusInProgress && steps >= 3 {
					r := e.control(id, tc.command)
					require.Equal(t, http.StatusOK, r.status, string(r.raw))
					sent = true
				}
				if tc.slow {
					wall.add(20 * time.Second)
				}
				st.next <- struct{}{}
			}
			stopWatch()
			final := tr.look(c)
			assert.Equal(t, []string{tc.first, statusInProgress, statusEnded}, tr.seen)
			assert.Greater(t, steps, 2)

			ups := e.statusUpdates(id)
			rep := e.report(id)
			require.NotEmpty(t, ups)
			assert.Equal(t, rep.EndReason, final.reason, "REST and end-of-call-report agree on the end reason")
			assert.Equal(t, [2]string{final.status, final.reason}, ups[len(ups)-1], "REST and the final status-update agree")
			assert.Equal(t, final.status, rep.Call.Status, "REST and end-of-call-report agree on the status")
			if tc.reason != "" {
				assert.Equal(t, tc.reason, final.reason)
			}
			assert.Positive(t, final.secs)
		})
	}
}
