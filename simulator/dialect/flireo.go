package dialect

import (
	"fmt"
	"strconv"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// This file renders the message-envelope generations: flireo (G3/G3+,
// snake_case, spec §1.2, seed 004, SDK types) and flireo-camel (G2, camelCase).

// envelopeKeys are the key spellings that differ between G2 and G3.
type envelopeKeys struct {
	phone    string // phone_number / phoneNumber
	inbound  string
	outbound string
	web      string
	toolList string
	duration string
}

var (
	snakeKeys = envelopeKeys{
		phone:    "phone_number",
		inbound:  "inbound_phone_call",
		outbound: "outbound_phone_call",
		web:      "web_call",
		toolList: "tool_call_list",
		duration: "duration_seconds",
	}
	camelKeys = envelopeKeys{
		phone:    "phoneNumber",
		inbound:  "inboundPhoneCall",
		outbound: "outboundPhoneCall", // by inference, spec §2.3
		web:      "webCall",           // by inference, spec §2.3
		toolList: "toolCallList",
		duration: "durationSeconds",
	}
)

// renderEnvelope renders one event in the G3+ (camel false) or G2 (camel
// true) envelope.
func renderEnvelope(dst []byte, ev *simulator.Event, camel bool, echoes *rawMemo) ([]byte, error) {
	k := &snakeKeys
	if camel {
		k = &camelKeys
	}
	dst = append(dst, `{"message":{"type":`...)
	dst = appendString(dst, string(ev.Type))
	dst = append(dst, `,"timestamp":`...)
	dst = appendISO(dst, ev.At)
	dst = appendEnvelopeCall(dst, ev, k)
	dst = appendEnvelopeParties(dst, ev.Plan, k, camel)

	var err error
	if !camel && ev.Type != simulator.AssistantRequest && ev.Config != nil && !isNull(ev.Config.Echo) {
		dst = append(dst, `,"assistant":`...)
		if dst, err = echoes.appendObject(dst, ev.Config.Echo, "the assistant echo (AssistantConfig.Echo)"); err != nil {
			return dst, err
		}
	}

	switch ev.Type {
	case simulator.AssistantRequest:
	case simulator.ToolCalls:
		dst, err = appendEnvelopeToolCalls(dst, ev.ToolCalls, k)
	case simulator.StatusUpdate:
		dst = appendEnvelopeStatus(dst, ev, camel)
	case simulator.EndOfCallReport:
		dst, err = appendEnvelopeReport(dst, ev, k, camel)
	default:
		return dst, fmt.Errorf("cannot render event type %q: the documented events are %v", ev.Type, simulator.EventTypes)
	}
	if err != nil {
		return dst, err
	}
	return append(dst, `}}`...), nil
}

// appendEnvelopeCall appends message.call: id, type and status.
func appendEnvelopeCall(dst []byte, ev *simulator.Event, k *envelopeKeys) []byte {
	p := ev.Plan
	dst = append(dst, `,"call":{"id":`...)
	dst = appendString(dst, p.ID)
	dst = append(dst, `,"type":"`...)
	switch p.Direction {
	case simulator.Outbound:
		dst = append(dst, k.outbound...)
	case simulator.Web:
		dst = append(dst, k.web...)
	default:
		dst = append(dst, k.inbound...)
	}
	dst = append(dst, `","status":`...)
	dst = appendString(dst, string(envelopeStatus(ev)))
	return append(dst, '}')
}

// appendEnvelopeParties appends the phone number block and the customer;
// web calls have no numbers (null).
func appendEnvelopeParties(dst []byte, p *simulator.CallPlan, k *envelopeKeys, camel bool) []byte {
	web := p.Direction == simulator.Web
	dst = append(dst, `,"`...)
	dst = append(dst, k.phone...)
	dst = append(dst, `":{`...)
	if !camel {
		dst = append(dst, `"id":`...)
		dst = appendStringOrNull(dst, nonWeb(web, p.PhoneID))
		dst = append(dst, ',')
	}
	dst = append(dst, `"number":`...)
	dst = appendStringOrNull(dst, nonWeb(web, p.PhoneNumber))
	dst = append(dst, `,"name":`...)
	dst = appendStringOrNull(dst, p.PhoneName)
	dst = append(dst, `},"customer":{"number":`...)
	dst = appendStringOrNull(dst, nonWeb(web, p.Customer))
	return append(dst, '}')
}

// appendEnvelopeToolCalls appends the tool call list.
func appendEnvelopeToolCalls(dst []byte, calls []simulator.ToolCall, k *envelopeKeys) ([]byte, error) {
	var err error
	dst = append(dst, `,"`...)
	dst = append(dst, k.toolList...)
	dst = append(dst, `":[`...)
	for i := range calls {
		tc := &calls[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"id":`...)
		dst = appendString(dst, tc.ID)
		dst = append(dst, `,"type":"function","function":{"name":`...)
		dst = appendString(dst, tc.Name)
		dst = append(dst, `,"arguments":`...)
		if isNull(tc.Arguments) {
			dst = append(dst, `{}`...)
		} else if dst, err = appendRawObject(dst, tc.Arguments, "the tool call's arguments"); err != nil {
			return dst, fmt.Errorf("tool call %q: %w", tc.ID, err)
		}
		dst = append(dst, `}}`...)
	}
	return append(dst, ']'), nil
}

// appendEnvelopeStatus appends a status-update's error and end reason.
func appendEnvelopeStatus(dst []byte, ev *simulator.Event, camel bool) []byte {
	if ev.Status == simulator.StatusEndedWithError {
		dst = append(dst, `,"error":`...)
		dst = appendString(dst, ev.Error)
	}
	if !camel && ev.EndReason != "" {
		dst = append(dst, `,"end_reason":`...)
		dst = appendString(dst, ev.EndReason)
	}
	return dst
}

// appendEnvelopeReport appends an end-of-call-report's fields.
func appendEnvelopeReport(dst []byte, ev *simulator.Event, k *envelopeKeys, camel bool) ([]byte, error) {
	r := ev.Report
	dst = append(dst, `,"`...)
	dst = append(dst, k.duration...)
	dst = append(dst, `":`...)
	dst = strconv.AppendInt(dst, wholeSeconds(r.Duration()), 10)
	if !camel {
		dst = appendReportTimes(dst, ev)
	}
	dst = append(dst, `,"summary":`...)
	dst = appendString(dst, r.Summary)
	if !camel {
		dst = appendEnvelopeMessages(dst, r.Messages)
	}
	if !isNull(r.Analysis) {
		var err error
		dst = append(dst, `,"analysis":`...)
		if dst, err = appendRawObject(dst, r.Analysis, "the report's analysis"); err != nil {
			return dst, err
		}
	}
	if !camel && r.RecordingURL != "" {
		dst = append(dst, `,"recording_url":`...)
		dst = appendString(dst, r.RecordingURL)
	}
	return dst, nil
}

// appendReportTimes appends G3's end_reason, started_at and ended_at.
func appendReportTimes(dst []byte, ev *simulator.Event) []byte {
	r := ev.Report
	if reason := endReason(ev); reason != "" {
		dst = append(dst, `,"end_reason":`...)
		dst = appendString(dst, reason)
	}
	if !r.Started.IsZero() {
		dst = append(dst, `,"started_at":`...)
		dst = appendISO(dst, r.Started)
	}
	if !r.Ended.IsZero() {
		dst = append(dst, `,"ended_at":`...)
		dst = appendISO(dst, r.Ended)
	}
	return dst
}

// appendEnvelopeMessages appends G3's messages: role and content. Only
// spoken lines (user, assistant: the SDK's CallMessage roles) are sent.
func appendEnvelopeMessages(dst []byte, msgs []simulator.Message) []byte {
	dst = append(dst, `,"messages":[`...)
	first := true
	for i := range msgs {
		m := &msgs[i]
		if m.Role != simulator.RoleUser && m.Role != simulator.RoleAssistant {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, `{"role":`...)
		dst = appendString(dst, string(m.Role))
		dst = append(dst, `,"content":`...)
		dst = appendString(dst, m.Content)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// envelopeStatus is message.call.status: ringing for the assistant-request,
// the event's status otherwise (defaults: in-progress, ended; a transfer ends).
func envelopeStatus(ev *simulator.Event) simulator.Status {
	switch ev.Type {
	case simulator.AssistantRequest:
		return simulator.StatusRinging
	case simulator.EndOfCallReport:
		if ev.Status == "" || ev.Status == simulator.StatusInProgress || ev.Status == simulator.StatusRinging {
			return simulator.StatusEnded
		}
	}
	switch ev.Status {
	case "":
		return simulator.StatusInProgress
	case simulator.StatusTransferred: // not a webhook status (spec §2.1): ended, end_reason transferred
		return simulator.StatusEnded
	}
	return ev.Status
}

// nonWeb returns s, or "" on web calls (the SDK sends null there).
func nonWeb(web bool, s string) string {
	if web {
		return ""
	}
	return s
}

// endReason is the report's end reason, else the event's.
func endReason(ev *simulator.Event) string {
	if ev.Report != nil && ev.Report.EndReason != "" {
		return ev.Report.EndReason
	}
	return ev.EndReason
}

// wholeSeconds rounds d to whole seconds (half up); negative durations are 0.
func wholeSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Second/2) / time.Second)
}
