package simulator

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator/internal/jsontext"
)

// assistantRequest sends the assistant-request and resolves the config.
// stop reports that the call ended there.
func (c *call) assistantRequest(ctx context.Context) (stop bool, err error) {
	var next func(context.Context) error
	ev := &Event{Type: AssistantRequest, Plan: c.plan, At: c.now, Status: StatusRinging}
	_, err = c.send(ctx, ev, c.set.target, wait{c.e.Deadlines.AssistantRequest, true}, func(x *Exchange) {
		next = c.resolveAssistant(x)
	})
	if err != nil || next == nil {
		return err != nil, err
	}
	return true, next(ctx)
}

// resolveAssistant reads the assistant-request reply: the config that drives
// the call, or, for a call that ends here, what the platform sends next.
func (c *call) resolveAssistant(x *Exchange) (next func(context.Context) error) {
	cfg := c.interpret(x, c.set.def)
	reply := x.Assistant
	c.res.Reply = reply.Kind
	switch reply.Kind {
	case ReplyReject:
		x.Action = fmt.Sprintf("call rejected; the caller hears %q", reply.Reject)
		return func(ctx context.Context) error { return c.reject(ctx, reply.Reject) }
	case ReplyFailed:
		if c.failureEndsCall() {
			x.Action = "assistant-request failed: the call ends with " + string(StatusEndedWithError)
			return c.endOnAssistantFailure
		}
		x.Action = "assistant-request failed: the call proceeds with the default agent"
	default:
		c.cfg = cfg
		x.Action = describeConfig(reply, cfg)
	}
	return nil
}

// endOnAssistantFailure ends a call whose assistant-request failed with the
// dialect's error text.
func (c *call) endOnAssistantFailure(ctx context.Context) error {
	c.status = StatusEndedWithError
	c.errMsg = c.e.Dialect.AssistantFailureError()
	c.reason = EndAssistantFailed
	c.advance(time.Second)
	return c.statusUpdate(ctx)
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

// interpret reads a reply the platform uses: the assistant-request reply is
// parsed and resolved over def (returned; nil when unusable), a sync
// tool-calls reply is parsed into x.Tools. A 2xx reply that is not JSON gets
// a non-json Failure.
func (c *call) interpret(x *Exchange, def *AssistantConfig) *AssistantConfig {
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
		reply, cfg := c.e.Dialect.ParseAssistantReply(r.Body, def)
		if cfg != nil && reply.MaxDuration > 0 {
			cfg.MaxDuration = reply.MaxDuration
		}
		x.Assistant = reply
		return cfg
	case ToolCalls:
		if why == "" {
			x.Tools = c.e.Dialect.ParseToolReply(r.Body, x.ToolCalls)
		}
	}
	return nil
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
		fmt.Fprintf(&b, "; tools: %s", strings.Join(toolNames(cfg.Tools), ", "))
	}
	if cfg.MaxDuration > 0 {
		fmt.Fprintf(&b, "; max duration %s", cfg.MaxDuration)
	}
	if cfg.Analysis != nil && cfg.Analysis.Enabled {
		b.WriteString("; analysis plan")
	}
	return b.String()
}

// toolNames names the tools as a description of a config shows them.
func toolNames(tools []Tool) []string {
	names := make([]string, len(tools))
	for i, t := range tools {
		names[i] = t.Name
		if t.Builtin != "" {
			names[i] = t.Builtin
		}
		if t.Async {
			names[i] += " (async)"
		}
	}
	return names
}
