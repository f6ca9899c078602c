package fake

import "github.com/flireo-sim/flireo-sim/simulator"

// Summary summarises the call in the plan's language: the intent and the
// outcome, with the persona's first name (a silent caller's name is unknown).
func (c *Call) Summary(p *simulator.CallPlan, msgs []simulator.Message, endReason string) string {
	p = c.planOr(p)
	return c.summaryText(p, msgs, endReason)
}

// summaryText writes the summary once per end reason, message count and
// tool failures, so that an analysis "summary" field repeats it.
func (c *Call) summaryText(p *simulator.CallPlan, msgs []simulator.Message, endReason string) string {
	if c.summary != "" && c.summaryReason == endReason && c.summaryMsgs == len(msgs) && c.summaryFailed == c.failed {
		return c.summary
	}
	lb, ib := c.bank(p)
	v := c.valsFor(p, lb)
	v[phAbout] = ib.about
	v[phStatus] = c.resStatus
	if c.resDate != "" {
		v[phDate] = c.resDate
	}
	if c.resTime != "" {
		v[phTime] = c.resTime
	}
	set := c.summarySet(lb, ib, c.outcome(p, msgs, endReason), msgs, &v)
	c.summary = c.r.pick(set).fill(&v)
	c.summaryReason, c.summaryMsgs, c.summaryFailed = endReason, len(msgs), c.failed
	return c.summary
}

// summarySet is the summaries that fit the outcome; a voicemail that was
// left is quoted as {message}; a booking that was refused ends in a callback
// request or in no appointment.
func (c *Call) summarySet(lb *langBank, ib *intentBank, oc outcome, msgs []simulator.Message, v *vals) []tmpl {
	switch oc.kind {
	case ocError:
		return lb.sumError
	case ocRejected:
		return lb.sumRejected
	case ocSilence:
		return lb.sumSilence
	case ocMax:
		return lb.sumMax
	case ocTransferred:
		return lb.sumTransferred
	case ocVoicemail:
		if msg := lastAssistant(msgs); msg != "" {
			v[phMessage] = truncate(msg, 80)
			return ib.done
		}
	case ocDone:
		if c.resStatus != "" && len(ib.doneStatus) > 0 {
			return ib.doneStatus
		}
		return ib.done
	}
	switch d := &c.dlg; {
	case d.booked:
	case d.callback:
		return lb.dlg.sumCallback
	case d.refusals > 0:
		return lb.dlg.sumRefused
	}
	return ib.open
}

func lastAssistant(msgs []simulator.Message) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == simulator.RoleAssistant {
			return msgs[i].Content
		}
	}
	return ""
}
