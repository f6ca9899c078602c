package fake

import (
	"bytes"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// ToolFollowUp is the assistant's next line in the plan's language after a
// tool answered (r non-nil) or failed (failure non-empty). A string result
// is read out; an object result is mentioned by a few of its values (date and
// time, status, confirmation or ticket number, name, message); an error
// result or a failure is an apology with an offer. A nil r without failure is
// an async tool: an acknowledgement. Failures are remembered for the summary,
// success evaluation and analysis; offers, refusals, bookings, lookups that
// found nobody and returned ids steer the rest of the dialogue.
func (c *Call) ToolFollowUp(p *simulator.CallPlan, t simulator.Tool, r *simulator.ToolResult, failure string) string {
	p = c.planOr(p)
	lb, _ := c.bank(p)
	fb := &lb.follow
	needs := toolNeeds(t)
	var v vals
	v[phFirstName] = p.Persona.FirstName
	v[phName] = p.Persona.Name()
	if r != nil || failure != "" {
		c.learn(needs, r, failure)
		defer c.rememberBooking(lb)
	}
	switch {
	case r != nil && strings.TrimSpace(r.Error) != "":
		c.failed |= needs
		return c.sorry(fb, &v, r.Error)
	case failure != "":
		// A transport failure is technical; the caller only hears an apology.
		c.failed |= needs
		return c.sorry(fb, &v, "")
	case r == nil:
		return sentence(c.r.pick(fb.async).fill(&v))
	case needs&contactBit != 0 && c.dlg.notFound && emptyResult(r.Result):
		return c.notFoundLine(fb, &v)
	case needs&availBit != 0 && needs&bookingBits == 0 && strings.TrimSpace(r.Error) == "":
		if line, ok := c.otherDayLine(lb, &v, r.Result); ok {
			return line
		}
	}
	return c.resultFollowUp(lb, &v, r.Result, needs)
}

// resultFollowUp is the line after a tool answered with result.
func (c *Call) resultFollowUp(lb *langBank, v *vals, result []byte, needs uint16) string {
	fb := &lb.follow
	raw := bytes.TrimSpace(result)
	if len(raw) == 0 {
		return sentence(c.r.pick(fb.done).fill(v))
	}
	res, err := parseJSON(raw)
	if err != nil {
		return sentence(c.r.pick(fb.done).fill(v))
	}
	switch res.kind {
	case 's':
		if refusedResult(res) {
			c.failed |= needs
		}
		return c.textFollowUp(fb, v, res.str)
	case 'b':
		if !res.b {
			c.failed |= needs
			return sentence(c.r.pick(fb.unavailable).fill(v))
		}
	case 'n':
		v[phValue] = string(res.num)
		return sentence(c.r.pick(fb.generic).fill(v))
	case 'a':
		if len(res.arr) > 0 && res.arr[0].kind == 'o' {
			return c.objectFollowUp(lb, v, res.arr[0], needs)
		}
		if items := scalars(res.arr, 3); len(items) > 0 {
			v[phValue] = joinList(items, lb.or)
			return sentence(c.r.pick(fb.generic).fill(v))
		}
	case 'o':
		return c.objectFollowUp(lb, v, res, needs)
	}
	return sentence(c.r.pick(fb.done).fill(v))
}

// textFollowUp reads out a string result.
func (c *Call) textFollowUp(fb *followBank, v *vals, text string) string {
	text = strings.TrimSpace(text)
	if text == "" {
		return sentence(c.r.pick(fb.done).fill(v))
	}
	v[phValue] = truncate(text, 300)
	return sentence(c.r.pick(fb.text).fill(v))
}

// Unserved is the assistant's line for a turn whose need no declared tool
// serves: it confirms nothing and offers a colleague. The need counts as
// not handled for the summary, success evaluation and analysis.
func (c *Call) Unserved(p *simulator.CallPlan, need string) string {
	p = c.planOr(p)
	lb, _ := c.bank(p)
	c.failed |= needBit(need)
	var v vals
	v[phFirstName] = p.Persona.FirstName
	v[phName] = p.Persona.Name()
	if need == simulator.NeedCallback && c.dlg.callback {
		// The caller asked for a callback: the assistant notes it.
		return sentence(c.r.pick(lb.dlg.noted).fill(&v))
	}
	return sentence(c.r.pick(lb.follow.noTool).fill(&v))
}

// sorry apologises, naming the server's error text when there is one.
func (c *Call) sorry(fb *followBank, v *vals, detail string) string {
	detail = strings.TrimRight(truncate(firstLine(detail), 100), ".!")
	if detail == "" {
		return sentence(c.r.pick(fb.sorryPlain).fill(v))
	}
	v[phValue] = detail
	return sentence(c.r.pick(fb.sorry).fill(v))
}
