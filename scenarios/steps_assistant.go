package scenarios

import (
	"context"
	"fmt"
	"strings"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
)

// assistantSteps are the steps of the "assistant-request" topic.
var assistantSteps = []def{
	step("assistant-request", "the platform sends the assistant-request", "When the platform sends the assistant-request",
		`^the platform sends the assistant-request$`, do((*state).sendAssistantRequest)),
	step("assistant-request", "my server answers within N seconds with a documented reply ({}, assistant, assistant_id, error)",
		"Then my server answers within 5 seconds with a documented reply",
		`^my server answers within (\d+(?:\.\d+)?) seconds? with a documented reply$`, do1(documentedReply(false))),
	step("assistant-request", "my server answers within N seconds with an assistant configuration (not a rejection)",
		"Then my server answers within 5 seconds with an assistant configuration",
		`^my server answers within (\d+(?:\.\d+)?) seconds? with an assistant configuration$`, do1(documentedReply(true))),
	step("assistant-request", `my server rejects the call saying "TEXT"`, `Then my server rejects the call saying "Dit nummer is niet in gebruik."`,
		`^my server rejects the call saying "([^"]*)"$`, do1((*state).rejects)),
	step("assistant-request", `the assistant declares the tool "NAME"`, `Then the assistant declares the tool "book_appointment"`,
		`^the assistant declares the tool "([^"]*)"$`, do1((*state).declares)),
	step("assistant-request", "the max duration is N seconds", "Then the max duration is 600 seconds",
		`^the max duration is (\d+) seconds$`, do1((*state).maxDuration)),
}

func (st *state) sendAssistantRequest(ctx context.Context) error {
	s, err := st.call()
	if err != nil {
		return err
	}
	if st.plan.Direction == sim.Outbound {
		return skipWith("the platform sends no assistant-request for outbound calls")
	}
	if !st.k.Dialect.Sends(sim.AssistantRequest) {
		return skipWith("the %s dialect sends no assistant-request", st.k.Dialect.Name())
	}
	xs, err := s.AssistantRequest(ctx, st.opts(sim.SendOptions{}))
	st.last = xs
	return err
}

// assistantExchange is the call's assistant-request exchange.
func (st *state) assistantExchange() ([]*sim.Exchange, error) {
	xs := ofEvent(st.callExchanges(), sim.AssistantRequest)
	if len(xs) == 0 {
		return nil, fmt.Errorf("no assistant-request was sent: add 'When the platform sends the assistant-request'")
	}
	return xs[:1], nil
}

// documentedReply judges the assistant-request reply; configured asks for
// an assistant rather than a rejection.
func documentedReply(configured bool) func(*state, context.Context, float64) error {
	return func(st *state, _ context.Context, secs float64) error {
		ar, err := st.assistantExchange()
		if err != nil {
			return err
		}
		err = st.expect(expectation{xs: ar, what: "the assistant-request reply", ids: func(x *sim.Exchange) []string {
			return []string{statusCheck(x), check.AssistantDeadline, check.ReplyJSON, check.ReplySize, check.AssistantShape}
		}})
		if err != nil {
			return err
		}
		if err := st.within(ar, secs); err != nil {
			return err
		}
		if a := ar[0].Assistant; configured && a != nil && a.Kind == sim.ReplyReject {
			return fmt.Errorf("my server rejected the call (the caller hears %q) instead of configuring an assistant", a.Reject)
		}
		return nil
	}
}

func (st *state) rejects(_ context.Context, text string) error {
	ar, err := st.assistantExchange()
	if err != nil {
		return err
	}
	return rejection(ar[0], text)
}

// rejection says how the assistant-request exchange x differs from a
// rejection saying text; nil when it is one.
func rejection(x *sim.Exchange, text string) error {
	a := x.Assistant
	switch {
	case a == nil || a.Kind == sim.ReplyFailed:
		return fmt.Errorf("the assistant-request reply could not be used: %s", describe(x))
	case a.Kind != sim.ReplyReject:
		return fmt.Errorf("my server did not reject the call: its reply is of the %s kind", a.Kind)
	case a.Reject != text:
		return fmt.Errorf("my server rejected the call saying %q, not %q", a.Reject, text)
	}
	return nil
}

func (st *state) declares(_ context.Context, name string) error {
	s, err := st.call()
	if err != nil {
		return err
	}
	if _, ok := s.Config().Tool(name); !ok {
		return fmt.Errorf("the assistant does not declare the tool %q; it declares %s", name, toolList(s.Config()))
	}
	return nil
}

func toolList(cfg *sim.AssistantConfig) string {
	if len(cfg.Tools) == 0 {
		return "no tools"
	}
	names := make([]string, len(cfg.Tools))
	for i, t := range cfg.Tools {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

func (st *state) maxDuration(_ context.Context, secs int) error {
	s, err := st.call()
	if err != nil {
		return err
	}
	return sameMaxDuration(s.Config(), secs)
}

// sameMaxDuration says how the assistant's max duration differs from secs.
func sameMaxDuration(cfg *sim.AssistantConfig, secs int) error {
	if got := int(cfg.MaxDuration.Seconds()); got != secs {
		if got == 0 {
			return fmt.Errorf("the assistant has no max duration, expected %d seconds", secs)
		}
		return fmt.Errorf("the max duration is %d seconds, expected %d", got, secs)
	}
	return nil
}
