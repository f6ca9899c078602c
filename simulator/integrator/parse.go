package integrator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// The four documented webhook events.
const (
	eventAssistantRequest = "assistant-request"
	eventToolCalls        = "tool-calls"
	eventStatusUpdate     = "status-update"
	eventEndOfCallReport  = "end-of-call-report"
)

// format is the wire format an event arrived in; replies use the same one.
type format string

// The formats the server understands.
const (
	formatG1         format = "g1"         // legacy flat body with eventType
	formatG2         format = "g2"         // message envelope, camelCase keys
	formatG3         format = "g3"         // message envelope, snake_case keys (also G3+)
	formatInteractly format = "interactly" // Interactly message envelope
)

// toolCall is one tool invocation asked for by a tool-calls event.
type toolCall struct {
	ID   string
	Name string
	Args json.RawMessage // a JSON object, or nil when the tool got no arguments
}

// event is a webhook reduced to what the server acts on, whatever its format.
type event struct {
	Format   format
	Type     string
	CallID   string // "" when the event carries none (G1 assistant-request)
	Caller   string // the customer's number; "" on web calls
	Status   string // call status as sent (status-update)
	Tools    []toolCall
	Metadata map[string]json.RawMessage // metadata echoed by the platform
	Report   *Report
	At       time.Time // when the platform sent the event; zero when it says nothing
}

// parseEvent detects the format of a webhook body and reads the event from it.
// Unknown fields are ignored; missing optional fields stay empty.
func parseEvent(body []byte) (*event, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return nil, fmt.Errorf("body is not a JSON object: %v", err)
	}
	if msg, ok := top["message"]; ok && !isNull(msg) {
		return parseEnvelope(msg)
	}
	if _, ok := top["eventType"]; ok {
		return parseLegacy(body)
	}
	return nil, errors.New(`body is neither {"message": {...}} nor a legacy event with "eventType": send a Flireo webhook event`)
}

type envelopeMessage struct {
	Type      string          `json:"type"`
	Timestamp json.RawMessage `json:"timestamp"`
	Call      envelopeCall    `json:"call"`
	Customer  struct {
		Number *string `json:"number"`
	} `json:"customer"`
	Assistant struct {
		Metadata map[string]json.RawMessage `json:"metadata"`
	} `json:"assistant"`
	ToolCallListSnake []envelopeToolCall `json:"tool_call_list"`
	ToolCallListCamel []envelopeToolCall `json:"toolCallList"`
	DurationSnake     *float64           `json:"duration_seconds"`
	DurationCamel     *float64           `json:"durationSeconds"`
	EndReasonSnake    string             `json:"end_reason"`
	EndReasonCamel    string             `json:"endReason"`
	Summary           string             `json:"summary"`
	Analysis          json.RawMessage    `json:"analysis"`
	Messages          []json.RawMessage  `json:"messages"`
}

type envelopeCall struct {
	ID       string                     `json:"id"`
	Type     string                     `json:"type"`
	Status   string                     `json:"status"`
	Metadata map[string]json.RawMessage `json:"metadata"`
	// Interactly call fields.
	UserNumber            *string  `json:"userNumber"`
	AssistantCallDuration *float64 `json:"assistantCallDuration"` // milliseconds
	CallEndTriggerBy      string   `json:"callEndTriggerBy"`
	// Read leniently: a shape other than the documented one is ignored.
	Analysis json.RawMessage `json:"analysis"` // {summary, ...}
	Cost     json.RawMessage `json:"cost"`     // {callDuration (seconds), ...}
}

type envelopeToolCall struct {
	ID       string `json:"id"`
	Function struct {
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
	} `json:"function"`
}

// interactlyStatuses are the call statuses only Interactly sends.
var interactlyStatuses = map[string]bool{"queued": true, "ongoing": true, "finished": true, "forwarded": true}

