package dialect

import (
	"fmt"
	"strconv"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// interactlyCall is what an Interactly event is rendered from: the event and
// the figures derived from it once.
type interactlyCall struct {
	ev          *simulator.Event
	p           *simulator.CallPlan
	r           *simulator.Report
	eocr        bool // an end-of-call-report
	web         bool
	ids         interactlyIDs
	userNumber  string
	asstNumber  string
	durMS       int64 // the call's duration (end-of-call-report)
	msgs        []spoken
	users, bots int
}

// newInteractlyCall derives the ids, numbers, duration and messages.
func newInteractlyCall(ev *simulator.Event) interactlyCall {
	c := interactlyCall{ev: ev, p: ev.Plan, r: ev.Report, eocr: ev.Type == simulator.EndOfCallReport}
	c.ids = deriveIDs(c.p)
	c.web = c.p.Direction == simulator.Web
	c.userNumber, c.asstNumber = c.p.Customer, c.p.PhoneNumber
	if c.web {
		name := c.p.Persona.Name()
		if name == "" {
			name = "caller"
		}
		c.userNumber = "web-" + name
		c.asstNumber = c.ids.assistant
	}
	if c.eocr {
		c.msgs, c.users, c.bots = collectSpoken(c.r)
		c.durMS = max(c.r.Duration().Milliseconds(), 0)
	}
	return c
}

// renderInteractly renders a status-update or end-of-call-report.
func renderInteractly(dst []byte, ev *simulator.Event) ([]byte, error) {
	if ev.Type != simulator.StatusUpdate && ev.Type != simulator.EndOfCallReport {
		return dst, fmt.Errorf("the interactly dialect has no %s event; check Sends before rendering", ev.Type)
	}
	c := newInteractlyCall(ev)
	dst = append(dst, `{"message":{"timestamp":`...)
	dst = appendMillis(dst, ev.At)
	dst = append(dst, `,"type":`...)
	dst = appendString(dst, string(ev.Type))
	var err error
	if dst, err = c.appendCall(dst); err != nil {
		return dst, err
	}
	dst = c.appendAssistant(dst)
	dst = c.appendMessages(dst)
	dst = c.appendCustomer(dst)
	if dst, err = c.appendAnalysis(dst); err != nil {
		return dst, err
	}
	return append(dst, `}}}`...), nil
}

// appendCall appends message.call.
func (c *interactlyCall) appendCall(dst []byte) ([]byte, error) {
	dst = c.appendCallParties(dst)
	dst = c.appendCallStatus(dst)
	dst = append(dst, `,"analysis":{"summary":"","successEvaluation":"","guardrails":"DISABLED"}`...)
	var err error
	if c.eocr {
		dst = c.appendRecording(dst)
		if dst, err = appendCost(dst, costOf(c.r, c.durMS)); err != nil {
			return dst, err
		}
	}
	dst = append(dst, `,"assistantOverrides":{"dynamicVariables":{},"variablesValidations":{}},"metadata":`...)
	cfg := c.ev.Config
	if cfg == nil || isNull(cfg.Metadata) {
		dst = append(dst, `{}`...)
	} else if dst, err = appendRawObject(dst, cfg.Metadata, "the assistant metadata"); err != nil {
		return dst, err
	}
	if c.eocr {
		m := metricsOf(c.r, c.msgs, c.users, c.bots, c.durMS)
		if dst, err = appendMetrics(dst, &m); err != nil {
			return dst, err
		}
	}
	return append(dst, '}'), nil
}

// appendCallParties appends the call's ids, type, times and numbers.
func (c *interactlyCall) appendCallParties(dst []byte) []byte {
	dst = append(dst, `,"call":{"id":`...)
	dst = appendString(dst, c.ids.call)
	dst = append(dst, `,"teamId":`...)
	dst = appendString(dst, c.ids.team)
	dst = append(dst, `,"assistantId":`...)
	dst = appendString(dst, c.ids.assistant)
	switch {
	case c.web:
		dst = append(dst, `,"callType":"web","direction":"inbound"`...)
	case c.p.Direction == simulator.Outbound:
		dst = append(dst, `,"callType":"phone","direction":"outbound"`...)
	default:
		dst = append(dst, `,"callType":"phone","direction":"inbound"`...)
	}
	dst = append(dst, `,"startAt":`...)
	if c.r != nil && !c.r.Started.IsZero() {
		dst = appendISO(dst, c.r.Started)
	} else {
		dst = appendISO(dst, c.p.Start.Add(c.p.Ring))
	}
	if c.eocr {
		dst = append(dst, `,"endAt":`...)
		dst = appendISO(dst, c.r.Ended)
	}
	dst = append(dst, `,"userNumber":`...)
	dst = appendString(dst, c.userNumber)
	dst = append(dst, `,"assistantNumber":`...)
	return appendString(dst, c.asstNumber)
}

// appendCallStatus appends the call's status and, at the end, who ended it
// and how long it took.
func (c *interactlyCall) appendCallStatus(dst []byte) []byte {
	status := c.ev.Status
	if c.eocr && (status == "" || status == simulator.StatusInProgress || status == simulator.StatusRinging) {
		status = simulator.StatusEnded
	}
	dst = append(dst, `,"status":`...)
	dst = appendString(dst, interactlyStatus(status))
	if status == simulator.StatusRinging || status == simulator.StatusInProgress || status == "" {
		dst = append(dst, `,"phoneCallStatus":"in-progress","phoneCallStatusReason":"Call is in progress"`...)
	} else {
		dst = append(dst, `,"phoneCallStatus":"completed","phoneCallStatusReason":"Call is completed"`...)
	}
	if !c.eocr {
		return dst
	}
	if assistantEnded(endReason(c.ev)) {
		dst = append(dst, `,"callEndTriggerBy":"bot"`...)
	} else {
		dst = append(dst, `,"callEndTriggerBy":"user"`...)
	}
	dst = append(dst, `,"assistantCallDuration":`...)
	return strconv.AppendInt(dst, c.durMS, 10)
}

// appendRecording appends the recording's bucket and path, if there is one.
func (c *interactlyCall) appendRecording(dst []byte) []byte {
	if c.r.RecordingURL == "" {
		return dst
	}
	dst = append(dst, `,"recording":{"s3Bucket":"`+interactlyBucket+`","path":`...)
	dst = appendString(dst, c.ids.team+"/"+c.ids.call+".mp3")
	return append(dst, '}')
}

// appendAssistant appends message.assistant.
func (c *interactlyCall) appendAssistant(dst []byte) []byte {
	name := c.p.PhoneName
	if c.p.Business != "" {
		name = c.p.Business + " - main"
	}
	dst = append(dst, `,"assistant":{"_id":`...)
	dst = appendString(dst, c.ids.assistant)
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, name)
	return append(dst, '}')
}

