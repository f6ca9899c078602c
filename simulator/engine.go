package simulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/flireo-sim/flireo-sim/simulator/internal/jsontext"
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
// silent (spec §9); each has a command-line flag and a row in the README.
type Policy struct {
	// AssistantFailure: what a failed assistant-request (timeout, non-2xx,
	// not JSON, unusable shape) does. "" follows the dialect: the default agent
	// (flireo, flireo-camel; documented for timeouts) or ending the call with
	// the documented debugging artifact (flireo-legacy).
	AssistantFailure string // "", "default-agent", "end-call"
	// AfterReject: which events follow an {"error": …} reply.
	AfterReject string // "report" (default: status-update ended + end-of-call-report), "status", "none"
	// ToolFailure: what a failed sync tool call (timeout, non-2xx, bad reply) does.
	ToolFailure string // "continue" (default: the assistant apologises and goes on), "end-call"
}

// Policy values.
const (
	FailureDefaultAgent = "default-agent"
	FailureEndCall      = "end-call"
	RejectReport        = "report"
	RejectStatus        = "status"
	RejectNone          = "none"
	ToolContinue        = "continue"
	ToolEndCall         = "end-call"
)

// Validate reports an unknown policy value.
func (p Policy) Validate() error {
	check := func(flag, v string, ok ...string) error {
		for _, o := range ok {
			if v == o {
				return nil
			}
		}
		return fmt.Errorf("%s %q is not one of %s", flag, v, strings.Join(ok[1:], ", "))
	}
	if err := check("--on-assistant-failure", p.AssistantFailure, "", FailureDefaultAgent, FailureEndCall); err != nil {
		return err
	}
	if err := check("--after-reject", p.AfterReject, "", RejectReport, RejectStatus, RejectNone); err != nil {
		return err
	}
	return check("--on-tool-failure", p.ToolFailure, "", ToolContinue, ToolEndCall)
}

// LegacyAssistantFailure is the documented G1 debugging artifact (spec §1.1.3).
const LegacyAssistantFailure = "Couldn't Get Assistant. Assistant Request Did Not Return One."

// Engine plays call lifecycles against a server.
type Engine struct {
	Dialect   Dialect
	Sender    Sender
	Checker   Checker // nil: no findings
	Target    string  // the webhook URL
	Deadlines Deadlines
	// Pace: 0 plays instantly (only the waits for replies take time), 1 in
	// real time, N plays N times faster than real time.
	Pace    float64
	Sleep   func(ctx context.Context, d time.Duration) error // nil: a real timer
	Default *AssistantConfig                                 // the saved/default agent; nil: DefaultAssistant("nl")
	Policy  Policy
	Observe func(*Exchange) // called after every exchange, in order; may be nil
	// Events, when non-nil, lists the events the assistant has enabled
	// (webhook_events, spec §1.0); the others are not sent.
	Events map[EventType]bool
	// Lean drops the bodies and headers of every exchange of a call once it
	// has been checked and observed, so that a call in progress holds only
	// what its result's verdicts need (load runs with thousands of live
	// calls). Signature probes need the bodies: Lean is for runs without
	// them.
	Lean bool
	// Bodies, when set on a Lean engine, recycles the buffers of the request
	// bodies that Lean drops (as *[]byte): later events of any call are
	// rendered into them, so Observe must not keep bodies.
	Bodies *sync.Pool
}

// sends reports whether the event goes out at all.
func (e *Engine) sends(ev EventType) bool {
	return e.Dialect.Sends(ev) && (e.Events == nil || e.Events[ev])
}

// CallResult is a played call.
type CallResult struct {
	Plan      *CallPlan
	Reply     ReplyKind // how the assistant-request was answered ("" when none was sent)
	Config    *AssistantConfig
	Exchanges []*Exchange
	Report    *Report // the report content sent (nil when none)
	Status    Status  // final call status
	EndReason string
	Error     string // the error text of a call that ended with an error ("" otherwise)
	Aborted   error  // ctx ended the call early
}

