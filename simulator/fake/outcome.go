package fake

import "github.com/flireo-sim/flireo-sim/simulator"

// sentiment is the caller's mood on a 1-10 scale, from the grade.
func (c *Call) sentiment(p *simulator.CallPlan, oc outcome) int {
	base := [4]int{8, 7, 5, 2}[oc.grade]
	spread := [4]int{3, 2, 2, 3}[oc.grade]
	s := base + int(c.roll*float64(spread))
	if p.Intent == simulator.Complaint {
		s -= 2
	}
	return max(1, min(10, s))
}

// Outcome kinds of a finished call.
const (
	ocDone = iota
	ocOpen
	ocError
	ocRejected
	ocSilence
	ocVoicemail
	ocMax
	ocTransferred
)

// outcome is how the call went, derived from the messages, the end reason
// and the tool results.
type outcome struct {
	kind     int
	reached  bool // the caller got through the planned turns
	resolved bool // the caller's request was handled
	booked   bool // an appointment was made or moved
	failed   bool // some tool failed
	followUp bool // someone has to act after the call
	grade    int
}

// keyNeed is the need whose failure leaves the intent's request unhandled.
var keyNeed = map[simulator.Intent]string{
	simulator.BookAppointment: simulator.NeedBooking,
	simulator.Reschedule:      simulator.NeedReschedule,
	simulator.OrderStatus:     simulator.NeedOrder,
	simulator.Complaint:       simulator.NeedTicket,
	simulator.Callback:        simulator.NeedCallback,
	simulator.OpeningHours:    simulator.NeedHours,
}

func needBit(need string) uint16 {
	for i, n := range knownNeeds {
		if n == need {
			return 1 << i
		}
	}
	return 0
}

func (c *Call) outcome(p *simulator.CallPlan, msgs []simulator.Message, endReason string) outcome {
	o := outcome{reached: reachedEnd(p, msgs), failed: c.failed != 0}
	if !o.endedBy(endReason) {
		c.endedAsPlanned(&o, p, endReason)
	}
	o.booked = o.resolved && booksAppointment(p.Intent)
	o.followUp = needsFollowUp(p.Intent, o.resolved)
	return o
}

// endedBy sets the kind and grade of a call that an error, a rejection,
// voicemail, the maximum duration or a transfer ended; false for other end
// reasons.
func (o *outcome) endedBy(endReason string) bool {
	switch endReason {
	case simulator.EndError, simulator.EndAssistantFailed:
		o.kind, o.grade = ocError, gradePoor
	case simulator.EndRejected:
		o.kind, o.grade = ocRejected, gradePoor
	case simulator.EndVoicemail:
		o.kind, o.grade = ocVoicemail, gradeFair
		o.resolved = o.reached
		if !o.reached {
			o.grade = gradePoor
		}
	case simulator.EndMaxDuration:
		o.kind, o.grade = ocMax, gradePoor
		if o.reached {
			o.grade = gradeFair
		}
	case simulator.EndTransferred:
		o.kind, o.grade = ocTransferred, gradeGood
	default:
		return false
	}
	return true
}

// endedAsPlanned sets the kind and grade of a call that a hang-up or
// silence ended: done when the caller got through and the key tool worked.
func (c *Call) endedAsPlanned(o *outcome, p *simulator.CallPlan, endReason string) {
	keyFailed := c.failed&keyBits(p.Intent) != 0
	switch {
	case p.Intent == simulator.Silent:
		o.kind, o.grade = ocDone, gradePoor
	case endReason == simulator.EndSilenceTimeout:
		o.kind, o.grade = ocSilence, gradePoor
	case o.reached && !keyFailed:
		o.kind, o.resolved = ocDone, true
		o.grade = c.doneGrade(p.Intent, o.failed)
	default:
		o.kind, o.grade = ocOpen, gradeFair
		if c.roll < 0.5 {
			o.grade = gradePoor
		}
	}
}

// doneGrade grades a handled request: Fair after a failed tool or for a
// wrong number, at best Good for a complaint.
func (c *Call) doneGrade(intent simulator.Intent, failed bool) int {
	switch {
	case intent == simulator.WrongNumber || failed:
		return gradeFair
	case intent == simulator.Complaint:
		if c.roll >= 0.6 {
			return gradeFair
		}
		return gradeGood
	case c.roll < 0.6:
		return gradeExcellent
	}
	return gradeGood
}

// needsFollowUp reports whether someone has to act after the call.
func needsFollowUp(intent simulator.Intent, resolved bool) bool {
	switch intent {
	case simulator.Complaint, simulator.Callback:
		return true
	case simulator.WrongNumber, simulator.Silent:
		return false
	case simulator.Voicemail:
		return true // the callee has to call back, or be called again
	}
	return !resolved
}

// reachedEnd reports whether the caller said the last planned line and the
// assistant answered it.
func reachedEnd(p *simulator.CallPlan, msgs []simulator.Message) bool {
	last := ""
	callers := 0
	for _, t := range p.Turns {
		if t.Caller != "" {
			last = t.Caller
			callers++
		}
	}
	if callers == 0 {
		return true
	}
	users, found := 0, false
	for i, m := range msgs {
		if m.Role != simulator.RoleUser {
			continue
		}
		users++
		if m.Content == last {
			found = true
			if lastAssistant(msgs[i+1:]) != "" {
				return true
			}
		}
	}
	if found {
		return false
	}
	// Messages that do not carry the plan's lines verbatim: count them.
	return users >= callers && lastAssistant(msgs) != ""
}

// Success grades the call: Excellent or Good when the request was handled
// cleanly, Fair or Poor for failed tools, wrong numbers, voicemail, silence
// and errors.
func (c *Call) Success(p *simulator.CallPlan, msgs []simulator.Message, endReason string) string {
	p = c.planOr(p)
	return gradeNames[c.outcome(p, msgs, endReason).grade]
}

// toolNeeds is the set of needs (bits) the tool serves: those its name
// names, else those its description does (check_availability, described as
// "free appointment times", serves availability, not booking).
func toolNeeds(t simulator.Tool) uint16 {
	named := t
	named.Description = ""
	if bits := matchedNeeds(named); bits != 0 {
		return bits
	}
	return matchedNeeds(t)
}

func matchedNeeds(t simulator.Tool) uint16 {
	var bits uint16
	one := []simulator.Tool{t}
	for i, n := range knownNeeds {
		if len(simulator.MatchTools(n, one)) > 0 {
			bits |= 1 << i
		}
	}
	return bits
}
