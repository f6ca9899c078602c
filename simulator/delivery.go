package simulator

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// maxSpareBody is the largest request body buffer kept for reuse.
const maxSpareBody = 64 << 10

// deliver is the one delivery path: every exchange of a call (its events,
// robustness variants, redeliveries, signature probes) and every one-off
// delivery (Engine.Deliver) goes through it. It numbers the exchange (its
// place in the call), sends the request (the Sender signs it), records it,
// lets read take the reply as the platform does (read sets x.Action; nil:
// an acknowledgement), checks it and hands it to the call's observer.
//
// x carries the request and what the event said; its Seq and Response are
// set here. When ctx ends during the send the exchange is recorded but not
// read, checked or observed, and ctx's error is returned.
//
// Later platform behaviours plug in here, as fields of the request or of
// the Engine that deliver consults: a retry policy would look at the
// response after read and, while it asks for another attempt, deliver the
// same request again as a new exchange marked VariantRedelivery (numbered
// and observed like any other); duplicate deliveries and reordering would
// queue the exchange here instead of sending it at once.
func (c *call) deliver(ctx context.Context, x *Exchange, read func(*Exchange)) (*Exchange, error) {
	x.Seq = len(c.res.Exchanges) + 1
	x.Response = c.set.sender.Send(ctx, x.Request)
	c.res.Exchanges = append(c.res.Exchanges, x)
	if err := ctx.Err(); err != nil {
		return x, err
	}
	if read != nil {
		read(x)
	} else {
		x.Action = ackAction(x)
	}
	c.observe(x)
	return x, nil
}

// observe runs the checks on a finished exchange and reports it.
func (c *call) observe(x *Exchange) {
	if x.Repaired != "" {
		x.Action += " (the reply's invalid UTF-8 was read as U+FFFD)"
	}
	if c.e.Checker != nil {
		x.Findings = c.e.Checker.Check(x)
		for i := range x.Findings {
			x.Findings[i].Seq = x.Seq
		}
	}
	if c.set.observe != nil {
		c.set.observe(x)
	}
	if c.set.lean {
		c.dropBodies(x)
	}
}

// dropBodies lets a lean call forget what its checked exchange sent and
// received, recycling the request buffer.
func (c *call) dropBodies(x *Exchange) {
	if b := x.Request.Body; c.set.bodies != nil && cap(b) > 0 && cap(b) <= maxSpareBody {
		c.set.bodies.Put(&b)
	}
	x.Request.Body, x.Response.Body, x.Response.SentBody = nil, nil, nil
	x.Response.Header, x.Response.SentHeader = nil, nil
}

// wait is how long a delivery waits for its reply and whether the platform
// uses the reply (assistant-request, sync tool-calls) or only needs it
// acknowledged.
type wait struct {
	deadline time.Duration
	used     bool
}

// send renders an event of the call and delivers it to target.
func (c *call) send(ctx context.Context, ev *Event, target string, w wait, read func(*Exchange)) (*Exchange, error) {
	if ev.Type != AssistantRequest {
		ev.Config = c.cfg
	}
	if err := c.pace(ctx); err != nil {
		return nil, err
	}
	body, err := c.e.Dialect.Render(c.buffer(), ev)
	c.bodyCap = max(c.bodyCap, len(body)+len(body)/8)
	if err != nil {
		return nil, fmt.Errorf("render %s in dialect %s: %w", ev.Type, c.e.Dialect.Name(), err)
	}
	req := Request{URL: target, Event: ev.Type, Body: body, Deadline: w.deadline, Plain: c.e.Dialect.Plain()}
	if c.shape != nil {
		if err := c.shape(&req); err != nil {
			return nil, err
		}
	}
	x := &Exchange{CallID: c.plan.ID, Event: ev.Type, Status: ev.Status, EndReason: ev.EndReason, At: ev.At,
		Request: req, ToolCalls: ev.ToolCalls, ReplyUsed: w.used}
	return c.deliver(ctx, x, read)
}

// buffer is the buffer the next body is rendered into: one the size of the
// call's largest body so far renders without regrowing (events of a call
// are of similar size); a lean call reuses dropped bodies (CallOptions.Bodies).
func (c *call) buffer() []byte {
	var buf []byte
	if c.set.lean && c.set.bodies != nil {
		if p, ok := c.set.bodies.Get().(*[]byte); ok {
			buf = (*p)[:0]
		}
	}
	if cap(buf) < c.bodyCap || buf == nil {
		buf = make([]byte, 0, max(c.bodyCap, 1024))
	}
	return buf
}

// redeliver sends the request of x again as a new exchange: the same body,
// marked with v and p, signed afresh.
func (c *call) redeliver(ctx context.Context, x *Exchange, v Variant, p Probe, used bool, read func(*Exchange)) *Exchange {
	req := x.Request
	req.Probe, req.Variant = p, v
	y := &Exchange{CallID: x.CallID, Event: x.Event, Status: x.Status, At: x.At, Request: req,
		ToolCalls: x.ToolCalls, ReplyUsed: used}
	y, _ = c.deliver(ctx, y, read)
	return y
}

// probe re-sends the request of base with a signature probe (spec §3).
func (c *call) probe(ctx context.Context, base *Exchange, p Probe) *Exchange {
	return c.redeliver(ctx, base, base.Request.Variant, p, false, func(x *Exchange) {
		x.Action = "signature probe: " + string(p)
		if why := replyProblem(&x.Response); why == "" {
			x.Action += ": accepted"
		} else {
			x.Action += ": refused (" + why + ")"
		}
	})
}

// Deliver sends one rendered request outside a call, reads the reply as the
// platform would and checks it (the send and replay commands).
func (e *Engine) Deliver(ctx context.Context, req Request, calls []ToolCall) *Exchange {
	used := req.Event == AssistantRequest
	for _, c := range calls {
		used = used || !c.Async
	}
	c := e.newCall(&CallPlan{Lang: "nl"}, nil, CallOptions{})
	x := &Exchange{Event: req.Event, Request: req, ToolCalls: calls, ReplyUsed: used}
	x, _ = c.deliver(ctx, x, func(x *Exchange) { x.Action = c.oneOffAction(x) })
	return x
}

// oneOffAction reads the reply of a delivery outside a call.
func (c *call) oneOffAction(x *Exchange) string {
	if cfg := c.interpret(x, c.set.def); cfg != nil {
		return describeConfig(x.Assistant, cfg)
	}
	switch {
	case x.Assistant != nil && x.Assistant.Kind == ReplyReject:
		return fmt.Sprintf("call rejected; the caller hears %q", x.Assistant.Reject)
	case x.Assistant != nil:
		return "assistant-request reply unusable: " + strings.Join(x.Assistant.Problems, "; ")
	case x.Tools != nil:
		return fmt.Sprintf("tool reply in %s format with %d result(s)", x.Tools.Format, len(x.Tools.Results))
	}
	return ackAction(x)
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

func ackAction(x *Exchange) string {
	if p := replyProblem(&x.Response); p != "" {
		return "not acknowledged (" + p + ")"
	}
	return "acknowledged"
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
