package simulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/simtest"
	"github.com/stretchr/testify/require"
)

// fakeWall is an injected wall clock: it moves only when the engine sleeps
// and by a small latency per delivery.
type fakeWall struct {
	mu sync.Mutex
	t  time.Time
}

func (w *fakeWall) Now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.t
}

func (w *fakeWall) Sleep(ctx context.Context, d time.Duration) error {
	w.mu.Lock()
	w.t = w.t.Add(d)
	w.mu.Unlock()
	return ctx.Err()
}

// sent is one delivered body and the wall time it was sent at.
type sent struct {
	at   time.Time
	body []byte
}

// wallSender records what is sent and when on the fake wall, then serves it
// in process; each delivery takes 20 ms of wall time.
type wallSender struct {
	wall *fakeWall
	next sim.Sender
	log  []sent
}

func (s *wallSender) Send(ctx context.Context, req sim.Request) sim.Response {
	s.log = append(s.log, sent{s.wall.Now(), append([]byte(nil), req.Body...)})
	_ = s.wall.Sleep(ctx, 20*time.Millisecond)
	return s.next.Send(ctx, req)
}

// eventKeys hold an event's or a message's timestamp in some dialect.
var eventKeys = map[string]bool{"timestamp": true, "eventTimestamp": true, "eventTime": true}

// stamps are the timestamps of a payload: the event's own (top level or
// under "message"), started/ended, and those of the transcript's messages.
type stamps struct {
	event, started, ended time.Time
	messages              []time.Time
	duration              time.Duration // duration_seconds and its spellings (-1: none)
}

func parseStamp(t *testing.T, raw json.RawMessage) time.Time {
	t.Helper()
	var s string
	if json.Unmarshal(raw, &s) == nil {
		v, err := time.Parse(time.RFC3339Nano, s)
		require.NoError(t, err, "timestamp %s", raw)
		return v
	}
	var ms int64
	require.NoError(t, json.Unmarshal(raw, &ms), "timestamp %s", raw)
	return time.UnixMilli(ms).UTC()
}

// collect walks a payload for its timestamps.
func collect(t *testing.T, raw json.RawMessage, in string, st *stamps) {
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for k, v := range obj {
			switch {
			case eventKeys[k] && (in == "" || in == "message"):
				st.event = parseStamp(t, v)
			case eventKeys[k] || k == "time" && in == "messages":
				if string(v) != "null" {
					st.messages = append(st.messages, parseStamp(t, v))
				}
			case k == "started_at" || k == "startedAt" || k == "startAt" && in != "messages":
				st.started = parseStamp(t, v)
			case k == "ended_at" || k == "endedAt" || k == "endAt" && in != "messages":
				st.ended = parseStamp(t, v)
			case k == "duration_seconds" || k == "durationSeconds" || k == "assistantCallDuration":
				var f float64
				require.NoError(t, json.Unmarshal(v, &f))
				st.duration = time.Duration(f * float64(time.Second))
				if k == "assistantCallDuration" {
					st.duration = time.Duration(f) * time.Millisecond
				}
			case k == "arguments" || k == "function" || k == "toolCallList" || k == "tool_call_list":
				// tool arguments hold the caller's dates: not timestamps
			default:
				sub := k
				if in == "messages" {
					sub = "messages"
				}
				collect(t, v, sub, st)
			}
		}
		return
	}
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) == nil {
		for _, v := range arr {
			collect(t, v, in, st)
		}
	}
}

// TestTimestampsNeverAhead plays many seeded calls in every dialect at every
// pace, with the clock now and with a fixed clock, and asserts that no
// payload is dated after the moment it was sent, that a fixed clock (the
// past: its timeline is fictional) is never waited for at instant pace, that
// event timestamps are monotone within a call and that the transcript lies
// inside [started, ended].
func TestTimestampsNeverAhead(t *testing.T) {
	wall0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	fixed := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	paces := []float64{0, 0.5, 1, 2, 10}
	calls := 12
	if testing.Short() {
		calls = 3
	}
	for _, name := range dialect.Names() {
		d, err := dialect.ByName(name)
		require.NoError(t, err)
		for _, pace := range paces {
			for _, fixedClock := range []bool{false, true} {
				t.Run(fmt.Sprintf("%s/pace=%v/fixed=%v", name, pace, fixedClock), func(t *testing.T) {
					for n := 1; n <= calls; n++ {
						playAndCheck(t, d, pace, n, wall0, fixed, fixedClock)
					}
				})
			}
		}
	}
}