// Findings returns all findings of the call in exchange order.
func (r *CallResult) Findings() []Finding {
	var out []Finding
	for _, x := range r.Exchanges {
		out = append(out, x.Findings...)
	}
	return out
}

// Failed reports whether any finding of this severity ("" for any) failed.
func (r *CallResult) Failed(sev Severity) bool {
	for _, x := range r.Exchanges {
		if x.Failed(sev) {
			return true
		}
	}
	return false
}

// DefaultAssistant is the default agent used when the server answers {} or
// the assistant-request fails: a greeting and no tools (a saved agent's tools
// are unknown to the simulator; --default-assistant supplies them).
func DefaultAssistant(lang string) *AssistantConfig {
	if lang == "en" {
		return &AssistantConfig{FirstMessage: "Hello, how can I help you?", EndCallMessage: "Thank you for calling, goodbye."}
	}
	return &AssistantConfig{FirstMessage: "Goedendag, waarmee kan ik u helpen?", EndCallMessage: "Bedankt voor het bellen, tot ziens."}
}

// call is the state of one call being played.
type call struct {
	e       *Engine
	plan    *CallPlan
	gen     Generator
	res     *CallResult
	cfg     *AssistantConfig
	now     time.Time // the call's virtual clock
	msgs    []Message
	wall    time.Time // wall clock at the start, for pacing
	seq     int
	ended   bool
	status  Status
	errMsg  string
	reason  string
	ctl     Controller
	closed  bool   // ctl.End was called
	xfer    string // transfer destination
	bodyCap int    // capacity for the next rendered body
	// unmet: an action the caller needed was not done by a tool (none was
	// declared, it failed or gave no result); later lines that presuppose
	// it are not said.
	unmet bool
	// shape, when set, changes each request before it is sent (a Session's
	// variants: extra fields, a marked robustness case).
	shape func(*Request) error
}

// Play walks one call lifecycle: assistant-request, status-update
// in-progress, the conversation with its tool calls, status-update ended (or
// ended-with-error) and the end-of-call-report. Server failures are findings;
// the returned error is non-nil only when the call could not be played at all
// (a dialect could not render an event). A cancelled ctx ends the call early
// and is reported in CallResult.Aborted.
func (e *Engine) Play(ctx context.Context, plan *CallPlan, gen Generator) (*CallResult, error) {
	return e.PlayControlled(ctx, plan, gen, nil)
}

// PlayControlled is Play with live call control: ctl's commands (spec §5.1)
// act on the running call, and ctl learns the call's status changes.
func (e *Engine) PlayControlled(ctx context.Context, plan *CallPlan, gen Generator, ctl Controller) (*CallResult, error) {
	c := &call{e: e, plan: plan, gen: gen, now: plan.Start, wall: time.Now(), status: StatusRinging,
		res: &CallResult{Plan: plan}, ctl: ctl}
	defer c.closeControl()
	def := e.Default
	if def == nil {
		def = DefaultAssistant(plan.Lang)
	}
	c.cfg = def
	err := c.play(ctx, def)
	c.res.Config = c.cfg
	c.res.Status = c.status
	c.res.EndReason = c.reason
	c.res.Error = c.errMsg
	if err != nil && ctx.Err() != nil {
		c.res.Aborted = ctx.Err()
		return c.res, nil
	}
	return c.res, err
}

func (c *call) play(ctx context.Context, def *AssistantConfig) error {
	p := c.plan
	if p.Direction != Outbound && c.e.sends(AssistantRequest) {
		stop, err := c.assistantRequest(ctx, def)
		if err != nil || stop {
			return err
		}
	}
	c.advance(p.Ring)
	answered := c.now
	c.status = StatusInProgress
	if err := c.statusUpdate(ctx); err != nil {
		return err
	}
	if err := c.converse(ctx, answered); err != nil {
		return err
	}
	return c.finish(ctx, answered)
}

