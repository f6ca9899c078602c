package load

import (
	"context"
	"sync"
	"time"
)

// schedule starts the calls of the shard on schedule until the schedule
// ends, ctx is cancelled (interrupted) or the run aborts.
func (r *Runner) schedule(ctx context.Context, begin time.Time, st *runState, pool *workers) {
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	for k := 0; ; k++ {
		if !r.cfg.Shard.Owns(k) {
			continue
		}
		at, ok := r.cfg.Schedule.At(k)
		if !ok {
			return
		}
		due := begin.Add(at)
		if !st.waitUntil(ctx, timer, due) {
			return
		}
		r.startCall(k, due, pool)
	}
}

// waitUntil waits for due and reports whether the run goes on; when it
// stops, it notes whether it was interrupted or aborted.
func (st *runState) waitUntil(ctx context.Context, timer *time.Timer, due time.Time) bool {
	wait := time.Until(due)
	if wait <= 0 {
		select {
		case <-ctx.Done():
			st.interrupted = true
			return false
		case <-st.aborts:
			st.aborted = true
			return false
		default:
			return true
		}
	}
	timer.Reset(wait)
	select {
	case <-ctx.Done():
		timer.Stop()
		st.interrupted = true
		return false
	case <-st.aborts:
		timer.Stop()
		st.aborted = true
		return false
	case <-timer.C:
		return true
	}
}

// startCall starts call k (number k+1), or drops it when MaxInFlight calls
// are live.
func (r *Runner) startCall(k int, due time.Time, pool *workers) {
	r.scheduled.Add(1)
	r.lag.Record(time.Since(due))
	if r.live.Load() >= int64(r.cfg.MaxInFlight) {
		r.dropped.Add(1)
		return
	}
	r.noteLive(r.live.Add(1))
	r.started.Add(1)
	pool.start(k + 1)
}

// noteLive raises the peak of live calls to n.
func (r *Runner) noteLive(n int64) {
	for {
		m := r.maxLive.Load()
		if n <= m || r.maxLive.CompareAndSwap(m, n) {
			return
		}
	}
}

// workers play the calls. A worker that finished its call takes the next
// due call, so goroutine stacks, once grown, are reused instead of grown
// again for every call. A new worker starts only when none is idle, so no
// call ever waits for one.
type workers struct {
	ctx     context.Context
	r       *Runner
	play    PlayFunc
	calls   sync.WaitGroup // calls started and not ended
	running sync.WaitGroup // worker goroutines
	jobs    chan int
	noMore  chan struct{}
}

func newWorkers(ctx context.Context, r *Runner, play PlayFunc) *workers {
	return &workers{ctx: ctx, r: r, play: play, jobs: make(chan int), noMore: make(chan struct{})}
}

// start plays call number n on an idle worker, or on a new one.
func (w *workers) start(n int) {
	w.calls.Add(1)
	select {
	case w.jobs <- n:
	default:
		w.running.Add(1)
		go w.work(n)
	}
}

// work plays call n, then every call it is handed until close.
func (w *workers) work(n int) {
	defer w.running.Done()
	for {
		w.r.call(w.ctx, n, w.play, &w.calls)
		select {
		case n = <-w.jobs:
		case <-w.noMore:
			return
		}
	}
}

// close tells idle workers that no call will come.
func (w *workers) close() { close(w.noMore) }

// wait waits until every worker has stopped.
func (w *workers) wait() { w.running.Wait() }

// finishCalls gives live calls the grace period to finish (StopGrace once
// the run is interrupted or aborted) and then cancels them.
func (r *Runner) finishCalls(ctx context.Context, st *runState, cancelCalls context.CancelFunc, calls *sync.WaitGroup) {
	done := make(chan struct{})
	go func() { calls.Wait(); close(done) }()
	grace := r.cfg.Grace
	if st.stopped() {
		grace = r.cfg.StopGrace
		st.phase.Store("stopping")
	} else {
		st.phase.Store("finishing")
	}
	gt := st.startGrace(grace)
	defer gt.Stop()
	for {
		var sig, ab <-chan struct{}
		if !st.stopped() {
			sig, ab = ctx.Done(), st.aborts
		}
		select {
		case <-done:
			return
		case <-gt.C:
			cancelCalls()
			<-done
			return
		case <-sig:
			st.interrupted = true
			st.phase.Store("stopping")
			st.resetGrace(gt, r.cfg.StopGrace)
		case <-ab:
			st.aborted = true
			st.phase.Store("stopping")
			st.resetGrace(gt, r.cfg.StopGrace)
		}
	}
}

// startGrace starts a grace period of d: the timer that ends it, and the
// end the live view counts down to.
func (st *runState) startGrace(d time.Duration) *time.Timer {
	st.graceEnd.Store(time.Now().Add(d).UnixNano())
	return time.NewTimer(d)
}

// resetGrace starts the grace period again, now of d.
func (st *runState) resetGrace(t *time.Timer, d time.Duration) {
	st.graceEnd.Store(time.Now().Add(d).UnixNano())
	t.Reset(d)
}

// graceLeft is what is left of the grace period at now (0 before it began).
func (st *runState) graceLeft(now time.Time) time.Duration {
	end := st.graceEnd.Load()
	if end == 0 {
		return 0
	}
	return max(0, time.Unix(0, end).Sub(now))
}
