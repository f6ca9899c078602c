package load

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseThreshold(t *testing.T) {
	cases := []struct {
		expr              string
		scope, metric, op string
		value             float64
		kind              valueKind
	}{
		{"assistant-request.p99<1s", "assistant-request", "p99", "<", 1, kindDuration},
		{"tool-calls.p95 < 800ms", "tool-calls", "p95", "<", 0.8, kindDuration},
		{"p99.9<=2s", "", "p99.9", "<=", 2, kindDuration},
		{"timeouts<0.1%", "", "timeouts", "<", 0.001, kindPercent},
		{"errors==0", "", "errors", "==", 0, kindCount},
		{"dropped==0", "", "dropped", "==", 0, kindCount},
		{"calls.failed<1%", "", "failed", "<", 0.01, kindPercent},
		{"checks.must==0", "", "checks.must", "==", 0, kindCount},
		{"end-of-call-report.checks.http-2xx==0", "end-of-call-report", "checks.http-2xx", "==", 0, kindCount},
		{"2xx>=99.9%", "", "2xx", ">=", 0.999, kindPercent},
		{"status-update.mean!=0s", "status-update", "mean", "!=", 0, kindDuration},
	}
	for _, c := range cases {
		th, err := ParseThreshold(c.expr)
		require.NoError(t, err, c.expr)
		assert.Equal(t, c.scope, th.Scope, c.expr)
		assert.Equal(t, c.metric, th.Metric, c.expr)
		assert.Equal(t, c.op, th.Op, c.expr)
		assert.InDelta(t, c.value, th.Value, 1e-12, c.expr)
		assert.Equal(t, c.kind, th.Kind, c.expr)
	}
	bad := map[string]string{
		"p99":                          "write [EVENT.]METRIC OP VALUE",
		"p99<fast":                     "needs a unit",
		"p99<100":                      "needs a unit",
		"latency<1s":                   "unknown metric",
		"checks.nope==0":               "unknown check",
		"assistant-request.dropped==0": "counts calls",
		"2xx>99":                       "percentage",
		"timeouts<":                    "no value",
		"timeouts<-1":                  "not a count",
		"calls.p99<1s":                 "not a call metric",
	}
	for expr, want := range bad {
		_, err := ParseThreshold(expr)
		assert.ErrorContains(t, err, want, expr)
	}
}

// sample is a report with known figures.
func sample() *Report {
	ar := &EventStats{Event: "assistant-request", Count: 1000, OK: 990, Timeouts: 4, Errors: 10,
		ErrorsByClass: map[string]int64{"timeout": 4, "http-5xx": 6}, ChecksFailed: map[string]int64{"assistant-request-deadline": 4, "http-2xx": 6}, Hist: &Hist{}}
	for i := range 1000 {
		d := time.Duration(i+1) * time.Millisecond // p50 = 500ms, p99 = 990ms, max = 1s
		var h Histogram
		h.Record(d)
		ar.Hist.Merge(h.Snapshot(false))
	}
	su := &EventStats{Event: "status-update", Count: 2000, OK: 2000, Hist: &Hist{}, ChecksFailed: map[string]int64{"ack-deadline": 3}}
	r := &Report{Events: []*EventStats{ar, su}, Calls: CallStats{Scheduled: 1010, Started: 1000, Dropped: 10, Completed: 990, Failed: 10},
		Checks: []CheckStat{{"assistant-request-deadline", "must", 4}, {"http-2xx", "must", 6}, {"ack-deadline", "should", 3}}}
	r.finish()
	return r
}

func TestEvaluateThresholds(t *testing.T) {
	r := sample()
	cases := []struct {
		expr   string
		ok     bool
		detail string
	}{
		{"assistant-request.p99<1s", true, ""},
		{"assistant-request.p99<900ms", false, "over the limit 900ms"},
		{"assistant-request.p50<=505ms", true, ""},
		{"assistant-request.max==1s", true, ""},
		{"timeouts<0.1%", false, "0.1333% (4 of 3000), 0.0333 points over the limit 0.1%"},
		{"timeouts<=4", true, ""},
		{"errors==0", false, "10, expected 0 (off by 10)"},
		{"status-update.errors==0", true, ""},
		{"dropped==0", false, "10, expected 0"},
		{"dropped<1%", true, ""},
		{"failed<1%", false, "1% (10 of 1000)"},
		{"checks.must==0", false, "10, expected 0"},
		{"checks.should<=3", true, ""},
		{"assistant-request.checks.http-2xx==6", true, ""},
		{"2xx>=99.9%", false, "under the limit 99.9%"},
		{"tool-calls.p99<1s", true, "no samples"},
	}
	for _, c := range cases {
		th, err := ParseThreshold(c.expr)
		require.NoError(t, err, c.expr)
		res := th.Eval(r)
		assert.Equal(t, c.ok, res.OK, "%s: %s", c.expr, res.Detail)
		assert.Contains(t, res.Detail, c.detail, c.expr)
	}
}

func TestAbortOnlyOnSettledBreaches(t *testing.T) {
	r := sample()
	p99, _ := ParseThreshold("assistant-request.p99<900ms")
	errs, _ := ParseThreshold("errors==0")
	_, bad := breached([]Threshold{p99}, r)
	assert.True(t, bad, "1000 samples are enough to act on a percentile")
	small := &Report{Events: []*EventStats{{Event: "assistant-request", Count: 5, Errors: 1, Hist: r.Events[0].Hist}}}
	small.finish()
	_, bad = breached([]Threshold{p99}, small)
	assert.False(t, bad, "a percentile on 5 samples does not stop the run")
	res, bad := breached([]Threshold{p99, errs}, small)
	assert.True(t, bad, "a count over its limit never heals")
	assert.Equal(t, "errors==0", res.Expr)
}
