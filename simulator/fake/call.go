package fake

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// Call is one call's seeded generator of the data that depends on the
// server's replies. It implements simulator.Generator. It continues the
// random stream that built the plan, so the same call gives the same outputs
// when its methods are called in the same order. Not safe for concurrent use.
type Call struct {
	r     rnd
	banks *banks
	lang  string
	plan  *simulator.CallPlan
	v     vals // placeholder values of the plan's text

	// Facts of the call that the plan does not carry.
	phone       string    // the persona's number (drawn even on web calls)
	apptDay     time.Time // the appointment day (midnight UTC)
	apptMin     int       // the appointment time, minutes after midnight (local)
	order       string
	street      int
	houseNo     int
	postcode    int
	postLetters [2]byte
	roll        float64 // decides between close grades, drawn with the plan

	// Learnt from tool results.
	failed    uint16 // needs (bit per knownNeeds index) whose tools failed
	resDate   string // spoken date/time/status from the latest tool result
	resTime   string
	resStatus string

	summary, summaryReason string
	summaryMsgs            int
	summaryFailed          uint16
	schemas                map[string]*schema
	shared                 *schemaCache // the factory's, shared by its calls; nil for none
}

var _ simulator.Generator = (*Call)(nil)

// planOr returns p, or the call's own plan when p is nil.
func (c *Call) planOr(p *simulator.CallPlan) *simulator.CallPlan {
	if p == nil {
		return c.plan
	}
	return p
}

// bank returns the language bank and intent bank for p (the call's own when
// p names an unknown language or intent).
func (c *Call) bank(p *simulator.CallPlan) (*langBank, *intentBank) {
	lb := c.banks.langs[p.Lang]
	if lb == nil {
		lb = c.banks.langs[c.lang]
	}
	k := intentIndex(p.Intent)
	if k < 0 {
		k = intentIndex(c.plan.Intent)
	}
	return lb, lb.intents[k]
}

// valsFor returns the placeholder values for p.
func (c *Call) valsFor(p *simulator.CallPlan, lb *langBank) vals {
	if p == c.plan && lb.lang == c.lang {
		return c.v
	}
	return c.planVals(p, lb)
}

// ToolCallID returns "tool_" and 12-24 lower-case letters and digits (spec §1.2.3).
func (c *Call) ToolCallID() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	var b [32]byte
	out := append(b[:0], "tool_"...)
	for n := c.r.between(12, 24); n > 0; n-- {
		out = append(out, alphabet[c.r.intn(len(alphabet))])
	}
	return string(out)
}

// ToolArguments generates a JSON object for the tool's JSON-Schema
// parameters, with values from the call (the persona's name, e-mail and
// number, the appointment slot, the order number). Keys follow the schema's
// property order. No parameters: nil. A schema that is not valid JSON or does
// not describe an object: {}.
func (c *Call) ToolArguments(p *simulator.CallPlan, t simulator.Tool) json.RawMessage {
	p = c.planOr(p)
	raw := bytes.TrimSpace(t.Parameters)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	s := c.schemaFor(raw)
	if s == nil || s.typ() != "object" {
		return json.RawMessage("{}")
	}
	lb, ib := c.bank(p)
	v := c.valsFor(p, lb)
	g := &gen{c: c, r: c.r, p: p, lb: lb, ib: ib, v: &v}
	return g.object(make([]byte, 0, 128), s, 0)
}

// schemaFor compiles a schema once per call; nil when it is not valid.
func (c *Call) schemaFor(raw []byte) *schema {
	if s, ok := c.schemas[string(raw)]; ok {
		return s
	}
	s, ok := c.shared.get(raw)
	if !ok {
		var err error
		if s, err = compileSchema(raw); err != nil {
			s = nil
		}
		c.shared.put(raw, s)
	}
	if c.schemas == nil {
		c.schemas = map[string]*schema{}
	}
	c.schemas[string(raw)] = s
	return s
}

