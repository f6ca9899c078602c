package simulator

import (
	"sync"
	"time"
)

// CallOptions are the choices for one call, given when it starts.
type CallOptions struct {
	// Target is the webhook URL; "": Engine.Target.
	Target string
	// Default is the saved/default agent; nil: Engine.Default, else
	// DefaultAssistantFor the plan (its language and direction).
	Default *AssistantConfig
	// Events, when non-nil, lists the events the assistant has enabled
	// (webhook_events, spec §1.0); the others are not sent.
	Events map[EventType]bool
	// Observe is called after every exchange of the call, in order; nil:
	// Engine.Observe.
	Observe func(*Exchange)
	// Sender delivers the call's requests (a webhook with its own secret
	// signs with its own client); nil: Engine.Sender.
	Sender Sender
	// Controller feeds live call-control commands (spec §5.1) into the
	// call and learns its status changes; nil: none.
	Controller Controller
	// Wall is the wall-clock time the call's timeline starts at, for
	// pacing; zero: when the call is created.
	Wall time.Time
	// Lean drops the bodies and headers of every exchange of the call once
	// it has been checked and observed, so that a call in progress holds
	// only what its result's verdicts need (load runs with thousands of
	// live calls). Signature probes need the bodies: Lean is for runs
	// without them.
	Lean bool
	// Bodies, on a Lean call, recycles the buffers of the request bodies
	// that are dropped (as *[]byte): later events of any call are rendered
	// into them, so Observe must not keep bodies.
	Bodies *sync.Pool
}

// settings are a call's options with the Engine's defaults filled in.
type settings struct {
	target  string
	def     *AssistantConfig
	events  map[EventType]bool
	observe func(*Exchange)
	sender  Sender
	ctl     Controller
	lean    bool
	bodies  *sync.Pool
}

func (e *Engine) settle(o CallOptions, plan *CallPlan) settings {
	s := settings{target: o.Target, def: o.Default, events: o.Events, observe: o.Observe, sender: o.Sender, ctl: o.Controller, lean: o.Lean, bodies: o.Bodies}
	if s.target == "" {
		s.target = e.Target
	}
	if s.def == nil {
		s.def = e.Default
	}
	if s.def == nil {
		s.def = DefaultAssistantFor(plan)
	}
	if s.sender == nil {
		s.sender = e.Sender
	}
	if s.observe == nil {
		s.observe = e.Observe
	}
	return s
}
