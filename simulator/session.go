package simulator

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Session plays one call: it is the only driver of a call. Play runs a
// session to its end; AdvanceTo brings one to a phase of its lifecycle; each
// step method sends what the platform sends at that point of the call, so
// that scenario steps can act between events (call a given tool, deliver a
// report twice, send the report before the status-update ended, change a
// body). Finish plays what is left the way Play does. Exchanges are checked
// as they complete. A Session is not safe for concurrent use; sessions of
// one Engine are independent.
type Session struct {
	c         *call
	asked     bool // assistant-request sent
	answered  bool // status-update in-progress sent
	at        time.Time
	conversed bool
	endSent   bool // final status-update sent
	wrapUp    bool // the lifecycle sent the final status-update: the report follows
	reported  bool // end-of-call-report sent
	over      bool // the platform considers the call finished
}

// SendOptions change the deliveries of one Session step.
type SendOptions struct {
	// Variant marks the deliveries as a robustness case for the checks.
	Variant Variant
	// Events limits Variant and Mutate to these events; empty means every
	// event the step sends.
	Events []EventType
	// Mutate changes a rendered body before it is signed and sent.
	Mutate func(body []byte) ([]byte, error)
}

// ErrCallOver is returned by a Session step that needs a call in progress
// after the call ended.
var ErrCallOver = errors.New("the call is over")

// NewSession starts a call of the plan with the call's options; nothing is
// sent yet.
func (e *Engine) NewSession(plan *CallPlan, gen Generator, o CallOptions) *Session {
	return &Session{c: e.newCall(plan, gen, o)}
}

// Config is the assistant configuration in force: the server's, once the
// assistant-request was answered usably, else the default agent.
func (s *Session) Config() *AssistantConfig { return s.c.cfg }

// Reply is how the assistant-request was answered ("" before it was sent).
func (s *Session) Reply() ReplyKind { return s.c.res.Reply }

// Exchanges are the call's exchanges so far, in order.
func (s *Session) Exchanges() []*Exchange { return s.c.res.Exchanges }

// Answered reports whether the status-update in-progress was sent.
func (s *Session) Answered() bool { return s.answered }

// Over reports whether the call has ended for the platform (rejected, failed
// or ended).
func (s *Session) Over() bool { return s.over }

// Result is the call as played so far.
func (s *Session) Result() *CallResult { return s.c.result() }

// with runs f with o applied to every request f sends.
func (s *Session) with(o SendOptions, f func() error) error {
	if o.Variant != VariantNone || o.Mutate != nil {
		s.c.shape = func(r *Request) error {
			if len(o.Events) > 0 && !slices.Contains(o.Events, r.Event) {
				return nil
			}
			if o.Mutate != nil {
				b, err := o.Mutate(r.Body)
				if err != nil {
					return fmt.Errorf("change the %s body: %w", r.Event, err)
				}
				r.Body = b
			}
			if o.Variant != VariantNone {
				r.Variant = o.Variant
			}
			return nil
		}
		defer func() { s.c.shape = nil }()
	}
	return f()
}

// since returns the exchanges added after the first n.
func (s *Session) since(n int) []*Exchange {
	return slices.Clone(s.c.res.Exchanges[n:])
}

// note records what the exchanges xs mean for the call's progress.
func (s *Session) note(xs []*Exchange) {
	for _, x := range xs {
		switch {
		case x.Event == StatusUpdate && x.Status != StatusInProgress && x.Request.Probe == "":
			s.endSent, s.over = true, true
		case x.Event == EndOfCallReport && x.Request.Probe == "":
			s.reported = true
		}
	}
}

// AssistantRequest sends the assistant-request and resolves the assistant
// configuration from the reply. A rejected call ({"error": …}) and, where
// the dialect or Policy says so, a failed assistant-request end the call at
// once with the events the platform sends then; the returned exchanges
// include them.
func (s *Session) AssistantRequest(ctx context.Context, o SendOptions) ([]*Exchange, error) {
	c := s.c
	switch {
	case s.asked:
		return nil, errors.New("the assistant-request of this call was already sent")
	case c.plan.Direction == Outbound:
		return nil, errors.New("the platform sends no assistant-request for outbound calls")
	case !c.sends(AssistantRequest):
		return nil, fmt.Errorf("the %s dialect sends no assistant-request", c.e.Dialect.Name())
	case s.answered || s.over:
		return nil, errors.New("the assistant-request comes before the call is answered")
	}
	s.asked = true
	n := len(c.res.Exchanges)
	var stop bool
	err := s.with(o, func() (err error) {
		stop, err = c.assistantRequest(ctx)
		return err
	})
	xs := s.since(n)
	s.note(xs)
	if stop {
		s.over = true
	}
	return xs, err
}

// Answer answers the call: after the ring, the status-update in-progress.
func (s *Session) Answer(ctx context.Context, o SendOptions) ([]*Exchange, error) {
	c := s.c
	switch {
	case s.over:
		return nil, ErrCallOver
	case s.answered:
		return nil, errors.New("the call was already answered")
	}
	n := len(c.res.Exchanges)
	c.advance(c.plan.Ring)
	s.at, s.answered = c.now, true
	c.status = StatusInProgress
	err := s.with(o, func() error { return c.statusUpdate(ctx) })
	return s.since(n), err
}

