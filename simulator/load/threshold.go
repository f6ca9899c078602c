package load

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
)

// Threshold is a pass/fail criterion in the style of k6:
//
//	[EVENT.]METRIC OP VALUE
//
// EVENT is an event type (assistant-request, tool-calls, status-update,
// end-of-call-report); without it the metric covers every event. METRIC is
//
//   - a latency: p50, p90, p95, p99, p99.9, max, min, mean (avg); VALUE is a
//     duration (800ms, 1s, 250us);
//   - an event count: timeouts, errors, deadline-misses, count, and 2xx (the
//     share of 2xx replies); VALUE is a count or a percentage of the events
//     in scope (timeouts<0.1%, 2xx>=99.9%);
//   - a failed-check count: checks.must, checks.should or checks.CHECK-ID,
//     a count or a percentage of the events in scope;
//   - a call count (no EVENT, optional "calls." prefix): dropped, failed,
//     rejected, interrupted, completed, started; a count or a percentage (of
//     scheduled calls for dropped, of started calls for the others).
//
// OP is one of < <= > >= == !=.
type Threshold struct {
	Expr   string
	Scope  string // "" (every event) or an event type
	Metric string
	Op     string
	Value  float64 // seconds for latencies, a count, or a fraction (0.001 for 0.1%)
	Kind   valueKind
}

type valueKind int

const (
	kindDuration valueKind = iota
	kindCount
	kindPercent
)

var latencyMetrics = map[string]float64{"p50": .5, "p90": .9, "p95": .95, "p99": .99, "p99.9": .999, "max": 1, "min": 0, "mean": -1, "avg": -1}

var eventMetrics = map[string]bool{"timeouts": true, "errors": true, "deadline-misses": true, "count": true, "2xx": true}

var callMetrics = map[string]bool{"dropped": true, "failed": true, "rejected": true, "interrupted": true, "completed": true, "started": true}

var ops = []string{"<=", ">=", "==", "!=", "<", ">"}

// ParseThreshold reads one threshold expression.
func ParseThreshold(expr string) (Threshold, error) {
	t := Threshold{Expr: strings.TrimSpace(expr)}
	s := strings.ReplaceAll(t.Expr, " ", "")
	opAt, op := findOp(s)
	if opAt <= 0 {
		return t, fmt.Errorf("threshold %q: write [EVENT.]METRIC OP VALUE, e.g. assistant-request.p99<1s, timeouts<0.1%%, dropped==0", expr)
	}
	t.Op = op
	lhs, rhs := s[:opAt], s[opAt+len(t.Op):]
	t.Scope, t.Metric = splitScope(lhs)
	if rest, ok := strings.CutPrefix(t.Metric, "calls."); ok && t.Scope == "" {
		t.Metric = rest
		if !callMetrics[rest] {
			return t, fmt.Errorf("threshold %q: calls.%s is not a call metric; use dropped, failed, rejected, interrupted, completed or started", expr, rest)
		}
	}
	if rhs == "" {
		return t, fmt.Errorf("threshold %q: no value after %s", expr, t.Op)
	}
	return t, t.parseValue(expr, rhs)
}

// findOp returns the position and the operator of the first operator in s
// (-1 when there is none).
func findOp(s string) (int, string) {
	for i := 0; i < len(s); i++ {
		for _, op := range ops {
			if strings.HasPrefix(s[i:], op) {
				return i, op
			}
		}
	}
	return -1, ""
}

// splitScope splits EVENT.METRIC into its event type ("" for none) and its
// metric.
func splitScope(lhs string) (scope, metric string) {
	metric = lhs
	for _, ev := range sim.EventTypes {
		if rest, ok := strings.CutPrefix(lhs, string(ev)+"."); ok {
			scope, metric = string(ev), rest
		}
	}
	return scope, metric
}

// parseValue reads the value after the operator, in the metric's unit.
func (t *Threshold) parseValue(expr, rhs string) error {
	switch {
	case latencyMetrics[t.Metric] != 0 || t.Metric == "min":
		d, err := time.ParseDuration(rhs)
		if err != nil {
			return fmt.Errorf("threshold %q: %s is a latency, so the value needs a unit, e.g. 800ms or 1s", expr, t.Metric)
		}
		t.Kind, t.Value = kindDuration, d.Seconds()
		return nil
	case eventMetrics[t.Metric] || strings.HasPrefix(t.Metric, "checks.") || callMetrics[t.Metric]:
		if err := t.checkCountMetric(expr); err != nil {
			return err
		}
		return t.parseCount(expr, rhs)
	}
	return fmt.Errorf("threshold %q: unknown metric %q; use p50, p90, p95, p99, p99.9, max, mean, timeouts, errors, deadline-misses, 2xx, checks.must, checks.should, dropped, failed, rejected", expr, t.Metric)
}

