package fake

import (
	"fmt"
	"strings"
)

// A placeholder is a {name} slot in a phrase template.
type placeholder uint8

// Placeholders. Plan text (caller lines, replies, goodbyes, notes) may use
// phName … phGreeting; summaries may also use phStatus, phMessage and phAbout;
// tool follow-ups use phValue, phDate, phTime, phName and phFirstName.
const (
	phNone placeholder = iota
	phName
	phFirstName
	phLastName
	phEmail
	phPhone
	phCity
	phCompany
	phBusiness
	phAddress
	phDate
	phTime
	phOrder
	phGreeting
	phStatus
	phMessage
	phAbout
	phValue
	numPlaceholders
)

var placeholderNames = [numPlaceholders]string{
	phName: "name", phFirstName: "first_name", phLastName: "last_name", phEmail: "email", phPhone: "phone",
	phCity: "city", phCompany: "company", phBusiness: "business", phAddress: "address", phDate: "date",
	phTime: "time", phOrder: "order", phGreeting: "greeting", phStatus: "status", phMessage: "message",
	phAbout: "about", phValue: "value",
}

// phSet is a set of placeholders allowed in one kind of template.
type phSet uint32

func setOf(ps ...placeholder) phSet {
	var s phSet
	for _, p := range ps {
		s |= 1 << p
	}
	return s
}

func (s phSet) has(p placeholder) bool { return s&(1<<p) != 0 }

func (s phSet) names() string {
	var out []string
	for p := phName; p < numPlaceholders; p++ {
		if s.has(p) {
			out = append(out, "{"+placeholderNames[p]+"}")
		}
	}
	return strings.Join(out, " ")
}

var (
	planPlaceholders    = setOf(phName, phFirstName, phLastName, phEmail, phPhone, phCity, phCompany, phBusiness, phAddress, phDate, phTime, phOrder, phGreeting)
	summaryPlaceholders = planPlaceholders | setOf(phStatus, phMessage, phAbout)
	followPlaceholders  = setOf(phValue, phDate, phTime, phName, phFirstName)
)

// vals holds the text for each placeholder.
type vals [numPlaceholders]string

// seg is a literal followed by an optional placeholder.
type seg struct {
	lit string
	ph  placeholder
}

// tmpl is a parsed phrase template.
type tmpl struct {
	segs []seg
	lits int // total bytes of the literals
}

// parseTmpl parses "text {placeholder} text"; every placeholder must be in allowed.
func parseTmpl(s string, allowed phSet) (tmpl, error) {
	var t tmpl
	rest := s
	for rest != "" {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			t.segs = append(t.segs, seg{lit: rest})
			t.lits += len(rest)
			break
		}
		if rest[i] == '}' {
			return tmpl{}, fmt.Errorf("%q has a '}' without a '{'", s)
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return tmpl{}, fmt.Errorf("%q has a '{' without a closing '}'", s)
		}
		name := rest[i+1 : i+j]
		ph := phNone
		for p := phName; p < numPlaceholders; p++ {
			if placeholderNames[p] == name {
				ph = p
				break
			}
		}
		if ph == phNone || !allowed.has(ph) {
			return tmpl{}, fmt.Errorf("unknown placeholder {%s} in %q (known here: %s)", name, s, allowed.names())
		}
		t.segs = append(t.segs, seg{lit: rest[:i], ph: ph})
		t.lits += i
		rest = rest[i+j+1:]
	}
	return t, nil
}

// fill renders the template with v, in one allocation.
func (t tmpl) fill(v *vals) string {
	if len(t.segs) == 1 && t.segs[0].ph == phNone {
		return t.segs[0].lit
	}
	n := t.lits
	for _, s := range t.segs {
		if s.ph != phNone {
			n += len(v[s.ph])
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range t.segs {
		b.WriteString(s.lit)
		if s.ph != phNone {
			b.WriteString(v[s.ph])
		}
	}
	return b.String()
}
