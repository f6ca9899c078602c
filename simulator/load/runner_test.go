package load

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

func exch(ev sim.EventType, lat time.Duration, status int, fail *sim.Failure, findings ...sim.Finding) *sim.Exchange {
	deadline := 5 * time.Second
	return &sim.Exchange{Event: ev, Request: sim.Request{Event: ev, Deadline: deadline, Body: make([]byte, 600)},
		Response: sim.Response{Status: status, Latency: lat, Failure: fail, Size: 2}, Findings: findings}
}

// fakeCall returns a PlayFunc whose calls observe one 2xx assistant-request,
// then wait for hold (or ctx), then observe an end-of-call-report.
func fakeCall(r **Runner, hold time.Duration, starts *sync.Map) PlayFunc {
	return func(ctx context.Context, n int, intent sim.Intent) (*sim.CallResult, error) {
		if starts != nil {
			starts.Store(n, time.Now())
		}
		plan := &sim.CallPlan{Number: n, ID: "call", Intent: intent}
		res := &sim.CallResult{Plan: plan, Reply: sim.ReplyOverride}
		x := exch(sim.AssistantRequest, time.Millisecond, 200, nil)
		(*r).Observe(x)
		res.Exchanges = append(res.Exchanges, x)
		t := time.NewTimer(hold)
		defer t.Stop()
		select {
		case <-ctx.Done():
			res.Aborted = ctx.Err()
			return res, nil
		case <-t.C:
		}
		y := exch(sim.EndOfCallReport, 2*time.Millisecond, 200, nil)
		(*r).Observe(y)
		res.Exchanges = append(res.Exchanges, y)
		return res, nil
	}
}

// The schedule runs in a synctest bubble: its clock moves only when every
// goroutine waits, so "on schedule" is exact and not a race against the
// machine's speed.
func TestOpenModelStartsCallsOnScheduleWhateverTheServerDoes(t *testing.T) {
	synctest.Test(t, testOpenModelOnSchedule)
}

func testOpenModelOnSchedule(t *testing.T) {
	var r *Runner
	var starts sync.Map
	cfg := Config{Schedule: Constant(100, 500*time.Millisecond), Grace: 5 * time.Second, Tick: 50 * time.Millisecond}
	r = NewRunner(cfg)
	began := time.Now()
	rep, err := r.Run(context.Background(), fakeCall(&r, 400*time.Millisecond, &starts))
	require.NoError(t, err)
	assert.Equal(t, int64(50), rep.Calls.Scheduled)
	assert.Equal(t, int64(50), rep.Calls.Started, "slow calls do not hold back later ones")
	assert.Equal(t, int64(0), rep.Calls.Dropped)
	assert.Equal(t, int64(50), rep.Calls.Completed)
	assert.GreaterOrEqual(t, rep.Calls.MaxLive, int64(30), "calls overlap: about 40 live at once")
	for n := 1; n <= 50; n++ {
		v, ok := starts.Load(n)
		require.True(t, ok, "call %d", n)
		due := began.Add(time.Duration(n-1) * 10 * time.Millisecond)
		late := v.(time.Time).Sub(due)
		assert.Less(t, late, 100*time.Millisecond, "call %d started on schedule", n)
	}
	assert.Less(t, rep.StartLag.Quantile(.5), 20*time.Millisecond)
	assert.Equal(t, int64(50), rep.Event(sim.AssistantRequest).Count)
	assert.Equal(t, int64(50), rep.Event(sim.EndOfCallReport).Count)
}

func TestCallsBeyondMaxInFlightAreDroppedNotDelayed(t *testing.T) {
	var r *Runner
	cfg := Config{Schedule: Constant(100, 300*time.Millisecond), MaxInFlight: 5, Grace: 0, StopGrace: time.Second, Tick: 50 * time.Millisecond}
	r = NewRunner(cfg)
	began := time.Now()
	rep, err := r.Run(context.Background(), fakeCall(&r, time.Minute, nil))
	require.NoError(t, err)
	assert.Less(t, time.Since(began), 5*time.Second, "live calls past the grace period are cancelled")
	c := rep.Calls
	assert.Equal(t, int64(30), c.Scheduled)
	assert.Equal(t, int64(5), c.Started)
	assert.Equal(t, int64(25), c.Dropped, "the calls that could not start on time are dropped")
	assert.Equal(t, int64(5), c.Interrupted, "cancelled after the grace period")
	assert.Equal(t, int64(5), c.MaxLive)
	th, _ := ParseThreshold("dropped==0")
	rep.Thresholds = Evaluate([]Threshold{th}, rep)
	assert.False(t, rep.Thresholds[0].OK)
	var pointDrops int64
	for _, p := range rep.Series.Points {
		pointDrops += p.Dropped
	}
	assert.Equal(t, int64(25), pointDrops, "the time series accounts for every drop")
}

