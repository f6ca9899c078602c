package timeline

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/internal/golden"
	sim "github.com/flireo-sim/flireo-sim/simulator"
)

func result() *sim.CallResult {
	start := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	p := &sim.CallPlan{RunSeed: 7, Number: 2, ID: "5c4d030f-43e3-4e65-899e-8148521e660f", Direction: sim.Inbound,
		Customer: "+31612345678", PhoneNumber: "+31850835037", PhoneName: "Tandartspraktijk De Molen", Lang: "nl",
		Intent: sim.BookAppointment, Persona: sim.Persona{FirstName: "Jan", LastName: "de Vries"}, Start: start}
	ok := func(seq int, ev sim.EventType, st sim.Status, at time.Duration, lat time.Duration, deadline time.Duration) *sim.Exchange {
		return &sim.Exchange{Seq: seq, CallID: p.ID, Event: ev, Status: st, At: start.Add(at),
			Request:  sim.Request{Event: ev, Deadline: deadline, Body: []byte(`{"message":{}}`)},
			Response: sim.Response{Status: 200, Size: 2, Body: []byte(`{}`), Latency: lat, SentHeader: http.Header{"X-Webhook-Event": {string(ev)}}},
			Action:   "acknowledged",
			Findings: []sim.Finding{{Check: "http-2xx", Severity: sim.Must, Verdict: sim.Pass}}}
	}
	tool := ok(3, sim.ToolCalls, sim.StatusInProgress, 9*time.Second, 1200*time.Microsecond, 10*time.Second)
	tool.ToolCalls = []sim.ToolCall{{ID: "tool_1", Name: "lookup_contact", Arguments: json.RawMessage(`{"query":"Jan de Vries"}`)}}
	tool.Action = "results (results format) used for lookup_contact"
	tool.Findings = append(tool.Findings, sim.Finding{Check: "tool-results-once", Severity: sim.Must, Verdict: sim.Fail, Detail: "no result for tool_1 (lookup_contact)"})
	slow := ok(5, sim.EndOfCallReport, sim.StatusEnded, 64*time.Second, 6*time.Second, 5*time.Second)
	slow.Findings = append(slow.Findings, sim.Finding{Check: "ack-deadline", Severity: sim.Should, Verdict: sim.Fail, Detail: "end-of-call-report answered in 6s, deadline 5s"})
	return &sim.CallResult{Plan: p, Reply: sim.ReplyOverride, Status: sim.StatusEnded, EndReason: sim.EndUserHangup,
		Exchanges: []*sim.Exchange{ok(1, sim.AssistantRequest, sim.StatusRinging, 0, 4*time.Millisecond, 5*time.Second),
			ok(2, sim.StatusUpdate, sim.StatusInProgress, 3*time.Second, 300*time.Microsecond, 5*time.Second), tool,
			ok(4, sim.StatusUpdate, sim.StatusEnded, 62*time.Second, 250*time.Microsecond, 5*time.Second), slow},
		Report: &sim.Report{Started: start.Add(3 * time.Second), Ended: start.Add(62 * time.Second), Messages: []sim.Message{
			{Role: sim.RoleAssistant, Content: "Goedemiddag, waarmee kan ik u helpen?", At: start.Add(3 * time.Second)},
			{Role: sim.RoleUser, Content: "Ik wil een afspraak maken.", At: start.Add(7 * time.Second)}}}}
}

func TestCallText(t *testing.T) {
	var b bytes.Buffer
	Call(&b, result(), "flireo", Options{Transcript: true})
	golden.Check(t, "timeline/call.txt", b.Bytes())
	assert.Contains(t, b.String(), "FAIL")
	assert.Contains(t, b.String(), "✗ must tool-results-once: no result for tool_1")
	assert.Contains(t, b.String(), "! should ack-deadline")
}

func TestCallJSON(t *testing.T) {
	d := JSON(result(), "flireo")
	assert.Equal(t, "fail", d.Verdict)
	assert.Equal(t, []string{"ack-deadline", "tool-results-once"}, d.Failed)
	out, err := json.MarshalIndent(d, "", "  ")
	require.NoError(t, err)
	golden.Check(t, "timeline/call.json", append(out, '\n'))
}

func TestDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{0: "0s", 420 * time.Microsecond: "420µs", 4200 * time.Microsecond: "4.2ms",
		42 * time.Millisecond: "42ms", 4200 * time.Millisecond: "4.20s"} {
		assert.Equal(t, want, Duration(d))
	}
}