// assistantRequest sends the assistant-request and resolves the config.
// stop reports that the call ended there.
func (c *call) assistantRequest(ctx context.Context, def *AssistantConfig) (stop bool, err error) {
	x, err := c.send(ctx, &Event{Type: AssistantRequest, Plan: c.plan, At: c.now, Status: StatusRinging},
		c.e.Target, c.e.Deadlines.AssistantRequest, true)
	if err != nil {
		return true, err
	}
	cfg := c.e.interpret(x, def)
	reply := x.Assistant
	c.res.Reply = reply.Kind
	switch reply.Kind {
	case ReplyReject:
		x.Action = fmt.Sprintf("call rejected; the caller hears %q", reply.Reject)
		c.observe(x)
		return true, c.reject(ctx, reply.Reject)
	case ReplyFailed:
		if c.failureEndsCall() {
			x.Action = "assistant-request failed: the call ends with " + string(StatusEndedWithError)
			c.observe(x)
			c.status = StatusEndedWithError
			c.errMsg = LegacyAssistantFailure
			c.reason = EndAssistantFailed
			c.advance(time.Second)
			return true, c.statusUpdate(ctx)
		}
		x.Action = "assistant-request failed: the call proceeds with the default agent"
	default:
		c.cfg = cfg
		x.Action = describeConfig(reply, cfg)
	}
	c.observe(x)
	return false, nil
}

func (c *call) failureEndsCall() bool {
	switch c.e.Policy.AssistantFailure {
	case FailureEndCall:
		return true
	case FailureDefaultAgent:
		return false
	}
	return c.e.Dialect.FailureEndsCall()
}

// interpret reads a reply the platform uses: the assistant-request reply is
// parsed and resolved over def (returned; nil when unusable), a sync
// tool-calls reply is parsed into x.Tools. A 2xx reply that is not JSON gets
// a non-json Failure.
func (e *Engine) interpret(x *Exchange, def *AssistantConfig) *AssistantConfig {
	if !x.ReplyUsed {
		return nil
	}
	r := &x.Response
	why := replyProblem(r)
	if why == "" && x.Repaired == "" {
		x.Repaired = repairUTF8(r)
	}
	if why == "" && !jsontext.Valid(r.Body) {
		r.Failure = &Failure{Kind: FailNonJSON, Detail: "reply is not JSON: " + snippet(r.Body)}
		why = r.Failure.Detail
	}
	switch x.Event {
	case AssistantRequest:
		if why != "" {
			x.Assistant = &AssistantReply{Kind: ReplyFailed, Problems: []string{why}}
			return nil
		}
		reply, cfg := e.Dialect.ParseAssistantReply(r.Body, def)
		if cfg != nil && reply.MaxDuration > 0 {
			cfg.MaxDuration = reply.MaxDuration
		}
		x.Assistant = reply
		return cfg
	case ToolCalls:
		if why == "" {
			x.Tools = e.Dialect.ParseToolReply(r.Body, x.ToolCalls)
		}
	}
	return nil
}

// Deliver sends one rendered request outside a call, reads the reply as the
// platform would and checks it (the send command).
func (e *Engine) Deliver(ctx context.Context, req Request, calls []ToolCall) *Exchange {
	used := req.Event == AssistantRequest
	for _, c := range calls {
		used = used || !c.Async
	}
	x := &Exchange{Seq: 1, Event: req.Event, Request: req, ToolCalls: calls, ReplyUsed: used}
	x.Response = e.Sender.Send(ctx, req)
	def := e.Default
	if def == nil {
		def = DefaultAssistant("nl")
	}
	if cfg := e.interpret(x, def); cfg != nil {
		x.Action = describeConfig(x.Assistant, cfg)
	} else if x.Assistant != nil {
		x.Action = "assistant-request reply unusable: " + strings.Join(x.Assistant.Problems, "; ")
		if x.Assistant.Kind == ReplyReject {
			x.Action = fmt.Sprintf("call rejected; the caller hears %q", x.Assistant.Reject)
		}
	} else if x.Tools != nil {
		x.Action = fmt.Sprintf("tool reply in %s format with %d result(s)", x.Tools.Format, len(x.Tools.Results))
	} else {
		x.Action = ackAction(x)
	}
	e.observe(x)
	return x
}

