package simulator

import (
	"context"
	"time"
)

// Engine plays call lifecycles against a server. Its fields are the run's
// choices; what differs from call to call is given as CallOptions when the
// call starts, so one Engine is shared, never copied, by all its calls.
type Engine struct {
	Dialect   Dialect
	Sender    Sender
	Checker   Checker // nil: no findings
	Target    string  // the webhook URL; CallOptions.Target overrides it
	Deadlines Deadlines
	// Pace: 0 plays instantly (only the waits for replies take time), 1 in
	// real time, N plays N times faster than real time.
	Pace  float64
	Sleep func(ctx context.Context, d time.Duration) error // nil: a real timer
	Now   func() time.Time                                 // the wall clock for pacing; nil: time.Now
	// FixedClock: the calls' anchors are a fixed clock (--clock), not the
	// time they are played: their timelines are replayable fiction that
	// never waits for, nor is bent by, the wall clock.
	FixedClock bool
	Default    *AssistantConfig // the saved/default agent; nil: DefaultAssistantFor(plan)
	Policy     Policy
	Observe    func(*Exchange) // called after every exchange, in order; may be nil; CallOptions.Observe overrides it
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

// Play walks one call lifecycle: assistant-request, status-update
// in-progress, the conversation with its tool calls, status-update ended (or
// ended-with-error) and the end-of-call-report. It is a Session run to its
// end. Server failures are findings; the returned error is non-nil only when
// the call could not be played at all (a dialect could not render an
// event). A cancelled ctx ends the call early and is reported in
// CallResult.Aborted.
func (e *Engine) Play(ctx context.Context, plan *CallPlan, gen Generator, o CallOptions) (*CallResult, error) {
	s := e.NewSession(plan, gen, o)
	_, err := s.Finish(ctx, SendOptions{})
	res := s.Result()
	if err != nil && ctx.Err() != nil {
		res.Aborted = ctx.Err()
		return res, nil
	}
	return res, err
}