func TestInterruptWritesAPartialReport(t *testing.T) {
	var r *Runner
	var progress atomic.Int64
	cfg := Config{Schedule: Constant(50, time.Minute), StopGrace: 200 * time.Millisecond, Tick: 20 * time.Millisecond,
		Progress: func(Progress) { progress.Add(1) }}
	r = NewRunner(cfg)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	began := time.Now()
	rep, err := r.Run(ctx, fakeCall(&r, time.Minute, nil))
	require.NoError(t, err)
	took := time.Since(began)
	assert.Less(t, took, 5*time.Second, "stops at once plus the stop grace, not after the minute")
	assert.GreaterOrEqual(t, took, 500*time.Millisecond-50*time.Millisecond, "live calls get their grace period")
	assert.True(t, rep.Run.Interrupted)
	assert.Greater(t, rep.Calls.Started, int64(5))
	assert.Equal(t, rep.Calls.Started, rep.Calls.Interrupted, "every live call was cut by the stop")
	assert.Equal(t, rep.Calls.Started, rep.Event(sim.AssistantRequest).Count, "what happened before the stop is reported")
	assert.Greater(t, progress.Load(), int64(3), "progress was reported while running")
}

func TestAbortOnFail(t *testing.T) {
	var r *Runner
	th, err := ParseThreshold("errors==0")
	require.NoError(t, err)
	cfg := Config{Schedule: Constant(100, time.Minute), Thresholds: []Threshold{th}, AbortOnFail: true,
		StopGrace: 100 * time.Millisecond, Tick: 20 * time.Millisecond}
	r = NewRunner(cfg)
	var n atomic.Int64
	play := func(ctx context.Context, num int, intent sim.Intent) (*sim.CallResult, error) {
		status := 200
		if n.Add(1) == 10 {
			status = 500
		}
		x := exch(sim.StatusUpdate, time.Millisecond, status, nil)
		r.Observe(x)
		return &sim.CallResult{Plan: &sim.CallPlan{Number: num}, Exchanges: []*sim.Exchange{x}}, nil
	}
	began := time.Now()
	rep, err := r.Run(context.Background(), play)
	require.NoError(t, err)
	assert.Less(t, time.Since(began), 5*time.Second, "the run stops early")
	assert.Contains(t, rep.Run.Aborted, "errors==0")
	assert.False(t, rep.Run.Interrupted)
	assert.Equal(t, "fail", rep.Verdict)
	require.Len(t, rep.Thresholds, 1)
	assert.Contains(t, rep.Thresholds[0].Detail, "expected 0")
	assert.Equal(t, int64(1), rep.Calls.Failed)
}

