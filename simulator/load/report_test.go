package load

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// runShard runs 60 calls (or the shard's part) whose latencies depend only
// on the call number.
func runShard(t *testing.T, shard Shard, thresholds ...string) *Report {
	t.Helper()
	var ts []Threshold
	for _, x := range thresholds {
		th, err := ParseThreshold(x)
		require.NoError(t, err)
		ts = append(ts, th)
	}
	r := NewRunner(Config{Schedule: Constant(200, 300*time.Millisecond), Shard: shard, Thresholds: ts, Seed: 9,
		Tick: 50 * time.Millisecond, Info: RunInfo{Target: "http://127.0.0.1:1/webhook", Dialect: "flireo", Pace: "instant"},
		Replay: func(n int, in sim.Intent) string { return "flireo-sim call --call " + string(rune('0'+n%10)) }})
	play := func(ctx context.Context, n int, intent sim.Intent) (*sim.CallResult, error) {
		res := &sim.CallResult{Plan: &sim.CallPlan{Number: n, ID: "c", Intent: sim.BookAppointment}}
		for i, ev := range []sim.EventType{sim.AssistantRequest, sim.StatusUpdate, sim.EndOfCallReport} {
			status := 200
			if ev == sim.EndOfCallReport && n%7 == 0 {
				status = 500
			}
			x := exch(ev, time.Duration(n*(i+1))*time.Millisecond, status, nil)
			r.Observe(x)
			res.Exchanges = append(res.Exchanges, x)
		}
		return res, nil
	}
	rep, err := r.Run(context.Background(), play)
	require.NoError(t, err)
	return rep
}

func TestShardedReportsMergeExactly(t *testing.T) {
	whole := runShard(t, Shard{0, 1}, "p99<1s", "errors==0")
	var parts []*Report
	for i := range 3 {
		rep := runShard(t, Shard{i, 3}, "p99<1s", "errors==0")
		// Through JSON, as the merge command reads them.
		var buf bytes.Buffer
		require.NoError(t, rep.WriteJSON(&buf))
		back, err := ReadJSON(&buf)
		require.NoError(t, err)
		parts = append(parts, back)
	}
	assert.Equal(t, int64(20), parts[0].Calls.Started)
	merged, err := Merge(parts, nil)
	require.NoError(t, err)
	assert.Equal(t, whole.Calls.Started, merged.Calls.Started)
	assert.Equal(t, whole.Calls.Failed, merged.Calls.Failed)
	assert.Equal(t, whole.Calls.Completed, merged.Calls.Completed)
	require.Len(t, merged.Events, 3)
	for i, e := range whole.Events {
		m := merged.Events[i]
		assert.Equal(t, e.Event, m.Event)
		assert.Equal(t, e.Count, m.Count)
		assert.Equal(t, e.Errors, m.Errors)
		assert.Equal(t, e.Hist, m.Hist, "%s: the merged histogram is the unsharded run's", e.Event)
		assert.Equal(t, e.Latency, m.Latency)
	}
	assert.Equal(t, whole.All.Hist, merged.All.Hist)
	assert.Equal(t, []string{"0/3", "1/3", "2/3"}, merged.Run.Shards)
	// The thresholds the shards ran with are evaluated on the merged figures.
	require.Len(t, merged.Thresholds, 2)
	assert.True(t, merged.Thresholds[0].OK)
	assert.False(t, merged.Thresholds[1].OK)
	assert.Equal(t, whole.Thresholds[1].Detail, merged.Thresholds[1].Detail)
	assert.Equal(t, "fail", merged.Verdict)
	var slowest []int
	for _, s := range merged.Slowest {
		slowest = append(slowest, s.Number)
	}
	assert.Equal(t, []int{60, 59, 58}, slowest[:3], "the slowest calls of all shards")

	// Thresholds given to merge replace the shards' own.
	th, _ := ParseThreshold("errors<10")
	merged, err = Merge(parts, []Threshold{th})
	require.NoError(t, err)
	require.Len(t, merged.Thresholds, 1)
	assert.True(t, merged.Thresholds[0].OK)
	assert.Equal(t, "pass", merged.Verdict)
}

