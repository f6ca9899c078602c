package simulator

import "strings"

// Needs are what a conversation turn asks the assistant's tools for. A plan's
// Turn.Need is one of these; the engine calls the declared tools whose name or
// description matches the need's keywords.
const (
	NeedContact      = "contact"      // identify the caller (lookup_contact)
	NeedAvailability = "availability" // free slots (check_availability)
	NeedBooking      = "booking"      // make an appointment (book_appointment)
	NeedReschedule   = "reschedule"   // move an appointment
	NeedOrder        = "order"        // order or shipment status (lookup_order)
	NeedTicket       = "ticket"       // register a complaint (create_ticket)
	NeedCallback     = "callback"     // leave a callback request or message (request_callback, send_task)
	NeedHours        = "hours"        // opening hours (get_opening_hours)
	NeedEmail        = "email"        // collect an e-mail address (ask_email)
)

// needKeywords are matched, lower-cased, against tool names and descriptions.
var needKeywords = map[string][]string{
	NeedContact:      {"contact", "customer", "klant", "crm", "caller"},
	NeedAvailability: {"availab", "slot", "beschikba", "agenda"},
	NeedBooking:      {"book", "appointment", "afspraak", "reserv"},
	NeedReschedule:   {"reschedul", "verzet", "verplaats", "move_appointment", "change_appointment"},
	NeedOrder:        {"order", "bestelling", "shipment", "tracking", "zending", "pakket"},
	NeedTicket:       {"ticket", "complaint", "klacht", "case", "issue"},
	NeedCallback:     {"callback", "call_back", "terugbel", "send_task", "task", "message"},
	NeedHours:        {"hours", "opening", "openingstijd"},
	NeedEmail:        {"email", "e-mail", "mail"},
}

// MatchTools returns the declared function tools that serve the need, in
// declaration order. Built-in tools (end_call, transfer_call) never match.
func MatchTools(need string, tools []Tool) []Tool {
	words := needKeywords[need]
	if len(words) == 0 {
		return nil
	}
	var out []Tool
	for _, t := range tools {
		if t.Builtin != "" {
			continue
		}
		name := strings.ToLower(t.Name)
		desc := strings.ToLower(t.Description)
		for _, w := range words {
			if strings.Contains(name, w) || (t.Name == "" && strings.Contains(desc, w)) {
				out = append(out, t)
				break
			}
		}
	}
	return out
}
