package load

import (
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// CallLength is how long call number n, with its intent ("" = drawn from the
// seed), lasts on its own timeline: at pace 1, from the first ring to the
// end-of-call-report.
type CallLength func(n int, intent sim.Intent) time.Duration

// ReplyAllowance is added to the grace a run needs: the wall time a call
// spends beyond its paced timeline (replies that take longer than the pause
// after them, the last reply, the server's own first and last messages).
const ReplyAllowance = 15 * time.Second

// Bounds of the search for the call that ends last.
const (
	// longestCall is longer than any call the built-in plans make (the
	// longest of 200 000 drawn calls lasts under 4 minutes): calls that
	// start earlier than this before the end of the schedule end in it.
	longestCall = 10 * time.Minute
	// maxLengths is how many calls, the last of the schedule first, are
	// drawn at most (about 10 µs each).
	maxLengths = 20000
)

// GraceNeeded is how long after the end of the schedule the call of the
// run that ends last still plays at pace (1 = real time, N = N times
// faster), its replies aside. It draws the length of each call that starts
// within the length of the longest possible call of the end, the last one
// first (at most 20 000 calls). With pace 0 (instant) calls last as long
// as their replies take, and the figure is 0.
func GraceNeeded(cfg Config, pace float64, length CallLength) time.Duration {
	if pace <= 0 || length == nil {
		return 0
	}
	cfg = cfg.withDefaults()
	end := cfg.Schedule.Duration
	window := time.Duration(float64(longestCall) / pace)
	var need time.Duration
	drawn := 0
	for k := cfg.Schedule.Expected() - 1; k >= 0 && drawn < maxLengths; k-- {
		if !cfg.Shard.Owns(k) {
			continue
		}
		at, ok := cfg.Schedule.At(k)
		if !ok {
			continue
		}
		if end-at > window {
			break
		}
		n := k + 1
		wall := time.Duration(float64(length(n, cfg.Mix.Pick(cfg.Seed, n))) / pace)
		need = max(need, at+wall-end)
		drawn++
	}
	return (need + time.Second - 1).Truncate(time.Second)
}

// AutoGrace is the grace period of a run whose last call needs need after
// the end of the schedule at pace: need plus ReplyAllowance, or
// DefaultGrace at pace 0 (instant).
func AutoGrace(need time.Duration, pace float64) time.Duration {
	if pace <= 0 {
		return DefaultGrace
	}
	return need + ReplyAllowance
}

// PlanLength is how long a planned call lasts on its own timeline: the
// ring, the answer, every turn (silence, the caller's line, the assistant's
// thinking and answer), the caller's goodbye and the platform's time to
// report. The server's own first and end-call messages are not in the plan
// (ReplyAllowance covers them).
func PlanLength(p *sim.CallPlan) time.Duration {
	d := p.Ring + time.Second
	for _, t := range p.Turns {
		d += t.Gap + t.Speak + t.Think + t.Talk
	}
	if p.Goodbye != "" {
		d += 700*time.Millisecond + time.Duration(len(strings.Fields(p.Goodbye)))*400*time.Millisecond
	}
	msgs := 2*len(p.Turns) + 2
	return d + time.Duration(1500+40*msgs)*time.Millisecond
}
