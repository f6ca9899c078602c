// Package load runs open-model call load against a webhook server: calls
// start on a fixed schedule whatever the server does, each plays a full
// lifecycle through the engine, and every exchange lands in concurrency-safe
// log-linear histograms and counters. It evaluates k6-style thresholds,
// reports live progress, writes JSON reports that merge exactly (for sharded
// runs) and self-contained HTML reports, and provides a minimal sink server
// for measuring the simulator's own ceiling.
package load

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// PlayFunc plays call number n (1-based, the call's seed within the run) with
// the given intent ("" = drawn from the seed) and returns its result. It is
// called from many goroutines at once.
type PlayFunc func(ctx context.Context, n int, intent sim.Intent) (*sim.CallResult, error)

// Config is one load run.
type Config struct {
	Schedule    Schedule
	MaxInFlight int // live calls at most; a call due while this many are live is dropped (0 = 10000)
	Mix         Mix
	Shard       Shard
	Seed        int64 // the run seed (for the mix and the replay commands)
	// Grace is how long calls still live when the schedule ends may take to
	// finish; StopGrace is the same after an interrupt or an abort. Calls
	// still live after it are cancelled and counted as interrupted.
	Grace, StopGrace time.Duration
	Thresholds       []Threshold
	AbortOnFail      bool
	// Tick is how often figures are collected, thresholds checked for
	// --abort-on-fail and Progress called (0 = 1 s). Interval is the time
	// series' resolution (0 = 1 s, coarser for runs over 5 minutes).
	Tick, Interval time.Duration
	Progress       func(Progress) // may be nil; called from one goroutine
	Info           RunInfo        // what the report says was run
	// Replay formats the command that plays call n again, for the slowest
	// calls table ("" = none).
	Replay func(n int, intent sim.Intent) string
}

// Defaults.
const (
	DefaultMaxInFlight = 10000
	DefaultGrace       = time.Minute
	DefaultStopGrace   = 5 * time.Second
)

// Progress is a live view of the run.
type Progress struct {
	Elapsed, Total time.Duration
	Phase          string // "running", "finishing" (schedule done, live calls finish), "stopping" (interrupted or aborted)
	Scheduled      int64
	Started        int64
	Live           int64
	Ended          int64
	Failed         int64
	Dropped        int64
	Events         int64
	EventRate      float64 // events per second over the last tick
	Timeouts       int64
	Errors         int64
	P95            []EventP95 // per event type seen so far, lifecycle order
	Breached       []string   // failing thresholds (expressions)
}

// EventP95 is one event type's p95 so far.
type EventP95 struct {
	Event string
	P95   time.Duration
	Count int64
}

// eventIndex maps the four event types to 0..3.
func eventIndex(ev sim.EventType) int {
	switch ev {
	case sim.AssistantRequest:
		return 0
	case sim.ToolCalls:
		return 1
	case sim.StatusUpdate:
		return 2
	case sim.EndOfCallReport:
		return 3
	}
	return -1
}

// counters of one event type for the current tick (swapped to zero by the
// collector); the histograms are the hot path's only other cost.
type counters struct {
	hist                                Histogram
	late                                Histogram
	count, ok, timeouts, errors, misses atomic.Int64
	sent, recv                          atomic.Int64
	sawAny                              atomic.Bool
	classMu                             sync.Mutex
	classes                             map[string]int64
	checks                              map[string]int64
}

// Runner runs one load run. Observe must be installed as the engine's
// Observe hook before Run.
type Runner struct {
	cfg Config
	ev  [4]*counters

	scheduled, started, dropped, live, maxLive atomic.Int64
	completed, rejected, failed, interrupted   atomic.Int64
	lag                                        Histogram
	checkSev                                   sync.Map // check ID → severity

	slowMu  sync.Mutex
	slowest []SlowCall

	// Owned by the collector (the tick goroutine, then Run after it stopped).
	totals  [4]*EventStats
	points  []*Point
	cur     *Point
	curIdx  int
	last    struct{ started, dropped, ended, failed int64 }
	lagHist *Hist
}