// snakeOnlyKeys and camelOnlyKeys are message keys whose spelling gives the
// envelope's key style away.
var (
	snakeOnlyKeys = []string{"phone_number", "tool_call_list", "duration_seconds", "end_reason", "started_at", "ended_at", "recording_url"}
	camelOnlyKeys = []string{"phoneNumber", "toolCallList", "durationSeconds", "endReason", "startedAt", "endedAt", "recordingUrl"}
)

func parseEnvelope(raw json.RawMessage) (*event, error) {
	var keys map[string]json.RawMessage
	if err := json.Unmarshal(raw, &keys); err != nil {
		return nil, fmt.Errorf(`"message" is not a JSON object: %v`, err)
	}
	var m envelopeMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf(`"message" has a field of the wrong type: %v`, err)
	}
	if m.Type == "" {
		return nil, errors.New(`"message.type" is missing: expected assistant-request, tool-calls, status-update or end-of-call-report`)
	}
	ev := &event{
		Format: envelopeFormat(keys, &m),
		Type:   m.Type,
		CallID: m.Call.ID,
		Status: m.Call.Status,
		At:     eventTime(m.Timestamp),
	}
	if m.Customer.Number != nil {
		ev.Caller = *m.Customer.Number
	} else if m.Call.UserNumber != nil {
		ev.Caller = *m.Call.UserNumber
	}
	ev.Metadata = mergeMetadata(m.Call.Metadata, m.Assistant.Metadata)

	list := m.ToolCallListSnake
	if list == nil {
		list = m.ToolCallListCamel
	}
	for _, tc := range list {
		ev.Tools = append(ev.Tools, toolCall{ID: tc.ID, Name: tc.Function.Name, Args: toolArguments(tc.Function.Arguments)})
	}

	if m.Type == eventEndOfCallReport {
		ev.Report = envelopeReport(ev.Format, &m)
	}
	return ev, nil
}

// envelopeFormat tells Interactly, G2 (camelCase) and G3 (snake_case) apart.
// Interactly sends a millisecond number timestamp, a "phone" object and its
// own statuses; G2 and G3 differ in key spelling and in call.type. A body
// with no tell-tale key is read as G3, the current format.
func envelopeFormat(keys map[string]json.RawMessage, m *envelopeMessage) format {
	ts := bytes.TrimSpace(m.Timestamp)
	if len(ts) > 0 && (ts[0] == '-' || (ts[0] >= '0' && ts[0] <= '9')) {
		return formatInteractly
	}
	if _, ok := keys["phone"]; ok {
		return formatInteractly
	}
	if interactlyStatuses[m.Call.Status] {
		return formatInteractly
	}
	snake, camel := strings.Contains(m.Call.Type, "_"), m.Call.Type != strings.ToLower(m.Call.Type)
	for _, k := range snakeOnlyKeys {
		if _, ok := keys[k]; ok {
			snake = true
		}
	}
	for _, k := range camelOnlyKeys {
		if _, ok := keys[k]; ok {
			camel = true
		}
	}
	if camel && !snake {
		return formatG2
	}
	return formatG3
}

func envelopeReport(f format, m *envelopeMessage) *Report {
	r := &Report{Summary: m.Summary, EndReason: m.EndReasonSnake, Messages: len(m.Messages), Analysis: nonNull(m.Analysis)}
	if r.EndReason == "" {
		r.EndReason = m.EndReasonCamel
	}
	switch {
	case m.DurationSnake != nil:
		r.DurationSeconds = *m.DurationSnake
	case m.DurationCamel != nil:
		r.DurationSeconds = *m.DurationCamel
	}
	if f == formatInteractly {
		// Interactly: summary inside analysis, duration in milliseconds on
		// the call, the end reason is who ended the call.
		var a, ca struct {
			Summary string `json:"summary"`
		}
		var cost struct {
			CallDuration *float64 `json:"callDuration"`
		}
		// Objects of another shape simply yield nothing.
		_ = json.Unmarshal(r.Analysis, &a)
		_ = json.Unmarshal(m.Call.Analysis, &ca)
		_ = json.Unmarshal(m.Call.Cost, &cost)
		r.Summary = a.Summary
		if r.Summary == "" {
			r.Summary = ca.Summary
		}
		switch {
		case m.Call.AssistantCallDuration != nil:
			r.DurationSeconds = *m.Call.AssistantCallDuration / 1000
		case cost.CallDuration != nil:
			r.DurationSeconds = *cost.CallDuration
		}
		r.EndReason = m.Call.CallEndTriggerBy
	}
	return r
}

