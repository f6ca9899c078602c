package scenarios

// The functions that bring a call to a phase: the steps call them to get a
// call ready for what they send.

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// ready sends the assistant-request when it is due and answers the call, so
// that the call is in progress; it fails when the call is over.
func (st *state) ready(ctx context.Context) (*sim.Session, error) {
	s, err := st.call()
	if err != nil {
		return nil, err
	}
	if !s.Answered() && !s.Over() && s.Reply() == "" && st.plan.Direction != sim.Outbound && st.k.Dialect.Sends(sim.AssistantRequest) {
		if _, err := s.AssistantRequest(ctx, st.opts(sim.SendOptions{})); err != nil {
			return nil, err
		}
	}
	if s.Over() {
		return nil, st.overError()
	}
	if !s.Answered() {
		if _, err := s.Answer(ctx, st.opts(sim.SendOptions{})); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// overError explains why a call that is over cannot go on.
func (st *state) overError() error {
	switch st.sess.Reply() {
	case sim.ReplyReject:
		// A documented choice of the server, not a failure: the scenario
		// needs a call that goes on.
		return skipWith("my server rejected the call in its assistant-request reply; this scenario needs a call in progress")
	case sim.ReplyFailed:
		return st.blame(fmt.Sprintf("the call is over: the assistant-request failed and the %s dialect then ends the call", st.k.Dialect.Name()))
	}
	return sim.ErrCallOver
}

// blame is the error of a step that cannot do its job because of earlier
// failures: attributed to the checks that failed so far, when any did.
func (st *state) blame(what string) error {
	var ids, why []string
	for _, f := range st.findings() {
		if f.Verdict == sim.Fail && !slices.Contains(ids, f.Check) {
			ids = append(ids, f.Check)
			why = append(why, f.Check+": "+f.Detail)
		}
	}
	if len(ids) == 0 {
		return errors.New(what)
	}
	return &checkFailure{ids: ids, msg: what + " (" + strings.Join(why, "; ") + ")"}
}

// conversed plays the conversation once, if the call is still on.
func (st *state) converse(ctx context.Context, s *sim.Session) ([]*sim.Exchange, error) {
	if s.Over() || st.conversedOnce {
		return nil, nil
	}
	st.conversedOnce = true
	xs, err := s.Converse(ctx, st.opts(sim.SendOptions{}))
	if err == sim.ErrCallOver {
		return xs, nil
	}
	return xs, err
}

func whenExtraFields(ctx context.Context, event string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	ev := sim.EventType(event)
	o := sim.SendOptions{Variant: sim.VariantExtraFields, Mutate: addExtraFields, Events: []sim.EventType{ev}}
	s, err := st.call()
	if err != nil {
		return err
	}
	if !st.k.Dialect.Sends(ev) {
		return skipWith("the %s dialect sends no %s", st.k.Dialect.Name(), ev)
	}
	var xs []*sim.Exchange
	switch ev {
	case sim.AssistantRequest:
		if st.plan.Direction == sim.Outbound {
			return skipWith("the platform sends no assistant-request for outbound calls")
		}
		xs, err = s.AssistantRequest(ctx, st.opts(o))
	case sim.StatusUpdate:
		if s.Reply() == "" && st.plan.Direction != sim.Outbound && st.k.Dialect.Sends(sim.AssistantRequest) {
			if _, err := s.AssistantRequest(ctx, st.opts(sim.SendOptions{})); err != nil {
				return err
			}
		}
		if s.Over() {
			return st.overError()
		}
		xs, err = s.Answer(ctx, st.opts(o))
	case sim.ToolCalls:
		if s, err = st.toolReady(ctx); err != nil {
			return err
		}
		tools := append(toolsOf(s.Config(), false), toolsOf(s.Config(), true)...)
		if len(tools) == 0 {
			return skipWith("the assistant my server configured declares no tool (it declares %s)", toolList(s.Config()))
		}
		var x *sim.Exchange
		x, err = s.CallTools(ctx, []sim.ToolCall{st.toolCall(tools[0], nil)}, st.opts(o))
		if x != nil {
			xs = []*sim.Exchange{x}
		}
	case sim.EndOfCallReport:
		if s, err = st.ready(ctx); err != nil {
			return err
		}
		if _, err := st.converse(ctx, s); err != nil {
			return err
		}
		if _, err := s.End(ctx, sim.StatusEnded, st.plan.EndReason, "", st.opts(sim.SendOptions{})); err != nil {
			return err
		}
		xs, err = s.SendReport(ctx, st.opts(o))
	}
	st.last = ofEvent(xs, ev)
	return err
}

func whenConcurrent(ctx context.Context, n int) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if n < 2 || n > 200 {
		return fmt.Errorf("play between 2 and 200 calls at the same time, not %d", n)
	}
	k, err := st.l.kit(st.dialect)
	if err != nil {
		return err
	}
	fo := st.fo
	if !st.intentSet {
		fo.Intent = "" // drawn: a mix of calls
	}
	results := make([]*sim.CallResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		plan, gen := k.Calls.Call(st.number+1+i, fo)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = k.Engine.Play(ctx, plan, gen, sim.CallOptions{})
		}()
	}
	close(start)
	wg.Wait()
	st.last = nil
	for i, r := range results {
		if errs[i] != nil {
			return errs[i]
		}
		for _, x := range r.Exchanges {
			x.Request.Variant = sim.VariantConcurrent
			x.Findings = st.l.check(x)
		}
		st.extra = append(st.extra, r.Exchanges...)
		st.last = append(st.last, r.Exchanges...)
	}
	st.concurrent = n
	return nil
}