// replyProblem says why a response cannot be used, or "".
func replyProblem(r *Response) string {
	if r.Failure != nil {
		return r.Failure.Detail
	}
	if r.Status < 200 || r.Status > 299 {
		return fmt.Sprintf("HTTP %d", r.Status)
	}
	return ""
}

func describeConfig(r *AssistantReply, cfg *AssistantConfig) string {
	var b strings.Builder
	switch r.Kind {
	case ReplyDefault:
		b.WriteString("empty reply: the default agent answers")
	case ReplyHybrid:
		fmt.Fprintf(&b, "saved agent %q with overrides", r.AssistantID)
	default:
		b.WriteString("assistant configured")
	}
	if len(cfg.Tools) > 0 {
		names := make([]string, len(cfg.Tools))
		for i, t := range cfg.Tools {
			names[i] = t.Name
			if t.Builtin != "" {
				names[i] = t.Builtin
			}
			if t.Async {
				names[i] += " (async)"
			}
		}
		fmt.Fprintf(&b, "; tools: %s", strings.Join(names, ", "))
	}
	if cfg.MaxDuration > 0 {
		fmt.Fprintf(&b, "; max duration %s", cfg.MaxDuration)
	}
	if cfg.Analysis != nil && cfg.Analysis.Enabled {
		b.WriteString("; analysis plan")
	}
	return b.String()
}

// reject plays the rest of a rejected call per Policy.AfterReject.
func (c *call) reject(ctx context.Context, text string) error {
	answered := c.now
	c.say(RoleAssistant, text, 0)
	c.status = StatusEnded
	c.reason = EndRejected
	switch c.e.Policy.AfterReject {
	case RejectNone:
		return nil
	case RejectStatus:
		return c.statusUpdate(ctx)
	}
	if err := c.statusUpdate(ctx); err != nil {
		return err
	}
	return c.report(ctx, answered)
}

// converse plays the turns of the plan.
func (c *call) converse(ctx context.Context, answered time.Time) error {
	p := c.plan
	cfg := c.cfg
	var limit time.Time
	if cfg.MaxDuration > 0 {
		limit = answered.Add(cfg.MaxDuration)
	}
	capped := func() bool {
		if !limit.IsZero() && !c.now.Before(limit) {
			c.now = limit
			c.endBy(StatusEnded, EndMaxDuration)
			return true
		}
		return false
	}
	if p.Intent != Voicemail && cfg.FirstMessage != "" {
		c.say(RoleAssistant, cfg.FirstMessage, 0)
	}
	for i, turn := range p.Turns {
		if c.e.Pace > 0 {
			if err := c.pace(ctx); err != nil {
				return err
			}
		}
		if c.control(c.poll()) {
			return nil
		}
		if p.Error != "" && i == p.ErrorAfter {
			c.advance(turn.Gap / 2)
			c.errMsg = p.Error
			c.endBy(StatusEndedWithError, EndError)
			return nil
		}
		c.advance(turn.Gap)
		if capped() {
			return nil
		}
		if turn.Caller != "" {
			c.say(RoleUser, turn.Caller, turn.Speak)
		}
		if capped() {
			return nil
		}
		line := turn.Reply
		if p.Intent == Voicemail && cfg.Voicemail != "" {
			line = cfg.Voicemail
		}
		c.advance(turn.Think)
		if c.e.Pace > 0 && c.ctl != nil {
			// Paced play: the assistant's answer is due now on the wall
			// clock; a command that arrived while the caller spoke acts first.
			if err := c.pace(ctx); err != nil {
				return err
			}
			if c.control(c.poll()) {
				return nil
			}
		}
		if tools := MatchTools(turn.Need, cfg.Tools); len(tools) > 0 && c.e.sends(ToolCalls) {
			follow, stop, err := c.useTools(ctx, tools)
			if err != nil || stop {
				return err
			}
			if follow != "" {
				line = follow
			}
		} else if c.claimsUnmet(turn.Need) {
			// No tool did it: the assistant claims nothing.
			line = c.gen.Unserved(p, turn.Need)
			c.unmet = true
		}
		if capped() {
			return nil
		}
		if line != "" {
			c.say(RoleAssistant, line, turn.Talk)
		}
		if capped() {
			return nil
		}
	}
	if p.Goodbye != "" {
		c.advance(700 * time.Millisecond)
		c.say(RoleUser, p.Goodbye, 0)
	}
	if capped() {
		return nil
	}
	if cfg.EndCallMessage != "" && p.Intent != Voicemail && p.Intent != Silent {
		c.advance(500 * time.Millisecond)
		c.say(RoleAssistant, cfg.EndCallMessage, 0)
	}
	capped()
	return nil
}