func TestJSONReportSchema(t *testing.T) {
	rep := runShard(t, Shard{0, 1}, "assistant-request.p95<1s")
	var buf bytes.Buffer
	require.NoError(t, rep.WriteJSON(&buf))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &doc))
	for _, k := range []string{"schema", "verdict", "run", "calls", "events", "all_events", "failed_checks", "start_lag_histogram", "series", "thresholds", "slowest_calls"} {
		assert.Contains(t, doc, k)
	}
	assert.Equal(t, Schema, doc["schema"])
	ev := doc["events"].([]any)[0].(map[string]any)
	for _, k := range []string{"event", "count", "ok", "ok_share", "timeouts", "errors", "errors_by_class", "deadline_misses", "checks_failed", "latency_ms", "latency_histogram", "timeout_lateness_histogram"} {
		assert.Contains(t, ev, k)
	}
	lat := ev["latency_ms"].(map[string]any)
	for _, k := range []string{"p50", "p90", "p95", "p99", "p99_9", "max", "mean", "min"} {
		assert.Contains(t, lat, k)
	}
	h := ev["latency_histogram"].(map[string]any)
	assert.Equal(t, HistLayout, h["layout"])
	calls := doc["calls"].(map[string]any)
	for _, k := range []string{"scheduled", "started", "completed", "rejected", "failed", "dropped", "interrupted"} {
		assert.Contains(t, calls, k)
	}

	// A report within other lines (a pod's log) is found.
	back, err := ReadJSON(strings.NewReader("starting\n" + buf.String() + "flireo-sim: 1 threshold(s) failed\n"))
	require.NoError(t, err)
	assert.Equal(t, rep.All.Count, back.All.Count)

	_, err = ReadJSON(strings.NewReader(`{"schema":"k6/summary"}`))
	assert.ErrorContains(t, err, "schema")
	_, err = ReadJSON(strings.NewReader(`not json`))
	assert.ErrorContains(t, err, "not a JSON load report")
	_, err = Merge(nil, nil)
	assert.Error(t, err)
}

func TestHTMLReportIsSelfContained(t *testing.T) {
	rep := runShard(t, Shard{0, 1}, "assistant-request.p99<10ms", "errors==0")
	rep.Run.Interrupted = true
	var buf bytes.Buffer
	require.NoError(t, rep.WriteHTML(&buf))
	page := buf.String()
	assert.True(t, strings.HasPrefix(page, "<!DOCTYPE html>"))
	for _, bad := range []string{"<script", "<link", "src=", "@import", "url(", "xmlns=", "//cdn", "https://"} {
		assert.NotContains(t, page, bad, "the report loads nothing from elsewhere")
	}
	// The only URL is the target's, as text.
	urls := regexp.MustCompile(`https?://[^\s"<]+`).FindAllString(page, -1)
	for _, u := range urls {
		assert.True(t, strings.HasPrefix(u, "http://127.0.0.1:1/webhook"), "unexpected URL %s", u)
	}
	for _, want := range []string{"INTERRUPTED", "Thresholds", "assistant-request.p99&lt;10ms", "FAIL", "Latency over time",
		"Latency distribution", "Throughput and errors", "Slowest calls", "flireo-sim call --call", "<svg", "polyline", "http-5xx"} {
		assert.Contains(t, page, want)
	}
	assert.Equal(t, 4, strings.Count(page, "<svg"), "four charts")
}

func TestSummaryText(t *testing.T) {
	rep := runShard(t, Shard{1, 3}, "errors==0")
	var buf bytes.Buffer
	rep.Summary(&buf)
	out := buf.String()
	for _, want := range []string{"shard 1/3", "20 started", "assistant-request", "end-of-call-report", "p99", "http-5xx", "FAIL errors==0"} {
		assert.Contains(t, out, want)
	}
}

func TestReadJSONRefusesAnotherSchema(t *testing.T) {
	_, err := ReadJSON(strings.NewReader(`{"schema":"k6/summary"}`))
	var se *SchemaError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, "k6/summary", se.Schema)
	assert.NotContains(t, err.Error(), "--")
}
