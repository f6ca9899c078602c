package realism

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// instantCall is a G3 call of 80 s played at instant pace: every request is
// sent within a few milliseconds of base, and the timeline ends at base.
// shift moves every payload time; report adds fields to the report.
func instantCall(shift time.Duration, report string) *sim.CallResult {
	start := base.Add(-80 * time.Second)
	b := newCall(start)
	ts := func(o time.Duration) time.Time { return start.Add(o + shift) }
	sent := func(i int) time.Time { return base.Add(time.Duration(i) * time.Millisecond) }
	b.event(sim.AssistantRequest, sim.StatusRinging, 0, sent(0), g3(sim.AssistantRequest, ts(0), ""))
	b.event(sim.StatusUpdate, sim.StatusInProgress, 2*time.Second, sent(1), g3(sim.StatusUpdate, ts(2*time.Second), ""))
	b.event(sim.StatusUpdate, sim.StatusEnded, 78*time.Second, sent(2), g3(sim.StatusUpdate, ts(78*time.Second), ""))
	if report == "" {
		report = fmt.Sprintf(`"started_at":%q,"ended_at":%q,"duration_seconds":76`, ts(2*time.Second).Format(time.RFC3339Nano), ts(78*time.Second).Format(time.RFC3339Nano))
	}
	b.event(sim.EndOfCallReport, sim.StatusEnded, 80*time.Second, sent(3), g3(sim.EndOfCallReport, ts(80*time.Second), report))
	return b.res
}

// legacyCall is a G1 call: ms timestamps, the length in callLengthSeconds.
func legacyCall(length string) *sim.CallResult {
	start := base.Add(-60 * time.Second)
	b := newCall(start)
	ms := func(o time.Duration) int64 { return start.Add(o).UnixMilli() }
	b.event(sim.AssistantRequest, sim.StatusRinging, 0, base, `{"eventType":"assistant-request","fromCaller":"+31612345678"}`)
	b.event(sim.StatusUpdate, sim.StatusInProgress, time.Second, base, fmt.Sprintf(`{"eventTimestamp":%d,"eventType":"status-update","status":"in-progress"}`, ms(time.Second)))
	b.event(sim.StatusUpdate, sim.StatusEnded, 58*time.Second, base, fmt.Sprintf(`{"eventTimestamp":%d,"eventType":"status-update","status":"ended"}`, ms(58*time.Second)))
	b.event(sim.EndOfCallReport, sim.StatusEnded, 60*time.Second, base, fmt.Sprintf(`{"eventTimestamp":%d,"eventType":"end-of-call-report","callLengthSeconds":%s}`, ms(60*time.Second), length))
	return b.res
}