func TestObserveAggregates(t *testing.T) {
	r := NewRunner(Config{Schedule: Constant(1, time.Second), Interval: time.Second})
	fail := sim.Finding{Check: "http-2xx", Severity: sim.Must, Verdict: sim.Fail}
	pass := sim.Finding{Check: "reply-json", Severity: sim.Must, Verdict: sim.Pass}
	xs := []*sim.Exchange{
		exch(sim.AssistantRequest, 10*time.Millisecond, 200, nil, pass),
		exch(sim.AssistantRequest, 20*time.Millisecond, 200, nil, pass),
		exch(sim.AssistantRequest, 5*time.Second+3*time.Millisecond, 0, &sim.Failure{Kind: sim.FailTimeout},
			sim.Finding{Check: "assistant-request-deadline", Severity: sim.Must, Verdict: sim.Fail}),
		exch(sim.StatusUpdate, time.Millisecond, 503, nil, fail),
		exch(sim.StatusUpdate, time.Millisecond, 0, &sim.Failure{Kind: sim.FailRefused}, fail),
		exch(sim.ToolCalls, time.Millisecond, 200, nil),
	}
	probe := exch(sim.StatusUpdate, time.Millisecond, 200, nil)
	probe.Request.Probe = sim.ProbeTampered
	xs = append(xs, probe)
	var wg sync.WaitGroup
	for _, x := range xs {
		wg.Add(1)
		go func() { defer wg.Done(); r.Observe(x) }()
	}
	wg.Wait()
	r.collect(500 * time.Millisecond)
	r.flushPoint()
	rep := r.report(time.Now().Add(-time.Second), time.Now())
	rep.finish()
	ar := rep.Event(sim.AssistantRequest)
	require.NotNil(t, ar)
	assert.Equal(t, int64(3), ar.Count)
	assert.Equal(t, int64(2), ar.OK)
	assert.Equal(t, int64(1), ar.Timeouts)
	assert.Equal(t, int64(1), ar.DeadlineMisses)
	assert.Equal(t, map[string]int64{"timeout": 1}, ar.ErrorsByClass)
	assert.Equal(t, int64(1), ar.Lateness.Count)
	assert.InDelta(t, float64(3*time.Millisecond), float64(ar.Lateness.Quantile(1)), float64(10*time.Microsecond), "the timeout fired 3 ms late")
	su := rep.Event(sim.StatusUpdate)
	assert.Equal(t, int64(2), su.Count, "signature probes are not load")
	assert.Equal(t, map[string]int64{"http-5xx": 1, "refused": 1}, su.ErrorsByClass)
	assert.Equal(t, map[string]int64{"http-2xx": 2}, su.ChecksFailed)
	assert.Equal(t, int64(6), rep.All.Count)
	assert.Equal(t, int64(3), rep.All.Errors)
	assert.Equal(t, []CheckStat{{"assistant-request-deadline", "must", 1}, {"http-2xx", "must", 2}}, rep.Checks)
	require.Len(t, r.points, 1)
	assert.Equal(t, int64(3), r.points[0].Events["assistant-request"].Count)
	assert.Equal(t, int64(2), r.points[0].Events["status-update"].Errors)
}

func TestProgressPrinter(t *testing.T) {
	p := Progress{Elapsed: 12 * time.Second, Total: time.Minute, Phase: "running", Started: 240, Live: 31, Ended: 209, Failed: 2,
		Events: 1300, EventRate: 108, Errors: 3,
		P95:      []EventP95{{"assistant-request", 12 * time.Millisecond, 240}, {"tool-calls", 800 * time.Microsecond, 300}, {"status-update", time.Millisecond, 400}, {"end-of-call-report", 2 * time.Millisecond, 200}},
		Breached: []string{"errors==0"}}
	var plain bytes.Buffer
	pp := &ProgressPrinter{W: &plain, Every: 5 * time.Second}
	pp.Update(p)
	p.Elapsed = 14 * time.Second
	pp.Update(p) // within 5 s of the last line: nothing
	p.Elapsed = 17 * time.Second
	pp.Update(p)
	lines := strings.Split(strings.TrimSpace(plain.String()), "\n")
	require.Len(t, lines, 2)
	assert.Equal(t, "[  0:12/1:00] running · calls 240 started, 31 live, 209 done, 2 failed, 0 dropped, 0 interrupted · events 1300 (108/s) · timeouts 0 · errors 3 · p95 assistant 12.0ms tools 800µs status 1.00ms report 2.00ms · failing: errors==0", lines[0])

	var tty bytes.Buffer
	pt := &ProgressPrinter{W: &tty, TTY: true}
	pt.Update(p)
	pt.Update(p)
	pt.Done()
	out := tty.String()
	assert.Equal(t, 1, strings.Count(out, "\x1b[5A"), "the second view is drawn over the first")
	for _, l := range strings.Split(out, "\n") {
		l = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`).ReplaceAllString(strings.TrimPrefix(l, "\r"), "")
		assert.LessOrEqual(t, utf8.RuneCountInString(l), 80, "%q fits 80 columns", l)
	}
	assert.Contains(t, out, "240 started · 31 live · 209 done")
}