// Analysis generates values for the analysis plan's JSON Schema, consistent
// with the call: the outcome, the sentiment, the summary. Every property is
// filled (an analysis answers all its questions); types always match the
// schema. A schema that is not valid or not an object: {}.
func (c *Call) Analysis(p *simulator.CallPlan, schemaJSON json.RawMessage, msgs []simulator.Message, endReason string) json.RawMessage {
	p = c.planOr(p)
	raw := bytes.TrimSpace(schemaJSON)
	s := c.schemaFor(raw)
	if len(raw) == 0 || s == nil || s.typ() != "object" {
		return json.RawMessage("{}")
	}
	lb, ib := c.bank(p)
	v := c.valsFor(p, lb)
	oc := c.outcome(p, msgs, endReason)
	a := &analysisCtx{oc: oc, endReason: endReason, msgs: msgs, sentiment: c.sentiment(p, oc)}
	g := &gen{c: c, r: c.r, p: p, lb: lb, ib: ib, v: &v, an: a}
	return g.object(make([]byte, 0, 256), s, 0)
}

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
	keyFailed := c.failed&needBit(keyNeed[p.Intent]) != 0
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
		switch {
		case p.Intent == simulator.Silent:
			o.kind, o.grade = ocDone, gradePoor
		case endReason == simulator.EndSilenceTimeout:
			o.kind, o.grade = ocSilence, gradePoor
		case o.reached && !keyFailed:
			o.kind, o.resolved = ocDone, true
			switch {
			case p.Intent == simulator.WrongNumber || o.failed:
				o.grade = gradeFair
			case p.Intent == simulator.Complaint:
				o.grade = gradeGood
				if c.roll >= 0.6 {
					o.grade = gradeFair
				}
			case c.roll < 0.6:
				o.grade = gradeExcellent
			default:
				o.grade = gradeGood
			}
		default:
			o.kind, o.grade = ocOpen, gradeFair
			if c.roll < 0.5 {
				o.grade = gradePoor
			}
		}
	}
	o.booked = o.resolved && (p.Intent == simulator.BookAppointment || p.Intent == simulator.Reschedule)
	switch p.Intent {
	case simulator.Complaint, simulator.Callback:
		o.followUp = true
	case simulator.WrongNumber, simulator.Silent:
		o.followUp = false
	case simulator.Voicemail:
		o.followUp = true // the callee has to call back, or be called again
	default:
		o.followUp = !o.resolved
	}
	return o
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
	oc := c.outcome(p, msgs, endReason)
	var set []tmpl
	switch oc.kind {
	case ocError:
		set = lb.sumError
	case ocRejected:
		set = lb.sumRejected
	case ocSilence:
		set = lb.sumSilence
	case ocMax:
		set = lb.sumMax
	case ocTransferred:
		set = lb.sumTransferred
	case ocVoicemail:
		set = ib.open
		if msg := lastAssistant(msgs); msg != "" {
			v[phMessage] = truncate(msg, 80)
			set = ib.done
		}
	case ocDone:
		set = ib.done
		if c.resStatus != "" && len(ib.doneStatus) > 0 {
			set = ib.doneStatus
		}
	default:
		set = ib.open
	}
	c.summary = c.r.pick(set).fill(&v)
	c.summaryReason, c.summaryMsgs, c.summaryFailed = endReason, len(msgs), c.failed
	return c.summary
}

func lastAssistant(msgs []simulator.Message) string {
	for i := len(msgs) - 1; i >= 0; i-- {
		if msgs[i].Role == simulator.RoleAssistant {
			return msgs[i].Content
		}
	}
	return ""
}

// Success grades the call: Excellent or Good when the request was handled
// cleanly, Fair or Poor for failed tools, wrong numbers, voicemail, silence
// and errors.
func (c *Call) Success(p *simulator.CallPlan, msgs []simulator.Message, endReason string) string {
	p = c.planOr(p)
	return gradeNames[c.outcome(p, msgs, endReason).grade]
}

// toolNeeds is the set of needs (bits) the tool serves.
func toolNeeds(t simulator.Tool) uint16 {
	var bits uint16
	one := []simulator.Tool{t}
	for i, n := range knownNeeds {
		if len(simulator.MatchTools(n, one)) > 0 {
			bits |= 1 << i
		}
	}
	return bits
}

// firstLine trims s to its first line.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}
