package load

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"sort"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// Schema names the JSON report format; readers refuse other schemas.
const Schema = "flireo-sim/load-report/v1"

// Report is the result of a load run (or of merging several): everything
// the summary, the thresholds and the HTML report show, plus the histograms
// that make merging exact.
type Report struct {
	Schema     string            `json:"schema"`
	Version    string            `json:"flireo_sim_version,omitempty"`
	Verdict    string            `json:"verdict"` // "pass" or "fail" (a threshold failed, no call completed, the target was down)
	Run        RunInfo           `json:"run"`
	Calls      CallStats         `json:"calls"`
	Events     []*EventStats     `json:"events"`     // per event type, in lifecycle order
	All        *EventStats       `json:"all_events"` // every event together
	Checks     []CheckStat       `json:"failed_checks"`
	StartLag   *Hist             `json:"start_lag_histogram"` // how late calls started against their schedule
	Series     Series            `json:"series"`
	Thresholds []ThresholdResult `json:"thresholds"`
	Slowest    []SlowCall        `json:"slowest_calls"`
}

// RunInfo says what was run.
type RunInfo struct {
	Target      string    `json:"target"`
	Dialect     string    `json:"dialect"`
	Pace        string    `json:"pace"`
	Seed        int64     `json:"seed"`
	Clock       string    `json:"clock,omitempty"`  // the fixed clock (RFC 3339) or "now"
	Replay      string    `json:"replay,omitempty"` // the flags that replay the run: --seed, --clock
	Schedule    string    `json:"schedule"`
	DurationS   float64   `json:"duration_s"`
	MaxInFlight int       `json:"max_in_flight"`
	Mix         string    `json:"mix,omitempty"`
	Shards      []string  `json:"shards,omitempty"` // "i/n" of each shard merged in (one entry for a sharded run)
	StartedAt   time.Time `json:"started_at"`
	EndedAt     time.Time `json:"ended_at"`
	ElapsedS    float64   `json:"elapsed_s"`
	// Interrupted: the run was stopped (Ctrl-C, SIGTERM) before its end and
	// the report covers what happened until then.
	Interrupted bool `json:"interrupted"`
	// Aborted names the threshold that stopped the run early (--abort-on-fail).
	Aborted    string   `json:"aborted,omitempty"`
	Thresholds []string `json:"threshold_exprs,omitempty"`
	// Unreachable says why the run never started: the pre-flight check
	// could not connect to the target.
	Unreachable string `json:"unreachable,omitempty"`
	// GraceS is how long calls still live when the schedule ended could
	// take to finish (calls cut off then count as interrupted).
	GraceS float64 `json:"grace_s,omitempty"`
	// MissingShards are the shards ("i/n") of a sharded run that a merge
	// did not get: the merged figures leave their calls out.
	MissingShards []string `json:"missing_shards,omitempty"`
}

// CallStats count calls by outcome. Started = Completed + Rejected + Failed +
// Interrupted; Scheduled = Started + Dropped.
type CallStats struct {
	Scheduled   int64 `json:"scheduled"`
	Started     int64 `json:"started"`
	Completed   int64 `json:"completed"`   // played to the end with no failed must check and no failed delivery
	Rejected    int64 `json:"rejected"`    // the server refused the call ({"error": …} to assistant-request)
	Failed      int64 `json:"failed"`      // a failed must check or delivery (timeout, refused, non-2xx…)
	Dropped     int64 `json:"dropped"`     // could not start on schedule: --max-in-flight calls were live
	Interrupted int64 `json:"interrupted"` // still live when the run stopped
	MaxLive     int64 `json:"max_live"`
}

// EventStats are the figures of one event type (or of all events).
type EventStats struct {
	Event          string           `json:"event"`
	Count          int64            `json:"count"`
	OK             int64            `json:"ok"`       // 2xx replies read completely within the deadline
	OKShare        float64          `json:"ok_share"` // OK / Count
	Timeouts       int64            `json:"timeouts"`
	Errors         int64            `json:"errors"` // every delivery without a usable 2xx reply, timeouts included
	ErrorsByClass  map[string]int64 `json:"errors_by_class"`
	DeadlineMisses int64            `json:"deadline_misses"` // replies (or none) later than the deadline
	ChecksFailed   map[string]int64 `json:"checks_failed"`
	BytesSent      int64            `json:"bytes_sent"`
	BytesReceived  int64            `json:"bytes_received"`
	Latency        Latency          `json:"latency_ms"`
	Hist           *Hist            `json:"latency_histogram"`
	// Lateness is how long after its deadline each timeout fired (the
	// simulator's own precision), LatenessMS its figures.
	Lateness   *Hist   `json:"timeout_lateness_histogram"`
	LatenessMS Latency `json:"timeout_lateness_ms"`
}

