package simulator

import (
	"context"
	"strings"
	"time"
)

// now is the wall clock.
func (e *Engine) now() time.Time {
	if e.Now != nil {
		return e.Now()
	}
	return time.Now()
}

// Lead is how far before its anchor (the clock when it was placed) a call
// of virtual length d starts at pace p, so that its timeline never runs
// ahead of the clock: instantly played (p <= 0) the call ended when it was
// placed (lead d); in real time (p = 1) it starts then (lead 0); N times
// faster it starts d·(1 - 1/N) earlier, so that virtual time catches up
// with the clock only at its planned end.
func Lead(d time.Duration, p float64) time.Duration {
	switch {
	case d <= 0 || p == 1:
		return 0
	case p <= 0:
		return d
	case p < 1:
		return 0
	}
	return time.Duration(float64(d) * (1 - 1/p))
}

// anchor sets the plan's start for the engine's pace: Anchor - Lead. A plan
// without an anchor keeps its start.
func (c *call) anchor() {
	p := c.plan
	if p.Anchor.IsZero() {
		return
	}
	// A fixed clock (--clock) is replayable fiction, and a clock ahead of the
	// wall is fictional too: nothing to keep behind.
	c.lead, c.anchored = Lead(p.Length, c.e.Pace), !c.e.FixedClock && !p.Anchor.After(c.wall)
	c.squeeze = c.anchored && c.e.Pace <= 0
	p.Start = p.Anchor.Add(-c.lead)
}

// pace waits until the wall clock catches up with the call's timeline: at
// pace N, virtual time t after the start is due t/N after the wall start.
// A paced call on the real clock never sends an event dated t after its
// start before the wall clock reaches it: t - lead - behind after the wall
// start, where behind is how long before the wall start the call was placed.
// That is the catch-up wait, a last resort for a call that runs longer than
// its plan's Length estimated. A call played instantly on the real clock
// never waits: its clock is squeezed instead (advance). A fixed clock
// (Engine.FixedClock) or one ahead of the wall is never waited for.
func (c *call) pace(ctx context.Context) error {
	t := c.now.Sub(c.plan.Start)
	var at time.Duration
	if c.e.Pace > 0 {
		at = time.Duration(float64(t) / c.e.Pace)
	}
	if c.anchored && !c.squeeze {
		at = max(at, t-c.lead-c.wall.Sub(c.plan.Anchor))
	}
	if at <= 0 {
		return ctx.Err()
	}
	wait := c.wall.Add(at).Sub(c.e.now())
	if wait <= 0 {
		return ctx.Err()
	}
	if c.e.Sleep != nil {
		return c.e.Sleep(ctx, wait)
	}
	t0 := time.NewTimer(wait)
	defer t0.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t0.C:
		return nil
	}
}

// ReportDelay is how long the platform takes to summarise and analyse a
// call of n transcript messages before it sends the end-of-call-report.
func ReportDelay(n int) time.Duration {
	return time.Duration(1500+40*n) * time.Millisecond
}

// advance moves the call's clock. A call played instantly on the real
// clock whose conversation ran longer than its plan estimated (long
// follow-ups, many control commands) is squeezed: its clock stops at the
// wall clock, so no event is dated after it is sent, and it never waits.
func (c *call) advance(d time.Duration) {
	if d <= 0 {
		return
	}
	c.now = c.now.Add(d)
	if c.squeeze {
		if limit := c.e.now(); c.now.After(limit) {
			c.now = later(limit, c.now.Add(-d))
		}
	}
}

// later is the later of two times.
func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// say adds a transcript message at the current time and moves the clock by
// the time it takes to say it (took, or estimated from the words).
func (c *call) say(role Role, text string, took time.Duration) {
	if took <= 0 {
		took = speakingTime(text)
	}
	c.msgs = append(c.msgs, Message{Role: role, Content: text, At: c.now, Took: took})
	c.advance(took)
}

// speakingTime estimates how long saying text takes (about 2.5 words a second).
func speakingTime(text string) time.Duration {
	words := len(strings.Fields(text))
	if words == 0 {
		return 0
	}
	return time.Duration(words) * 400 * time.Millisecond
}

// MaxRepairs is how many repair exchanges may follow one turn, for the
// plan's length estimate.
const MaxRepairs = maxRepairs

// SpeakingTime estimates how long saying text takes, as the engine counts
// it for a line it is given without a duration.
func SpeakingTime(text string) time.Duration { return speakingTime(text) }
