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
	// NeedTicketStatus looks an existing ticket up (lookup_ticket,
	// ticket_status); registering one is NeedTicket.
	NeedTicketStatus = "ticket-status"
)

// actionNeeds are the needs whose planned assistant line states what a
// business system did or holds (found the caller, a free slot, a booking, an
// order's status, a ticket, a passed-on request): without a tool that served
// the need, the assistant says it cannot do that instead. Opening hours and
// an e-mail address are things an assistant may know or ask without a tool.
var actionNeeds = map[string]bool{
	NeedContact: true, NeedAvailability: true, NeedBooking: true, NeedReschedule: true,
	NeedOrder: true, NeedTicket: true, NeedCallback: true, NeedTicketStatus: true,
}

// needKeywords are matched, lower-cased, against tool names and then
// descriptions, tier by tier: a later tier is tried only when no tool matches
// an earlier one.
var needKeywords = map[string][][]string{
	NeedContact:      {{"contact", "customer", "klant", "crm", "caller"}},
	NeedAvailability: {{"availab", "slot", "beschikba", "agenda"}},
	NeedBooking:      {{"book", "appointment", "afspraak", "reserv"}},
	NeedReschedule:   {{"reschedul", "verzet", "verplaats", "move_appointment", "change_appointment"}, {"appointment", "afspraak", "book"}},
	NeedOrder:        {{"order", "bestelling", "shipment", "tracking", "zending", "pakket"}},
	NeedTicket:       {{"ticket", "complaint", "klacht", "case", "issue"}},
	NeedCallback:     {{"callback", "call_back", "terugbel"}, {"send_task", "task", "message"}},
	NeedHours:        {{"hours", "opening", "openingstijd"}},
	NeedEmail:        {{"email", "e-mail"}, {"mail"}},
	NeedTicketStatus: {{"lookup_ticket", "get_ticket", "find_ticket", "check_ticket", "ticket_status", "ticketstatus",
		"ticket_lookup", "lookup_case", "get_case", "case_status", "look up a ticket", "ticket opzoeken", "status van een ticket"}},
}

// MatchTools returns the declared function tools that serve the need, in
// declaration order: for the first keyword tier that matches anything, the
// tools whose name matches or, when no name does, those whose description
// does. Built-in tools (end_call, transfer_call) never match, nor a
// cancellation tool a booking, move or availability check (needExclude).
func MatchTools(need string, tools []Tool) []Tool {
	for _, words := range needKeywords[need] {
		match := func(text string) bool {
			text = strings.ToLower(text)
			for _, w := range words {
				if strings.Contains(text, w) {
					return true
				}
			}
			return false
		}
		var byName, byDesc []Tool
		for _, t := range tools {
			if t.Builtin != "" || excludedFor(need, t) {
				continue
			}
			if match(t.Name) {
				byName = append(byName, t)
			} else if match(t.Description) {
				byDesc = append(byDesc, t)
			}
		}
		if len(byName) > 0 {
			return byName
		}
		if len(byDesc) > 0 {
			return byDesc
		}
	}
	return nil
}