// Converse plays the plan's conversation: its turns, with the tool calls
// they need of the declared tools. The conversation may end the call (max
// duration, a platform error); the final events are sent by End or Finish.
func (s *Session) Converse(ctx context.Context, o SendOptions) ([]*Exchange, error) {
	c := s.c
	switch {
	case s.over || c.ended:
		return nil, ErrCallOver
	case !s.answered:
		return nil, errors.New("the call must be answered before the conversation")
	case s.conversed:
		return nil, errors.New("the conversation was already played")
	}
	n := len(c.res.Exchanges)
	s.conversed = true
	err := s.with(o, func() error { return c.converse(ctx, s.at) })
	return s.since(n), err
}

// Say adds a line to the transcript, taking took (or the time the words
// take) on the call's clock.
func (s *Session) Say(role Role, text string, took time.Duration) { s.c.say(role, text, took) }

// CallTools sends one tool-calls request with these calls, to the first
// tool's own URL when it declares one and to the target otherwise, and reads
// the reply when any call is synchronous. The assistant's follow-up joins
// the transcript. With Policy.ToolFailure end-call, a failed sync call ends
// the conversation.
func (s *Session) CallTools(ctx context.Context, calls []ToolCall, o SendOptions) (*Exchange, error) {
	c := s.c
	switch {
	case s.over || c.ended:
		return nil, ErrCallOver
	case !s.answered:
		return nil, errors.New("the call must be answered before the assistant calls tools")
	case !c.sends(ToolCalls):
		return nil, fmt.Errorf("the %s dialect sends no tool-calls", c.e.Dialect.Name())
	case len(calls) == 0:
		return nil, errors.New("no tool calls to send")
	}
	url, async := c.set.target, true
	tools := make([]Tool, len(calls))
	for i, tc := range calls {
		t, ok := c.cfg.Tool(tc.Name)
		if !ok {
			t = Tool{Name: tc.Name, Async: tc.Async}
		}
		tools[i] = t
		if i == 0 && t.URL != "" {
			url = t.URL
		}
		async = async && tc.Async
	}
	n := len(c.res.Exchanges)
	var lines []string
	err := s.with(o, func() (err error) {
		lines, _, err = c.callTools(ctx, url, tools, calls, async)
		return err
	})
	if err != nil {
		return nil, err
	}
	x := s.c.res.Exchanges[n]
	if line := strings.Join(lines, " "); line != "" {
		c.say(RoleAssistant, line, 0)
	}
	return x, nil
}

// End ends the call with the status (ended, ended-with-error or
// transferred), the end reason and, for ended-with-error, the error text,
// and sends the final status-update. A call that was not answered yet is
// answered first.
func (s *Session) End(ctx context.Context, st Status, reason, errText string, o SendOptions) ([]*Exchange, error) {
	c := s.c
	if s.endSent {
		return nil, errors.New("the final status-update of this call was already sent")
	}
	n := len(c.res.Exchanges)
	if !s.answered && !s.over {
		if _, err := s.Answer(ctx, o); err != nil {
			return s.since(n), err
		}
	}
	if reason == "" {
		reason = c.plan.EndReason
	}
	c.advance(500 * time.Millisecond)
	c.ended, c.status, c.reason, c.errMsg = true, st, reason, ""
	if st == StatusEndedWithError {
		c.errMsg = errText
	}
	err := s.with(o, func() error { return c.statusUpdate(ctx) })
	s.endSent, s.over = true, true
	return s.since(n), err
}

// Unanswered ends a call nobody answered: it rings for after, then the
// status-update ended with the end reason is sent (no in-progress, no
// end-of-call-report).
func (s *Session) Unanswered(ctx context.Context, after time.Duration, reason string) ([]*Exchange, error) {
	c := s.c
	if s.asked || s.answered || s.over {
		return nil, errors.New("only a call that has not started can go unanswered")
	}
	n := len(c.res.Exchanges)
	c.advance(after)
	c.ended, c.status, c.reason = true, StatusEnded, reason
	err := c.pace(ctx)
	if err == nil {
		err = c.statusUpdate(ctx)
	}
	s.endSent, s.over = true, true
	return s.since(n), err
}

// SendReport sends the end-of-call-report of the call as it stands: its
// transcript, summary, analysis and end reason (the plan's when the call
// has not ended yet). A call that was not answered yet is answered first.
// It returns no exchange when the dialect or the enabled events send none.
func (s *Session) SendReport(ctx context.Context, o SendOptions) ([]*Exchange, error) {
	c := s.c
	if s.reported {
		return nil, errors.New("the end-of-call-report of this call was already sent: deliver it again with Redeliver")
	}
	n := len(c.res.Exchanges)
	if !s.answered && !s.over {
		if _, err := s.Answer(ctx, o); err != nil {
			return s.since(n), err
		}
	}
	if c.reason == "" {
		c.reason = c.plan.EndReason
	}
	err := s.with(o, func() error { return c.report(ctx, s.at) })
	s.reported = true
	return s.since(n), err
}

// Redeliver sends the request of x again as a new exchange marked with v:
// the same body, signed afresh. The reply is read as the platform reads the
// original's and checked.
func (s *Session) Redeliver(ctx context.Context, x *Exchange, v Variant) *Exchange {
	c := s.c
	return c.redeliver(ctx, x, v, ProbeNone, x.ReplyUsed, func(y *Exchange) {
		c.interpret(y, c.set.def)
		y.Action = "delivered again: " + ackAction(y)
	})
}

// Probe re-sends the request of x with a signature probe (spec §3) and
// checks the reply.
func (s *Session) Probe(ctx context.Context, x *Exchange, p Probe) *Exchange {
	return s.c.probe(ctx, x, p)
}
