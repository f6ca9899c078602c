package fake

import (
	"bytes"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// ToolFollowUp is the assistant's next line in the plan's language after a
// tool answered (r non-nil) or failed (failure non-empty). A string result
// is read out; an object result is mentioned by a few of its values (date and
// time, status, confirmation or ticket number, name, message); an error
// result or a failure is an apology with an offer. A nil r without failure is
// an async tool: an acknowledgement. Failures are remembered for the summary,
// success evaluation and analysis.
func (c *Call) ToolFollowUp(p *simulator.CallPlan, t simulator.Tool, r *simulator.ToolResult, failure string) string {
	p = c.planOr(p)
	lb, _ := c.bank(p)
	fb := &lb.follow
	needs := toolNeeds(t)
	var v vals
	v[phFirstName] = p.Persona.FirstName
	v[phName] = p.Persona.Name()
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
	}
	raw := bytes.TrimSpace(r.Result)
	if len(raw) == 0 {
		return sentence(c.r.pick(fb.done).fill(&v))
	}
	res, err := parseJSON(raw)
	if err != nil {
		return sentence(c.r.pick(fb.done).fill(&v))
	}
	switch res.kind {
	case 's':
		text := strings.TrimSpace(res.str)
		if text == "" {
			return sentence(c.r.pick(fb.done).fill(&v))
		}
		v[phValue] = truncate(text, 300)
		return sentence(c.r.pick(fb.text).fill(&v))
	case 'b':
		if !res.b {
			c.failed |= needs
			return sentence(c.r.pick(fb.unavailable).fill(&v))
		}
	case 'n':
		v[phValue] = string(res.num)
		return sentence(c.r.pick(fb.generic).fill(&v))
	case 'a':
		if len(res.arr) > 0 && res.arr[0].kind == 'o' {
			return c.objectFollowUp(lb, &v, res.arr[0], needs)
		}
		if items := scalars(res.arr, 3); len(items) > 0 {
			v[phValue] = joinList(items, lb.or)
			return sentence(c.r.pick(fb.generic).fill(&v))
		}
	case 'o':
		return c.objectFollowUp(lb, &v, res, needs)
	}
	return sentence(c.r.pick(fb.done).fill(&v))
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

// fieldKind classifies a result key.
type fieldKind uint8

const (
	fOther fieldKind = iota
	fTicket
	fOrder
	fConfirmation
	fEmail
	fStatus
	fDate
	fTime
	fName
	fMessage
	numFieldKinds
)

var fieldRules = []wordRule[fieldKind]{
	{fTicket, []string{"ticket*", "case", "caseid", "dossier*", "complaint*", "klacht*"}},
	{fOrder, []string{"order*", "bestel*"}},
	{fConfirmation, []string{"confirmation*", "bevestig*", "reference", "referentie*", "ref", "booking*", "reservation*", "reservering*", "appointmentid", "afspraaknummer"}},
	{fEmail, []string{"email*", "mail"}},
	{fStatus, []string{"status", "state", "toestand"}},
	{fDate, []string{"date", "datum", "day", "dag", "delivery", "bezorg*", "lever*", "eta", "expected", "verwacht*"}},
	{fTime, []string{"time", "tijd", "tijdstip", "slot*", "start", "hour", "uur", "times", "tijden"}},
	{fName, []string{"name", "naam", "fullname"}},
	{fMessage, []string{"message", "bericht", "text", "tekst", "note", "notes", "details", "description", "omschrijving",
		"info", "summary", "hours", "opening*", "openingstijd*", "result"}},
}

func classifyField(key string) fieldKind { return classify(fieldRules, key) }

// resultFields are the speakable values of a tool result.
type resultFields struct {
	f      [numFieldKinds]string
	others []string // "key value" of unclassified scalars
}

// collect gathers scalars first, then looks into nested objects and arrays.
func (c *Call) collect(lb *langBank, obj *jv, depth int, rf *resultFields) {
	for i, k := range obj.keys {
		x := obj.vals[i]
		switch x.kind {
		case 's', 'n':
			c.field(lb, rf, classifyField(k), k, scalarText(x))
		case 'a':
			if len(x.arr) > 0 && x.arr[0].kind != 'o' && x.arr[0].kind != 'a' {
				if items := scalars(x.arr, 3); len(items) > 0 {
					kind := classifyField(k)
					if kind == fDate || kind == fTime {
						for j := range items {
							items[j] = c.spoken(lb, kind, items[j])
						}
					}
					c.field(lb, rf, kind, k, joinList(items, lb.or))
				}
			}
		}
	}
	if depth >= 2 {
		return
	}
	for _, x := range obj.vals {
		switch {
		case x.kind == 'o':
			c.collect(lb, x, depth+1, rf)
		case x.kind == 'a' && len(x.arr) > 0 && x.arr[0].kind == 'o':
			c.collect(lb, x.arr[0], depth+1, rf)
		}
	}
}

// field stores a value under its kind (the first value of a kind wins).
func (c *Call) field(lb *langBank, rf *resultFields, kind fieldKind, key, val string) {
	val = strings.TrimSpace(val)
	if val == "" || strings.HasPrefix(val, "http://") || strings.HasPrefix(val, "https://") {
		return
	}
	// A timestamp in any field is a date and a time.
	if t, err := time.Parse(time.RFC3339, val); err == nil && (kind == fDate || kind == fTime || kind == fOther) {
		if rf.f[fDate] == "" && rf.f[fTime] == "" {
			rf.f[fDate] = lb.spokenDate(t)
			rf.f[fTime] = clock(t.Hour()*60 + t.Minute())
		}
		return
	}
	if kind == fDate || kind == fTime {
		val = c.spoken(lb, kind, val)
	}
	if kind == fOther {
		if len(rf.others) < 3 && len(val) <= 60 {
			rf.others = append(rf.others, humanKey(key)+" "+val)
		}
		return
	}
	if kind != fMessage {
		// The templates end the sentence themselves.
		val = strings.TrimRight(val, ".!")
	}
	if rf.f[kind] == "" {
		rf.f[kind] = truncate(val, 160)
	}
}

// spoken turns ISO dates and HH:MM:SS times into how they are said.
func (c *Call) spoken(lb *langBank, kind fieldKind, val string) string {
	if kind == fDate {
		if t, err := time.Parse(time.DateOnly, val); err == nil {
			return lb.spokenDate(t)
		}
	}
	if kind == fTime && len(val) == 8 && val[2] == ':' && val[5] == ':' {
		return val[:5]
	}
	return val
}

func scalarText(x *jv) string {
	if x.kind == 'n' {
		return string(x.num)
	}
	return x.str
}

// scalars returns the text of up to n string or number items.
func scalars(arr []*jv, n int) []string {
	var out []string
	for _, x := range arr {
		if len(out) == n {
			break
		}
		if x.kind == 's' || x.kind == 'n' {
			if s := strings.TrimSpace(scalarText(x)); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// objectFollowUp turns an object result into up to three short sentences.
func (c *Call) objectFollowUp(lb *langBank, v *vals, obj *jv, needs uint16) string {
	fb := &lb.follow
	if e := obj.get("error"); e != nil {
		switch {
		case e.kind == 's' && strings.TrimSpace(e.str) != "":
			c.failed |= needs
			return c.sorry(fb, v, e.str)
		case e.kind == 'b' && e.b:
			c.failed |= needs
			return c.sorry(fb, v, messageOf(obj))
		}
	}
	for _, k := range []string{"success", "ok", "available", "found", "beschikbaar", "gelukt", "gevonden"} {
		if x := obj.get(k); x != nil && x.kind == 'b' && !x.b {
			if (k == "found" || k == "gevonden") && needs&needBit(simulator.NeedContact) != 0 {
				// An unknown caller is not a failure: the assistant takes the details.
				return sentence(c.r.pick(fb.notFound).fill(v))
			}
			c.failed |= needs
			if m := messageOf(obj); m != "" {
				return c.sorry(fb, v, m)
			}
			return sentence(c.r.pick(fb.unavailable).fill(v))
		}
	}
	var rf resultFields
	c.collect(lb, obj, 0, &rf)
	var parts [4]string
	n := 0
	add := func(set []tmpl, value string) {
		v[phValue] = value
		parts[n] = sentence(c.r.pick(set).fill(v))
		n++
	}
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
		add(set, "")
	case date != "":
		add(fb.date, date)
	case tm != "":
		add(fb.time, tm)
	}
	for _, k := range []fieldKind{fStatus, fConfirmation, fTicket, fOrder, fName, fMessage, fEmail} {
		if n == 3 {
			break
		}
		if val := rf.f[k]; val != "" {
			add(fb.byKind(k), val)
		}
	}
	if n == 0 && len(rf.others) > 0 {
		add(fb.generic, joinList(rf.others, lb.and))
	}
	if date != "" {
		c.resDate = date
	}
	if tm != "" {
		c.resTime = tm
	}
	if st := rf.f[fStatus]; st != "" {
		c.resStatus = st
	}
	if n == 0 {
		return sentence(c.r.pick(fb.done).fill(v))
	}
	line := strings.Join(parts[:n], " ")
	if c.r.chance(0.35) {
		line = sentence(c.r.pick(fb.intro).fill(v)) + " " + line
	}
	return line
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
