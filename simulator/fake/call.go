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
	now         time.Time // the clock: when the call is placed (CallPlan.Anchor)
	apptDay     time.Time // the appointment day (Dutch calendar day, as midnight UTC)
	apptMin     int       // the appointment time, minutes after midnight (Dutch time)
	orderAt     time.Time // when the caller's order was placed
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
	dlg       dialogue // what the caller heard and does next

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
// number, the appointment slot, the order number) and from the dialogue: a
// booking carries the offered time the caller picked, an availability check
// the day the caller asks about, ids the server returned go into the
// properties named for them. Keys follow the schema's property order. No parameters: nil. A schema that is not valid JSON or does
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
	needs := toolNeeds(t)
	if needs&contactBit != 0 {
		c.dlg.lookups++
	}
	out := c.withSlot(needs, func() []byte {
		lb, ib := c.bank(p)
		v := c.valsFor(p, lb)
		g := &gen{c: c, r: c.r, p: p, lb: lb, ib: ib, v: &v, dated: needs&availBit != 0 && needs&bookingBits == 0}
		return g.object(make([]byte, 0, 128), s, 0)
	})
	return c.rewriteArgs(p, s, needs, out)
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

// firstLine trims s to its first line.
func firstLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.IndexAny(s, "\r\n"); i >= 0 {
		s = s[:i]
	}
	return s
}
