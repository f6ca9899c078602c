package load

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
)

// Merge combines reports of the shards of one run (or of separate runs)
// exactly: counts add up, histograms merge bucket by bucket, time series are
// aligned on their offsets from each run's start. The thresholds are
// evaluated again on the merged figures: those given, or else every
// expression the reports were run with.
func Merge(reports []*Report, thresholds []Threshold) (*Report, error) {
	if len(reports) == 0 {
		return nil, fmt.Errorf("nothing to merge: give at least one JSON report")
	}
	m := newMerger(reports)
	for i, r := range reports {
		m.add(i, r)
	}
	out := m.result()
	if thresholds == nil {
		var err error
		if thresholds, err = parseThresholds(m.exprs); err != nil {
			return nil, err
		}
	}
	out.Run.Thresholds = nil
	for _, t := range thresholds {
		out.Run.Thresholds = append(out.Run.Thresholds, t.Expr)
	}
	out.finish()
	out.Thresholds = Evaluate(thresholds, out)
	out.finish()
	return out, nil
}

// parseThresholds reads the threshold expressions of merged reports.
func parseThresholds(exprs []string) ([]Threshold, error) {
	var ts []Threshold
	for _, x := range exprs {
		t, err := ParseThreshold(x)
		if err != nil {
			return nil, fmt.Errorf("threshold %q in a report: %v", x, err)
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// merger adds reports up, one after the other.
type merger struct {
	out      *Report
	events   map[string]*EventStats
	checks   map[string]*CheckStat
	points   map[int]*Point // by interval index
	interval float64        // the coarsest of the reports' intervals
	exprs    []string       // the reports' threshold expressions, first seen first
	notes    []string       // why reports were aborted
}

func newMerger(reports []*Report) *merger {
	out := &Report{Run: reports[0].Run, StartLag: &Hist{}}
	out.Run.Shards = nil
	out.Run.MissingShards = nil
	out.Run.Interrupted = false
	out.Run.Aborted = ""
	var interval float64
	for _, r := range reports {
		interval = max(interval, r.Series.IntervalS)
	}
	if interval <= 0 {
		interval = 1
	}
	return &merger{out: out, events: map[string]*EventStats{}, checks: map[string]*CheckStat{},
		points: map[int]*Point{}, interval: interval}
}

// add merges report i.
func (m *merger) add(i int, r *Report) {
	if i > 0 {
		m.out.Run.widen(r.Run)
	}
	m.addRun(r.Run)
	m.out.Calls.add(r.Calls)
	for _, e := range r.Events {
		m.event(e.Event).add(e)
	}
	for _, ch := range r.Checks {
		c := m.checks[ch.Check]
		if c == nil {
			c = &CheckStat{Check: ch.Check, Severity: ch.Severity}
			m.checks[ch.Check] = c
		}
		c.Failed += ch.Failed
	}
	m.out.StartLag.Merge(r.StartLag)
	for _, p := range r.Series.Points {
		m.point(p.T).add(p)
	}
	m.out.Slowest = append(m.out.Slowest, r.Slowest...)
}

// widen makes the run info of the first report cover another's run.
func (ri *RunInfo) widen(o RunInfo) {
	if o.Target != ri.Target {
		ri.Target = joinDistinct(ri.Target, o.Target)
	}
	if o.Dialect != ri.Dialect {
		ri.Dialect = joinDistinct(ri.Dialect, o.Dialect)
	}
	if o.StartedAt.Before(ri.StartedAt) {
		ri.StartedAt = o.StartedAt
	}
	if o.EndedAt.After(ri.EndedAt) {
		ri.EndedAt = o.EndedAt
	}
	ri.DurationS = max(ri.DurationS, o.DurationS)
	ri.GraceS = max(ri.GraceS, o.GraceS)
	ri.MaxInFlight += o.MaxInFlight
}

// addRun notes a report's shards, interruption, abort and thresholds.
func (m *merger) addRun(ri RunInfo) {
	if len(ri.Shards) > 0 {
		m.out.Run.Shards = append(m.out.Run.Shards, ri.Shards...)
	} else {
		m.out.Run.Shards = append(m.out.Run.Shards, "whole")
	}
	if ri.Interrupted {
		m.out.Run.Interrupted = true
	}
	if ri.Aborted != "" {
		m.notes = append(m.notes, ri.Aborted)
	}
	for _, x := range ri.Thresholds {
		if !slices.Contains(m.exprs, x) {
			m.exprs = append(m.exprs, x)
		}
	}
}

// add adds o's counts to c.
func (c *CallStats) add(o CallStats) {
	c.Scheduled += o.Scheduled
	c.Started += o.Started
	c.Completed += o.Completed
	c.Rejected += o.Rejected
	c.Failed += o.Failed
	c.Dropped += o.Dropped
	c.Interrupted += o.Interrupted
	c.MaxLive += o.MaxLive // an upper bound: the shards' peaks need not coincide
}

// event is the merged figures of one event type.
func (m *merger) event(name string) *EventStats {
	e := m.events[name]
	if e == nil {
		e = &EventStats{Event: name}
		m.events[name] = e
	}
	return e
}

// point is the merged point of the interval that holds time t.
func (m *merger) point(t float64) *Point {
	k := int(math.Floor(t/m.interval + 1e-9))
	p := m.points[k]
	if p == nil {
		p = &Point{T: float64(k) * m.interval, Events: map[string]*PointEvent{}}
		m.points[k] = p
	}
	return p
}

// add adds point o to p.
func (p *Point) add(o *Point) {
	p.Started += o.Started
	p.Dropped += o.Dropped
	p.Ended += o.Ended
	p.Failed += o.Failed
	p.Live += o.Live
	for name, oe := range o.Events {
		pe := p.Events[name]
		if pe == nil {
			pe = &PointEvent{Hist: &Hist{}}
			p.Events[name] = pe
		}
		pe.Count += oe.Count
		pe.Errors += oe.Errors
		pe.Timeouts += oe.Timeouts
		pe.Hist.Merge(oe.Hist)
	}
}

// result is the merged report, before thresholds and derived figures.
func (m *merger) result() *Report {
	out := m.out
	out.Run.ElapsedS = out.Run.EndedAt.Sub(out.Run.StartedAt).Seconds()
	out.Run.MissingShards = missingShards(out.Run.Shards)
	if len(m.notes) > 0 {
		out.Run.Aborted = strings.Join(m.notes, "; ")
	}
	for _, k := range slices.Sorted(maps.Keys(m.events)) {
		out.Events = append(out.Events, m.events[k])
	}
	for _, k := range slices.Sorted(maps.Keys(m.checks)) {
		out.Checks = append(out.Checks, *m.checks[k])
	}
	out.Series.IntervalS = m.interval
	for _, k := range slices.Sorted(maps.Keys(m.points)) {
		out.Series.Points = append(out.Series.Points, m.points[k])
	}
	sortSlowest(out.Slowest)
	if len(out.Slowest) > maxSlowest {
		out.Slowest = out.Slowest[:maxSlowest]
	}
	return out
}

func joinDistinct(a, b string) string {
	for _, p := range strings.Split(a, ", ") {
		if p == b {
			return a
		}
	}
	return a + ", " + b
}
