package scenarios

import (
	"context"
	"errors"
	"slices"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// stoppedSkip is the skip reason of a scenario the end of the run cut short.
const stoppedSkip = "not finished: the run was stopped"

// cancelSlack is how long before the stop a failed delivery may have ended
// and still count as cut short by it.
const cancelSlack = 50 * time.Millisecond

// startRun sets up a run: its compact lines (nil for none) and a note of
// when its context ends. Call the returned function when the run is over.
func (l *Library) startRun(ctx context.Context, lines *linePrinter) func() {
	l.mu.Lock()
	l.runCtx, l.stopped, l.lines = ctx, time.Time{}, lines
	l.mu.Unlock()
	stop := context.AfterFunc(ctx, func() {
		l.mu.Lock()
		if l.stopped.IsZero() {
			l.stopped = time.Now()
		}
		l.mu.Unlock()
	})
	return func() {
		stop()
		l.mu.Lock()
		l.runCtx, l.lines = nil, nil
		l.mu.Unlock()
	}
}

// stopRecord reports a scenario that the end of the run cut short as not
// finished rather than failed, and leaves out the deliveries the stop
// cancelled: they say nothing about the server. Called with l.mu held.
func (l *Library) stopRecord(r *record) {
	if l.stopped.IsZero() && l.runCtx != nil && l.runCtx.Err() != nil {
		l.stopped = time.Now()
	}
	if l.stopped.IsZero() {
		return
	}
	cut := func(x *sim.Exchange) bool { return cancelledBy(x, l.stopped) }
	n := len(r.exchanges)
	r.exchanges = slices.DeleteFunc(r.exchanges, cut)
	r.findings = slices.DeleteFunc(r.findings, func(f finding) bool { return f.x != nil && cut(f.x) })
	if r.Status == StatusFail && (r.stopErr || len(r.exchanges) < n) {
		r.Status, r.Skip, r.Error, r.Attributed = StatusSkip, stoppedSkip, "", false
	}
}

// cancelledBy reports whether a delivery failed because the run stopped.
func cancelledBy(x *sim.Exchange, stopped time.Time) bool {
	resp := &x.Response
	if resp.Failure == nil || resp.Status != 0 {
		return false
	}
	if resp.SentAt.IsZero() {
		return true
	}
	return !resp.SentAt.Add(resp.Latency).Before(stopped.Add(-cancelSlack))
}

// isStop reports whether err is the run's context ending.
func isStop(err error) bool {
	return errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded)
}
