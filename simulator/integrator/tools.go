package integrator

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
)

// toolSpec is one tool of the catalogue: its declaration and its handler.
type toolSpec struct {
	Name          string
	Description   string
	Parameters    json.RawMessage // JSON Schema of the arguments
	AsyncResponse string          // non-empty: the tool is async and the agent says this
	Handle        func(args json.RawMessage, ev *event) (toolOutput, error)
}

// toolOutput is a tool's answer: Value for the object-result formats (G2,
// G3), Text for the legacy string results (G1).
type toolOutput struct {
	Value map[string]any
	Text  string
}

// toolAnswer is the answer to one tool call id; Err non-empty makes it an
// error entry.
type toolAnswer struct {
	ID  string
	Out toolOutput
	Err string
}

// toolCatalogue is what the assistant declares and the server answers. Every
// result is a deterministic function of the arguments.
var toolCatalogue = []toolSpec{
	{
		Name:        "lookup_contact",
		Description: "Zoek een klant op naam, telefoonnummer of e-mailadres (look up a contact)",
		Parameters: json.RawMessage(`{"type":"object","properties":{
			"query":{"type":"string","description":"Naam, telefoonnummer of e-mailadres van de klant"}},
			"required":["query"]}`),
		Handle: lookupContact,
	},
	{
		Name:        "check_availability",
		Description: "Geef de vrije tijdsloten voor afspraken op een datum (check availability)",
		Parameters: json.RawMessage(`{"type":"object","properties":{
			"date":{"type":"string","format":"date","description":"Datum, JJJJ-MM-DD"}},
			"required":["date"]}`),
		Handle: checkAvailability,
	},
	{
		Name:        "book_appointment",
		Description: "Maak een afspraak voor de beller (book an appointment)",
		Parameters: json.RawMessage(`{"type":"object","properties":{
			"name":{"type":"string","description":"Volledige naam van de beller"},
			"date":{"type":"string","format":"date","description":"Datum, JJJJ-MM-DD"},
			"time":{"type":"string","format":"time","description":"Tijd, UU:MM"},
			"email":{"type":"string","format":"email","description":"E-mailadres voor de bevestiging"},
			"reason":{"type":"string","description":"Reden van de afspraak"}},
			"required":["name","date","time"]}`),
		Handle: bookAppointment,
	},
	{
		Name:        "lookup_order",
		Description: "Geef de status en verwachte levering van een bestelling (look up an order)",
		Parameters: json.RawMessage(`{"type":"object","properties":{
			"order_id":{"type":"string","description":"Bestelnummer"}},
			"required":["order_id"]}`),
		Handle: lookupOrder,
	},
	{
		Name:        "create_ticket",
		Description: "Registreer een klacht of probleem als ticket (create a support ticket)",
		Parameters: json.RawMessage(`{"type":"object","properties":{
			"description":{"type":"string","description":"Omschrijving van de klacht of het probleem"},
			"severity":{"type":"string","enum":["low","medium","high"],"description":"Urgentie"}},
			"required":["description"]}`),
		Handle: createTicket,
	},
	{
		Name:        "request_callback",
		Description: "Laat een medewerker de beller terugbellen (request a callback)",
		Parameters: json.RawMessage(`{"type":"object","properties":{
			"phone":{"type":"string","description":"Telefoonnummer om terug te bellen"},
			"preferred_time":{"type":"string","description":"Voorkeurstijd voor het terugbellen"}}}`),
		AsyncResponse: "Ik zorg dat u wordt teruggebeld.",
		Handle:        requestCallback,
	},
	{
		Name:        "get_opening_hours",
		Description: "Geef de openingstijden van " + businessName + " (opening hours)",
		Parameters:  json.RawMessage(`{"type":"object","properties":{}}`),
		Handle:      openingHours,
	},
}

// legacyTools are answered but not declared: the task the legacy
// documentation uses as its tool-calls example.
var legacyTools = []toolSpec{
	{Name: "send_task", Handle: sendTask},
}

func findTool(name string) (toolSpec, bool) {
	for _, list := range [][]toolSpec{toolCatalogue, legacyTools} {
		for _, t := range list {
			if t.Name == name {
				return t, true
			}
		}
	}
	return toolSpec{}, false
}

