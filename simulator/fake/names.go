package fake

import (
	"math"
	"strconv"
	"time"
)

// nameKind classifies a property name by its words (Dutch compounds are
// listed whole).
func nameKind(name string) kind { return classify(nameRules, name) }

// byName is a string chosen by the property name, from the call's data;
// a name of no known kind gets a word of the language.
func (g *gen) byName(name string) string {
	if f := nameValues[nameKind(name)]; f != nil {
		return f(g)
	}
	return g.r.pickString(g.lb.words)
}

// nameValues is the value of each kind of name (nil: a word of the language).
var nameValues = [numKinds]func(g *gen) string{
	kEmail: func(g *gen) string { return g.p.Persona.Email },
	kOrder: func(g *gen) string { return g.c.order },
	kTicket: func(g *gen) string {
		var b [16]byte
		return string(g.r.digits(append(b[:0], "TCK-"...), 6, 1))
	},
	kBirth:     (*gen).birthDate,
	kDateTime:  (*gen).dateTime,
	kFirstName: func(g *gen) string { return g.p.Persona.FirstName },
	kLastName:  func(g *gen) string { return g.p.Persona.LastName },
	kPhone:     (*gen).phone,
	kDate:      func(g *gen) string { return g.c.apptDay.Format(time.DateOnly) },
	kTime:      func(g *gen) string { return clock(g.c.apptMin) },
	kCity:      func(g *gen) string { return g.p.Persona.City },
	kPostcode:  func(g *gen) string { return g.c.postcodeText() },
	kAddress:   func(g *gen) string { return g.c.address() },
	kCountry:   (*gen).country,
	kReason:    func(g *gen) string { return g.r.pick(g.ib.notes).fill(g.v) },
	kAction:    func(g *gen) string { return g.r.pick(g.ib.actions).fill(g.v) },
	kQuery:     (*gen).query,
	kCompany:   func(g *gen) string { return g.p.Persona.Company },
	kName:      func(g *gen) string { return g.p.Persona.Name() },
	kLang:      func(g *gen) string { return g.lb.lang },
	kURL:       (*gen).url,
	kID:        func(g *gen) string { return g.r.f.UUID() },
	kTopic:     func(g *gen) string { return g.ib.topic },
	kAmount: func(g *gen) string {
		return strconv.FormatFloat(math.Round((10+240*g.r.float())*100)/100, 'f', 2, 64)
	},
	kQuantity: func(g *gen) string { return strconv.Itoa(g.r.between(1, 4)) },
	kAge:      func(g *gen) string { return strconv.Itoa(g.r.between(18, 85)) },
	kDuration: func(g *gen) string { return strconv.Itoa(15 * g.r.between(1, 4)) },
	kYear:     func(g *gen) string { return strconv.Itoa(g.c.apptDay.Year()) },
	kHouseNo:  func(g *gen) string { return strconv.Itoa(g.c.houseNo) },
}

// country is the Netherlands in the call's language.
func (g *gen) country() string {
	if g.lb.lang == "nl" {
		return "Nederland"
	}
	return "Netherlands"
}

// query is what a caller is looked up by: usually the name, else the number.
func (g *gen) query() string {
	if g.r.chance(0.7) {
		return g.p.Persona.Name()
	}
	return g.phone()
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
	numKinds
)

// nameRules map words in a property name to a kind; the first rule with a
// match wins (see wordRule).
var nameRules = []wordRule[kind]{
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