type legacyBody struct {
	EventType      string          `json:"eventType"`
	EventTimestamp json.RawMessage `json:"eventTimestamp"`
	EventTime      json.RawMessage `json:"eventTime"` // the legacy tool-calls example's spelling
	CallID         string          `json:"callId"`
	CallSession    string          `json:"callSession"`
	FromCaller     *string         `json:"fromCaller"`
	Status         string          `json:"status"`
	TasksInitiated []struct {
		TaskID      string          `json:"taskId"`
		TaskName    string          `json:"taskName"`
		TaskPayload json.RawMessage `json:"taskPayload"`
	} `json:"tasksInitiated"`
	UserMetadata      map[string]json.RawMessage `json:"userMetadata"`
	TranscriptText    string                     `json:"transcriptText"`
	SummaryText       string                     `json:"summaryText"`
	CallLengthSeconds *float64                   `json:"callLengthSeconds"`
	Analysis          json.RawMessage            `json:"analysis"`
}

// parseLegacy reads a G1 flat body. The call id is callId, except in
// status-update, which names it callSession.
func parseLegacy(body []byte) (*event, error) {
	var b legacyBody
	if err := json.Unmarshal(body, &b); err != nil {
		return nil, fmt.Errorf("legacy event has a field of the wrong type: %v", err)
	}
	if b.EventType == "" {
		return nil, errors.New(`"eventType" is empty: expected assistant-request, tool-calls, status-update or end-of-call-report`)
	}
	ev := &event{Format: formatG1, Type: b.EventType, CallID: b.CallID, Status: b.Status, Metadata: mergeMetadata(b.UserMetadata), At: eventTime(b.EventTimestamp)}
	if ev.At.IsZero() {
		ev.At = eventTime(b.EventTime)
	}
	if ev.CallID == "" {
		ev.CallID = b.CallSession
	}
	if b.FromCaller != nil {
		ev.Caller = *b.FromCaller
	}
	for _, t := range b.TasksInitiated {
		ev.Tools = append(ev.Tools, toolCall{ID: t.TaskID, Name: t.TaskName, Args: toolArguments(t.TaskPayload)})
	}
	if b.EventType == eventEndOfCallReport {
		r := &Report{Summary: b.SummaryText, Analysis: nonNull(b.Analysis)}
		if b.CallLengthSeconds != nil {
			r.DurationSeconds = *b.CallLengthSeconds
		}
		for line := range strings.SplitSeq(b.TranscriptText, "\n") {
			if strings.TrimSpace(line) != "" {
				r.Messages++
			}
		}
		ev.Report = r
	}
	return ev, nil
}

// toolArguments returns the arguments as a JSON object. Arguments sent as a
// JSON-encoded string (OpenAI style) are unwrapped; null or absent gives nil.
func toolArguments(raw json.RawMessage) json.RawMessage {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || isNull(raw) {
		return nil
	}
	if raw[0] == '"' {
		var s string
		if json.Unmarshal(raw, &s) == nil && strings.TrimSpace(s) != "" {
			return json.RawMessage(s)
		}
		return nil
	}
	return raw
}

func mergeMetadata(maps ...map[string]json.RawMessage) map[string]json.RawMessage {
	var out map[string]json.RawMessage
	for _, m := range maps {
		for k, v := range m {
			if out == nil {
				out = make(map[string]json.RawMessage)
			}
			out[k] = v
		}
	}
	return out
}

func isNull(raw json.RawMessage) bool {
	return bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
}

func nonNull(raw json.RawMessage) json.RawMessage {
	if len(bytes.TrimSpace(raw)) == 0 || isNull(raw) {
		return nil
	}
	return raw
}