// checkCountMetric refuses a call metric with an event type and an unknown
// check.
func (t *Threshold) checkCountMetric(expr string) error {
	if callMetrics[t.Metric] && t.Scope != "" {
		return fmt.Errorf("threshold %q: %s counts calls, not events: drop the %s. prefix", expr, t.Metric, t.Scope)
	}
	if c, ok := strings.CutPrefix(t.Metric, "checks."); ok && c != "must" && c != "should" {
		if _, known := check.Find(c); !known {
			return fmt.Errorf("threshold %q: unknown check %q: use checks.must, checks.should or one of %s", expr, c, strings.Join(check.IDs(), ", "))
		}
	}
	return nil
}

// parseCount reads a count or a percentage.
func (t *Threshold) parseCount(expr, rhs string) error {
	if p, ok := strings.CutSuffix(rhs, "%"); ok {
		f, err := strconv.ParseFloat(p, 64)
		if err != nil || f < 0 {
			return fmt.Errorf("threshold %q: %q is not a percentage such as 0.1%%", expr, rhs)
		}
		t.Kind, t.Value = kindPercent, f/100
		return nil
	}
	f, err := strconv.ParseFloat(rhs, 64)
	if err != nil || f < 0 {
		return fmt.Errorf("threshold %q: %q is not a count (such as 0) or a percentage (such as 0.1%%)", expr, rhs)
	}
	if t.Metric == "2xx" {
		return fmt.Errorf("threshold %q: 2xx is a share: give a percentage such as 99.9%%", expr)
	}
	t.Kind, t.Value = kindCount, f
	return nil
}

// ThresholdResult is a threshold evaluated on a report.
type ThresholdResult struct {
	Expr    string  `json:"expr"`
	OK      bool    `json:"ok"`
	Actual  string  `json:"actual"`  // the measured value, in the threshold's unit
	Detail  string  `json:"detail"`  // for failures: by how much
	Samples int64   `json:"samples"` // events or calls it was measured on
	Value   float64 `json:"value"`   // the measured value (seconds, count or fraction)
}

// Evaluate checks every threshold against the report's figures.
func Evaluate(ts []Threshold, r *Report) []ThresholdResult {
	out := make([]ThresholdResult, 0, len(ts))
	for _, t := range ts {
		out = append(out, t.Eval(r))
	}
	return out
}

// Eval checks the threshold against a report.
func (t Threshold) Eval(r *Report) ThresholdResult {
	v, n := t.measure(r)
	res := ThresholdResult{Expr: t.Expr, Samples: n, Value: v}
	res.OK = compare(v, t.Op, t.Value)
	res.Actual = t.format(v)
	if t.Kind == kindPercent {
		res.Actual = fmt.Sprintf("%s (%s of %d)", res.Actual, trimFloat(v*float64(n)), n)
	}
	if n == 0 && t.Kind != kindCount {
		res.Actual = "no samples"
	}
	if res.OK {
		res.Detail = res.Actual
		return res
	}
	diff := math.Abs(v - t.Value)
	switch t.Op {
	case "<", "<=":
		res.Detail = fmt.Sprintf("%s, %s over the limit %s", res.Actual, t.formatDiff(diff), t.format(t.Value))
	case ">", ">=":
		res.Detail = fmt.Sprintf("%s, %s under the limit %s", res.Actual, t.formatDiff(diff), t.format(t.Value))
	case "==":
		res.Detail = fmt.Sprintf("%s, expected %s (off by %s)", res.Actual, t.format(t.Value), t.formatDiff(diff))
	default:
		res.Detail = fmt.Sprintf("%s, which must differ from %s", res.Actual, t.format(t.Value))
	}
	return res
}