func playAndCheck(t *testing.T, d sim.Dialect, pace float64, n int, wall0, fixed time.Time, fixedClock bool) {
	t.Helper()
	wall := &fakeWall{t: wall0}
	srv, err := integrator.New(integrator.Options{Now: wall.Now})
	require.NoError(t, err)
	snd := &wallSender{wall: wall, next: &simtest.Sender{Handler: srv}}
	f, err := fake.New(int64(40 + n))
	require.NoError(t, err)
	clock := wall.Now
	if fixedClock {
		clock = func() time.Time { return fixed }
	}
	f = f.WithClock(clock)
	var waited time.Duration
	sleep := func(ctx context.Context, d time.Duration) error {
		waited += d
		return wall.Sleep(ctx, d)
	}
	e := &sim.Engine{Dialect: d, Sender: snd, Target: "http://127.0.0.1/webhook", Deadlines: sim.DefaultDeadlines(),
		Pace: pace, Sleep: sleep, Now: wall.Now}
	p, g := f.Call(n, fake.Options{ErrorRate: -1})
	if n%4 == 0 {
		// A call that runs longer than its plan estimated (a server's long
		// first message, live control) is paced so that it is never ahead.
		p.Length = 2 * time.Second
	}
	wall.t = wall.t.Add(time.Duration(n) * 3 * time.Millisecond) // the call starts a moment after it was planned
	res, err := e.Play(context.Background(), p, g, sim.CallOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, snd.log)
	var prev time.Time
	stamped := 0
	for i, s := range snd.log {
		st := stamps{duration: -1}
		collect(t, s.body, "", &st)
		ctx := fmt.Sprintf("call %d (%s) send %d: %.300s", n, p.Intent, i, s.body)
		if st.event.IsZero() { // a legacy assistant-request carries none
			continue
		}
		stamped++
		limit := s.at // a fixed clock in the past is behind it anyway
		require.False(t, st.event.After(limit), "event dated %v, after the moment it was sent %v: %s", st.event, limit, ctx)
		require.False(t, st.event.Before(prev), "event dated %v before the previous event %v: %s", st.event, prev, ctx)
		prev = st.event
		if !st.started.IsZero() && !st.ended.IsZero() {
			require.False(t, st.ended.Before(st.started), ctx)
			require.False(t, st.ended.After(st.event), "ended after the event: %s", ctx)
			if st.duration >= 0 {
				d := st.ended.Sub(st.started)
				require.InDelta(t, d.Seconds(), st.duration.Seconds(), 1, "duration %v, timestamps say %v: %s", st.duration, d, ctx)
			}
			for _, m := range st.messages {
				require.False(t, m.Before(st.started) || m.After(st.ended), "message at %v outside [%v, %v]: %s", m, st.started, st.ended, ctx)
			}
		}
		for _, m := range st.messages {
			require.False(t, m.After(st.event), "message at %v after the event: %s", m, ctx)
		}
	}
	require.NotZero(t, stamped, "no payload of the call carries a timestamp")
	if fixedClock && pace == 0 {
		require.Zero(t, waited, "call %d: instant play on a fixed clock waited for the wall clock", n)
	}
	if r := res.Report; r != nil {
		for _, m := range r.Messages {
			require.False(t, m.At.Before(r.Started) || m.At.After(r.Ended), "message %q at %v outside the call", m.Content, m.At)
		}
	}
}

