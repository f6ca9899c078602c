package load

import (
	"bytes"
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/internal/golden"
	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// goldenReport is a report of a shard built from fixed exchanges, calls
// and ticks, without a clock: the same every time, byte for byte.
func goldenReport(shard Shard, seed int64, ths []string) *Report {
	var ts []Threshold
	for _, x := range ths {
		t, err := ParseThreshold(x)
		if err != nil {
			panic(err)
		}
		ts = append(ts, t)
	}
	r := NewRunner(Config{Schedule: Constant(50, 20*time.Second), Shard: shard, Seed: seed, Thresholds: ts,
		Info: RunInfo{Target: "http://127.0.0.1:1/w", Dialect: "flireo", Pace: "instant"}, Mix: Mix{Intents: []sim.Intent{sim.BookAppointment}, Weights: []int{1}},
		Replay: func(n int, in sim.Intent) string { return fmt.Sprintf("replay %d %s", n, in) }})
	begin := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	for tick := 0; tick < 12; tick++ {
		for n := 0; n < 30; n++ {
			k := tick*30 + n
			ev := sim.EventTypes[k%4]
			st := 200
			var fail *sim.Failure
			var fs []sim.Finding
			switch {
			case k%17 == 0:
				st = 503
			case k%29 == 0:
				fail = &sim.Failure{Kind: sim.FailTimeout, Detail: "x"}
			case k%31 == 0:
				fs = append(fs, sim.Finding{Check: "http-2xx", Severity: sim.Must, Verdict: sim.Fail})
			case k%37 == 0:
				fs = append(fs, sim.Finding{Check: "zz-unknown", Severity: sim.Should, Verdict: sim.Fail})
			}
			lat := time.Duration((k*7919)%5000+1) * 97 * time.Microsecond
			if fail != nil {
				lat = 5*time.Second + time.Duration(k)*time.Millisecond
			}
			x := exch(ev, lat, st, fail, fs...)
			r.Observe(x)
			r.scheduled.Add(1)
			r.started.Add(1)
			r.lag.Record(time.Duration(k%13) * time.Millisecond)
			res := &sim.CallResult{Plan: &sim.CallPlan{Number: k + 1, ID: fmt.Sprint("c", k), Intent: sim.BookAppointment}, Exchanges: []*sim.Exchange{x}}
			outcome := "completed"
			if st != 200 || fail != nil {
				outcome = "failed"
				r.failed.Add(1)
			} else {
				r.completed.Add(1)
			}
			var err error
			if k%101 == 0 {
				err = errors.New("boom")
			}
			r.noteSlow(k+1, sim.BookAppointment, res, outcome, time.Duration(k)*time.Millisecond, err)
		}
		r.collect(time.Duration(tick)*700*time.Millisecond + 500*time.Millisecond)
	}
	r.flushPoint()
	rep := r.report(begin, begin.Add(20*time.Second+time.Duration(seed)*time.Millisecond))
	rep.Series = Series{IntervalS: r.cfg.Interval.Seconds(), Points: r.points}
	rep.finish()
	rep.Thresholds = Evaluate(r.cfg.Thresholds, rep)
	rep.finish()
	return rep
}

// generatedAt is the HTML report's generation time, left out of the
// comparison.
var generatedAt = regexp.MustCompile(`generated [^·]*`)

// The JSON and HTML reports and the summary of merged shards stay the same,
// byte for byte.
func TestReportsMatchGolden(t *testing.T) {
	ths := []string{"p99<300ms", "assistant-request.p95<1s", "errors<1%", "checks.must==0", "checks.should<3", "dropped==0", "2xx>=99%", "timeouts!=0", "calls.completed>=10"}
	a := goldenReport(Shard{0, 2}, 1, ths)
	b := goldenReport(Shard{1, 2}, 2, ths[:3])
	b.Run.Aborted = "threshold errors<1% failed"
	b.Run.Target = "http://127.0.0.1:2/w"
	merged, err := Merge([]*Report{a, b}, nil)
	require.NoError(t, err)
	var j, h, s bytes.Buffer
	require.NoError(t, merged.WriteJSON(&j))
	require.NoError(t, merged.WriteHTML(&h))
	merged.Summary(&s)
	golden.Check(t, "load/merged.json", j.Bytes())
	golden.Check(t, "load/merged.html", generatedAt.ReplaceAll(h.Bytes(), nil))
	golden.Check(t, "load/merged.txt", s.Bytes())
}

// The summary of a merge that misses a shard stays the same, byte for byte.
func TestPartialMergeMatchesGolden(t *testing.T) {
	a := goldenReport(Shard{0, 2}, 1, []string{"errors<1%"})
	partial, err := Merge([]*Report{a}, nil)
	require.NoError(t, err)
	var s bytes.Buffer
	partial.Summary(&s)
	golden.Check(t, "load/partial.txt", s.Bytes())
}