func compare(v float64, op string, limit float64) bool {
	const eps = 1e-12
	switch op {
	case "<":
		return v < limit-eps
	case "<=":
		return v <= limit+eps
	case ">":
		return v > limit+eps
	case ">=":
		return v >= limit-eps
	case "==":
		return math.Abs(v-limit) <= eps
	}
	return math.Abs(v-limit) > eps
}

// measure returns the metric's value and the number of samples behind it.
func (t Threshold) measure(r *Report) (float64, int64) {
	if callMetrics[t.Metric] {
		n, base := callCount(r.Calls, t.Metric)
		return t.scale(n, base), base
	}
	e := r.All
	if t.Scope != "" {
		e = r.Event(sim.EventType(t.Scope))
	}
	if e == nil {
		e = &EventStats{Hist: &Hist{}}
	}
	if q, ok := latencyMetrics[t.Metric]; ok {
		if q < 0 {
			return e.Hist.Mean().Seconds(), e.Count
		}
		return e.Hist.Quantile(q).Seconds(), e.Count
	}
	return t.scale(t.eventCount(r, e), e.Count), e.Count
}

// callCount returns the calls counted by a call metric and the calls it is
// a share of.
func callCount(c CallStats, metric string) (n, base int64) {
	switch metric {
	case "dropped":
		return c.Dropped, c.Scheduled
	case "failed":
		return c.Failed, c.Started
	case "rejected":
		return c.Rejected, c.Started
	case "interrupted":
		return c.Interrupted, c.Started
	case "completed":
		return c.Completed, c.Started
	case "started":
		return c.Started, c.Scheduled
	}
	return 0, 0
}

// eventCount returns the events of e counted by an event or check metric.
func (t Threshold) eventCount(r *Report, e *EventStats) int64 {
	switch t.Metric {
	case "timeouts":
		return e.Timeouts
	case "errors":
		return e.Errors
	case "deadline-misses":
		return e.DeadlineMisses
	case "count":
		return e.Count
	case "2xx":
		return e.OK
	}
	return t.checkFailures(r, e)
}

func (t Threshold) checkFailures(r *Report, e *EventStats) int64 {
	c, _ := strings.CutPrefix(t.Metric, "checks.")
	var n int64
	for id, k := range e.ChecksFailed {
		if id == c {
			n += k
			continue
		}
		if c == "must" || c == "should" {
			if ch, ok := check.Find(id); ok && string(ch.Severity) == c {
				n += k
			} else if !ok {
				for _, cs := range r.Checks {
					if cs.Check == id && cs.Severity == c {
						n += k
					}
				}
			}
		}
	}
	return n
}

func (t Threshold) scale(n, base int64) float64 {
	if t.Kind != kindPercent {
		return float64(n)
	}
	if base == 0 {
		return 0
	}
	return float64(n) / float64(base)
}

func (t Threshold) format(v float64) string {
	switch t.Kind {
	case kindDuration:
		return fmtDur(time.Duration(v * float64(time.Second)))
	case kindPercent:
		return trimFloat(v*100) + "%"
	}
	return trimFloat(v)
}

func (t Threshold) formatDiff(d float64) string {
	if t.Kind == kindPercent {
		return trimFloat(d*100) + " points"
	}
	return t.format(d)
}

func trimFloat(f float64) string {
	if f == math.Trunc(f) && math.Abs(f) < 1e15 {
		return strconv.FormatInt(int64(f), 10)
	}
	s := strconv.FormatFloat(f, 'f', 4, 64)
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// final reports whether a breach of t can no longer heal as the run goes on:
// a count that only grows has passed an upper limit.
func (t Threshold) final() bool {
	return t.Kind == kindCount && (t.Op == "<" || t.Op == "<=" || t.Op == "==") && t.Metric != "completed" && t.Metric != "started" && t.Metric != "count" && t.Metric != "2xx"
}

// minAbortSamples is how many samples a percentile or percentage needs
// before --abort-on-fail acts on it.
const minAbortSamples = 100

// breached returns the first threshold that fails on a live report in a
// way that justifies stopping the run: a final count breach at once, other
// thresholds once they have minAbortSamples samples.
func breached(ts []Threshold, r *Report) (ThresholdResult, bool) {
	for _, t := range ts {
		res := t.Eval(r)
		if res.OK {
			continue
		}
		if t.final() || res.Samples >= minAbortSamples {
			return res, true
		}
	}
	return ThresholdResult{}, false
}
