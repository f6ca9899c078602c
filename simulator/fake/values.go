package fake

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
// half the time (always in analyses), in the schema's property order; then
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
		if !s.isRequired(p.name) && g.an == nil && !g.r.chance(0.5) {
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

// intRange is the inclusive integer range allowed by s; ok is false when s
// sets no bound.
func intRange(s *schema) (lo, hi int64, ok bool) {
	hasMin, hasMax := !math.IsNaN(s.min), !math.IsNaN(s.max)
	if !hasMin && !hasMax {
		return 0, 0, false
	}
	if hasMin {
		lo = int64(math.Ceil(s.min))
		if s.exMin && float64(lo) == s.min {
			lo++
		}
	}
	if hasMax {
		hi = int64(math.Floor(s.max))
		if s.exMax && float64(hi) == s.max {
			hi--
		}
	}
	switch {
	case !hasMin:
		lo = min(1, hi)
	case !hasMax:
		hi = lo + 100
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi, true
}

// integer is a plausible integer for the name, inside the schema's range.
func (g *gen) integer(s *schema, name string) int64 {
	var v int64
	switch nameKind(name) {
	case kQuantity:
		v = int64(g.r.between(1, 4))
	case kAge:
		v = int64(g.r.between(18, 85))
	case kDuration:
		v = int64(15 * g.r.between(1, 4))
	case kAmount:
		v = int64(g.r.between(10, 250))
	case kYear:
		v = int64(g.c.apptDay.Year())
	default:
		v = int64(g.r.between(1, 100))
	}
	if lo, hi, ok := intRange(s); ok && (v < lo || v > hi) {
		span := hi - lo + 1
		if span <= 0 || span > math.MaxInt32 {
			span = math.MaxInt32
		}
		v = lo + int64(g.r.intn(int(span)))
	}
	if m := s.multipleOf; m >= 1 && m == math.Trunc(m) {
		mi := int64(m)
		v = v / mi * mi
		if lo, hi, ok := intRange(s); ok {
			for v < lo {
				v += mi
			}
			if v > hi {
				v -= mi
			}
		}
	}
	return v
}

// number appends a plausible number (two decimals) inside the schema's range.
func (g *gen) number(dst []byte, s *schema, name string) []byte {
	var v float64
	switch nameKind(name) {
	case kAmount:
		v = 10 + 240*g.r.float()
	case kQuantity:
		v = float64(g.r.between(1, 4))
	case kAge:
		v = float64(g.r.between(18, 85))
	case kDuration:
		v = float64(15 * g.r.between(1, 4))
	default:
		v = 100 * g.r.float()
	}
	v = math.Round(v*100) / 100
	lo, hi := s.min, s.max
	if !math.IsNaN(lo) || !math.IsNaN(hi) {
		if math.IsNaN(lo) {
			lo = math.Min(0, hi-100)
		}
		if math.IsNaN(hi) {
			hi = lo + 100
		}
		inside := func(x float64) bool {
			return (x > lo || (!s.exMin && x == lo)) && (x < hi || (!s.exMax && x == hi))
		}
		if !inside(v) {
			v = math.Round((lo+(hi-lo)*(0.05+0.9*g.r.float()))*100) / 100
			if !inside(v) {
				v = (lo + hi) / 2
			}
		}
	}
	if m := s.multipleOf; m > 0 {
		v = math.Round(v/m) * m
		return strconv.AppendFloat(dst, v, 'f', decimals(m), 64)
	}
	return strconv.AppendFloat(dst, v, 'f', -1, 64)
}

// decimals is how many decimals a multipleOf step needs.
func decimals(m float64) int {
	for d := 0; d < 10; d++ {
		if math.Abs(m*math.Pow10(d)-math.Round(m*math.Pow10(d))) < 1e-9 {
			return d
		}
	}
	return -1
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

// byName is a string chosen by the property name, from the call's data.
func (g *gen) byName(name string) string {
	p := g.p
	switch nameKind(name) {
	case kEmail:
		return p.Persona.Email
	case kOrder:
		return g.c.order
	case kTicket:
		var b [16]byte
		return string(g.r.digits(append(b[:0], "TCK-"...), 6, 1))
	case kBirth:
		return g.birthDate()
	case kDateTime:
		return g.dateTime()
	case kFirstName:
		return p.Persona.FirstName
	case kLastName:
		return p.Persona.LastName
	case kPhone:
		return g.phone()
	case kDate:
		return g.c.apptDay.Format(time.DateOnly)
	case kTime:
		return clock(g.c.apptMin)
	case kCity:
		return p.Persona.City
	case kPostcode:
		return g.c.postcodeText()
	case kAddress:
		return g.c.address()
	case kCountry:
		if g.lb.lang == "nl" {
			return "Nederland"
		}
		return "Netherlands"
	case kReason:
		return g.r.pick(g.ib.notes).fill(g.v)
	case kAction:
		return g.r.pick(g.ib.actions).fill(g.v)
	case kQuery:
		if g.r.chance(0.7) {
			return p.Persona.Name()
		}
		return g.phone()
	case kCompany:
		return p.Persona.Company
	case kName:
		return p.Persona.Name()
	case kLang:
		return g.lb.lang
	case kURL:
		return g.url()
	case kID:
		return g.r.f.UUID()
	case kTopic:
		return g.ib.topic
	case kAmount:
		return strconv.FormatFloat(math.Round((10+240*g.r.float())*100)/100, 'f', 2, 64)
	case kQuantity:
		return strconv.Itoa(g.r.between(1, 4))
	case kAge:
		return strconv.Itoa(g.r.between(18, 85))
	case kDuration:
		return strconv.Itoa(15 * g.r.between(1, 4))
	case kYear:
		return strconv.Itoa(g.c.apptDay.Year())
	case kHouseNo:
		return strconv.Itoa(g.c.houseNo)
	}
	return g.r.pickString(g.lb.words)
}

// kind is what a property name says its value is.
type kind uint8

const (
	kGeneric kind = iota
	kEmail
	kOrder
	kTicket
	kBirth
	kDateTime
	kFirstName
	kLastName
	kPhone
	kDate
	kTime
	kCity
	kPostcode
	kAddress
	kCountry
	kReason
	kAction
	kQuery
	kCompany
	kName
	kLang
	kURL
	kID
	kTopic
	kAmount
	kQuantity
	kAge
	kDuration
	kYear
	kHouseNo
	kService
)

// nameRules map words in a property name to a kind; the first rule with a
// match wins. A rule word matches a whole word of the name (or all its words
// run together), or, when it ends in '*', any word that starts with it; a
// word starting with '=' matches only the name's last word ("customer_id").
var nameRules = []struct {
	k     kind
	words []string
}{
	{kEmail, []string{"email*", "mail", "emailadres", "mailadres", "e-mail"}},
	{kOrder, []string{"order*", "bestel*", "tracking*", "zending*", "pakket*"}},
	{kTicket, []string{"ticket*", "case", "dossier*", "klachtnummer"}},
	{kBirth, []string{"birth*", "geboorte*", "dob", "birthday"}},
	{kID, []string{"=id", "=uuid", "=guid"}},
	{kDateTime, []string{"datetime", "timestamp", "at", "tijdstempel", "start", "starts"}},
	{kFirstName, []string{"firstname", "first", "voornaam", "given", "givenname", "roepnaam"}},
	{kLastName, []string{"lastname", "last", "achternaam", "surname", "family", "familyname"}},
	{kHouseNo, []string{"housenumber", "huisnummer", "house", "huisnr"}},
	{kPhone, []string{"phone*", "telefoon*", "tel", "telnr", "mobile", "mobiel*", "gsm", "caller", "msisdn", "number", "nummer", "nr"}},
	{kDate, []string{"date", "datum", "day", "dag", "afspraakdatum", "leverdatum"}},
	{kTime, []string{"time", "tijd", "tijdstip", "slot*", "hour", "uur", "starttijd", "begintijd"}},
	{kCity, []string{"city", "plaats", "woonplaats", "stad", "town", "gemeente", "locality"}},
	{kPostcode, []string{"postcode", "zip", "zipcode", "postal", "postalcode"}},
	{kAddress, []string{"address", "adres", "street", "straat", "straatnaam", "huisadres"}},
	{kCountry, []string{"country", "land"}},
	{kAction, []string{"task", "taak", "action", "actie", "todo"}},
	{kReason, []string{"reason", "reden", "description", "omschrijving", "beschrijving", "message", "bericht", "note", "notes",
		"notitie", "opmerking*", "remark*", "details", "detail", "complaint", "klacht", "issue", "problem", "probleem",
		"summary", "samenvatting", "subject", "onderwerp", "comment*", "toelichting", "text", "tekst", "question", "vraag", "request", "verzoek"}},
	{kQuery, []string{"query", "search", "zoek*", "q", "term", "zoekterm", "lookup"}},
	{kCompany, []string{"company", "bedrijf*", "organisation", "organization", "organisatie", "firma", "employer", "werkgever"}},
	{kName, []string{"name", "naam", "fullname", "contact", "customer", "klant", "klantnaam", "caller_name", "patient", "patiënt"}},
	{kLang, []string{"language", "lang", "taal", "locale"}},
	{kURL, []string{"url", "uri", "website", "link", "webpage"}},
	{kTopic, []string{"intent", "topic", "category", "categorie"}},
	{kService, []string{"service", "dienst", "behandeling", "treatment", "product", "type", "soort"}},
	{kAmount, []string{"amount", "bedrag", "price", "prijs", "total", "totaal", "cost", "kosten"}},
	{kQuantity, []string{"quantity", "aantal", "count", "qty", "persons", "personen", "people", "guests", "gasten"}},
	{kAge, []string{"age", "leeftijd"}},
	{kDuration, []string{"duration", "duur", "minutes", "minuten"}},
	{kYear, []string{"year", "jaar"}},
}

// nameKind classifies a property name by its words (camelCase, snake_case
// and kebab-case are split; Dutch compounds are listed whole).
func nameKind(name string) kind {
	ws := words(name)
	if len(ws) == 0 {
		return kGeneric
	}
	joined := strings.Join(ws, "")
	for _, r := range nameRules {
		for _, w := range r.words {
			if wordMatch(ws, joined, w) {
				return r.k
			}
		}
	}
	return kGeneric
}

func wordMatch(ws []string, joined, w string) bool {
	if last, ok := strings.CutPrefix(w, "="); ok {
		return ws[len(ws)-1] == last
	}
	if prefix, ok := strings.CutSuffix(w, "*"); ok {
		if strings.HasPrefix(joined, prefix) {
			return true
		}
		for _, x := range ws {
			if strings.HasPrefix(x, prefix) {
				return true
			}
		}
		return false
	}
	if joined == w {
		return true
	}
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}
