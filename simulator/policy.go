package simulator

import (
	"strings"
	"time"
)

// Deadlines are the per-event reply deadlines.
type Deadlines struct {
	AssistantRequest time.Duration // spec §1.2.2: 5 s
	ToolCalls        time.Duration // spec §1.2.3: 10 s for sync tools
	Ack              time.Duration // status-update, end-of-call-report, async tools: undocumented, our choice
}

// DefaultDeadlines are the platform's documented deadlines and the
// simulator's choice for the undocumented acknowledgements.
func DefaultDeadlines() Deadlines {
	return Deadlines{AssistantRequest: 5 * time.Second, ToolCalls: 10 * time.Second, Ack: 5 * time.Second}
}

// Scale multiplies every deadline by f (tests shrink them with f < 1).
func (d Deadlines) Scale(f float64) Deadlines {
	if f <= 0 || f == 1 {
		return d
	}
	s := func(x time.Duration) time.Duration { return time.Duration(float64(x) * f) }
	return Deadlines{AssistantRequest: s(d.AssistantRequest), ToolCalls: s(d.ToolCalls), Ack: s(d.Ack)}
}

// Policy holds the simulator's choices where the platform documentation is
// silent (spec §9); each has a row in the README.
type Policy struct {
	// AssistantFailure: what a failed assistant-request (timeout, non-2xx,
	// not JSON, unusable shape) does.
	AssistantFailure AssistantFailurePolicy
	// AfterReject: which events follow an {"error": …} reply.
	AfterReject RejectPolicy
	// ToolFailure: what a failed sync tool call (timeout, non-2xx, bad reply) does.
	ToolFailure ToolFailurePolicy
}

// AssistantFailurePolicy is what a failed assistant-request does.
type AssistantFailurePolicy string

// RejectPolicy is which events follow an {"error": …} assistant-request reply.
type RejectPolicy string

// ToolFailurePolicy is what a failed sync tool call does.
type ToolFailurePolicy string

// Policy values. The zero value of each follows the dialect (assistant
// failure: the default agent in flireo and flireo-camel, ending the call
// with the documented debugging artifact in flireo-legacy) or the default
// (report, continue).
const (
	FailureDefaultAgent AssistantFailurePolicy = "default-agent"
	FailureEndCall      AssistantFailurePolicy = "end-call"
	RejectReport        RejectPolicy           = "report" // status-update ended + end-of-call-report
	RejectStatus        RejectPolicy           = "status"
	RejectNone          RejectPolicy           = "none"
	ToolContinue        ToolFailurePolicy      = "continue" // the assistant apologises and goes on
	ToolEndCall         ToolFailurePolicy      = "end-call"
)

// Validate reports an unknown policy value as an *OptionError naming the
// policy field.
func (p Policy) Validate() error {
	if err := oneOf("Policy.AssistantFailure", p.AssistantFailure, FailureDefaultAgent, FailureEndCall); err != nil {
		return err
	}
	if err := oneOf("Policy.AfterReject", p.AfterReject, RejectReport, RejectStatus, RejectNone); err != nil {
		return err
	}
	return oneOf("Policy.ToolFailure", p.ToolFailure, ToolContinue, ToolEndCall)
}

// oneOf accepts v when it is empty or one of ok.
func oneOf[T ~string](option string, v T, ok ...T) error {
	names := make([]string, len(ok))
	for i, o := range ok {
		if v == "" || v == o {
			return nil
		}
		names[i] = string(o)
	}
	return BadOption(option, string(v), "use one of %s", strings.Join(names, ", "))
}