// useTools calls the tools a turn needs: one tool-calls request per
// destination URL and kind (sync tools together, async tools together). It
// returns the assistant's follow-up line.
func (c *call) useTools(ctx context.Context, tools []Tool) (string, bool, error) {
	type group struct {
		url   string
		async bool
		tools []Tool
	}
	var groups []*group
	for _, t := range tools {
		u := c.e.Target
		if t.URL != "" {
			u = t.URL
		}
		var g *group
		for _, x := range groups {
			if x.url == u && x.async == t.Async {
				g = x
			}
		}
		if g == nil {
			g = &group{url: u, async: t.Async}
			groups = append(groups, g)
		}
		g.tools = append(g.tools, t)
	}
	var lines []string
	for _, g := range groups {
		calls := make([]ToolCall, len(g.tools))
		for i, t := range g.tools {
			calls[i] = ToolCall{ID: c.toolCallID(), Name: t.Name, Arguments: c.gen.ToolArguments(c.plan, t), Async: t.Async}
		}
		deadline := c.e.Deadlines.ToolCalls
		if g.async {
			deadline = c.e.Deadlines.Ack
		}
		ev := &Event{Type: ToolCalls, Plan: c.plan, At: c.now, Status: StatusInProgress, ToolCalls: calls, Config: c.cfg}
		x, err := c.send(ctx, ev, g.url, deadline, !g.async)
		if err != nil {
			return "", true, err
		}
		more, ended := c.toolReply(x, g.tools, calls, g.async)
		c.observe(x)
		if ended {
			return "", true, nil
		}
		lines = append(lines, more...)
	}
	return strings.Join(lines, " "), false, nil
}

// toolReply reads a tool-calls reply as the platform does and returns the
// assistant's follow-up lines: an async tool's response, the lines shaped by
// the results, or apologies for a failure. ended reports that the failure
// policy ended the call. It sets x.Action; the caller observes x. The call's
// timeline does not take the measured latency: the same seed gives the same
// payloads whatever the server's speed.
func (c *call) toolReply(x *Exchange, tools []Tool, calls []ToolCall, async bool) (lines []string, ended bool) {
	if async {
		for _, t := range tools {
			if t.AsyncResponse != "" {
				lines = append(lines, t.AsyncResponse)
			} else {
				lines = append(lines, c.gen.ToolFollowUp(c.plan, t, nil, ""))
			}
		}
		x.Action = "async tool: fire-and-forget, the reply is not used"
		return lines, false
	}
	c.e.interpret(x, nil)
	failure := replyProblem(&x.Response)
	if failure == "" && x.Tools != nil && len(x.Tools.Problems) > 0 {
		failure = x.Tools.Problems[0]
	}
	if failure != "" {
		c.unmet = true
		x.Action = "tool call failed (" + failure + ")"
		if c.e.Policy.ToolFailure == ToolEndCall {
			x.Action += ": the call ends with an error"
			c.errMsg = "tool " + tools[0].Name + " failed: " + failure
			c.endBy(StatusEndedWithError, EndError)
			return nil, true
		}
		x.Action += ": the assistant apologises and goes on"
		for _, t := range tools {
			lines = append(lines, c.gen.ToolFollowUp(c.plan, t, nil, failure))
		}
		return lines, false
	}
	var used []string
	for i, t := range tools {
		var r *ToolResult
		if x.Tools != nil {
			r = resultFor(x.Tools.Results, calls[i].ID)
		}
		if r == nil {
			c.unmet = true
			lines = append(lines, c.gen.ToolFollowUp(c.plan, t, nil, "no result for this tool call"))
			continue
		}
		if strings.TrimSpace(r.Error) != "" {
			c.unmet = true
		}
		lines = append(lines, c.gen.ToolFollowUp(c.plan, t, r, r.Error))
		used = append(used, t.Name)
	}
	if len(used) > 0 {
		x.Action = fmt.Sprintf("results (%s format) used for %s", x.Tools.Format, strings.Join(used, ", "))
	} else {
		x.Action = "no usable result: the assistant apologises"
	}
	return lines, false
}

