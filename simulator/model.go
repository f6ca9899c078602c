package simulator

import (
	"encoding/json"
	"net/http"
	"time"
)

// EventType is a webhook event name as the platform sends it.
type EventType string

// The four documented webhook events (spec §0.3).
const (
	AssistantRequest EventType = "assistant-request"
	ToolCalls        EventType = "tool-calls"
	StatusUpdate     EventType = "status-update"
	EndOfCallReport  EventType = "end-of-call-report"
)

// EventTypes lists the documented events in lifecycle order.
var EventTypes = []EventType{AssistantRequest, ToolCalls, StatusUpdate, EndOfCallReport}

// ParseEventType returns the event named s, or false.
func ParseEventType(s string) (EventType, bool) {
	for _, e := range EventTypes {
		if string(e) == s {
			return e, true
		}
	}
	return "", false
}

// Direction is the kind of call.
type Direction string

// Call directions (spec §2.3).
const (
	Inbound  Direction = "inbound"
	Outbound Direction = "outbound"
	Web      Direction = "web"
)

// Status is an engine-level call status; dialects map it to their own names
// (spec §2.1; legacy: ended-with-error → ended-with-debugging; Interactly:
// in-progress → ongoing, ended → finished, transferred → forwarded).
type Status string

// Engine-level call statuses.
const (
	StatusRinging        Status = "ringing"
	StatusInProgress     Status = "in-progress"
	StatusEnded          Status = "ended"
	StatusEndedWithError Status = "ended-with-error"
	StatusTransferred    Status = "transferred"
)

// Intent is what the caller wants; it picks the phrase bank and the tools the
// conversation asks for.
type Intent string

// The built-in intents.
const (
	BookAppointment Intent = "book-appointment"
	Reschedule      Intent = "reschedule"
	OpeningHours    Intent = "opening-hours"
	OrderStatus     Intent = "order-status"
	Complaint       Intent = "complaint"
	Callback        Intent = "callback"
	WrongNumber     Intent = "wrong-number"
	Silent          Intent = "silent"
	Voicemail       Intent = "voicemail"

	// Outbound intents: why the assistant calls the customer.
	AppointmentReminder     Intent = "appointment-reminder"
	AppointmentConfirmation Intent = "appointment-confirmation"
	TicketFollowUp          Intent = "ticket-follow-up"
	RequestedCallback       Intent = "requested-callback"
)

// Intents lists every built-in intent: the inbound ones, then the outbound
// ones (voicemail first); see IntentDirection.
var Intents = []Intent{BookAppointment, Reschedule, OpeningHours, OrderStatus, Complaint, Callback, WrongNumber, Silent, Voicemail,
	AppointmentReminder, AppointmentConfirmation, TicketFollowUp, RequestedCallback}

// ParseIntent returns the intent named s, or false.
func ParseIntent(s string) (Intent, bool) {
	for _, i := range Intents {
		if string(i) == s {
			return i, true
		}
	}
	return "", false
}

// End reasons the engine uses (spec §2.4 documents only user_hangup and
// max_duration; the others are the simulator's own names, listed in the README).
const (
	EndUserHangup      = "user_hangup"
	EndAssistantHangup = "assistant_hangup"
	EndMaxDuration     = "max_duration"
	EndSilenceTimeout  = "silence_timeout"
	EndVoicemail       = "voicemail"
	EndRejected        = "rejected"
	EndError           = "error"
	EndTransferred     = "transferred"
	EndAssistantFailed = "assistant_request_failed"
	EndByAPI           = "api_end_call"
)

// Role of a transcript message.
type Role string

// Transcript roles.
const (
	RoleAssistant Role = "assistant"
	RoleUser      Role = "user"
	RoleSystem    Role = "system"
)

// Message is one transcript line on the call's own timeline.
type Message struct {
	Role    Role
	Content string
	At      time.Time     // when the speaker started
	Took    time.Duration // how long the speaker spoke
}

// Persona is the simulated caller.
type Persona struct {
	FirstName string
	LastName  string
	Email     string
	Company   string
	City      string
}

// Name is the persona's full name.
func (p Persona) Name() string {
	if p.LastName == "" {
		return p.FirstName
	}
	return p.FirstName + " " + p.LastName
}

// Turn is one planned step of the conversation: after Gap the caller says
// Caller (empty: the caller stays silent); Need names what the turn asks for
// (a tool need such as "availability" or "booking", matched against the
// declared tools), and Reply is what the assistant answers when no tool is
// involved.
type Turn struct {
	Gap    time.Duration // silence before the caller speaks
	Caller string
	Speak  time.Duration // how long the caller speaks
	Need   string
	Reply  string
	Think  time.Duration // assistant response latency after the caller
	Talk   time.Duration // how long the assistant speaks
}