// TestFixedClockByteIdentical: with a fixed clock, the same seed plays the
// same payloads byte for byte in every dialect, whenever it is played;
// without one, the payloads are dated now.
func TestFixedClockByteIdentical(t *testing.T) {
	fixed := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	play := func(t *testing.T, d sim.Dialect, n int, clock func() time.Time, wall0 time.Time) [][]byte {
		wall := &fakeWall{t: wall0}
		srv, err := integrator.New(integrator.Options{Now: func() time.Time { return fixed }})
		require.NoError(t, err)
		snd := &wallSender{wall: wall, next: &simtest.Sender{Handler: srv}}
		f, err := fake.New(77)
		require.NoError(t, err)
		e := &sim.Engine{Dialect: d, Sender: snd, Target: "http://127.0.0.1/webhook", Deadlines: sim.DefaultDeadlines(), Sleep: wall.Sleep, Now: wall.Now}
		p, g := f.WithClock(clock).Call(n, fake.Options{ErrorRate: -1})
		_, err = e.Play(context.Background(), p, g, sim.CallOptions{})
		require.NoError(t, err)
		var out [][]byte
		for _, s := range snd.log {
			out = append(out, s.body)
		}
		return out
	}
	for _, name := range dialect.Names() {
		d, err := dialect.ByName(name)
		require.NoError(t, err)
		for n := 1; n <= 6; n++ {
			fixedClock := func() time.Time { return fixed }
			a := play(t, d, n, fixedClock, time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
			b := play(t, d, n, fixedClock, time.Date(2027, 2, 1, 17, 0, 0, 0, time.UTC))
			require.Equal(t, len(a), len(b))
			for i := range a {
				require.Equal(t, string(a[i]), string(b[i]), "%s call %d payload %d", name, n, i)
			}
			later := fixed.Add(36 * time.Hour)
			c := play(t, d, n, func() time.Time { return later }, time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))
			require.NotEqual(t, string(a[len(a)-1]), string(c[len(c)-1]), "%s call %d: another clock, other dates", name, n)
		}
	}
}

// TestInstantCallsNeverWait: played instantly, a call that runs longer than
// its plan estimated is never held back: placed now, its clock is squeezed
// at the wall clock (no event dated after it is sent); on a clock ahead of
// or behind the wall it is fiction and plays as planned.
func TestInstantCallsNeverWait(t *testing.T) {
	wall0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name    string
		clock   func(w *fakeWall) func() time.Time
		squeeze bool
	}{
		{"now", func(w *fakeWall) func() time.Time { return w.Now }, true},
		{"ahead", func(*fakeWall) func() time.Time { return func() time.Time { return wall0.AddDate(0, 6, 0) } }, false},
		{"behind", func(*fakeWall) func() time.Time { return func() time.Time { return wall0.AddDate(0, -6, 0) } }, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wall := &fakeWall{t: wall0}
			srv, err := integrator.New(integrator.Options{Now: wall.Now})
			require.NoError(t, err)
			snd := &wallSender{wall: wall, next: &simtest.Sender{Handler: srv}}
			d, err := dialect.ByName("flireo")
			require.NoError(t, err)
			var waited time.Duration
			sleep := func(ctx context.Context, d time.Duration) error {
				waited += d
				return wall.Sleep(ctx, d)
			}
			e := &sim.Engine{Dialect: d, Sender: snd, Target: "http://127.0.0.1/webhook", Deadlines: sim.DefaultDeadlines(), Sleep: sleep, Now: wall.Now}
			f, err := fake.New(5)
			require.NoError(t, err)
			p, g := f.WithClock(tc.clock(wall)).Call(1, fake.Options{ErrorRate: 0, Intent: sim.BookAppointment})
			p.Length = 2 * time.Second // runs longer than estimated
			res, err := e.Play(context.Background(), p, g, sim.CallOptions{})
			require.NoError(t, err)
			require.Zero(t, waited, "an instant call never waits")
			require.NotNil(t, res.Report)
			if tc.squeeze {
				require.False(t, res.Report.Ended.After(wall.Now()), "ended %v, after the wall %v", res.Report.Ended, wall.Now())
			} else {
				require.True(t, res.Report.Ended.Sub(res.Report.Started) > 10*time.Second, "played as planned")
			}
		})
	}
}
