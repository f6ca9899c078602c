package fake

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// dlgBank is the dialogue lines of the call's language.
func (c *Call) dlgBank() *dialogueBank {
	lb, _ := c.bank(c.plan)
	return &lb.dlg
}

// CallerLine is the caller's line of a turn: a booking turn after the
// server offered times picks one of them (seeded) and names it; before any
// offer it keeps its planned line and books an offered time once an
// availability check offers some; after checks that offered nothing it asks
// for a callback; any other turn keeps its planned line.
func (c *Call) CallerLine(p *simulator.CallPlan, turn simulator.Turn) string {
	p = c.planOr(p)
	if turn.Caller == "" || (turn.Need != simulator.NeedBooking && turn.Need != simulator.NeedReschedule) {
		return turn.Caller
	}
	s, ok := c.nextOffer()
	switch {
	case !ok && len(c.dlg.asked) > 0:
		// Checked, and nothing is free: a callback instead of a booking.
		c.dlg.callback = true
		lb, _ := c.bank(p)
		v := c.valsFor(p, lb)
		return sentence(c.r.pick(lb.dlg.callback).fill(&v))
	case !ok:
		// Nothing offered yet: when the assistant checks what is free
		// first, the caller books one of the times it offers.
		c.dlg.rebook, c.dlg.bookNeed = true, turn.Need
		return turn.Caller
	}
	c.dlg.chosen, c.dlg.hasChosen = s, true
	return c.pickSlotLine(p, c.dlgBank().pick, s)
}

// ServedNeed is the need a turn asks the assistant for: a booking turn after
// availability checks that offered nothing asks for a callback.
func (c *Call) ServedNeed(_ *simulator.CallPlan, need string) string {
	if (need == simulator.NeedBooking || need == simulator.NeedReschedule) && c.dlg.callback && !c.dlg.booked && len(c.dlg.offered.slots) == 0 {
		return simulator.NeedCallback
	}
	return need
}

// pickSlotLine is a caller's line from set that names the slot's day and time.
func (c *Call) pickSlotLine(p *simulator.CallPlan, set []tmpl, s slot) string {
	lb, _ := c.bank(p)
	v := c.valsFor(p, lb)
	v[phDate], v[phTime] = lb.spokenDate(s.day), clock(s.min)
	return capital(sentence(c.r.pick(set).fill(&v)))
}