// Latency are the latency figures in milliseconds, read from the histogram.
type Latency struct {
	Min  float64 `json:"min"`
	Mean float64 `json:"mean"`
	P50  float64 `json:"p50"`
	P90  float64 `json:"p90"`
	P95  float64 `json:"p95"`
	P99  float64 `json:"p99"`
	P999 float64 `json:"p99_9"`
	Max  float64 `json:"max"`
}

// CheckStat counts the failures of one check.
type CheckStat struct {
	Check    string `json:"check"`
	Severity string `json:"severity"`
	Failed   int64  `json:"failed"`
}

// Series is the run over time.
type Series struct {
	IntervalS float64  `json:"interval_s"`
	Points    []*Point `json:"points"`
}

// Point is one interval of the run.
type Point struct {
	T       float64                `json:"t"` // seconds since the start
	Started int64                  `json:"started"`
	Dropped int64                  `json:"dropped"`
	Ended   int64                  `json:"ended"`
	Failed  int64                  `json:"failed"`
	Live    int64                  `json:"live"` // at the end of the interval
	Events  map[string]*PointEvent `json:"events"`
}

// PointEvent is one event type within one interval.
type PointEvent struct {
	Count    int64 `json:"count"`
	Errors   int64 `json:"errors"`
	Timeouts int64 `json:"timeouts"`
	Hist     *Hist `json:"latency_histogram"`
}

// SlowCall is one of the calls whose slowest reply was slowest.
type SlowCall struct {
	Number       int      `json:"number"`
	ID           string   `json:"id"`
	Intent       string   `json:"intent"`
	Outcome      string   `json:"outcome"`
	Exchanges    int      `json:"exchanges"`
	Event        string   `json:"slowest_event"`
	LatencyMS    float64  `json:"slowest_latency_ms"`
	Status       int      `json:"slowest_status"`
	Failure      string   `json:"slowest_failure,omitempty"`
	WallS        float64  `json:"wall_s"`
	FailedChecks []string `json:"failed_checks,omitempty"`
	Replay       string   `json:"replay"` // the flireo-sim call command that plays this call again
}

// ms converts a duration to milliseconds.
func ms(d time.Duration) float64 { return math.Round(float64(d)/1e3) / 1e3 }

// finish fills the derived figures from the counts and histograms.
func (e *EventStats) finish() {
	if e.Hist == nil {
		e.Hist = &Hist{}
	}
	if e.Lateness == nil {
		e.Lateness = &Hist{}
	}
	if e.ErrorsByClass == nil {
		e.ErrorsByClass = map[string]int64{}
	}
	if e.ChecksFailed == nil {
		e.ChecksFailed = map[string]int64{}
	}
	e.OKShare = 0
	if e.Count > 0 {
		e.OKShare = float64(e.OK) / float64(e.Count)
	}
	e.Latency = latencyOf(e.Hist)
	e.LatenessMS = latencyOf(e.Lateness)
}

func latencyOf(h *Hist) Latency {
	return Latency{
		Min: ms(h.Quantile(0)), Mean: ms(h.Mean()), P50: ms(h.Quantile(.5)), P90: ms(h.Quantile(.9)),
		P95: ms(h.Quantile(.95)), P99: ms(h.Quantile(.99)), P999: ms(h.Quantile(.999)), Max: ms(h.Quantile(1)),
	}
}

// add merges o into e exactly.
func (e *EventStats) add(o *EventStats) {
	e.Count += o.Count
	e.OK += o.OK
	e.Timeouts += o.Timeouts
	e.Errors += o.Errors
	e.DeadlineMisses += o.DeadlineMisses
	e.BytesSent += o.BytesSent
	e.BytesReceived += o.BytesReceived
	if e.ErrorsByClass == nil {
		e.ErrorsByClass = map[string]int64{}
	}
	for k, v := range o.ErrorsByClass {
		e.ErrorsByClass[k] += v
	}
	if e.ChecksFailed == nil {
		e.ChecksFailed = map[string]int64{}
	}
	for k, v := range o.ChecksFailed {
		e.ChecksFailed[k] += v
	}
	if e.Hist == nil {
		e.Hist = &Hist{}
	}
	e.Hist.Merge(o.Hist)
	if e.Lateness == nil {
		e.Lateness = &Hist{}
	}
	e.Lateness.Merge(o.Lateness)
}