func TestCheckTimestamps(t *testing.T) {
	swapped := instantCall(0, "")
	swapped.Exchanges[1], swapped.Exchanges[2] = swapped.Exchanges[2], swapped.Exchanges[1]
	bad := instantCall(0, "")
	bad.Exchanges[1].Request.Body = []byte(`{"message":{"type":"status-update","timestamp":"yesterday"}}`)
	late := instantCall(0, "")
	late.Exchanges[2].Request.Body = []byte(g3(sim.StatusUpdate, base.Add(time.Minute), ""))
	probe := instantCall(0, "")
	p := *probe.Exchanges[1]
	p.Seq, p.Request.Probe, p.Request.Body = 5, sim.ProbeStale, []byte(g3(sim.StatusUpdate, base.Add(-time.Hour), ""))
	probe.Exchanges = append(probe.Exchanges, &p)
	// An instant call's timeline ends up to its estimate's margin before it
	// is sent: 3 minutes within a 5-minute estimate, or a plan without one
	// (MaxLead); not beyond an estimate of 100 s.
	shifted := func(shift, length time.Duration) *sim.CallResult {
		r := instantCall(shift, "")
		r.Plan.Length = length
		return r
	}
	margin := func(length time.Duration) *sim.CallResult {
		return shifted(-3*time.Minute, length)
	}
	dated := func(length time.Duration) *sim.CallResult {
		r := instantCall(-90*24*time.Hour, "")
		r.Plan.Length = length
		return r
	}
	start := base.Add(-78 * time.Second).Format(time.RFC3339Nano)
	end := base.Add(-2 * time.Second).Format(time.RFC3339Nano)
	tests := []struct {
		name string
		res  *sim.CallResult
		o    Options
		want []Property
	}{
		{"timeline ends when sent", instantCall(0, ""), Options{}, []Property{}},
		{"probes are re-sends and not judged", probe, Options{}, []Property{}},
		{"within the slack", instantCall(1500*time.Millisecond, ""), Options{}, []Property{}},
		{"stamped in the future", instantCall(10*time.Second, ""), Options{}, []Property{Timestamps, Timestamps, Timestamps}}, // the ended update and the report's timestamp and ended_at
		{"one event in the future", late, Options{}, []Property{Timestamps, Timestamps}},                                      // late, then the report goes back
		{"a timeline months before sending", instantCall(-300*24*time.Hour, ""), Options{}, []Property{Timestamps, Timestamps, Timestamps, Timestamps, Timestamps, Timestamps}},
		{"instant: ends within the estimate before sending", margin(5 * time.Minute), Options{}, []Property{}},
		{"instant: no estimate, within MaxLead", margin(0), Options{}, []Property{}},
		{"instant: ends before the estimate allows", margin(100 * time.Second), Options{}, []Property{Timestamps, Timestamps, Timestamps, Timestamps, Timestamps, Timestamps}},
		{"instant: fixed clock, within the estimate", shifted(-time.Hour-3*time.Minute, 5*time.Minute), Options{Clock: base.Add(-time.Hour)}, []Property{}},
		{"dated months ago, with an estimate", dated(5 * time.Minute), Options{}, []Property{Timestamps, Timestamps, Timestamps, Timestamps, Timestamps, Timestamps}},
		{"dated months ago, without one", dated(0), Options{}, []Property{Timestamps, Timestamps, Timestamps, Timestamps, Timestamps, Timestamps}},
		{"a fixed clock moves the window", instantCall(-300*24*time.Hour, ""), Options{Clock: base.Add(-300 * 24 * time.Hour)}, []Property{}},
		{"a fixed clock judges the payloads", instantCall(0, ""), Options{Clock: base.Add(-300 * 24 * time.Hour)}, []Property{Timestamps, Timestamps, Timestamps, Timestamps, Timestamps, Timestamps}},
		{"events go back", swapped, Options{}, []Property{Timestamps}},
		{"not a time", bad, Options{}, []Property{Timestamps}},
		{"ends before it starts", instantCall(0, fmt.Sprintf(`"started_at":%q,"ended_at":%q,"duration_seconds":76`, end, start)), Options{}, []Property{Timestamps}},
		{"duration disagrees", instantCall(0, fmt.Sprintf(`"started_at":%q,"ended_at":%q,"duration_seconds":90`, start, end)), Options{}, []Property{Timestamps}},
		{"whole seconds agree", instantCall(0, fmt.Sprintf(`"started_at":%q,"ended_at":%q,"duration_seconds":77`, start, end)), Options{}, []Property{}},
		{"G1: length agrees with the status-updates", legacyCall("57.0"), Options{}, []Property{}},
		{"G1: length disagrees", legacyCall("12.5"), Options{}, []Property{Timestamps}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := CheckTimestamps(tc.res, tc.o)
			assert.Equal(t, tc.want, properties(got), "%v", got)
		})
	}
}

func TestReadTimesInteractly(t *testing.T) {
	body := `{"message":{"timestamp":1768904198312,"type":"end-of-call-report","call":{"startAt":"2026-01-20T10:15:24.701Z","endAt":"2026-01-20T10:16:36.372Z","assistantCallDuration":71671},"messages":[{"timestamp":1768904124701},{"timestamp":1768904128104}]}}`
	got := readTimes([]byte(body))
	assert.Equal(t, time.UnixMilli(1768904198312).UTC(), got.event)
	assert.Equal(t, "2026-01-20T10:15:24.701Z", stamp(got.started))
	assert.Equal(t, "2026-01-20T10:16:36.372Z", stamp(got.ended))
	assert.True(t, got.hasDur)
	assert.InDelta(t, 71.671, got.duration, 1e-9)
	assert.Len(t, got.lines, 2)
	assert.Empty(t, got.bad)
}
