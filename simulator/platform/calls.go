package platform

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
)

// callSpec is a call about to start.
type callSpec struct {
	owner        string
	direction    sim.Direction
	outcome      string
	plan         *sim.CallPlan
	gen          sim.Generator
	cfg          *sim.AssistantConfig // the assistant driving the call; nil: the account's default agent
	hook         hook
	assistantID  string
	agentName    string
	businessName string
	numberID     string
	roomName     string
}

// placedAt is when a call created at now rings on its own timeline: at
// accelerated or instant pace the engine lays the timeline back so that no
// webhook is dated after it is sent (simulator.Lead), and the call's
// created_at goes with it, so that created_at <= started_at <= ended_at.
func placedAt(plan *sim.CallPlan, pace float64, now time.Time) time.Time {
	if plan.Anchor.IsZero() {
		return now
	}
	if at := plan.Anchor.Add(-sim.Lead(plan.Length, pace)); at.Before(now) {
		return at
	}
	return now
}

// start registers a call and plays it in the background. It refuses when
// the platform is shutting down or too many calls are live.
func (p *Platform) start(s callSpec) (*callState, *requestError) {
	if p.opt.adjustPlan != nil {
		p.opt.adjustPlan(s.plan)
	}
	now := p.now()
	c := &callState{
		id: s.plan.ID, owner: s.owner, direction: s.direction, outcome: s.outcome, plan: s.plan,
		created: now, placed: placedAt(s.plan, p.opt.Sim.Pace, now), updated: now, webhook: redactURL(s.hook.url), assistantID: s.assistantID,
		agentName: s.agentName, businessName: s.businessName, numberID: s.numberID, roomName: s.roomName,
		done: make(chan struct{}), now: p.now, status: statusRinging,
		secrets: shownSecrets(s.hook, p.opt.Sim.Secret, p.opt.APIKeys),
	}
	if s.direction == sim.Outbound {
		c.status = statusDialing
	}
	p.mu.Lock()
	switch {
	case p.closing:
		p.mu.Unlock()
		return nil, &requestError{status: http.StatusServiceUnavailable, code: errUnavailable,
			message: "the simulator is shutting down and starts no new calls"}
	case p.live >= p.opt.MaxLive:
		p.mu.Unlock()
		return nil, &requestError{status: http.StatusTooManyRequests, code: errTooManyCalls,
			message: fmt.Sprintf("%d calls are live, the most this simulator plays at once: wait for one to end", p.live)}
	}
	p.calls[c.id] = c
	p.order = append(p.order, c)
	p.evict()
	p.live++
	p.wg.Add(1)
	ctx, cancel := context.WithCancel(p.ctx)
	p.mu.Unlock()

	o, own := p.callOptions(s, c)
	attrs := []any{"call", c.id, "direction", string(s.direction), "intent", string(s.plan.Intent), "webhook", c.webhook}
	if s.outcome != "" {
		attrs = append(attrs, "outcome", s.outcome)
	}
	p.log.Info("call started", attrs...)
	go func() {
		defer p.wg.Done()
		defer cancel()
		var res *sim.CallResult
		var err error
		if s.outcome == outcomeNoAnswer {
			res, err = p.noAnswer(ctx, c, s.gen, o)
		} else {
			o.Controller = controller{c}
			res, err = p.kit.Engine.Play(ctx, s.plan, s.gen, o)
		}
		if own != nil {
			own.Close()
		}
		p.mu.Lock()
		p.live--
		p.mu.Unlock()
		c.finish(res, err)
		close(c.done)
		c.mu.Lock()
		st, reason, counts := c.status, c.reason, c.counts
		c.mu.Unlock()
		p.log.Info("call ended", "call", c.id, "status", st, "end_reason", reason,
			"must_passed", counts.MustPass, "must_failed", counts.MustFail)
	}()
	return c, nil
}

// evict drops the oldest ended calls beyond MaxCalls; the caller holds p.mu.
func (p *Platform) evict() {
	over := len(p.order) - p.opt.MaxCalls
	if over <= 0 {
		return
	}
	p.order = slices.DeleteFunc(p.order, func(c *callState) bool {
		if over == 0 {
			return false
		}
		select {
		case <-c.done:
			over--
			delete(p.calls, c.id)
			return true
		default:
			return false
		}
	})
}

// callOptions are the options of a call of the spec: its hook's target,
// secret and events, its assistant and the call's observer. own is the
// delivery client of a hook with its own secret, to close after the call
// (nil when the platform's client signs for it).
func (p *Platform) callOptions(s callSpec, c *callState) (o sim.CallOptions, own *delivery.Client) {
	o = sim.CallOptions{Target: s.hook.url, Default: s.cfg, Events: s.hook.events, Observe: c.observe}
	if obs := p.opt.Observe; obs != nil {
		o.Observe = func(x *sim.Exchange) { c.observe(x); obs(x) }
	}
	if s.hook.secret != p.opt.Sim.Secret {
		own = delivery.New(delivery.Options{Secret: s.hook.secret, BareHex: p.opt.Sim.BareHex, MaxBody: p.opt.Sim.MaxBody})
		o.Sender = own
	}
	return o, own
}

// noAnswer plays an outbound call nobody answers: it rings, then a single
// status-update ended with end reason no_answer is sent (no in-progress, no
// end-of-call-report).
func (p *Platform) noAnswer(ctx context.Context, c *callState, gen sim.Generator, o sim.CallOptions) (*sim.CallResult, error) {
	ctl := controller{c}
	defer ctl.End()
	s := p.kit.Engine.NewSession(c.plan, gen, o)
	_, err := s.Unanswered(ctx, NoAnswerAfter, EndNoAnswer)
	res := s.Result()
	if err != nil && ctx.Err() != nil {
		res.Aborted = ctx.Err()
		return res, nil
	}
	return res, err
}