// answerTools answers every tool call of the event, one answer per id, in
// the order asked.
func answerTools(ev *event) []toolAnswer {
	out := make([]toolAnswer, 0, len(ev.Tools))
	for _, tc := range ev.Tools {
		a := toolAnswer{ID: tc.ID}
		t, ok := findTool(tc.Name)
		if !ok {
			names := make([]string, len(toolCatalogue))
			for i, t := range toolCatalogue {
				names[i] = t.Name
			}
			a.Err = fmt.Sprintf("unknown tool %q: this server answers %s", tc.Name, strings.Join(names, ", "))
		} else if o, err := t.Handle(tc.Args, ev); err != nil {
			a.Err = fmt.Sprintf("%s: %v", tc.Name, err)
		} else {
			a.Out = o
		}
		out = append(out, a)
	}
	return out
}

// renderToolResults spells the answers as {"results": [...]}: tool_call_id
// (G3) or toolCallId (G2, G1), object results (G2, G3) or string results
// (G1). An error answer carries "error" in G2/G3 and an error text as the
// result string in G1, whose documentation knows only string results.
func renderToolResults(f format, answers []toolAnswer) map[string]any {
	idKey := "toolCallId"
	if f == formatG3 {
		idKey = "tool_call_id"
	}
	results := make([]any, 0, len(answers))
	for _, a := range answers {
		e := map[string]any{idKey: a.ID}
		switch {
		case f == formatG1 && a.Err != "":
			e["result"] = "Fout: " + a.Err
		case f == formatG1:
			e["result"] = a.Out.Text
		case a.Err != "":
			e["error"] = a.Err
		default:
			e["result"] = a.Out.Value
		}
		results = append(results, e)
	}
	return map[string]any{"results": results}
}

// decodeArgs reads tool arguments into dst; absent arguments are {}.
func decodeArgs(args json.RawMessage, dst any) error {
	if len(args) == 0 {
		return nil
	}
	d := json.NewDecoder(bytes.NewReader(args))
	if err := d.Decode(dst); err != nil {
		return fmt.Errorf("arguments do not match the declared parameters: %v", err)
	}
	return nil
}

// code is a stable number below mod derived from the parts.
func code(mod uint32, parts ...string) uint32 {
	h := fnv.New32a()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return h.Sum32() % mod
}

func lookupContact(args json.RawMessage, _ *event) (toolOutput, error) {
	var a struct {
		Query string `json:"query"`
	}
	if err := decodeArgs(args, &a); err != nil {
		return toolOutput{}, err
	}
	q := strings.TrimSpace(a.Query)
	if q == "" {
		return toolOutput{}, errors.New(`"query" is required: a name, phone number or e-mail address`)
	}
	c, ok := findContact(q)
	if !ok {
		return toolOutput{
			Value: map[string]any{"found": false},
			Text:  "Geen klant gevonden voor '" + q + "'.",
		}, nil
	}
	return toolOutput{
		Value: map[string]any{"found": true, "name": c.Name(), "email": c.Email, "phone": c.Phone, "customer_tier": c.Tier, "crm_id": c.CRMID},
		Text:  fmt.Sprintf("Klant gevonden: %s, %s, %s, klantniveau %s.", c.Name(), c.Email, c.Phone, c.Tier),
	}, nil
}

// findContact matches a phone number exactly, or a name or e-mail address
// case- and accent-insensitively.
func findContact(q string) (contact, bool) {
	if c, ok := contactByPhone(q); ok {
		return c, true
	}
	fq := fold(q)
	if len(fq) < 3 {
		return contact{}, false
	}
	for _, c := range contactBook {
		if strings.Contains(fold(c.Name()), fq) || fold(c.Email) == fq {
			return c, true
		}
	}
	return contact{}, false
}

var foldReplacer = strings.NewReplacer("ë", "e", "é", "e", "è", "e", "ê", "e", "ï", "i", "í", "i", "ö", "o", "ó", "o", "ü", "u", "ú", "u", "á", "a", "à", "a", "ä", "a", "ç", "c", "ĳ", "ij")

func fold(s string) string {
	return foldReplacer.Replace(strings.ToLower(strings.Join(strings.Fields(s), " ")))
}

func parseDate(s string) (time.Time, error) {
	d, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
	if err != nil {
		return time.Time{}, fmt.Errorf("date %q is not a date in the form YYYY-MM-DD", s)
	}
	return d, nil
}

