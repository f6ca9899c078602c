package load

import (
	"fmt"
	"maps"
	"slices"
	"time"
)

// startCollector starts the collector: every tick it folds the counters
// into the totals, checks the thresholds for an abort and reports progress.
// The returned function stops it and waits until it has.
func (r *Runner) startCollector(begin time.Time, st *runState) (stop func()) {
	stopTick := make(chan struct{})
	tickDone := make(chan struct{})
	go func() {
		defer close(tickDone)
		t := time.NewTicker(r.cfg.Tick)
		defer t.Stop()
		rate := eventRate{at: begin}
		for {
			select {
			case <-stopTick:
				return
			case now := <-t.C:
				r.tick(begin, now, st, &rate)
			}
		}
	}()
	return func() {
		close(stopTick)
		<-tickDone
	}
}

// tick is one round of the collector.
func (r *Runner) tick(begin, now time.Time, st *runState, rate *eventRate) {
	r.collect(now.Sub(begin))
	live := r.liveReport(begin, now)
	r.checkAbort(live, st)
	if r.cfg.Progress != nil {
		p := r.progress(live, now.Sub(begin), st.phase.Load().(string))
		p.GraceLeft = st.graceLeft(now)
		p.EventRate = rate.update(p.Events, now)
		r.cfg.Progress(p)
	}
}

// checkAbort aborts the run (once) when AbortOnFail is set and a threshold
// failed for good on the live report.
func (r *Runner) checkAbort(live *Report, st *runState) {
	if !r.cfg.AbortOnFail || len(r.cfg.Thresholds) == 0 {
		return
	}
	if res, bad := breached(r.cfg.Thresholds, live); bad {
		st.abort(fmt.Sprintf("threshold %s failed: %s", res.Expr, res.Detail))
	}
}

// eventRate measures events per second between two ticks.
type eventRate struct {
	events int64
	at     time.Time
}

// update returns the rate since the last update (0 when no time passed).
func (e *eventRate) update(events int64, now time.Time) float64 {
	var rate float64
	if dt := now.Sub(e.at).Seconds(); dt > 0 {
		rate = float64(events-e.events) / dt
	}
	e.events, e.at = events, now
	return rate
}

// collect folds the counters of the last tick into the totals and the
// current time-series point.
func (r *Runner) collect(elapsed time.Duration) {
	idx := int(elapsed / r.cfg.Interval)
	if r.cur != nil && idx != r.curIdx {
		r.flushPoint()
	}
	if r.cur == nil {
		r.cur = &Point{T: (time.Duration(idx) * r.cfg.Interval).Seconds(), Events: map[string]*PointEvent{}}
		r.curIdx = idx
	}
	p := r.cur
	for i, c := range r.ev {
		if c.sawAny.Load() {
			r.foldEvent(r.totals[i], c, p)
		}
	}
	r.lagHist.Merge(r.lag.Snapshot(true))
	r.foldCalls(p)
}

// foldEvent moves one event type's counters into its totals and into the
// point.
func (r *Runner) foldEvent(t *EventStats, c *counters, p *Point) {
	h := c.hist.Snapshot(true)
	late := c.late.Snapshot(true)
	count := c.count.Swap(0)
	errs := c.errors.Swap(0)
	touts := c.timeouts.Swap(0)
	t.Count += count
	t.OK += c.ok.Swap(0)
	t.Errors += errs
	t.Timeouts += touts
	t.DeadlineMisses += c.misses.Swap(0)
	t.BytesSent += c.sent.Swap(0)
	t.BytesReceived += c.recv.Swap(0)
	t.Hist.Merge(h)
	t.Lateness.Merge(late)
	c.classMu.Lock()
	for k, v := range c.classes {
		t.ErrorsByClass[k] += v
	}
	for k, v := range c.checks {
		t.ChecksFailed[k] += v
	}
	clear(c.classes)
	clear(c.checks)
	c.classMu.Unlock()
	pe := p.Events[t.Event]
	if pe == nil {
		pe = &PointEvent{Hist: &Hist{}}
		p.Events[t.Event] = pe
	}
	pe.Count += count
	pe.Errors += errs
	pe.Timeouts += touts
	pe.Hist.Merge(h)
}