// appendMessages appends message.messages.
func (c *interactlyCall) appendMessages(dst []byte) []byte {
	dst = append(dst, `,"messages":[`...)
	for i := range c.msgs {
		s := &c.msgs[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"messageId":`...)
		dst = appendString(dst, s.id)
		dst = append(dst, `,"role":`...)
		dst = appendString(dst, string(s.msg.Role))
		dst = append(dst, `,"text":`...)
		dst = appendString(dst, s.msg.Content)
		dst = append(dst, `,"timestamp":`...)
		dst = appendMillis(dst, s.msg.At)
		dst = append(dst, '}')
	}
	return append(dst, ']')
}

// appendCustomer appends message.phone and message.customer.
func (c *interactlyCall) appendCustomer(dst []byte) []byte {
	if c.web {
		dst = append(dst, `,"phone":{"provider":{"name":""}},"customer":{"number":`...)
	} else {
		dst = append(dst, `,"phone":{"provider":{"name":"twilio"}},"customer":{"number":`...)
	}
	dst = appendString(dst, c.userNumber)
	return append(dst, '}')
}

// appendAnalysis appends message.analysis (empty before the end).
func (c *interactlyCall) appendAnalysis(dst []byte) ([]byte, error) {
	dst = append(dst, `,"analysis":{"summary":`...)
	if !c.eocr {
		return append(dst, `"","successEvaluation":"","structuredData":{},"outcome":""`...), nil
	}
	r := c.r
	dst = appendString(dst, r.Summary)
	dst = append(dst, `,"successEvaluation":`...)
	dst = appendString(dst, r.Success)
	dst = append(dst, `,"structuredData":`...)
	var err error
	if isNull(r.Analysis) {
		dst = append(dst, `{}`...)
	} else if dst, err = appendRawObject(dst, r.Analysis, "the report's analysis"); err != nil {
		return dst, err
	}
	reason := endReason(c.ev)
	outcome, ok := outcomes[reason]
	if !ok {
		outcome = reason
	}
	dst = append(dst, `,"outcome":`...)
	return appendString(dst, outcome), nil
}