// NewRunner prepares a run, filling in defaults.
func NewRunner(cfg Config) *Runner {
	if cfg.MaxInFlight <= 0 {
		cfg.MaxInFlight = DefaultMaxInFlight
	}
	if cfg.Shard.Count < 1 {
		cfg.Shard = Shard{0, 1}
	}
	if cfg.Tick <= 0 {
		cfg.Tick = time.Second
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Second
		if d := cfg.Schedule.Duration; d > 5*time.Minute {
			cfg.Interval = (d/300 + time.Second - 1).Truncate(time.Second)
		}
	}
	if cfg.Interval < cfg.Tick {
		cfg.Interval = cfg.Tick
	}
	r := &Runner{cfg: cfg, lagHist: &Hist{}}
	for i := range r.ev {
		r.ev[i] = &counters{classes: map[string]int64{}, checks: map[string]int64{}}
		r.totals[i] = &EventStats{Event: string(sim.EventTypes[i]), Hist: &Hist{}, Lateness: &Hist{},
			ErrorsByClass: map[string]int64{}, ChecksFailed: map[string]int64{}}
	}
	return r
}

// Observe records one exchange. It is safe for concurrent use and cheap: a
// handful of atomic adds, and a lock only for failed deliveries and checks.
func (r *Runner) Observe(x *sim.Exchange) {
	i := eventIndex(x.Event)
	if i < 0 || x.Request.Probe != sim.ProbeNone {
		return
	}
	c := r.ev[i]
	resp := &x.Response
	c.sawAny.Store(true)
	c.count.Add(1)
	c.hist.Record(resp.Latency)
	c.sent.Add(int64(len(x.Request.Body)))
	c.recv.Add(resp.Size)
	d := x.Request.Deadline
	if d > 0 && resp.Latency > d {
		c.misses.Add(1)
	}
	class := ""
	switch {
	case resp.Failure != nil:
		class = string(resp.Failure.Kind)
		if resp.Failure.Kind == sim.FailTimeout {
			c.timeouts.Add(1)
			if d > 0 {
				c.late.Record(resp.Latency - d)
			}
		}
	case resp.Status < 200 || resp.Status > 299:
		class = fmt.Sprintf("http-%dxx", resp.Status/100)
	default:
		c.ok.Add(1)
	}
	var failed []sim.Finding
	for _, f := range x.Findings {
		if f.Verdict == sim.Fail {
			failed = append(failed, f)
		}
	}
	if class == "" && len(failed) == 0 {
		return
	}
	if class != "" {
		c.errors.Add(1)
	}
	c.classMu.Lock()
	if class != "" {
		c.classes[class]++
	}
	for _, f := range failed {
		c.checks[f.Check]++
	}
	c.classMu.Unlock()
	for _, f := range failed {
		r.checkSev.LoadOrStore(f.Check, string(f.Severity))
	}
}

