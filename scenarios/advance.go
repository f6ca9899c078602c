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

// ready brings the call to the answer (the assistant-request when it is
// due, then the status-update in-progress), so that the call is in progress;
// it fails when the call is over.
func (st *state) ready(ctx context.Context) (*sim.Session, error) {
	if _, err := st.advance(ctx, sim.PhaseAnswered, sim.SendOptions{}); err != nil {
		return nil, err
	}
	return st.sess, nil
}

// advance plays the call up to the phase to, exactly as a whole call would,
// sending its events with o (o.Events says which of them o changes). A call
// that is over after its assistant-request cannot go on: that is an error
// that says why.
func (st *state) advance(ctx context.Context, to sim.Phase, o sim.SendOptions) ([]*sim.Exchange, error) {
	s, err := st.call()
	if err != nil {
		return nil, err
	}
	xs, err := s.AdvanceTo(ctx, min(to, sim.PhaseAsked), st.opts(o))
	if err != nil || to == sim.PhaseAsked {
		return xs, err
	}
	if s.Over() {
		return nil, st.overError()
	}
	more, err := s.AdvanceTo(ctx, to, st.opts(o))
	return append(xs, more...), err
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

// phaseSending is the phase of a call that sends the event (tool-calls
// are sent by a step of their own).
func phaseSending(ev sim.EventType) sim.Phase {
	switch ev {
	case sim.AssistantRequest:
		return sim.PhaseAsked
	case sim.StatusUpdate:
		return sim.PhaseAnswered
	}
	return sim.PhaseReported
}

// extraFields sends the event with fields the documentation does not list,
// after what the call sends before it.
func (st *state) extraFields(ctx context.Context, event string) error {
	ev := sim.EventType(event)
	o := sim.SendOptions{Variant: sim.VariantExtraFields, Mutate: addExtraFields, Events: []sim.EventType{ev}}
	if _, err := st.call(); err != nil {
		return err
	}
	if !st.k.Dialect.Sends(ev) {
		return skipWith("the %s dialect sends no %s", st.k.Dialect.Name(), ev)
	}
	if ev == sim.AssistantRequest && st.plan.Direction == sim.Outbound {
		return skipWith("the platform sends no assistant-request for outbound calls")
	}
	var xs []*sim.Exchange
	var err error
	if ev == sim.ToolCalls {
		xs, err = st.extraFieldsToolCall(ctx, o)
	} else {
		xs, err = st.advance(ctx, phaseSending(ev), o)
	}
	st.last = ofEvent(xs, ev)
	return err
}

// extraFieldsToolCall calls the first tool the assistant declares with o.
func (st *state) extraFieldsToolCall(ctx context.Context, o sim.SendOptions) ([]*sim.Exchange, error) {
	s, err := st.toolReady(ctx)
	if err != nil {
		return nil, err
	}
	tools := append(toolsOf(s.Config(), false), toolsOf(s.Config(), true)...)
	if len(tools) == 0 {
		return nil, skipWith("the assistant my server configured declares no tool (it declares %s)", toolList(s.Config()))
	}
	x, err := s.CallTools(ctx, []sim.ToolCall{st.toolCall(tools[0], nil)}, st.opts(o))
	if x == nil {
		return nil, err
	}
	return []*sim.Exchange{x}, err
}

// playConcurrent plays n whole calls at the same time.
func (st *state) playConcurrent(ctx context.Context, n int) error {
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
