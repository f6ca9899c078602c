package simulator

import "context"

// Phase is a point of a call's lifecycle, in the order the platform reaches
// them; the zero Phase is a call that sent nothing yet.
type Phase int

// Phases of a call.
const (
	// PhaseAsked: the assistant-request was sent, when one is due (inbound
	// calls of a dialect that sends it).
	PhaseAsked Phase = iota + 1
	// PhaseAnswered: the status-update in-progress was sent.
	PhaseAnswered
	// PhaseConversed: the conversation with its tool calls was played.
	PhaseConversed
	// PhaseEnded: the final status-update (ended, ended-with-error,
	// transferred) was sent.
	PhaseEnded
	// PhaseReported: the end-of-call-report was sent.
	PhaseReported
)

// AdvanceTo plays the call up to and including the phase: what the
// platform sends between the session's progress so far and that phase,
// exactly as Play would. Phases already passed send nothing, so AdvanceTo is
// idempotent; a call that is over (rejected, failed, ended by End) sends
// nothing more. It returns the exchanges it added.
func (s *Session) AdvanceTo(ctx context.Context, to Phase, o SendOptions) ([]*Exchange, error) {
	n := len(s.c.res.Exchanges)
	err := s.advance(ctx, to, o)
	return s.since(n), err
}

// Finish plays what is left of the call the way Play does: the
// assistant-request when it is due and was not sent, the answer, the
// conversation, the final status-update and the end-of-call-report.
func (s *Session) Finish(ctx context.Context, o SendOptions) ([]*Exchange, error) {
	xs, err := s.AdvanceTo(ctx, PhaseReported, o)
	s.c.closeControl()
	return xs, err
}

func (s *Session) advance(ctx context.Context, to Phase, o SendOptions) error {
	if to >= PhaseAsked && s.assistantRequestDue() {
		if _, err := s.AssistantRequest(ctx, o); err != nil {
			return err
		}
	}
	if (s.over && !s.wrapUp) || to < PhaseAnswered {
		return nil
	}
	if err := s.answerAndConverse(ctx, to, o); err != nil {
		return err
	}
	if to >= PhaseEnded && !s.endSent {
		if err := s.endByLifecycle(ctx, o); err != nil {
			return err
		}
	}
	if to >= PhaseReported && !s.reported {
		s.reported = true
		return s.with(o, func() error { return s.c.report(ctx, s.at) })
	}
	return nil
}

// answerAndConverse answers the call and, up to PhaseConversed, plays the
// conversation, unless that was done or the call ended.
func (s *Session) answerAndConverse(ctx context.Context, to Phase, o SendOptions) error {
	if !s.answered {
		if _, err := s.Answer(ctx, o); err != nil {
			return err
		}
	}
	if to >= PhaseConversed && !s.conversed && !s.c.ended {
		if _, err := s.Converse(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// assistantRequestDue reports whether the assistant-request is the next
// event of the call.
func (s *Session) assistantRequestDue() bool {
	c := s.c
	return !s.asked && !s.answered && !s.over && c.plan.Direction != Outbound && c.sends(AssistantRequest)
}

// endByLifecycle ends a call whose conversation is over: the controller is
// closed (its last commands still act), the end settled and the final
// status-update sent.
func (s *Session) endByLifecycle(ctx context.Context, o SendOptions) error {
	c := s.c
	if err := c.closeControlAtEnd(ctx); err != nil {
		return err
	}
	c.endStatus()
	err := s.with(o, func() error { return c.statusUpdate(ctx) })
	s.endSent, s.over, s.wrapUp = true, true, true
	return err
}