// Run plays the schedule and returns the report. A cancelled ctx stops new
// calls, gives live calls StopGrace, and returns the partial report marked
// interrupted (with a nil error). The error is non-nil only when the run
// could not be made at all.
func (r *Runner) Run(ctx context.Context, play PlayFunc) (*Report, error) {
	if play == nil {
		return nil, errors.New("load: no PlayFunc")
	}
	cfg := r.cfg
	begin := time.Now()
	callCtx, cancelCalls := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelCalls()

	abort := make(chan struct{})
	var abortOnce sync.Once
	var abortWhy atomic.Value // string
	var phase atomic.Value
	phase.Store("running")

	// The collector: folds the counters into totals every tick, checks the
	// thresholds and reports progress. Stopped before the final fold.
	stopTick := make(chan struct{})
	tickDone := make(chan struct{})
	go func() {
		defer close(tickDone)
		t := time.NewTicker(cfg.Tick)
		defer t.Stop()
		var lastEvents int64
		lastAt := begin
		for {
			select {
			case <-stopTick:
				return
			case now := <-t.C:
				r.collect(now.Sub(begin))
				live := r.liveReport(begin, now)
				if cfg.AbortOnFail && len(cfg.Thresholds) > 0 {
					if res, bad := breached(cfg.Thresholds, live); bad {
						abortOnce.Do(func() {
							abortWhy.Store(fmt.Sprintf("threshold %s failed: %s", res.Expr, res.Detail))
							close(abort)
						})
					}
				}
				if cfg.Progress != nil {
					p := r.progress(live, now.Sub(begin), phase.Load().(string))
					if dt := now.Sub(lastAt).Seconds(); dt > 0 {
						p.EventRate = float64(p.Events-lastEvents) / dt
					}
					lastEvents, lastAt = p.Events, now
					cfg.Progress(p)
				}
			}
		}
	}()

	// Calls run on reusable workers: a worker that finished its call takes
	// the next due call, so goroutine stacks, once grown, are reused instead
	// of grown again for every call. A new worker starts only when none is
	// idle, so no call ever waits for one.
	var wg, workers sync.WaitGroup
	jobs := make(chan int)
	noMoreJobs := make(chan struct{})
	worker := func(n int) {
		defer workers.Done()
		for {
			r.call(callCtx, n, play, &wg)
			select {
			case n = <-jobs:
			case <-noMoreJobs:
				return
			}
		}
	}
	interrupted := false
	aborted := false
	timer := time.NewTimer(time.Hour)
	timer.Stop()
schedule:
	for k := 0; ; k++ {
		if !cfg.Shard.Owns(k) {
			continue
		}
		at, ok := cfg.Schedule.At(k)
		if !ok {
			break
		}
		due := begin.Add(at)
		if wait := time.Until(due); wait > 0 {
			timer.Reset(wait)
			select {
			case <-ctx.Done():
				timer.Stop()
				interrupted = true
				break schedule
			case <-abort:
				timer.Stop()
				aborted = true
				break schedule
			case <-timer.C:
			}
		} else {
			select {
			case <-ctx.Done():
				interrupted = true
				break schedule
			case <-abort:
				aborted = true
				break schedule
			default:
			}
		}
		r.scheduled.Add(1)
		r.lag.Record(time.Since(due))
		if r.live.Load() >= int64(cfg.MaxInFlight) {
			r.dropped.Add(1)
			continue
		}
		n := r.live.Add(1)
		for {
			m := r.maxLive.Load()
			if n <= m || r.maxLive.CompareAndSwap(m, n) {
				break
			}
		}
		r.started.Add(1)
		wg.Add(1)
		select {
		case jobs <- k + 1:
		default:
			workers.Add(1)
			go worker(k + 1)
		}
	}
	close(noMoreJobs)
	defer workers.Wait()

	// Live calls finish within the grace period, or are cancelled.
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	grace := cfg.Grace
	if interrupted || aborted {
		grace = cfg.StopGrace
		phase.Store("stopping")
	} else {
		phase.Store("finishing")
	}
	gt := time.NewTimer(grace)
	stopping := interrupted || aborted
	for waiting := true; waiting; {
		var sig, ab <-chan struct{}
		if !stopping {
			sig, ab = ctx.Done(), abort
		}
		select {
		case <-done:
			waiting = false
		case <-gt.C:
			cancelCalls()
			<-done
			waiting = false
		case <-sig:
			interrupted, stopping = true, true
			phase.Store("stopping")
			gt.Reset(cfg.StopGrace)
		case <-ab:
			aborted, stopping = true, true
			phase.Store("stopping")
			gt.Reset(cfg.StopGrace)
		}
	}
	gt.Stop()
	close(stopTick)
	<-tickDone
	end := time.Now()
	r.collect(end.Sub(begin))
	r.flushPoint()
	rep := r.report(begin, end)
	rep.Run.Interrupted = interrupted
	if aborted {
		if why, ok := abortWhy.Load().(string); ok {
			rep.Run.Aborted = why
		}
	}
	rep.Series = Series{IntervalS: cfg.Interval.Seconds(), Points: r.points}
	rep.finish()
	rep.Thresholds = Evaluate(cfg.Thresholds, rep)
	rep.finish()
	return rep, nil
}

