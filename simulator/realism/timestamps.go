package realism

import (
	"fmt"
	"math"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// stamped is one exchange with the times its payload states and when it
// was sent ("now" for that exchange).
type stamped struct {
	x   *sim.Exchange
	t   times
	now time.Time
}

// MaxLead bounds how long before its first request was sent a call's
// timeline may start when the plan states no Length: the engine dates an
// instantly played call so that its timeline ends by the moment it is
// placed, starting up to its plan's length estimate earlier.
const MaxLead = 10 * time.Minute

// CheckTimestamps checks the times the payloads state (spec §1.2.1): every
// time lies in the call's own window, which ends when the request was sent
// (nothing is stamped in its future) and begins no earlier than the call's
// lead before the first request was sent (callLead); event times never go
// back; the call starts before it ends; the stated duration agrees with its
// start and end.
func CheckTimestamps(res *sim.CallResult, o Options) []Violation {
	xs := stampedExchanges(res, o)
	if len(xs) == 0 {
		return nil
	}
	slack := o.slack()
	var out []Violation
	earliest := xs[0].now.Add(-callLead(res, xs) - slack)
	var prev time.Time
	for _, s := range xs {
		for _, b := range s.t.bad {
			out = append(out, Violation{Timestamps, s.x.Seq, fmt.Sprintf("%s: %s is not a time", s.x.Event, b)})
		}
		out = append(out, windowViolations(s, earliest, slack)...)
		if e := s.t.event; !e.IsZero() {
			if !prev.IsZero() && e.Before(prev) {
				out = append(out, Violation{Timestamps, s.x.Seq, fmt.Sprintf("%s stamped %s, before the event before it (%s)", s.x.Event, stamp(e), stamp(prev))})
			}
			prev = e
		}
		out = append(out, linesOrdered(s)...)
	}
	return append(out, lengthViolations(xs, slack)...)
}

// stampedExchanges are the call's exchanges that were sent, each with its
// "now": the wall clock when sent, or the fixed clock shifted alike.
func stampedExchanges(res *sim.CallResult, o Options) []stamped {
	var out []stamped
	var sent0 time.Time
	for _, x := range played(res) {
		sent := x.Response.SentAt
		if sent.IsZero() || len(x.Request.Body) == 0 {
			continue
		}
		if sent0.IsZero() {
			sent0 = sent
		}
		now := sent
		if !o.Clock.IsZero() {
			now = o.Clock.Add(sent.Sub(sent0))
		}
		out = append(out, stamped{x: x, t: readTimes(x.Request.Body), now: now})
	}
	return out
}

// callLead is how long before its first request was sent the call's
// timeline may start: the plan's length estimate (an instantly played call
// ends by the moment it is placed, at pace N it starts Length·(1−1/N)
// earlier, in real time then), or MaxLead when the plan states none, and
// never less than the call's own length.
func callLead(res *sim.CallResult, xs []stamped) time.Duration {
	lead := MaxLead
	if res.Plan != nil && res.Plan.Length > 0 {
		lead = res.Plan.Length
	}
	return max(lead, callLength(xs))
}

// callLength is the call's own length: from its first to its last event on
// the call's timeline as the simulator played it (Exchange.At), whatever the
// payloads state.
func callLength(xs []stamped) time.Duration {
	first, last := xs[0].x.At, xs[0].x.At
	for _, s := range xs {
		if s.x.At.Before(first) {
			first = s.x.At
		}
		if s.x.At.After(last) {
			last = s.x.At
		}
	}
	return last.Sub(first)
}

// windowViolations reports the times of one payload outside the window:
// after the request was sent or before the call's earliest possible start.
func windowViolations(s stamped, earliest time.Time, slack time.Duration) []Violation {
	latest := s.now.Add(slack)
	var out []Violation
	named := []struct {
		name string
		v    time.Time
	}{{"timestamp", s.t.event}, {"started_at", s.t.started}, {"ended_at", s.t.ended}}
	for i, v := range s.t.lines {
		named = append(named, struct {
			name string
			v    time.Time
		}{fmt.Sprintf("messages[%d]", i), v})
	}
	for _, n := range named {
		switch {
		case n.v.IsZero():
		case n.v.After(latest):
			out = append(out, Violation{Timestamps, s.x.Seq, fmt.Sprintf("%s %s %s is %s after the request was sent (%s)", s.x.Event, n.name, stamp(n.v), n.v.Sub(s.now).Round(time.Millisecond), stamp(s.now))})
		case n.v.Before(earliest):
			out = append(out, Violation{Timestamps, s.x.Seq, fmt.Sprintf("%s %s %s lies %s before the call could have started (%s, its lead before the first request was sent)", s.x.Event, n.name, stamp(n.v), earliest.Sub(n.v).Round(time.Second), stamp(earliest))})
		}
	}
	return out
}

// linesOrdered reports transcript line times that go back.
func linesOrdered(s stamped) []Violation {
	for i := 1; i < len(s.t.lines); i++ {
		if s.t.lines[i].Before(s.t.lines[i-1]) {
			return []Violation{{Timestamps, s.x.Seq, fmt.Sprintf("%s messages[%d] %s is before messages[%d] %s", s.x.Event, i, stamp(s.t.lines[i]), i-1, stamp(s.t.lines[i-1]))}}
		}
	}
	return nil
}

// lengthViolations checks start ≤ end and the stated duration. Start and
// end are the report's own fields, or else (G1) the times of the
// in-progress and the ending status-updates.
func lengthViolations(xs []stamped, slack time.Duration) []Violation {
	started, ended := statusTimes(xs)
	var out []Violation
	for _, s := range xs {
		if s.t.started.IsZero() && s.t.ended.IsZero() && !s.t.hasDur {
			continue
		}
		st, en := started, ended
		if !s.t.started.IsZero() {
			st = s.t.started
		}
		if !s.t.ended.IsZero() {
			en = s.t.ended
		}
		if v, bad := lengthViolation(s, st, en, slack); bad {
			out = append(out, v)
		}
	}
	return out
}

// statusTimes are the times of the first in-progress and the first ending
// status-update.
func statusTimes(xs []stamped) (started, ended time.Time) {
	for _, s := range xs {
		if s.x.Event != sim.StatusUpdate {
			continue
		}
		switch s.x.Status {
		case sim.StatusInProgress:
			if started.IsZero() {
				started = s.t.event
			}
		case sim.StatusEnded, sim.StatusEndedWithError, sim.StatusTransferred:
			if ended.IsZero() {
				ended = s.t.event
			}
		}
	}
	return started, ended
}

func lengthViolation(s stamped, st, en time.Time, slack time.Duration) (Violation, bool) {
	if st.IsZero() || en.IsZero() {
		return Violation{}, false
	}
	if en.Before(st) {
		return Violation{Timestamps, s.x.Seq, fmt.Sprintf("%s: the call ends (%s) before it starts (%s)", s.x.Event, stamp(en), stamp(st))}, true
	}
	tol := max(slack, time.Second)
	if d := en.Sub(st).Seconds(); s.t.hasDur && math.Abs(d-s.t.duration) > tol.Seconds() {
		return Violation{Timestamps, s.x.Seq, fmt.Sprintf("%s: duration %gs, but the call ran %.3fs from %s to %s", s.x.Event, s.t.duration, d, stamp(st), stamp(en))}, true
	}
	return Violation{}, false
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
