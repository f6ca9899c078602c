package load

import (
	"io"
	"testing"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// benchExchanges are exchanges of every kind the runner classifies: 2xx,
// non-2xx, timeouts and failed checks.
func benchExchanges() []*sim.Exchange {
	fail := sim.Finding{Check: "http-2xx", Severity: sim.Must, Verdict: sim.Fail}
	return []*sim.Exchange{
		exch(sim.AssistantRequest, 3*time.Millisecond, 200, nil),
		exch(sim.StatusUpdate, time.Millisecond, 200, nil),
		exch(sim.ToolCalls, 40*time.Millisecond, 200, nil),
		exch(sim.EndOfCallReport, 9*time.Millisecond, 503, nil, fail),
		exch(sim.AssistantRequest, 6*time.Second, 0, &sim.Failure{Kind: sim.FailTimeout}),
		exch(sim.StatusUpdate, 2*time.Millisecond, 200, nil),
		exch(sim.StatusUpdate, 2*time.Millisecond, 200, nil),
		exch(sim.EndOfCallReport, 12*time.Millisecond, 200, nil),
	}
}

func BenchmarkObserve(b *testing.B) {
	r := NewRunner(Config{})
	xs := benchExchanges()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		i := 0
		for pb.Next() {
			r.Observe(xs[i%len(xs)])
			i++
		}
	})
}

// benchReport is a report of a run with a few thousand exchanges over
// sixty intervals.
func benchReport(b *testing.B, shard Shard) *Report {
	b.Helper()
	ts := []Threshold{}
	for _, x := range []string{"p99<1s", "errors<1%", "checks.must==0"} {
		t, err := ParseThreshold(x)
		if err != nil {
			b.Fatal(err)
		}
		ts = append(ts, t)
	}
	r := NewRunner(Config{Schedule: Constant(50, time.Minute), Shard: shard, Thresholds: ts})
	xs := benchExchanges()
	for tick := range 60 {
		for i := range 100 {
			r.Observe(xs[(tick+i)%len(xs)])
		}
		r.collect(time.Duration(tick) * time.Second)
	}
	r.flushPoint()
	begin := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	rep := r.report(begin, begin.Add(time.Minute))
	rep.Series = Series{IntervalS: r.cfg.Interval.Seconds(), Points: r.points}
	rep.finish()
	rep.Thresholds = Evaluate(ts, rep)
	rep.finish()
	return rep
}

func BenchmarkMerge(b *testing.B) {
	parts := []*Report{benchReport(b, Shard{0, 3}), benchReport(b, Shard{1, 3}), benchReport(b, Shard{2, 3})}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Merge(parts, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteHTML(b *testing.B) {
	rep := benchReport(b, Shard{0, 1})
	b.ReportAllocs()
	for b.Loop() {
		if err := rep.WriteHTML(io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvaluateThresholds(b *testing.B) {
	rep := benchReport(b, Shard{0, 1})
	var ts []Threshold
	for _, x := range []string{"assistant-request.p99<1s", "timeouts<0.1%", "checks.should==0", "dropped==0", "2xx>=99.9%"} {
		t, err := ParseThreshold(x)
		if err != nil {
			b.Fatal(err)
		}
		ts = append(ts, t)
	}
	b.ReportAllocs()
	for b.Loop() {
		Evaluate(ts, rep)
	}
}
