package scenarios

import (
	"context"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// endSteps are the steps of the "end of the call" topic.
var endSteps = []def{
	step("end of the call", "the call is answered (status-update in-progress)", "When the call is answered", `^the call is answered$`, do((*state).answer)),
	step("end of the call", "the conversation takes place (the caller's turns, with the tool calls they need)", "When the conversation takes place",
		`^the conversation takes place$`, do((*state).conversation)),
	step("end of the call", `the call ends with reason "REASON" (status-update ended, then the end-of-call-report)`, `When the call ends with reason "user_hangup"`,
		`^the call ends with reason "([^"]*)"$`, do1((*state).endsWith)),
	step("end of the call", `the call ends with the platform error "TEXT" (ended-with-error)`, `When the call ends with the platform error "STT connection failed"`,
		`^the call ends with the platform error "([^"]*)"$`, do1((*state).endsWithError)),
	step("end of the call", "the call is played to the end (everything not sent yet, as the platform would)", "When the call is played to the end",
		`^the call is played to the end$`, do((*state).playToEnd)),
}

func (st *state) answer(ctx context.Context) error {
	s, err := st.call()
	if err != nil {
		return err
	}
	if s.Over() {
		return st.overError()
	}
	xs, err := s.Answer(ctx, st.opts(sim.SendOptions{}))
	st.last = xs
	return err
}

func (st *state) conversation(ctx context.Context) error {
	s, err := st.ready(ctx)
	if err != nil {
		return err
	}
	xs, err := st.converse(ctx, s)
	st.last = xs
	return err
}

// wrapUp says what the call still has to say before it ends: the text
// case's lines and the long transcript.
func (st *state) wrapUp(s *sim.Session) {
	if st.text && !st.extras {
		st.extras = true
		for _, m := range textLines {
			s.Say(m.Role, m.Content, 0)
		}
	}
	if st.largeMiB > 0 && !st.padded {
		st.padded = true
		pad(s, st.plan, st.largeMiB)
	}
}

// reportOptions marks the report of a large call.
func (st *state) reportOptions() sim.SendOptions {
	if st.padded {
		return sim.SendOptions{Variant: sim.VariantLarge, Events: []sim.EventType{sim.EndOfCallReport},
			Mutate: largeCheck(st.dialect, st.largeMiB)}
	}
	return sim.SendOptions{}
}

func (st *state) end(ctx context.Context, status sim.Status, reason, errText string) error {
	s, err := st.ready(ctx)
	if err != nil {
		return err
	}
	st.wrapUp(s)
	xs, err := s.End(ctx, status, reason, errText, st.opts(sim.SendOptions{}))
	st.last = xs
	if err != nil {
		return err
	}
	ys, err := s.SendReport(ctx, st.opts(st.reportOptions()))
	st.last = append(st.last, ys...)
	return err
}

func (st *state) endsWith(ctx context.Context, reason string) error {
	return st.end(ctx, sim.StatusEnded, reason, "")
}

func (st *state) endsWithError(ctx context.Context, text string) error {
	return st.end(ctx, sim.StatusEndedWithError, sim.EndError, text)
}

func (st *state) playToEnd(ctx context.Context) error {
	s, err := st.call()
	if err != nil {
		return err
	}
	n := len(s.Exchanges())
	defer func() { st.last = plain(s.Exchanges()[n:]) }()
	if s.Over() {
		return nil
	}
	if _, err := st.ready(ctx); err != nil {
		if s.Over() {
			return nil // rejected or failed: the platform already sent what follows
		}
		return err
	}
	if _, err := st.converse(ctx, s); err != nil {
		return err
	}
	st.wrapUp(s)
	_, err = s.Finish(ctx, st.opts(st.reportOptions()))
	return err
}