// CallPlan is everything about a call that does not depend on the server's
// replies. Same run seed and call number, same plan, byte for byte.
type CallPlan struct {
	RunSeed     int64
	Number      int // call number within the run
	ID          string
	Direction   Direction
	Customer    string // caller (inbound) or callee (outbound); "" on web calls
	PhoneNumber string // the assistant's number; "" on web calls
	PhoneName   string
	PhoneID     string
	Lang        string // "nl" or "en"
	Intent      Intent
	Persona     Persona
	Business    string
	Start       time.Time     // when the call rings: Anchor - Length until an Engine anchors the call for its pace
	Anchor      time.Time     // the clock when the call was placed: the call's timeline ends by then (zero: Start as given)
	Length      time.Duration // upper-bound estimate of the call's virtual length, ring to report
	Ring        time.Duration
	Turns       []Turn
	Goodbye     string // the caller's last words ("" for silent callers)
	EndReason   string // how the call ends if nothing interferes
	Error       string // non-empty: the call ends with this platform error after ErrorAfter turns
	ErrorAfter  int
	Recording   string // recording URL ("" when not recorded)

	// Opening and Closing are the first message and end-call message of
	// the simulator's own default agent on this call (DefaultAssistantFor):
	// set on outbound calls, where the assistant introduces itself and the
	// reason of its call; "" = the language's defaults.
	Opening string
	Closing string
}

// Tool is a tool declared by the assistant configuration.
type Tool struct {
	Name          string
	Description   string
	URL           string // per-tool webhook URL; "" uses the call's target
	Async         bool
	AsyncResponse string          // async_response / asyncResponse / message
	Parameters    json.RawMessage // JSON Schema; nil when the tool takes no arguments
	Builtin       string          // "end_call" or "transfer_call" for built-in tools, else ""
}

// AnalysisPlan is the structured-data plan of the assistant.
type AnalysisPlan struct {
	Enabled     bool
	Schema      json.RawMessage
	MinMessages int
}

// AssistantConfig is the configuration that drives the call after the
// assistant-request, resolved from the server's reply or the default agent.
type AssistantConfig struct {
	AssistantID    string
	FirstMessage   string
	EndCallMessage string
	Voicemail      string
	Tools          []Tool
	Analysis       *AnalysisPlan
	MaxDuration    time.Duration   // 0: no cap
	Metadata       json.RawMessage // echoed in later events where the dialect does
	Echo           json.RawMessage // the resolved assistant object to echo (G3+), nil for none
}

// Tool returns the declared tool with this name.
func (c *AssistantConfig) Tool(name string) (Tool, bool) {
	for _, t := range c.Tools {
		if t.Name == name {
			return t, true
		}
	}
	return Tool{}, false
}

// ReplyKind says how an assistant-request reply was understood.
type ReplyKind string

// Assistant-request outcomes (spec §1.2.2, §1.3).
const (
	ReplyDefault  ReplyKind = "default"  // {}: the saved/default agent
	ReplyOverride ReplyKind = "override" // {"assistant": {...}}
	ReplyHybrid   ReplyKind = "hybrid"   // {"assistant_id", "assistant_override"}
	ReplyReject   ReplyKind = "reject"   // {"error": "..."}
	ReplyFailed   ReplyKind = "failed"   // timeout, non-2xx, not JSON, wrong shape
)

// AssistantReply is a parsed assistant-request reply.
type AssistantReply struct {
	Kind        ReplyKind
	Assistant   json.RawMessage // the assistant object (override) or assistant_override (hybrid)
	AssistantID string
	Reject      string        // the text spoken when the call is rejected
	MaxDuration time.Duration // top-level max duration, 0 if absent
	Metadata    json.RawMessage
	Problems    []string // shape problems (a must finding each)
	Unknown     []string // reply keys no documented spelling knows, each "key (documented: a, b)"
}

// ToolResult is one answer to one tool call.
type ToolResult struct {
	ID     string          // tool call id it answers; "" when the reply format carries none
	Result json.RawMessage // the result value (string or object)
	Error  string          // the error text of an error reply
}

// ToolReply is a parsed tool-calls reply.
type ToolReply struct {
	Format   string // "results", "simple", "direct", "error"
	Results  []ToolResult
	Problems []string
	Unknown  []string
}

// ToolCall is one call of a declared tool.
type ToolCall struct {
	ID        string
	Name      string
	Arguments json.RawMessage // a JSON object; nil when the tool takes no arguments
	Async     bool
}

// Usage is what a call consumed, for dialects that report metrics and cost
// (Interactly). TotalCost is always the sum of the parts.
type Usage struct {
	InputTokens   int
	OutputTokens  int
	TTSChars      int
	PlatformCost  float64
	PhoneCost     float64
	TTSCost       float64
	STTCost       float64
	LLMCost       float64
	LLMLatencyMS  []float64 // one per assistant response
	TTSLatencyMS  []float64 // one per assistant message
	STTLatencyMS  []float64 // one per user message
	STTConfidence []float64 // one per user message
}

// TotalCost is the sum of the cost parts.
func (u Usage) TotalCost() float64 {
	return u.PlatformCost + u.PhoneCost + u.TTSCost + u.STTCost + u.LLMCost
}

// Report is the content of the end-of-call-report.
type Report struct {
	Started      time.Time // when the call was answered
	Ended        time.Time
	EndReason    string
	Summary      string
	Analysis     json.RawMessage // flat structured-data result; nil when not configured
	Success      string          // success evaluation ("true"/"false" in legacy, Excellent..Poor in Interactly)
	Messages     []Message
	RecordingURL string
	Usage        *Usage
	TransferTo   string // destination of a transferred call
}