// claimsUnmet reports whether the planned line of a turn with this need
// would state something no tool did: an action need without a tool, or,
// once an action went unmet, any later line but opening hours (the
// follow-up questions and e-mail confirmations presuppose the action).
func (c *call) claimsUnmet(need string) bool {
	if c.plan.Intent == Voicemail {
		return false
	}
	return ActionNeeds[need] || (c.unmet && need != NeedHours)
}

func resultFor(rs []ToolResult, id string) *ToolResult {
	for i := range rs {
		if rs[i].ID == id {
			return &rs[i]
		}
	}
	return nil
}

// finish sends the final status-update and the end-of-call-report.
func (c *call) finish(ctx context.Context, answered time.Time) error {
	if c.ctl != nil {
		// The call stays controllable until its end is due on the wall
		// clock (paced play); commands accepted until then still act, so
		// none is lost.
		if err := c.pace(ctx); err != nil {
			return err
		}
		c.closed = true
		c.control(c.ctl.End())
	}
	if c.reason == "" {
		c.reason = c.plan.EndReason
	}
	if c.status != StatusEndedWithError && c.status != StatusTransferred {
		c.status = StatusEnded
	}
	if err := c.statusUpdate(ctx); err != nil {
		return err
	}
	return c.report(ctx, answered)
}

// report builds and sends the end-of-call-report.
func (c *call) report(ctx context.Context, answered time.Time) error {
	p := c.plan
	r := &Report{
		Started: answered, Ended: c.now, EndReason: c.reason, Messages: c.msgs, RecordingURL: p.Recording,
		Summary:    c.gen.Summary(p, c.msgs, c.reason),
		Success:    c.gen.Success(p, c.msgs, c.reason),
		Usage:      c.gen.Usage(p, c.msgs),
		TransferTo: c.xfer,
	}
	if a := c.cfg.Analysis; a != nil && a.Enabled && len(a.Schema) > 0 && len(c.msgs) >= a.MinMessages {
		r.Analysis = c.gen.Analysis(p, a.Schema, c.msgs, c.reason)
	}
	c.res.Report = r
	if !c.e.sends(EndOfCallReport) {
		return nil
	}
	// The platform summarises and analyses before it reports (spec §1.2.5).
	c.advance(time.Duration(1500+40*len(c.msgs)) * time.Millisecond)
	ev := &Event{Type: EndOfCallReport, Plan: p, At: c.now, Status: StatusEnded, Error: c.errMsg,
		EndReason: c.reason, Report: r, Config: c.cfg}
	x, err := c.send(ctx, ev, c.e.Target, c.e.Deadlines.Ack, false)
	if err != nil {
		return err
	}
	x.Action = ackAction(x)
	c.observe(x)
	return nil
}

// statusUpdate sends a status-update with the current status.
func (c *call) statusUpdate(ctx context.Context) error {
	if c.ctl != nil && !c.closed {
		c.ctl.Status(c.status)
	}
	if !c.e.sends(StatusUpdate) {
		return nil
	}
	ev := &Event{Type: StatusUpdate, Plan: c.plan, At: c.now, Status: c.status, Config: c.cfg}
	if c.status == StatusEndedWithError {
		ev.Error = c.errMsg
	}
	if c.status != StatusInProgress {
		ev.EndReason = c.reason
	}
	x, err := c.send(ctx, ev, c.e.Target, c.e.Deadlines.Ack, false)
	if err != nil {
		return err
	}
	x.Action = ackAction(x)
	c.observe(x)
	return nil
}