// capital starts s with a capital letter ("maandag 9 maart ..." begins a
// sentence).
func capital(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || unicode.IsUpper(r) {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// Repair is the caller's answer when the latest tool results did not help,
// and the need the assistant serves next: after a lookup that found nobody
// the caller spells the surname and gives the e-mail address (a new lookup
// asks for it); after a day without free times the caller asks for another
// day; after a refused booking the caller picks another offered time (up to
// maxRetries), asks what is free when nothing was offered yet, or asks for a
// callback. An empty line: nothing to repair.
func (c *Call) Repair(p *simulator.CallPlan) (line, need string) {
	p = c.planOr(p)
	lb, _ := c.bank(p)
	d := &c.dlg
	k := d.pending
	d.pending = repairNone
	switch k {
	case repairContact:
		d.byEmail = true
		v := c.valsFor(p, lb)
		v[phValue] = spell(p.Persona.LastName)
		return sentence(c.r.pick(lb.dlg.spell).fill(&v)), simulator.NeedContact
	case repairDay:
		day := c.nextDay()
		d.want = day
		v := c.valsFor(p, lb)
		v[phDate] = lb.spokenDate(day)
		return capital(sentence(c.r.pick(lb.dlg.otherDay).fill(&v))), simulator.NeedAvailability
	case repairBooking:
		if d.retries < maxRetries {
			if s, ok := c.nextOffer(); ok {
				d.retries++
				d.chosen, d.hasChosen = s, true
				return c.pickSlotLine(p, lb.dlg.retry, s), d.bookNeed
			}
			if len(d.asked) == 0 {
				// Nothing was offered yet: the caller asks what is free.
				d.rebook = true
				v := c.valsFor(p, lb)
				v[phDate] = lb.spokenDate(c.wantDay())
				return capital(sentence(c.r.pick(lb.dlg.otherDay).fill(&v))), simulator.NeedAvailability
			}
		}
		d.callback = true
		v := c.valsFor(p, lb)
		return sentence(c.r.pick(lb.dlg.callback).fill(&v)), simulator.NeedCallback
	}
	return "", ""
}

// spell is a surname letter by letter: "S-c-h-o-u-t-e-n"; words stay apart.
func spell(name string) string {
	var b strings.Builder
	for i, w := range strings.Fields(name) {
		if i > 0 {
			b.WriteString(", ")
		}
		n := 0
		for _, r := range w {
			if !unicode.IsLetter(r) {
				continue
			}
			if n > 0 {
				b.WriteByte('-')
			}
			if n == 0 {
				r = unicode.ToUpper(r)
			}
			b.WriteRune(r)
			n++
		}
	}
	return b.String()
}

// keyOpen reports whether the intent's key action was refused or failed and
// not made good since, or ended in a callback request.
func (c *Call) keyOpen(p *simulator.CallPlan) bool {
	return c.failed&needBit(keyNeed[p.Intent]) != 0 || (c.dlg.callback && !c.dlg.booked)
}

// Reply is the assistant's planned line of a turn, unless it contradicts the
// status a tool returned (the planned line says "on its way", the order is
// "in behandeling"): then the assistant says only the status; or unless the
// call's key action was refused and not made good: then any line but opening
// hours would presuppose it, and the assistant says what it cannot do and
// what it can (a colleague, a note) instead.
func (c *Call) Reply(p *simulator.CallPlan, turn simulator.Turn) string {
	p = c.planOr(p)
	lb, _ := c.bank(p)
	if c.contradictsStatus(turn.Reply) {
		v := c.valsFor(p, lb)
		v[phValue] = c.resStatus
		return sentence(c.r.pick(lb.dlg.statusOnly).fill(&v))
	}
	if turn.Need == simulator.NeedHours || !c.keyOpen(p) || p.Intent == simulator.Voicemail {
		return turn.Reply
	}
	v := c.valsFor(p, lb)
	set := lb.follow.noTool
	if c.dlg.callback {
		set = lb.dlg.noted
	}
	return sentence(c.r.pick(set).fill(&v))
}

// Goodbye is the caller's last line: the planned one, unless it names the
// plan's appointment day while the call booked another day or none; then a
// goodbye of the intent that fits (the booked day, or no day).
func (c *Call) Goodbye(p *simulator.CallPlan) string {
	p = c.planOr(p)
	lb, ib := c.bank(p)
	planned := lb.spokenDate(c.apptDay)
	d := &c.dlg
	if p.Goodbye == "" || !strings.Contains(p.Goodbye, planned) || (d.booked && d.bookedAt.day.Equal(c.apptDay)) {
		return p.Goodbye
	}
	v := c.valsFor(p, lb)
	var fit []tmpl
	for _, t := range ib.goodbye {
		if d.booked || !t.uses(phDate) {
			fit = append(fit, t)
		}
	}
	if len(fit) == 0 {
		return p.Goodbye
	}
	if d.booked {
		v[phDate], v[phTime] = lb.spokenDate(d.bookedAt.day), clock(d.bookedAt.min)
	}
	return c.r.pick(fit).fill(&v)
}

// rememberBooking keeps the day and time actually booked for the summary.
func (c *Call) rememberBooking(lb *langBank) {
	if d := &c.dlg; d.booked && !d.bookedAt.day.IsZero() {
		c.resDate, c.resTime = lb.spokenDate(d.bookedAt.day), clock(d.bookedAt.min)
	}
}

// uses reports whether the template has the placeholder.
func (t tmpl) uses(ph placeholder) bool {
	for _, s := range t.segs {
		if s.ph == ph {
			return true
		}
	}
	return false
}

// otherDayLine is the line after an availability check that found nothing
// on the day asked but offers another day: the assistant names that day and
// its times (what the caller will pick from). ok is false for any other
// result.
func (c *Call) otherDayLine(lb *langBank, v *vals, result []byte) (string, bool) {
	obj, err := parseJSON(result)
	heard := c.dlg.heard.slots
	if err != nil || !refusedResult(obj) || len(heard) == 0 {
		return "", false
	}
	day := heard[0].day
	var times []string
	for _, s := range heard {
		if s.day.Equal(day) && len(times) < 3 {
			times = append(times, clock(s.min))
		}
	}
	v[phDate], v[phTime] = lb.spokenDate(day), joinList(times, lb.or)
	return capital(sentence(c.r.pick(lb.follow.slotFound).fill(v))), true
}

// statusWords are the states an order can be in, as planned lines and tool
// results say them.
var statusWords = [][]string{
	{"onderweg", "on its way", "verzonden", "shipped", "vervoerder", "carrier", "in transit"},
	{"bezorgd", "delivered", "afgeleverd"},
	{"in behandeling", "processing", "being prepared", "klaargemaakt", "pending"},
	{"geannuleerd", "cancelled", "canceled"},
}

// stateOf is the state a text names, -1 for none.
func stateOf(text string) int {
	for i, words := range statusWords {
		if hasWord(text, words) {
			return i
		}
	}
	return -1
}

// contradictsStatus reports whether a planned line names another state than
// the status a tool returned.
func (c *Call) contradictsStatus(line string) bool {
	if c.resStatus == "" {
		return false
	}
	planned, known := stateOf(line), stateOf(c.resStatus)
	return planned >= 0 && known >= 0 && planned != known
}