// slotsOn are the free appointment slots on a day: none on Sunday, two on
// Saturday, and on weekdays four of five slots, which one is taken varying
// with the date.
func slotsOn(d time.Time) []string {
	switch d.Weekday() {
	case time.Sunday:
		return []string{}
	case time.Saturday:
		return []string{"10:00", "11:30"}
	}
	all := []string{"09:00", "10:30", "13:00", "14:30", "16:00"}
	taken := d.YearDay() % len(all)
	return slices.Delete(slices.Clone(all), taken, taken+1)
}

// checkAvailability answers the free slots of the day asked, as seen at the
// moment of the request. A day in the past, or without free slots, is
// unavailable and comes with the next day that has free slots; without a
// date it answers that next day from the request on.
func checkAvailability(args json.RawMessage, ev *event) (toolOutput, error) {
	var a struct {
		Date string `json:"date"`
	}
	if err := decodeArgs(args, &a); err != nil {
		return toolOutput{}, err
	}
	ag := agendaAt(ev)
	if strings.TrimSpace(a.Date) == "" && !ag.today().IsZero() {
		a.Date = ag.today().Format(time.DateOnly)
	}
	d, err := parseDate(a.Date)
	if err != nil {
		return toolOutput{}, err
	}
	date := d.Format(time.DateOnly)
	slots := ag.free(d)
	v := map[string]any{"date": date, "available": len(slots) > 0, "slots": slots}
	var text string
	switch {
	case len(slots) > 0:
		text = "Op " + date + " zijn deze tijden vrij: " + strings.Join(slots, ", ") + "."
	case ag.past(d):
		text = date + " ligt in het verleden."
	default:
		text = "Op " + date + " zijn we gesloten of volgeboekt; er zijn geen tijden vrij."
	}
	if len(slots) == 0 {
		if nd, ns := ag.next(d); len(ns) > 0 {
			nds := nd.Format(time.DateOnly)
			v["next_available"] = map[string]any{"date": nds, "slots": ns}
			text += " Eerstvolgende vrije dag: " + nds + " om " + strings.Join(ns, ", ") + "."
		}
	}
	return toolOutput{Value: v, Text: text}, nil
}

func bookAppointment(args json.RawMessage, ev *event) (toolOutput, error) {
	var a struct {
		Name   string `json:"name"`
		Date   string `json:"date"`
		Time   string `json:"time"`
		Email  string `json:"email"`
		Reason string `json:"reason"`
	}
	if err := decodeArgs(args, &a); err != nil {
		return toolOutput{}, err
	}
	name := strings.TrimSpace(a.Name)
	if name == "" {
		return toolOutput{}, errors.New(`"name" is required`)
	}
	d, err := parseDate(a.Date)
	if err != nil {
		return toolOutput{}, err
	}
	tm, err := parseClock(a.Time)
	if err != nil {
		return toolOutput{}, err
	}
	date := d.Format(time.DateOnly)
	if out, refused := refuseBooking(agendaAt(ev), d, tm); refused {
		return out, nil
	}
	conf := fmt.Sprintf("AFS-%05d", code(100000, fold(name), date, tm))
	v := map[string]any{"confirmed": true, "confirmation": conf, "date": date, "time": tm, "name": name}
	text := fmt.Sprintf("Afspraak bevestigd voor %s op %s om %s, bevestigingsnummer %s.", name, date, tm, conf)
	if e := strings.TrimSpace(a.Email); e != "" {
		v["email"] = e
		text += " De bevestiging is gemaild naar " + e + "."
	}
	if r := strings.TrimSpace(a.Reason); r != "" {
		v["reason"] = r
	}
	return toolOutput{Value: v, Text: text}, nil
}

// refuseBooking is the answer to a booking the agenda cannot take: a day in
// the past, or a time that is not one of the day's free slots. The answer
// says why and which times are free instead (that day, or the next day with
// free slots).
func refuseBooking(ag agenda, d time.Time, tm string) (toolOutput, bool) {
	date := d.Format(time.DateOnly)
	slots := ag.free(d)
	var reason string
	switch {
	case ag.past(d):
		reason = date + " ligt in het verleden"
	case !slices.Contains(slots, tm):
		reason = tm + " op " + date + " is niet vrij"
	default:
		return toolOutput{}, false
	}
	v := map[string]any{"confirmed": false, "reason": reason, "requested_date": date, "requested_time": tm}
	text := "Afspraak niet gemaakt: " + reason + "."
	altDay := d
	if len(slots) == 0 {
		altDay, slots = ag.next(d)
	}
	if len(slots) > 0 {
		alt := altDay.Format(time.DateOnly)
		v["available"] = map[string]any{"date": alt, "slots": slots}
		text += " Vrij op " + alt + ": " + strings.Join(slots, ", ") + "."
	}
	return toolOutput{Value: v, Text: text}, true
}

