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
	cfg = cfg.withDefaults()
	r := &Runner{cfg: cfg, lagHist: &Hist{}}
	for i := range r.ev {
		r.ev[i] = &counters{classes: map[string]int64{}, checks: map[string]int64{}}
		r.totals[i] = &EventStats{Event: string(sim.EventTypes[i]), Hist: &Hist{}, Lateness: &Hist{},
			ErrorsByClass: map[string]int64{}, ChecksFailed: map[string]int64{}}
	}
	return r
}

// withDefaults fills in the zero fields of cfg.
func (cfg Config) withDefaults() Config {
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
	return cfg
}

// Run plays the schedule and returns the report. A cancelled ctx stops new
// calls, gives live calls StopGrace, and returns the partial report marked
// interrupted (with a nil error). The error is non-nil only when the run
// could not be made at all.
func (r *Runner) Run(ctx context.Context, play PlayFunc) (*Report, error) {
	if play == nil {
		return nil, errors.New("load: no PlayFunc")
	}
	begin := time.Now()
	callCtx, cancelCalls := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelCalls()
	st := newRunState()
	stopCollector := r.startCollector(begin, st)
	pool := newWorkers(callCtx, r, play)
	r.schedule(ctx, begin, st, pool)
	pool.close()
	defer pool.wait()
	r.finishCalls(ctx, st, cancelCalls, &pool.calls)
	stopCollector()
	return r.finalReport(begin, time.Now(), st), nil
}

// runState is how a run is going. The collector may abort the run and reads
// its phase; interrupted and aborted belong to Run's goroutine.
type runState struct {
	aborts    chan struct{} // closed when the run aborts
	abortOnce sync.Once
	abortWhy  atomic.Value // string
	phase     atomic.Value // string: see Progress.Phase
	graceEnd  atomic.Int64 // when the grace period ends (Unix ns), 0 before it began

	interrupted, aborted bool
}

func newRunState() *runState {
	st := &runState{aborts: make(chan struct{})}
	st.phase.Store("running")
	return st
}

// abort stops the run for the reason why (only the first reason counts).
func (st *runState) abort(why string) {
	st.abortOnce.Do(func() {
		st.abortWhy.Store(why)
		close(st.aborts)
	})
}

// stopped reports whether the run was interrupted or aborted.
func (st *runState) stopped() bool { return st.interrupted || st.aborted }

// finalReport folds the last figures and builds the run's report.
func (r *Runner) finalReport(begin, end time.Time, st *runState) *Report {
	r.collect(end.Sub(begin))
	r.flushPoint()
	rep := r.report(begin, end)
	rep.Run.Interrupted = st.interrupted
	if st.aborted {
		if why, ok := st.abortWhy.Load().(string); ok {
			rep.Run.Aborted = why
		}
	}
	rep.Series = Series{IntervalS: r.cfg.Interval.Seconds(), Points: r.points}
	rep.finish()
	rep.Thresholds = Evaluate(r.cfg.Thresholds, rep)
	rep.finish()
	return rep
}
