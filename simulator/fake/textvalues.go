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
		return g.date(name)
	case "time":
		return clock(g.c.apptMin)
	case "date-time":
		return g.dateTimeFor(name)
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

// date is a calendar date for the property name, relative to the clock:
// a birth date, the day of the order (past-like names) or the coming
// appointment day.
func (g *gen) date(name string) string {
	switch dateSide(name) {
	case whenBirth:
		return g.birthDate()
	case whenPast:
		return localDay(g.c.orderAt).Format(time.DateOnly)
	}
	return g.c.apptDay.Format(time.DateOnly)
}

// dateTimeFor is a timestamp for the property name, relative to the clock:
// the order's moment for past-like names, midnight of a birth date, else
// the coming appointment.
func (g *gen) dateTimeFor(name string) string {
	switch dateSide(name) {
	case whenBirth:
		d, _ := time.Parse(time.DateOnly, g.birthDate())
		return localInstant(d, 0).Format(time.RFC3339)
	case whenPast:
		t := g.c.orderAt
		return t.In(time.FixedZone("", int(amsterdamOffset(t)/time.Second))).Format(time.RFC3339)
	}
	return g.dateTime()
}

// dateTime is the appointment: its Dutch local time with the offset in force.
func (g *gen) dateTime() string {
	return localInstant(g.c.apptDay, g.c.apptMin).Format(time.RFC3339)
}

// birthDate is a plausible birth date: 18 to 90 years before the clock.
func (g *gen) birthDate() string {
	years, days := g.r.between(18, 89), g.r.intn(365)
	return localDay(g.c.now).AddDate(-years, 0, -days).Format(time.DateOnly)
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
