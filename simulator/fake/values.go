package fake

import (
	"math"
	"strconv"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// gen generates JSON values for a schema, tied to one call.
type gen struct {
	c  *Call
	r  rnd
	p  *simulator.CallPlan
	lb *langBank
	ib *intentBank
	v  *vals
	an *analysisCtx // nil: tool arguments
	// dated: the arguments ask about the day the caller named (an
	// availability check), so an optional date property is always sent.
	dated bool
}

// Bounds on generated values, whatever the schema asks for.
const (
	maxGenDepth = 12   // nesting
	maxGenItems = 100  // array items
	maxGenLen   = 4096 // string padding, in runes
)

// value appends a value for s; name is the property (or array) name.
func (g *gen) value(dst []byte, s *schema, name string, depth int) []byte {
	if s.constV != nil {
		return appendJV(dst, s.constV)
	}
	if len(s.anyOf) > 0 && len(s.types) == 0 && !s.hasObject {
		return g.value(dst, s.anyOf[g.r.intn(len(s.anyOf))], name, depth+1)
	}
	if g.an != nil {
		if out, ok := g.analysisValue(dst, s, name, depth); ok {
			return out
		}
	}
	if s.def != nil && g.r.chance(0.3) {
		return appendJV(dst, s.def)
	}
	if len(s.enum) > 0 {
		return appendJV(dst, s.enum[g.r.intn(len(s.enum))])
	}
	return g.typed(dst, s, name, depth)
}

// typed appends a value of the schema's type.
func (g *gen) typed(dst []byte, s *schema, name string, depth int) []byte {
	switch s.typ() {
	case "object":
		if depth >= maxGenDepth {
			return append(dst, "{}"...)
		}
		return g.object(dst, s, depth)
	case "array":
		if depth >= maxGenDepth {
			return append(dst, "[]"...)
		}
		return g.array(dst, s, name, depth, -1)
	case "integer":
		return strconv.AppendInt(dst, g.integer(s, name), 10)
	case "number":
		return g.number(dst, s, name)
	case "boolean":
		return strconv.AppendBool(dst, g.boolean(name))
	case "null":
		return append(dst, "null"...)
	}
	return appendString(dst, g.str(s, name))
}

// object appends an object: required properties always, optional ones about
// half the time (always in analyses; the date of a dated check always), in
// the schema's property order; then
// required names the schema does not describe, as strings.
func (g *gen) object(dst []byte, s *schema, depth int) []byte {
	dst = append(dst, '{')
	first := true
	key := func(k string) {
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = appendString(dst, k)
		dst = append(dst, ':')
	}
	for i, p := range s.props {
		if dupProp(s.props[:i], p.name) {
			continue
		}
		if !s.isRequired(p.name) && g.an == nil && !g.r.chance(0.5) && !g.datedProp(p, depth) {
			continue
		}
		key(p.name)
		dst = g.value(dst, p.s, p.name, depth+1)
	}
	for i, name := range s.required {
		if dupProp(s.props, name) || containsStr(s.required[:i], name) {
			continue
		}
		key(name)
		dst = appendString(dst, g.byName(name))
	}
	return append(dst, '}')
}

// datedProp reports whether p is the date of a dated check: a top-level
// property named as a date or of format date.
func (g *gen) datedProp(p prop, depth int) bool {
	return g.dated && depth == 0 && (classifyField(p.name) == fDate || (p.s != nil && p.s.format == "date"))
}

func dupProp(ps []prop, name string) bool {
	for _, p := range ps {
		if p.name == name {
			return true
		}
	}
	return false
}

func containsStr(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// array appends 1-3 items (n >= 0: n items), within minItems/maxItems.
func (g *gen) array(dst []byte, s *schema, name string, depth, n int) []byte {
	if n < 0 {
		lo, hi := 1, 3
		if s.minItems >= 0 {
			lo = s.minItems
			hi = max(hi, lo)
		}
		if s.maxItems >= 0 {
			hi = s.maxItems
			lo = min(lo, hi)
		}
		n = g.r.between(lo, min(hi, lo+3))
	} else {
		if s.minItems >= 0 {
			n = max(n, s.minItems)
		}
		if s.maxItems >= 0 {
			n = min(n, s.maxItems)
		}
	}
	n = min(n, maxGenItems)
	items := s.items
	if items == nil {
		items = &schema{min: math.NaN(), max: math.NaN(), minLen: -1, maxLen: -1, minItems: -1, maxItems: -1}
	}
	dst = append(dst, '[')
	for i := range n {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = g.value(dst, items, name, depth+1)
	}
	return append(dst, ']')
}

// boolean is a plausible flag for the name.
func (g *gen) boolean(name string) bool {
	j := strings.ToLower(name)
	for _, w := range []string{"confirm", "consent", "agree", "bevestig", "akkoord", "toestemming", "notify"} {
		if strings.Contains(j, w) {
			return true
		}
	}
	return g.r.chance(0.5)
}