// foldCalls adds the calls started, dropped and ended since the last tick
// to the point.
func (r *Runner) foldCalls(p *Point) {
	st, dr := r.started.Load(), r.dropped.Load()
	ended := r.completed.Load() + r.failed.Load() + r.rejected.Load() + r.interrupted.Load()
	fl := r.failed.Load()
	p.Started += st - r.last.started
	p.Dropped += dr - r.last.dropped
	p.Ended += ended - r.last.ended
	p.Failed += fl - r.last.failed
	r.last.started, r.last.dropped, r.last.ended, r.last.failed = st, dr, ended, fl
	p.Live = r.live.Load()
}

func (r *Runner) flushPoint() {
	if r.cur != nil {
		r.points = append(r.points, r.cur)
		r.cur = nil
	}
}

// report builds a report from the totals (a copy: the collector goes on).
func (r *Runner) report(begin, end time.Time) *Report {
	rep := &Report{Run: r.cfg.Info}
	rep.Run.StartedAt = begin.UTC()
	rep.Run.EndedAt = end.UTC()
	rep.Run.ElapsedS = end.Sub(begin).Seconds()
	rep.Run.DurationS = r.cfg.Schedule.Duration.Seconds()
	rep.Run.GraceS = r.cfg.Grace.Seconds()
	rep.Run.Schedule = r.cfg.Schedule.String()
	rep.Run.MaxInFlight = r.cfg.MaxInFlight
	rep.Run.Mix = r.cfg.Mix.String()
	rep.Run.Seed = r.cfg.Seed
	if s := r.cfg.Shard.String(); s != "" {
		rep.Run.Shards = []string{s}
	}
	rep.Run.Thresholds = nil
	for _, t := range r.cfg.Thresholds {
		rep.Run.Thresholds = append(rep.Run.Thresholds, t.Expr)
	}
	rep.Calls = CallStats{
		Scheduled: r.scheduled.Load(), Started: r.started.Load(), Completed: r.completed.Load(),
		Rejected: r.rejected.Load(), Failed: r.failed.Load(), Dropped: r.dropped.Load(),
		Interrupted: r.interrupted.Load(), MaxLive: r.maxLive.Load(),
	}
	// Calls still live in a live report are neither ended nor interrupted.
	checks := map[string]int64{}
	for _, t := range r.totals {
		if t.Count == 0 {
			continue
		}
		e := &EventStats{Event: t.Event}
		e.add(t)
		rep.Events = append(rep.Events, e)
		for k, v := range t.ChecksFailed {
			checks[k] += v
		}
	}
	for _, id := range slices.Sorted(maps.Keys(checks)) {
		sev, _ := r.checkSev.Load(id)
		s, _ := sev.(string)
		rep.Checks = append(rep.Checks, CheckStat{Check: id, Severity: s, Failed: checks[id]})
	}
	rep.StartLag = r.lagHist.Clone()
	r.slowMu.Lock()
	rep.Slowest = append([]SlowCall(nil), r.slowest...)
	r.slowMu.Unlock()
	return rep
}

// liveReport is the report so far, with thresholds evaluated.
func (r *Runner) liveReport(begin, now time.Time) *Report {
	rep := r.report(begin, now)
	rep.finish()
	rep.Thresholds = Evaluate(r.cfg.Thresholds, rep)
	return rep
}

func (r *Runner) progress(rep *Report, elapsed time.Duration, phase string) Progress {
	c := rep.Calls
	p := Progress{
		Elapsed: elapsed, Total: r.cfg.Schedule.Duration, Phase: phase,
		Scheduled: c.Scheduled, Started: c.Started, Live: r.live.Load(),
		Ended: c.Completed + c.Failed + c.Rejected + c.Interrupted, Failed: c.Failed, Dropped: c.Dropped,
		Interrupted: c.Interrupted,
		Events:      rep.All.Count, Timeouts: rep.All.Timeouts, Errors: rep.All.Errors,
	}
	for _, e := range rep.Events {
		p.P95 = append(p.P95, EventP95{Event: e.Event, P95: e.Hist.Quantile(.95), Count: e.Count})
	}
	for _, t := range rep.Thresholds {
		if !t.OK {
			p.Breached = append(p.Breached, t.Expr)
		}
	}
	return p
}
