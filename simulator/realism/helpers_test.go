package realism

import (
	"encoding/json"
	"fmt"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// base is the wall-clock time the hand-made calls are sent at.
var base = time.Date(2027, time.March, 3, 10, 0, 0, 0, time.UTC)

// callBuilder makes a played call by hand: exchanges on the call's
// timeline (offset from its start), sent at wall-clock times.
type callBuilder struct {
	res   *sim.CallResult
	start time.Time // the call's timeline start
}

func newCall(start time.Time) *callBuilder {
	return &callBuilder{res: &sim.CallResult{Plan: &sim.CallPlan{Intent: sim.BookAppointment}}, start: start}
}

// event adds an exchange at offset on the timeline with body, sent at sent.
func (b *callBuilder) event(ev sim.EventType, st sim.Status, offset time.Duration, sent time.Time, body string) *sim.Exchange {
	x := &sim.Exchange{Seq: len(b.res.Exchanges) + 1, Event: ev, Status: st, At: b.start.Add(offset), Request: sim.Request{Event: ev, Body: []byte(body)}}
	x.Response.SentAt = sent
	b.res.Exchanges = append(b.res.Exchanges, x)
	return x
}

// g3 is a G3 body of event ev stamped ts, with extra message fields.
func g3(ev sim.EventType, ts time.Time, extra string) string {
	if extra != "" {
		extra = "," + extra
	}
	return fmt.Sprintf(`{"message":{"type":%q,"timestamp":%q%s}}`, ev, ts.UTC().Format("2006-01-02T15:04:05.000Z"), extra)
}

// tool adds a sync tool-calls exchange at offset whose one call name(args)
// was answered with result (JSON) or errText.
func (b *callBuilder) tool(offset time.Duration, name, args, result, errText string) *sim.Exchange {
	at := b.start.Add(offset)
	x := b.event(sim.ToolCalls, sim.StatusInProgress, offset, base, g3(sim.ToolCalls, at, ""))
	id := fmt.Sprintf("call_%d", x.Seq)
	x.ToolCalls = []sim.ToolCall{{ID: id, Name: name, Arguments: json.RawMessage(args)}}
	x.ReplyUsed = true
	r := sim.ToolResult{ID: id, Error: errText}
	if result != "" {
		r.Result = json.RawMessage(result)
	}
	x.Tools = &sim.ToolReply{Format: "results", Results: []sim.ToolResult{r}}
	return x
}

// say adds an assistant line at offset to the report.
func (b *callBuilder) say(offset time.Duration, text string) {
	if b.res.Report == nil {
		b.res.Report = &sim.Report{Started: b.start}
	}
	b.res.Report.Messages = append(b.res.Report.Messages, sim.Message{Role: sim.RoleAssistant, Content: text, At: b.start.Add(offset)})
}

func properties(vs []Violation) []Property {
	out := []Property{}
	for _, v := range vs {
		out = append(out, v.Property)
	}
	return out
}
