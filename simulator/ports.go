package simulator

import (
	"context"
	"encoding/json"
	"time"
)

// Dialect is one wire format: it renders events and parses replies. The
// engine never looks at JSON keys itself.
type Dialect interface {
	// Name is the dialect's command-line name (flireo, flireo-camel, ...).
	Name() string
	// Sends reports whether the dialect has this event at all (Interactly has
	// no assistant-request and no tool-calls).
	Sends(EventType) bool
	// Plain reports whether deliveries go without platform headers and
	// signature (legacy G1 documents none).
	Plain() bool
	// Render appends the event's JSON body to dst. The output is compact and
	// deterministic: the same event gives the same bytes.
	Render(dst []byte, ev *Event) ([]byte, error)
	// ParseAssistantReply reads a 2xx assistant-request reply body, in every
	// documented spelling, and resolves the assistant configuration that
	// drives the call: overrides are laid over def (the saved/default agent);
	// hybrid assistant_override replaces whole top-level blocks of def.
	// A reply that cannot drive the call has Kind ReplyFailed and Problems.
	ParseAssistantReply(body []byte, def *AssistantConfig) (*AssistantReply, *AssistantConfig)
	// ParseToolReply reads a 2xx tool-calls reply body in every documented
	// format and spelling.
	ParseToolReply(body []byte, calls []ToolCall) *ToolReply
	// FailureEndsCall reports whether a failed assistant-request ends the call
	// (legacy: ended-with-debugging) instead of using the default agent.
	FailureEndsCall() bool
	// AssistantFailureError is the error text of a call that ends because
	// its assistant-request failed (G1's documented debugging artifact,
	// spec §1.1.3).
	AssistantFailureError() string
	// ToolCallID gives a generated tool call id (tool_…) the dialect's
	// documented form.
	ToolCallID(id string) string
}

// Sender delivers one request; it never returns without a Response and never
// blocks past the request's deadline (plus a small grace) or ctx.
type Sender interface {
	Send(ctx context.Context, req Request) Response
}

// Checker turns an exchange into findings, one per applicable check.
type Checker interface {
	Check(x *Exchange) []Finding
}

// Generator is a call's seeded source of the data that depends on the
// server's replies. One generator per call; not safe for concurrent use.
type Generator interface {
	// ToolCallID returns a fresh tool call id (tool_… / call_… style).
	ToolCallID() string
	// ToolArguments generates arguments for the tool from its JSON-Schema
	// parameters; nil when the tool takes none.
	ToolArguments(p *CallPlan, t Tool) json.RawMessage
	// ToolFollowUp is the assistant's line after a tool answered (r non-nil)
	// or failed (failure non-empty); it uses the result's content.
	ToolFollowUp(p *CallPlan, t Tool, r *ToolResult, failure string) string
	// Unserved is the assistant's line for a turn whose need (one of
	// the action needs: contact, availability, booking, reschedule, order,
	// ticket, callback) no declared tool serves: it confirms nothing.
	Unserved(p *CallPlan, need string) string
	// CallerLine is the caller's line of a turn, following what the tool
	// results of the call offered so far: a booking names an offered time.
	CallerLine(p *CallPlan, turn Turn) string
	// Reply is the assistant's planned line of a turn, or an honest one
	// instead when the line would presuppose an action a tool refused.
	Reply(p *CallPlan, turn Turn) string
	// Repair is the caller's answer after tool results that did not help
	// (nobody found, no free time, a refused booking) and the need the
	// assistant serves next; an empty line when there is nothing to repair.
	Repair(p *CallPlan) (line, need string)
	// Goodbye is the caller's last line, true to what the call did.
	Goodbye(p *CallPlan) string
	// Summary summarises the call in the plan's language.
	Summary(p *CallPlan, msgs []Message, endReason string) string
	// Success grades the call: Excellent, Good, Fair or Poor.
	Success(p *CallPlan, msgs []Message, endReason string) string
	// Analysis generates values for the analysis plan's JSON Schema.
	Analysis(p *CallPlan, schema json.RawMessage, msgs []Message, endReason string) json.RawMessage
	// Usage is the call's consumption, consistent with the messages.
	Usage(p *CallPlan, msgs []Message) *Usage
}

// Command is a live call-control command (spec §5.1).
type Command struct {
	Type            string // CommandInjectContext, CommandSay, CommandEndCall, CommandTransfer
	Content         string // inject-context, say
	TriggerResponse bool   // inject-context: the assistant answers at once
	EndAfter        bool   // say: end the call after speaking
	Message         string // end-call, transfer: said before ending
	Destination     string // transfer: phone number or SIP URI
}

// Call-control command types (spec §5.1).
const (
	CommandInjectContext = "inject-context"
	CommandSay           = "say"
	CommandEndCall       = "end-call"
	CommandTransfer      = "transfer"
)

// Controller feeds live call-control commands into a running call. The
// engine reports status changes once the wall clock has reached them (paced
// play), polls between conversation steps, and calls End once when the
// conversation is over: End returns the commands accepted since the last
// poll (the engine still applies them) and afterwards the controller accepts
// no more, so no accepted command is ever lost. at is the call's own clock
// (the time its webhooks carry) at the status change or poll.
type Controller interface {
	Status(s Status, at time.Time)
	Poll(at time.Time) []Command
	End() []Command
}