// Duration is the call's length from answer to end.
func (r *Report) Duration() time.Duration { return r.Ended.Sub(r.Started) }

// Event is one webhook to render: the engine fills it, a dialect turns it into bytes.
type Event struct {
	Type      EventType
	Plan      *CallPlan
	At        time.Time // the event's time on the call's timeline
	Status    Status    // call status carried by the event
	Error     string    // ended-with-error text (legacy: debugging-artifact)
	EndReason string    // set on events after the call ended
	ToolCalls []ToolCall
	Report    *Report
	Config    *AssistantConfig // the resolved config, for echoes; nil before the assistant-request
}

// Request is one HTTP delivery of a rendered event.
type Request struct {
	URL      string
	Event    EventType
	Body     []byte
	Deadline time.Duration // 0: no deadline
	Plain    bool          // send without platform headers or signature (legacy G1)
	Probe    Probe         // signature probe; "" for a normal delivery
	Variant  Variant       // robustness case the delivery exercises; "" for a plain one
}

// Probe alters a delivery's signing to test the receiver's verification.
type Probe string

// Signature probes (spec §3).
const (
	ProbeNone        Probe = ""
	ProbeUnsigned    Probe = "unsigned"     // no X-Webhook-Signature header
	ProbeTampered    Probe = "tampered"     // body changed after signing
	ProbeWrongSecret Probe = "wrong-secret" // signed with another secret
	ProbeStale       Probe = "stale"        // timestamp 10 minutes old, signed correctly
	ProbeFuture      Probe = "future"       // timestamp 10 minutes ahead, signed correctly
	ProbeReformatted Probe = "reformatted"  // valid signature over re-indented (non-compact) JSON
)

// FailureKind classifies a delivery that did not produce a usable reply.
type FailureKind string

// Failure kinds: timeout, refused, reset, TLS, redirect, non-JSON, oversized,
// incomplete, DNS and other errors.
const (
	FailTimeout   FailureKind = "timeout"
	FailRefused   FailureKind = "refused"
	FailReset     FailureKind = "reset"
	FailTLS       FailureKind = "tls"
	FailRedirect  FailureKind = "redirect"
	FailNonJSON   FailureKind = "non-json"
	FailOversized FailureKind = "oversized"
	// FailIncomplete: a reply that did not arrive whole: the connection was
	// reset or closed mid-body, the body is shorter than its Content-Length,
	// the chunked encoding is malformed, or the headers pass the header cap.
	FailIncomplete FailureKind = "incomplete"
	FailDNS        FailureKind = "dns"
	FailOther      FailureKind = "error"
)

// Failure says in words why a delivery failed.
type Failure struct {
	Kind   FailureKind `json:"kind"`
	Detail string      `json:"detail"`
}

// Response is what came back for a Request.
type Response struct {
	Status     int
	Header     http.Header
	Body       []byte        // at most the read cap
	Size       int64         // bytes of body read (stops a little past the cap)
	Latency    time.Duration // from the start of the send to the end of the reply
	Failure    *Failure      // nil when an HTTP reply was read completely within the deadline
	SentHeader http.Header   // headers as sent, signature included
	SentBody   []byte        // the exact bytes sent (differs from Request.Body for probes)
	SentAt     time.Time     // wall clock
	Timestamp  int64         // X-Webhook-Timestamp sent (Unix seconds), 0 when plain
}

// Severity of a check.
type Severity string

// Severities.
const (
	Must   Severity = "must"
	Should Severity = "should"
)

// Verdict of one check on one exchange.
type Verdict string

// Verdicts.
const (
	Pass Verdict = "pass"
	Fail Verdict = "fail"
	Skip Verdict = "skip"
)

// Finding is one check's verdict on one exchange.
type Finding struct {
	Check    string
	Severity Severity
	Verdict  Verdict
	Detail   string
	Seq      int // exchange number within the call
}

// Exchange is one delivery with everything the checks and reports need.
type Exchange struct {
	Seq       int
	CallID    string
	Event     EventType
	Status    Status // call status the event carried
	EndReason string // end reason the event carried ("" while the call is live)
	At        time.Time
	Request   Request
	Response  Response
	ToolCalls []ToolCall // tool calls the request carried
	// What the simulator understood from the reply (only for events whose reply is used).
	Assistant *AssistantReply
	Tools     *ToolReply
	ReplyUsed bool   // the platform reads this reply (assistant-request, sync tool-calls)
	Action    string // what the simulator did with the reply, in words
	// Repaired says how a reply the platform reads was repaired before use
	// (invalid UTF-8 read as U+FFFD), "" when it was used as received.
	Repaired string
	Findings []Finding
}

// Failed reports whether any finding of the given severity failed ("" for any).
func (x *Exchange) Failed(sev Severity) bool {
	for _, f := range x.Findings {
		if f.Verdict == Fail && (sev == "" || f.Severity == sev) {
			return true
		}
	}
	return false
}