// parseClock accepts HH:MM and HH:MM:SS (JSON Schema "time", with or
// without seconds and zone) and returns HH:MM.
func parseClock(s string) (string, error) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{"15:04", "15:04:05", "15:04:05Z07:00", "15:04:05.999999999Z07:00"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("15:04"), nil
		}
	}
	return "", fmt.Errorf("time %q is not a time in the form HH:MM", s)
}

var orderStates = []struct{ Status, ETA string }{
	{"in behandeling", "binnen 3 werkdagen"},
	{"verzonden", "binnen 2 werkdagen"},
	{"onderweg", "morgen"},
	{"bezorgd", "al bezorgd"},
}

func lookupOrder(args json.RawMessage, _ *event) (toolOutput, error) {
	var a struct {
		OrderID string `json:"order_id"`
	}
	if err := decodeArgs(args, &a); err != nil {
		return toolOutput{}, err
	}
	id := strings.TrimSpace(a.OrderID)
	if id == "" {
		return toolOutput{}, errors.New(`"order_id" is required`)
	}
	st := orderStates[code(uint32(len(orderStates)), strings.ToUpper(id))]
	return toolOutput{
		Value: map[string]any{"order_id": id, "found": true, "status": st.Status, "eta": st.ETA},
		Text:  fmt.Sprintf("Bestelling %s is %s; levering %s.", id, st.Status, st.ETA),
	}, nil
}

func createTicket(args json.RawMessage, _ *event) (toolOutput, error) {
	var a struct {
		Description string `json:"description"`
		Severity    string `json:"severity"`
	}
	if err := decodeArgs(args, &a); err != nil {
		return toolOutput{}, err
	}
	desc := strings.TrimSpace(a.Description)
	if desc == "" {
		return toolOutput{}, errors.New(`"description" is required`)
	}
	sev := strings.ToLower(strings.TrimSpace(a.Severity))
	switch sev {
	case "":
		sev = "medium"
	case "low", "medium", "high":
	default:
		return toolOutput{}, fmt.Errorf("severity %q is not one of low, medium, high", a.Severity)
	}
	id := fmt.Sprintf("TCK-%06d", code(1000000, desc, sev))
	return toolOutput{
		Value: map[string]any{"ticket_id": id, "severity": sev, "status": "open"},
		Text:  fmt.Sprintf("Ticket %s aangemaakt met urgentie %s.", id, sev),
	}, nil
}

func requestCallback(args json.RawMessage, ev *event) (toolOutput, error) {
	var a struct {
		Phone         string `json:"phone"`
		PreferredTime string `json:"preferred_time"`
	}
	if err := decodeArgs(args, &a); err != nil {
		return toolOutput{}, err
	}
	phone := strings.TrimSpace(a.Phone)
	if phone == "" {
		phone = ev.Caller
	}
	if phone == "" {
		return toolOutput{}, errors.New(`"phone" is required when the caller's number is unknown`)
	}
	v := map[string]any{"scheduled": true, "phone": phone, "message": "Ik zorg dat u wordt teruggebeld."}
	text := "Terugbelverzoek genoteerd voor " + phone
	if t := strings.TrimSpace(a.PreferredTime); t != "" {
		v["preferred_time"] = t
		text += " (" + t + ")"
	}
	return toolOutput{Value: v, Text: text + "."}, nil
}

func openingHours(json.RawMessage, *event) (toolOutput, error) {
	const text = "Maandag tot en met vrijdag 09:00-17:30, zaterdag 10:00-16:00, zondag gesloten."
	return toolOutput{
		Value: map[string]any{
			"hours": map[string]any{"maandag-vrijdag": "09:00-17:30", "zaterdag": "10:00-16:00", "zondag": "gesloten"},
			"text":  text,
		},
		Text: text,
	}, nil
}

func sendTask(args json.RawMessage, _ *event) (toolOutput, error) {
	var a struct {
		Message string `json:"message"`
	}
	if err := decodeArgs(args, &a); err != nil {
		return toolOutput{}, err
	}
	return toolOutput{
		Value: map[string]any{"received": true, "message": a.Message},
		Text:  "Bericht succesvol ontvangen, het team neemt contact op.",
	}, nil
}
