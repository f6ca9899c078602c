package fake

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// str is a string for the schema: its format, else by the property name,
// then fitted to the pattern and the length limits.
func (g *gen) str(s *schema, name string) string {
	v := ""
	if s.format != "" {
		v = g.formatted(s.format, name)
	}
	if v == "" {
		v = g.byName(name)
	}
	if s.pattern != nil && !s.pattern.MatchString(v) {
		for range 4 {
			x := g.r.f.Regex(s.patternSrc)
			if s.pattern.MatchString(x) && lengthOK(x, s) {
				v = x
				break
			}
		}
	}
	return g.fitLength(v, s)
}

func lengthOK(v string, s *schema) bool {
	n := utf8.RuneCountInString(v)
	return (s.minLen < 0 || n >= s.minLen) && (s.maxLen < 0 || n <= s.maxLen)
}

// fitLength pads or cuts v to the schema's length limits.
func (g *gen) fitLength(v string, s *schema) string {
	if lengthOK(v, s) {
		return v
	}
	if s.minLen > 0 {
		var b strings.Builder
		b.WriteString(v)
		n := utf8.RuneCountInString(v)
		for n < min(s.minLen, maxGenLen) {
			if b.Len() > 0 {
				b.WriteByte(' ')
				n++
			}
			w := g.r.pickString(g.lb.words)
			b.WriteString(w)
			n += utf8.RuneCountInString(w)
		}
		v = b.String()
	}
	if s.maxLen >= 0 && utf8.RuneCountInString(v) > s.maxLen {
		n := 0
		for i := range v {
			if n == s.maxLen {
				v = v[:i]
				break
			}
			n++
		}
		if t := strings.TrimRight(v, " "); s.minLen < 0 || utf8.RuneCountInString(t) >= s.minLen {
			v = t
		}
	}
	return v
}

// formatted is a value for a JSON Schema format, "" for unknown formats.
func (g *gen) formatted(format, name string) string {
	switch strings.ToLower(format) {
	case "date":
		if nameKind(name) == kBirth {
			return g.birthDate()
		}
		return g.c.apptDay.Format(time.DateOnly)
	case "time":
		return clock(g.c.apptMin)
	case "date-time":
		return g.dateTime()
	case "email", "idn-email":
		return g.p.Persona.Email
	case "uri", "url", "uri-reference", "iri", "iri-reference":
		return g.url()
	case "uuid":
		return g.r.f.UUID()
	case "phone", "tel", "phone-number", "telephone", "e164", "e.164":
		return g.phone()
	case "hostname", "idn-hostname":
		return "www." + string(fold(nil, g.p.Business)) + ".nl"
	case "ipv4":
		return "192.0.2." + strconv.Itoa(g.r.between(1, 254))
	case "ipv6":
		return "2001:db8::" + strconv.FormatInt(int64(g.r.between(1, 0xffff)), 16)
	case "duration":
		return "PT" + strconv.Itoa(15*g.r.between(1, 4)) + "M"
	}
	return ""
}

func (g *gen) dateTime() string {
	d := g.c.apptDay.Add(time.Duration(g.c.apptMin) * time.Minute)
	off := utcOffset(d)
	return d.Add(-off).In(time.FixedZone("", int(off/time.Second))).Format(time.RFC3339)
}

func (g *gen) birthDate() string {
	return time.Date(g.r.between(1950, 2005), time.Month(g.r.between(1, 12)), g.r.between(1, 28), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

func (g *gen) url() string {
	return "https://www." + string(fold(nil, g.p.Business)) + ".nl"
}

// phone is the caller's number in E.164 (a drawn mobile number on web calls).
func (g *gen) phone() string {
	if g.p.Customer != "" {
		return g.p.Customer
	}
	return g.c.phone
}