func ackAction(x *Exchange) string {
	if p := replyProblem(&x.Response); p != "" {
		return "not acknowledged (" + p + ")"
	}
	return "acknowledged"
}

// maxSpareBody is the largest request body buffer kept for reuse.
const maxSpareBody = 64 << 10

// send renders and delivers one event; the exchange is not yet observed.
func (c *call) send(ctx context.Context, ev *Event, target string, deadline time.Duration, used bool) (*Exchange, error) {
	if ev.Type != AssistantRequest {
		ev.Config = c.cfg
	}
	if err := c.pace(ctx); err != nil {
		return nil, err
	}
	// A buffer the size of the call's largest body so far renders without
	// regrowing (events of a call are of similar size); see Engine.Bodies.
	var buf []byte
	if c.e.Lean && c.e.Bodies != nil {
		if p, ok := c.e.Bodies.Get().(*[]byte); ok {
			buf = (*p)[:0]
		}
	}
	if cap(buf) < c.bodyCap || buf == nil {
		buf = make([]byte, 0, max(c.bodyCap, 1024))
	}
	body, err := c.e.Dialect.Render(buf, ev)
	c.bodyCap = max(c.bodyCap, len(body)+len(body)/8)
	if err != nil {
		return nil, fmt.Errorf("render %s in dialect %s: %w", ev.Type, c.e.Dialect.Name(), err)
	}
	c.seq++
	req := Request{URL: target, Event: ev.Type, Body: body, Deadline: deadline, Plain: c.e.Dialect.Plain()}
	if c.shape != nil {
		if err := c.shape(&req); err != nil {
			return nil, err
		}
	}
	x := &Exchange{Seq: c.seq, CallID: c.plan.ID, Event: ev.Type, Status: ev.Status, EndReason: ev.EndReason, At: ev.At,
		Request: req, ToolCalls: ev.ToolCalls, ReplyUsed: used}
	x.Response = c.e.Sender.Send(ctx, req)
	c.res.Exchanges = append(c.res.Exchanges, x)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return x, nil
}

// observe runs the checks on a finished exchange and reports it.
func (c *call) observe(x *Exchange) {
	c.e.observe(x)
	if c.e.Lean {
		if b := x.Request.Body; c.e.Bodies != nil && cap(b) > 0 && cap(b) <= maxSpareBody {
			c.e.Bodies.Put(&b)
		}
		x.Request.Body, x.Response.Body, x.Response.SentBody = nil, nil, nil
		x.Response.Header, x.Response.SentHeader = nil, nil
	}
}

func (e *Engine) observe(x *Exchange) {
	if x.Repaired != "" {
		x.Action += " (the reply's invalid UTF-8 was read as U+FFFD)"
	}
	if e.Checker != nil {
		x.Findings = e.Checker.Check(x)
		for i := range x.Findings {
			x.Findings[i].Seq = x.Seq
		}
	}
	if e.Observe != nil {
		e.Observe(x)
	}
}