// Event returns the figures of one event type, or nil when none was sent.
func (r *Report) Event(ev sim.EventType) *EventStats {
	for _, e := range r.Events {
		if e.Event == string(ev) {
			return e
		}
	}
	return nil
}

// Unanswered reports a run in which events were sent and none got a usable
// reply (a target that is down or answers nothing whole).
func (r *Report) Unanswered() bool {
	return r.All != nil && r.All.Count > 0 && r.All.OK == 0 && !r.Run.Interrupted
}

// noneCompleted reports a run (not stopped by the pre-flight check) in
// which no call was played to its end: nothing was shown to work.
func (r *Report) noneCompleted() bool {
	return r.Calls.Completed == 0 && r.Run.Unreachable == ""
}

// Failed reports whether a threshold failed.
func (r *Report) Failed() bool {
	for _, t := range r.Thresholds {
		if !t.OK {
			return true
		}
	}
	return false
}

// finish computes every derived figure and the verdict.
func (r *Report) finish() {
	r.Schema = Schema
	all := &EventStats{Event: "all"}
	sort.SliceStable(r.Events, func(i, j int) bool { return eventOrder(r.Events[i].Event) < eventOrder(r.Events[j].Event) })
	for _, e := range r.Events {
		e.finish()
		all.add(e)
	}
	all.finish()
	r.All = all
	if r.StartLag == nil {
		r.StartLag = &Hist{}
	}
	if r.Checks == nil {
		r.Checks = []CheckStat{}
	}
	if r.Thresholds == nil {
		r.Thresholds = []ThresholdResult{}
	}
	if r.Slowest == nil {
		r.Slowest = []SlowCall{}
	}
	if r.Series.Points == nil {
		r.Series.Points = []*Point{}
	}
	r.Verdict = "pass"
	if r.Failed() || r.Unanswered() || r.noneCompleted() || r.Run.Unreachable != "" {
		r.Verdict = "fail"
	}
}

func eventOrder(name string) int {
	for i, e := range sim.EventTypes {
		if string(e) == name {
			return i
		}
	}
	return len(sim.EventTypes)
}

// WriteJSON writes the report as compact JSON on one line (histograms make
// indented reports long: pipe through jq to read it).
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(r)
}

// SchemaError is a JSON document that is not a report of this Schema.
type SchemaError struct {
	Schema string // the document's schema ("" for none)
}

func (e *SchemaError) Error() string {
	return fmt.Sprintf("schema %q is not %q: give a JSON report written by a load run", e.Schema, Schema)
}

// ReadJSON reads a report written by WriteJSON and checks its schema. The
// report may be surrounded by other lines (a pod's log, where stderr and
// stdout mix): the line that holds the report is found.
func ReadJSON(rd io.Reader) (*Report, error) {
	var head struct {
		Schema string `json:"schema"`
	}
	b, err := io.ReadAll(rd)
	if err != nil {
		return nil, err
	}
	if !json.Valid(b) {
		marker := []byte(`{"schema":"` + Schema + `"`)
		for _, line := range bytes.Split(b, []byte("\n")) {
			if bytes.HasPrefix(bytes.TrimSpace(line), marker) {
				b = line
				break
			}
		}
	}
	if err := json.Unmarshal(b, &head); err != nil {
		return nil, fmt.Errorf("not a JSON load report: %v", err)
	}
	if head.Schema != Schema {
		return nil, &SchemaError{Schema: head.Schema}
	}
	var r Report
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, fmt.Errorf("load report: %v", err)
	}
	r.finish()
	return &r, nil
}

// maxSlowest is how many slowest calls a report keeps.
const maxSlowest = 20

func sortSlowest(s []SlowCall) {
	sort.SliceStable(s, func(i, j int) bool {
		if s[i].LatencyMS != s[j].LatencyMS {
			return s[i].LatencyMS > s[j].LatencyMS
		}
		return s[i].Number < s[j].Number
	})
}
