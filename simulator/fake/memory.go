package fake

import (
	"bytes"
	"slices"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// repair is what the caller does after a tool result that did not help.
type repair uint8

const (
	repairNone    repair = iota
	repairContact        // the lookup found nobody: spell the name, give the e-mail
	repairDay            // no free time that day: ask for another day
	repairBooking        // the booking was refused: another offered time, or a callback
)

// maxRetries is how many other offered times a caller tries after a refused
// booking before asking for a callback.
const maxRetries = 2

// dialogue is what the call learnt from the server's tool results and what
// the caller does with it.
type dialogue struct {
	want      time.Time // the day the caller asks about now; zero: the plan's appointment day
	asked     []time.Time
	offered   offers
	heard     offers // what the latest availability check offered
	tried     []slot
	chosen    slot // the time the next booking asks for, when hasChosen
	hasChosen bool
	asking    slot // the time of the latest booking request
	booked    bool
	bookedAt  slot
	refusals  int
	retries   int
	lookups   int  // contact lookups made
	notFound  bool // the latest lookup found nobody
	byEmail   bool // the next lookup asks for the e-mail address
	pending   repair
	rebook    bool   // an availability check asked after a refusal leads to a new booking
	bookNeed  string // the need of the refused booking tool
	callback  bool   // the caller asked for a callback
	ids       [5]*jv // by idRole
}

// Need bits of the tools the dialogue follows.
var (
	bookingBits = needBit(simulator.NeedBooking) | needBit(simulator.NeedReschedule)
	availBit    = needBit(simulator.NeedAvailability)
	contactBit  = needBit(simulator.NeedContact)
)

// planSlot is the plan's own appointment time.
func (c *Call) planSlot() slot { return slot{day: c.apptDay, min: c.apptMin} }

// wantDay is the day the caller asks about.
func (c *Call) wantDay() time.Time {
	if c.dlg.want.IsZero() {
		return c.apptDay
	}
	return c.dlg.want
}

// today is the first day a caller can book: the call's day (Dutch time).
func (c *Call) today() time.Time {
	t := c.plan.Start.UTC()
	t = t.Add(amsterdamOffset(t))
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// nextOffer draws an offered time the caller has not tried yet, from today
// on, out of the first three (those the assistant reads out); false when none is left.
func (c *Call) nextOffer() (slot, bool) {
	var cand []slot
	today := c.today()
	for _, s := range c.dlg.offered.slots {
		if s.day.Before(today) || slices.ContainsFunc(c.dlg.tried, s.same) {
			continue
		}
		cand = append(cand, s)
	}
	if len(cand) == 0 {
		return slot{}, false
	}
	return cand[c.r.intn(min(3, len(cand)))], true
}

// nextDay is another day to ask about: one the server named, else the next
// weekday after the day asked.
func (c *Call) nextDay() time.Time {
	d := &c.dlg
	today := c.today()
	for _, day := range d.offered.days {
		if !day.Before(today) && !slices.ContainsFunc(d.asked, day.Equal) {
			return day
		}
	}
	day := c.wantDay().AddDate(0, 0, 1)
	for day.Weekday() == time.Saturday || day.Weekday() == time.Sunday || slices.ContainsFunc(d.asked, day.Equal) {
		day = day.AddDate(0, 0, 1)
	}
	return day
}

// withSlot generates a tool's arguments with the call's appointment day and
// time set to what the dialogue asks for, so that every date and time
// format of the schema carries it; it records what a booking asked.
func (c *Call) withSlot(needs uint16, gen func() []byte) []byte {
	d := &c.dlg
	day, minute := c.apptDay, c.apptMin
	defer func() { c.apptDay, c.apptMin = day, minute }()
	switch {
	case needs&bookingBits != 0:
		s := c.planSlot()
		if d.hasChosen {
			s, d.hasChosen = d.chosen, false
		}
		d.asking = s
		if !slices.ContainsFunc(d.tried, s.same) {
			d.tried = append(d.tried, s)
		}
		c.apptDay, c.apptMin = s.day, s.min
	case needs&availBit != 0:
		c.apptDay = c.wantDay()
		if !slices.ContainsFunc(d.asked, c.apptDay.Equal) {
			d.asked = append(d.asked, c.apptDay)
		}
	}
	return gen()
}

// rewriteArgs puts the ids the call learnt into the arguments (adding the
// optional properties named for them) and, for a
// lookup after "not found", the caller's e-mail address instead of the name
// or number that found nobody.
func (c *Call) rewriteArgs(p *simulator.CallPlan, s *schema, needs uint16, out []byte) []byte {
	args, err := parseJSON(out)
	if err != nil || args.kind != 'o' {
		return out
	}
	changed := c.dlg.fillIDs(args)
	if c.dlg.addIDs(args, s) {
		changed = true
	}
	if needs&contactBit != 0 && c.dlg.byEmail && emailInstead(p, args) {
		changed = true
	}
	if !changed {
		return out
	}
	return appendJV(out[:0:0], args)
}

// emailInstead replaces the first name or number argument by the e-mail
// address, unless the arguments carry it already.
func emailInstead(p *simulator.CallPlan, args *jv) bool {
	for _, x := range args.vals {
		if x.kind == 's' && strings.EqualFold(x.str, p.Persona.Email) {
			return false
		}
	}
	for i, x := range args.vals {
		if x.kind != 's' {
			continue
		}
		if x.str == p.Persona.Name() || x.str == p.Persona.LastName || strings.HasPrefix(x.str, "+") {
			args.vals[i] = &jv{kind: 's', str: p.Persona.Email}
			return true
		}
	}
	return false
}

// learn reads what a sync tool result means for the dialogue: offers, a
// refusal to repair, a booking made, a lookup that found nobody, ids.
func (c *Call) learn(needs uint16, r *simulator.ToolResult, failure string) {
	d := &c.dlg
	var obj *jv
	if r != nil {
		obj, _ = parseJSON(bytes.TrimSpace(r.Result))
	}
	ok := failure == "" && r != nil && strings.TrimSpace(r.Error) == "" && !refusedResult(obj)
	if obj != nil && ok {
		d.learnIDs(obj, toolRole(needs), 0)
	}
	switch {
	case needs&contactBit != 0:
		d.notFound = !ok || notFoundResult(obj)
		if d.notFound && d.lookups < 2 {
			d.pending = repairContact
		}
	case needs&bookingBits != 0:
		c.learnBooking(needs, r, obj, ok)
	case needs&availBit != 0 && r != nil:
		c.learnOffers(r.Result)
	}
}

// learnOffers keeps the times an availability check offered; none asks for
// another day, and after a refusal offers lead to a new booking.
func (c *Call) learnOffers(result []byte) {
	d := &c.dlg
	o := extractOffers(result, c.wantDay())
	d.heard = o
	for _, s := range o.slots {
		d.offered.addSlot(s)
	}
	for _, day := range o.days {
		d.offered.addDay(day)
	}
	switch {
	case len(o.slots) == 0 && len(d.asked) < 2:
		d.pending = repairDay
	case len(o.slots) > 0 && d.rebook:
		d.pending, d.rebook = repairBooking, false
	}
}

// learnBooking keeps a booking made, or the refusal and the times it offers
// instead.
func (c *Call) learnBooking(needs uint16, r *simulator.ToolResult, obj *jv, ok bool) {
	d := &c.dlg
	if ok {
		d.booked, d.bookedAt, d.pending, d.rebook = true, d.asking, repairNone, false
		if r != nil {
			if o := extractOffers(r.Result, d.asking.day); len(o.slots) > 0 {
				d.bookedAt = o.slots[0]
			}
		}
		c.failed &^= needs
		return
	}
	if r != nil {
		d.refusals++ // the server answered and said no (not a transport failure)
	}
	d.booked = false
	d.bookNeed = simulator.NeedBooking
	if needs&needBit(simulator.NeedBooking) == 0 {
		d.bookNeed = simulator.NeedReschedule
	}
	if r != nil && obj != nil {
		o := extractOffers(r.Result, d.asking.day)
		for _, s := range o.slots {
			d.offered.addSlot(s)
		}
	}
	d.pending = repairBooking
}

// refusalWords in a status or a text result say the tool did not do it.
var refusalWords = []string{"refused", "rejected", "declined", "unavailable", "not available", "not possible",
	"failed", "error", "taken", "not free", "geweigerd", "afgewezen", "niet beschikbaar", "niet mogelijk",
	"mislukt", "fout", "bezet", "niet vrij", "kan niet", "cannot", "can't", "conflict", "in the past", "verleden"}

// refusedResult reports whether a result says the tool did not do what was
// asked: an error, a false success flag, a refusing status or text.
func refusedResult(obj *jv) bool {
	switch {
	case obj == nil:
		return false
	case obj.kind == 'b':
		return !obj.b
	case obj.kind == 's':
		return hasWord(obj.str, refusalWords)
	case obj.kind == 'o':
		return refusedObject(obj)
	}
	return false
}

func refusedObject(obj *jv) bool {
	if e := obj.get("error"); e != nil && ((e.kind == 's' && strings.TrimSpace(e.str) != "") || (e.kind == 'b' && e.b) || e.kind == 'o') {
		return true
	}
	for _, k := range successKeys {
		if x := obj.get(k); x != nil && x.kind == 'b' && !x.b {
			return true
		}
	}
	st := obj.get("status")
	return st != nil && st.kind == 's' && hasWord(st.str, refusalWords)
}

// notFoundResult reports whether a lookup result found nobody.
func notFoundResult(obj *jv) bool {
	switch {
	case obj == nil || obj.kind == 'z':
		return true
	case obj.kind == 'a':
		return len(obj.arr) == 0
	case obj.kind == 's':
		return hasWord(obj.str, []string{"not found", "no customer", "no contact", "unknown", "niet gevonden", "geen klant", "onbekend", "geen contact"})
	case obj.kind == 'o':
		return len(obj.keys) == 0
	}
	return false
}

func hasWord(s string, words []string) bool {
	s = strings.ToLower(s)
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}