// pace waits until the wall clock catches up with the call's timeline.
func (c *call) pace(ctx context.Context) error {
	if c.e.Pace <= 0 {
		return ctx.Err()
	}
	due := c.wall.Add(time.Duration(float64(c.now.Sub(c.plan.Start)) / c.e.Pace))
	wait := time.Until(due)
	if wait <= 0 {
		return ctx.Err()
	}
	if c.e.Sleep != nil {
		return c.e.Sleep(ctx, wait)
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// advance moves the call's clock.
func (c *call) advance(d time.Duration) {
	if d > 0 {
		c.now = c.now.Add(d)
	}
}

// say adds a transcript message at the current time and moves the clock by
// the time it takes to say it (took, or estimated from the words).
func (c *call) say(role Role, text string, took time.Duration) {
	if took <= 0 {
		took = SpeakingTime(text)
	}
	c.msgs = append(c.msgs, Message{Role: role, Content: text, At: c.now, Took: took})
	c.advance(took)
}

// SpeakingTime estimates how long saying text takes (about 2.5 words a second).
func SpeakingTime(text string) time.Duration {
	words := len(strings.Fields(text))
	if words == 0 {
		return 0
	}
	return time.Duration(words) * 400 * time.Millisecond
}

// snippet is a short printable start of a body.
func snippet(b []byte) string {
	const max = 60
	s := string(b)
	if len(s) > max {
		s = s[:max]
		for !utf8.ValidString(s) && len(s) > 0 {
			s = s[:len(s)-1]
		}
		s += "…"
	}
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "(empty body)"
	}
	return fmt.Sprintf("%q", s)
}

// ValidTarget checks a webhook URL and says what to do when it is unusable.
func ValidTarget(raw string) error {
	if raw == "" {
		return fmt.Errorf("no target: give the webhook URL of the server to test, e.g. --target http://127.0.0.1:8080/webhook")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("target %q is not an http(s) URL: use e.g. --target http://127.0.0.1:8080/webhook", raw)
	}
	return nil
}

// Probe re-sends the request of base with a signature probe (spec §3), checks
// the reply and appends the exchange to the call's result.
func (e *Engine) Probe(ctx context.Context, res *CallResult, base *Exchange, p Probe) *Exchange {
	req := base.Request
	req.Probe = p
	x := &Exchange{Seq: len(res.Exchanges) + 1, CallID: base.CallID, Event: base.Event, Status: base.Status,
		At: base.At, Request: req, ToolCalls: base.ToolCalls}
	x.Response = e.Sender.Send(ctx, req)
	x.Action = "signature probe: " + string(p)
	if replyProblem(&x.Response) == "" {
		x.Action += ": accepted"
	} else {
		x.Action += ": refused (" + replyProblem(&x.Response) + ")"
	}
	res.Exchanges = append(res.Exchanges, x)
	e.observe(x)
	return x
}

// poll returns the control commands that arrived, if any.
func (c *call) poll() []Command {
	if c.ctl == nil || c.closed || c.ended {
		return nil
	}
	return c.ctl.Poll()
}

// closeControl ends the controller of a call that ended before its
// conversation (rejected, failed) or was aborted.
func (c *call) closeControl() {
	if c.ctl != nil && !c.closed {
		c.closed = true
		c.ctl.Status(c.status)
		c.ctl.End()
	}
}

// control applies call-control commands (spec §5.1) and reports whether one
// of them ended the call.
func (c *call) control(cmds []Command) bool {
	for _, cmd := range cmds {
		switch cmd.Type {
		case CommandInjectContext:
			c.msgs = append(c.msgs, Message{Role: RoleSystem, Content: cmd.Content, At: c.now})
			if cmd.TriggerResponse {
				raw, _ := json.Marshal(cmd.Content)
				c.say(RoleAssistant, c.gen.ToolFollowUp(c.plan, Tool{Name: "inject_context"}, &ToolResult{Result: raw}, ""), 0)
			}
		case CommandSay:
			c.say(RoleAssistant, cmd.Content, 0)
			if cmd.EndAfter {
				c.endBy(StatusEnded, EndByAPI)
			}
		case CommandEndCall:
			if cmd.Message != "" {
				c.say(RoleAssistant, cmd.Message, 0)
			}
			c.endBy(StatusEnded, EndByAPI)
		case CommandTransfer:
			if cmd.Message != "" {
				c.say(RoleAssistant, cmd.Message, 0)
			}
			c.xfer = cmd.Destination
			c.endBy(StatusTransferred, EndTransferred)
		}
	}
	return c.ended
}

// endBy ends the conversation; the first reason wins.
func (c *call) endBy(st Status, reason string) {
	if c.ended {
		return
	}
	c.ended = true
	c.status = st
	c.reason = reason
}

// toolCallID is a fresh tool call id in the dialect's form, when the dialect
// has one (legacy G1: call_…).
func (c *call) toolCallID() string {
	id := c.gen.ToolCallID()
	if d, ok := c.e.Dialect.(interface{ ToolCallID(string) string }); ok {
		return d.ToolCallID(id)
	}
	return id
}
