package fake

import (
	"bytes"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// objectFollowUp turns an object result into up to three short sentences.
func (c *Call) objectFollowUp(lb *langBank, v *vals, obj *jv, needs uint16) string {
	fb := &lb.follow
	if line, ok := c.refusal(fb, v, obj, needs); ok {
		return line
	}
	var rf resultFields
	c.collect(lb, obj, 0, &rf)
	var ls lines
	c.slotLine(&ls, fb, v, &rf, needs)
	for _, k := range []fieldKind{fStatus, fConfirmation, fTicket, fOrder, fName, fMessage, fEmail} {
		if ls.n == 3 {
			break
		}
		if k == fName && needs&contactBit == 0 {
			continue // only a lookup finds the caller
		}
		if val := rf.f[k]; val != "" {
			c.say(&ls, fb.byKind(k), v, val)
		}
	}
	if ls.n == 0 && len(rf.others) > 0 {
		c.say(&ls, fb.generic, v, joinList(rf.others, lb.and))
	}
	c.remember(&rf, needs)
	if ls.n == 0 {
		return sentence(c.r.pick(fb.done).fill(v))
	}
	line := strings.Join(ls.parts[:ls.n], " ")
	if c.r.chance(0.35) {
		line = sentence(c.r.pick(fb.intro).fill(v)) + " " + line
	}
	return line
}

// lines are the sentences of one follow-up.
type lines struct {
	parts [4]string
	n     int
}

// say adds a sentence from set with value as {value}.
func (c *Call) say(ls *lines, set []tmpl, v *vals, value string) {
	v[phValue] = value
	ls.parts[ls.n] = sentence(c.r.pick(set).fill(v))
	ls.n++
}

// slotLine says the date and time of the result, if it has them: a slot
// found or booked when the tool serves that need.
func (c *Call) slotLine(ls *lines, fb *followBank, v *vals, rf *resultFields, needs uint16) {
	date, tm := rf.f[fDate], rf.f[fTime]
	switch {
	case date != "" && tm != "":
		set := fb.slot
		switch {
		case needs&(needBit(simulator.NeedBooking)|needBit(simulator.NeedReschedule)) != 0:
			set = fb.slotBooked
		case needs&needBit(simulator.NeedAvailability) != 0:
			set = fb.slotFound
		}
		v[phDate], v[phTime] = date, tm
		c.say(ls, set, v, "")
	case date != "":
		c.say(ls, fb.date, v, date)
	case tm != "":
		c.say(ls, fb.time, v, tm)
	}
}

// remember keeps the result's date, time and status for the summary; the
// times an availability check offers are no appointment.
func (c *Call) remember(rf *resultFields, needs uint16) {
	if needs&availBit != 0 && needs&bookingBits == 0 {
		return
	}
	if date := rf.f[fDate]; date != "" {
		c.resDate = date
	}
	if tm := rf.f[fTime]; tm != "" {
		c.resTime = tm
	}
	if st := rf.f[fStatus]; st != "" {
		c.resStatus = st
	}
}

// successKeys are result flags that, when false, say the tool could not help.
var successKeys = []string{"success", "ok", "available", "found", "beschikbaar", "gelukt", "gevonden",
	"confirmed", "booked", "bevestigd", "geboekt", "accepted", "scheduled", "ingepland"}

// refusal is the line for a result that reports an error or a false success
// flag; ok is false for any other result.
func (c *Call) refusal(fb *followBank, v *vals, obj *jv, needs uint16) (line string, ok bool) {
	if e := obj.get("error"); e != nil {
		switch {
		case e.kind == 's' && strings.TrimSpace(e.str) != "":
			c.failed |= needs
			return c.sorry(fb, v, e.str), true
		case e.kind == 'b' && e.b:
			c.failed |= needs
			return c.sorry(fb, v, messageOf(obj)), true
		}
	}
	for _, k := range successKeys {
		if x := obj.get(k); x != nil && x.kind == 'b' && !x.b {
			return c.unsuccessful(fb, v, obj, k, needs), true
		}
	}
	if st := obj.get("status"); st != nil && st.kind == 's' && hasWord(st.str, refusalWords) {
		c.failed |= needs
		if m := messageOf(obj); m != "" {
			return c.sorry(fb, v, m), true
		}
		return c.sorry(fb, v, st.str), true
	}
	return "", false
}

// unsuccessful is the line for a result whose flag key is false.
func (c *Call) unsuccessful(fb *followBank, v *vals, obj *jv, key string, needs uint16) string {
	if (key == "found" || key == "gevonden") && needs&needBit(simulator.NeedContact) != 0 {
		return c.notFoundLine(fb, v)
	}
	c.failed |= needs
	if m := messageOf(obj); m != "" {
		return c.sorry(fb, v, m)
	}
	return sentence(c.r.pick(fb.unavailable).fill(v))
}

// messageOf is the "message" text of a result object, if any.
func messageOf(obj *jv) string {
	for _, k := range []string{"message", "error_message", "reason", "detail", "bericht"} {
		if m := obj.get(k); m != nil && m.kind == 's' {
			return m.str
		}
	}
	return ""
}

func (fb *followBank) byKind(k fieldKind) []tmpl {
	switch k {
	case fStatus:
		return fb.status
	case fConfirmation:
		return fb.confirmation
	case fTicket:
		return fb.ticket
	case fOrder:
		return fb.order
	case fName:
		return fb.name
	case fMessage:
		return fb.message
	case fEmail:
		return fb.email
	}
	return fb.generic
}

// notFoundLine is the line after a lookup that found nobody. An unknown
// caller is not a failure: the assistant takes the details, and after a
// second lookup goes on without them and says so.
func (c *Call) notFoundLine(fb *followBank, v *vals) string {
	if c.dlg.lookups >= 2 {
		return sentence(c.r.pick(c.dlgBank().notFoundAgain).fill(v))
	}
	return sentence(c.r.pick(fb.notFound).fill(v))
}

// emptyResult reports whether a result holds nothing: no bytes, null, an
// empty object, list or string.
func emptyResult(raw []byte) bool {
	obj, err := parseJSON(bytes.TrimSpace(raw))
	if err != nil {
		return len(bytes.TrimSpace(raw)) == 0
	}
	switch obj.kind {
	case 'z':
		return true
	case 'o':
		return len(obj.keys) == 0
	case 'a':
		return len(obj.arr) == 0
	case 's':
		return strings.TrimSpace(obj.str) == ""
	}
	return false
}
