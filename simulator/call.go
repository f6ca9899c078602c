package simulator

import "time"

// call is the state of one call being played.
type call struct {
	e       *Engine
	set     settings
	plan    *CallPlan
	gen     Generator
	res     *CallResult
	cfg     *AssistantConfig
	now     time.Time // the call's virtual clock
	msgs    []Message
	wall    time.Time // wall clock at the start, for pacing
	ended   bool
	status  Status
	errMsg  string
	reason  string
	closed  bool   // the controller's End was called
	xfer    string // transfer destination
	bodyCap int    // capacity for the next rendered body
	// unmet: an action the caller needed was not done by a tool (none was
	// declared, it failed or gave no result); later lines that presuppose
	// it are not said.
	unmet bool
	// shape, when set, changes each request before it is sent (a Session's
	// variants: extra fields, a marked robustness case).
	shape func(*Request) error
	// lead is how far the call's timeline starts before its anchor (the
	// clock when it was placed); anchored: the plan has an anchor, and no
	// event may be dated after anchor + the wall time since the start.
	lead     time.Duration
	anchored bool
	// squeeze: played instantly on the real clock, the call's clock never
	// passes anchor + the wall time since the start (squeezed, below).
	squeeze bool
}

func (e *Engine) newCall(plan *CallPlan, gen Generator, o CallOptions) *call {
	set := e.settle(o, plan)
	wall := o.Wall
	if wall.IsZero() {
		wall = e.now()
	}
	c := &call{e: e, set: set, plan: plan, gen: gen, wall: wall, status: StatusRinging,
		res: &CallResult{Plan: plan}, cfg: set.def}
	c.anchor()
	c.now = plan.Start
	return c
}

// sends reports whether the event goes out at all.
func (c *call) sends(ev EventType) bool {
	return c.e.Dialect.Sends(ev) && (c.set.events == nil || c.set.events[ev])
}

// result is the call as played so far.
func (c *call) result() *CallResult {
	r := c.res
	r.Config, r.Status, r.EndReason, r.Error = c.cfg, c.status, c.reason, c.errMsg
	return r
}

// toolCallID is a fresh tool call id in the dialect's form.
func (c *call) toolCallID() string {
	return c.e.Dialect.ToolCallID(c.gen.ToolCallID())
}
