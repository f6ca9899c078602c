package dialect

import (
	"fmt"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// This file renders the legacy flat format (G1, spec §1.1, seeds 000, 002,
// 003): no envelope, eventType, epoch-millisecond numbers and per-event id and
// timestamp names exactly as documented.

// Legacy transcript line prefixes (seed 000).
const (
	legacyAI   = "AI: "
	legacyUser = "Gebruiker: "
)

// renderLegacy renders one event in the G1 flat format. fromCaller is the
// customer's number and toAssistant the assistant's, whatever the direction.
func renderLegacy(dst []byte, ev *simulator.Event) ([]byte, error) {
	var err error
	switch ev.Type {
	case simulator.AssistantRequest:
		dst = append(dst, `{"eventType":"assistant-request"`...)
		dst = appendParties(dst, ev.Plan)
	case simulator.ToolCalls:
		dst, err = appendLegacyToolCalls(dst, ev)
	case simulator.StatusUpdate:
		dst = appendLegacyStatus(dst, ev)
	case simulator.EndOfCallReport:
		dst, err = appendLegacyReport(dst, ev)
	default:
		return dst, fmt.Errorf("cannot render event type %q: the documented events are %v", ev.Type, simulator.EventTypes)
	}
	if err != nil {
		return dst, err
	}
	return append(dst, '}'), nil
}

// appendLegacyToolCalls appends a tool-calls event without its closing brace.
func appendLegacyToolCalls(dst []byte, ev *simulator.Event) ([]byte, error) {
	p := ev.Plan
	var err error
	dst = append(dst, `{"eventTime":`...)
	dst = appendMillis(dst, ev.At)
	dst = append(dst, `,"callId":`...)
	dst = appendString(dst, p.ID)
	dst = append(dst, `,"eventType":"tool-calls"`...)
	dst = appendParties(dst, p)
	dst = append(dst, `,"tasksInitiated":[`...)
	for i := range ev.ToolCalls {
		tc := &ev.ToolCalls[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"taskId":`...)
		dst = appendString(dst, tc.ID)
		dst = append(dst, `,"taskName":`...)
		dst = appendString(dst, tc.Name)
		if !isNull(tc.Arguments) {
			dst = append(dst, `,"taskPayload":`...)
			if dst, err = appendRawObject(dst, tc.Arguments, "the tool call's arguments"); err != nil {
				return dst, fmt.Errorf("tool call %q: %w", tc.ID, err)
			}
		}
		dst = append(dst, '}')
	}
	dst = append(dst, ']')
	return appendUserMetadata(dst, ev)
}

// appendLegacyStatus appends a status-update event without its closing brace.
func appendLegacyStatus(dst []byte, ev *simulator.Event) []byte {
	p := ev.Plan
	dst = append(dst, `{"eventTimestamp":`...)
	dst = appendMillis(dst, ev.At)
	dst = append(dst, `,"eventType":"status-update","callSession":`...)
	dst = appendString(dst, p.ID)
	dst = appendParties(dst, p)
	dst = append(dst, `,"status":`...)
	dst = appendString(dst, legacyStatus(ev.Status))
	if ev.Status == simulator.StatusEndedWithError {
		dst = append(dst, `,"debugging-artifact":`...)
		dst = appendString(dst, ev.Error)
	}
	return dst
}

// appendLegacyReport appends an end-of-call-report without its closing brace.
func appendLegacyReport(dst []byte, ev *simulator.Event) ([]byte, error) {
	p := ev.Plan
	r := ev.Report
	var err error
	dst = append(dst, `{"eventTimestamp":`...)
	dst = appendMillis(dst, ev.At)
	dst = append(dst, `,"eventType":"end-of-call-report","callId":`...)
	dst = appendString(dst, p.ID)
	dst = appendParties(dst, p)
	dst = append(dst, `,"transcriptText":`...)
	dst = appendTranscript(dst, r.Messages)
	dst = append(dst, `,"summaryText":`...)
	dst = appendString(dst, r.Summary)
	if r.RecordingURL != "" {
		dst = append(dst, `,"recordings":{"linkStereo":`...)
		dst = appendString(dst, r.RecordingURL)
		dst = append(dst, '}')
	}
	dst = append(dst, `,"callLengthSeconds":`...)
	if dst, err = appendFloat(dst, legacySeconds(r.Duration())); err != nil {
		return dst, err
	}
	if dst, err = appendUserMetadata(dst, ev); err != nil {
		return dst, err
	}
	return appendLegacyAnalysis(dst, r)
}

// appendLegacyAnalysis appends the report's analysis block.
func appendLegacyAnalysis(dst []byte, r *simulator.Report) ([]byte, error) {
	var err error
	dst = append(dst, `,"analysis":{"summary":`...)
	dst = appendString(dst, r.Summary)
	dst = append(dst, `,"structuredData":`...)
	if isNull(r.Analysis) {
		dst = append(dst, `{}`...)
	} else if dst, err = appendRawObject(dst, r.Analysis, "the report's analysis"); err != nil {
		return dst, err
	}
	dst = append(dst, `,"successEvaluation":`...)
	if legacySuccess(r.Success) {
		dst = append(dst, `"true"`...)
	} else {
		dst = append(dst, `"false"`...)
	}
	return append(dst, '}'), nil
}

// appendParties appends fromCaller and toAssistant.
func appendParties(dst []byte, p *simulator.CallPlan) []byte {
	dst = append(dst, `,"fromCaller":`...)
	dst = appendString(dst, p.Customer)
	dst = append(dst, `,"toAssistant":`...)
	return appendString(dst, p.PhoneNumber)
}

// appendUserMetadata appends userMetadata: the config's metadata or null.
func appendUserMetadata(dst []byte, ev *simulator.Event) ([]byte, error) {
	dst = append(dst, `,"userMetadata":`...)
	if ev.Config == nil || isNull(ev.Config.Metadata) {
		return append(dst, "null"...), nil
	}
	return appendRawObject(dst, ev.Config.Metadata, "the assistant metadata (userMetadata)")
}

// appendTranscript appends the G1 transcript as one JSON string: one line per
// spoken message, "AI: " or "Gebruiker: " first, joined by newlines. System
// messages are not spoken and are left out.
func appendTranscript(dst []byte, msgs []simulator.Message) []byte {
	// Build the string inside dst: write the quoted lines piecewise with the
	// same escaping as appendString, without an intermediate string.
	dst = append(dst, '"')
	first := true
	for i := range msgs {
		m := &msgs[i]
		var prefix string
		switch m.Role {
		case simulator.RoleAssistant:
			prefix = legacyAI
		case simulator.RoleUser:
			prefix = legacyUser
		default:
			continue
		}
		if !first {
			dst = append(dst, '\\', 'n')
		}
		first = false
		dst = append(dst, prefix...)
		dst = appendStringBody(dst, m.Content)
	}
	return append(dst, '"')
}

// appendStringBody appends s escaped as in appendString, without quotes.
func appendStringBody(dst []byte, s string) []byte {
	n := len(dst)
	dst = appendString(dst, s)
	// drop the opening and closing quote appendString wrote
	copy(dst[n:], dst[n+1:len(dst)-1])
	return dst[:len(dst)-2]
}

// legacyStatus maps an engine status to the G1 status names (spec §1.1.3).
func legacyStatus(s simulator.Status) string {
	switch s {
	case simulator.StatusEndedWithError:
		return "ended-with-debugging"
	case simulator.StatusTransferred, simulator.StatusEnded:
		return "ended"
	case "":
		return "in-progress"
	}
	return string(s)
}

// legacySeconds is d in seconds, rounded to milliseconds (132.5, not
// 132.50000001).
func legacySeconds(d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(d.Round(time.Millisecond).Milliseconds()) / 1000
}

// legacySuccess reports whether a success grade counts as "true" in G1:
// Excellent and Good (and a literal "true") do.
func legacySuccess(s string) bool {
	s = strings.TrimSpace(s)
	return strings.EqualFold(s, "excellent") || strings.EqualFold(s, "good") || strings.EqualFold(s, "true")
}
