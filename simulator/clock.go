package simulator

import (
	"context"
	"strings"
	"time"
)

// pace waits until the wall clock catches up with the call's timeline.
func (c *call) pace(ctx context.Context) error {
	if c.e.Pace <= 0 {
		return ctx.Err()
	}
	due := c.wall.Add(time.Duration(float64(c.now.Sub(c.plan.Start)) / c.e.Pace))
	wait := time.Until(due)
	if wait <= 0 {
		return ctx.Err()
	}
	if c.e.Sleep != nil {
		return c.e.Sleep(ctx, wait)
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// advance moves the call's clock.
func (c *call) advance(d time.Duration) {
	if d > 0 {
		c.now = c.now.Add(d)
	}
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