// call plays one call and classifies it.
func (r *Runner) call(ctx context.Context, n int, play PlayFunc, wg *sync.WaitGroup) {
	defer wg.Done()
	defer r.live.Add(-1)
	intent := r.cfg.Mix.Pick(r.cfg.Seed, n)
	// A context of the call's own: each delivery's deadline context then
	// registers with it rather than with the run's, which every live call
	// shares (a contended lock at thousands of deliveries a second).
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	began := time.Now()
	res, err := play(ctx, n, intent)
	wall := time.Since(began)
	outcome := "completed"
	switch {
	case err != nil || res == nil:
		outcome = "failed"
	case res.Aborted != nil:
		outcome = "interrupted"
	case res.Reply == sim.ReplyReject:
		outcome = "rejected"
	case callFailed(res):
		outcome = "failed"
	}
	switch outcome {
	case "completed":
		r.completed.Add(1)
	case "failed":
		r.failed.Add(1)
	case "rejected":
		r.rejected.Add(1)
	case "interrupted":
		r.interrupted.Add(1)
	}
	if res != nil {
		r.noteSlow(n, intent, res, outcome, wall, err)
	}
}

// callFailed: a failed must check or a delivery without a usable reply.
func callFailed(res *sim.CallResult) bool {
	for _, x := range res.Exchanges {
		if x.Failed(sim.Must) {
			return true
		}
		if f := x.Response.Failure; f != nil || x.Response.Status < 200 || x.Response.Status > 299 {
			return true
		}
	}
	return false
}

// noteSlow keeps the calls with the slowest replies.
func (r *Runner) noteSlow(n int, intent sim.Intent, res *sim.CallResult, outcome string, wall time.Duration, err error) {
	var worst *sim.Exchange
	for _, x := range res.Exchanges {
		if worst == nil || x.Response.Latency > worst.Response.Latency {
			worst = x
		}
	}
	if worst == nil {
		return
	}
	lat := ms(worst.Response.Latency)
	r.slowMu.Lock()
	defer r.slowMu.Unlock()
	if len(r.slowest) >= maxSlowest && lat <= r.slowest[len(r.slowest)-1].LatencyMS {
		return
	}
	s := SlowCall{Number: n, ID: res.Plan.ID, Intent: string(res.Plan.Intent), Outcome: outcome, Exchanges: len(res.Exchanges),
		Event: string(worst.Event), LatencyMS: lat, Status: worst.Response.Status, WallS: wall.Seconds()}
	if f := worst.Response.Failure; f != nil {
		s.Failure = string(f.Kind) + ": " + f.Detail
	}
	if err != nil {
		s.Failure = err.Error()
	}
	seen := map[string]bool{}
	for _, x := range res.Exchanges {
		for _, f := range x.Findings {
			if f.Verdict == sim.Fail && !seen[f.Check] {
				seen[f.Check] = true
				s.FailedChecks = append(s.FailedChecks, f.Check)
			}
		}
	}
	sort.Strings(s.FailedChecks)
	if r.cfg.Replay != nil {
		s.Replay = r.cfg.Replay(n, intent)
	}
	r.slowest = append(r.slowest, s)
	sortSlowest(r.slowest)
	if len(r.slowest) > maxSlowest {
		r.slowest = r.slowest[:maxSlowest]
	}
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
		if !c.sawAny.Load() {
			continue
		}
		t := r.totals[i]
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
	r.lagHist.Merge(r.lag.Snapshot(true))
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
		Events: rep.All.Count, Timeouts: rep.All.Timeouts, Errors: rep.All.Errors,
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
