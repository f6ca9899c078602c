package realism

import (
	"encoding/json"
	"strings"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// kind is what a tool does, told from its name: integrators name their
// tools freely (book_appointment, maak_afspraak, reserveer_slot).
type kind int

const (
	kindOther kind = iota
	kindContact
	kindAvailability
	kindBooking
	kindCancel
)

func toolKind(name string) kind {
	n := strings.ToLower(name)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(n, w) {
				return true
			}
		}
		return false
	}
	switch {
	case has("cancel", "annuleer", "annuleren", "afzeg"):
		return kindCancel
	case has("avail", "slot", "free", "vrij", "beschikbaar", "agenda", "calendar"):
		return kindAvailability
	case has("book", "reserv", "schedule", "afspraak", "appointment", "inplannen"):
		return kindBooking
	case has("contact", "customer", "klant", "caller", "person", "crm"):
		return kindContact
	}
	return kindOther
}

// outcome says whether a tool result confirmed, refused or said neither.
type outcome int

const (
	outcomeNone     outcome = iota // no reply, an async tool, or a result that says neither
	outcomePositive                // found, confirmed, booked
	outcomeNegative                // not found, refused, an error
)

// answered is one tool call with its result (nil when no reply was used).
type answered struct {
	x      *sim.Exchange
	call   sim.ToolCall
	kind   kind
	result *sim.ToolResult
}

// toolAnswers are the call's tool calls in the order sent, each with the
// result that answered it.
func toolAnswers(res *sim.CallResult) []answered {
	var out []answered
	for _, x := range played(res) {
		for _, c := range x.ToolCalls {
			out = append(out, answered{x: x, call: c, kind: toolKind(c.Name), result: resultFor(x, c)})
		}
	}
	return out
}

func resultFor(x *sim.Exchange, c sim.ToolCall) *sim.ToolResult {
	if c.Async || x.Tools == nil || !x.ReplyUsed || x.Response.Failure != nil {
		return nil
	}
	for i := range x.Tools.Results {
		if r := &x.Tools.Results[i]; r.ID == c.ID {
			return r
		}
	}
	if len(x.Tools.Results) == 1 && len(x.ToolCalls) == 1 && x.Tools.Results[0].ID == "" {
		return &x.Tools.Results[0]
	}
	return nil
}

func (a answered) outcome() outcome {
	if a.result == nil {
		return outcomeNone
	}
	if strings.TrimSpace(a.result.Error) != "" {
		return outcomeNegative
	}
	var v any
	if json.Unmarshal(a.result.Result, &v) != nil {
		return outcomeNone
	}
	switch v := v.(type) {
	case string:
		return textOutcome(v)
	case map[string]any:
		return objectOutcome(v, a.kind)
	case nil:
		return outcomeNegative
	}
	return outcomeNone
}

// flagKeys are booleans that say whether a lookup or a booking worked.
var flagKeys = []string{"found", "confirmed", "booked", "success", "ok", "available", "scheduled", "exists"}

// referenceKeys name a booking reference or a found record.
var referenceKeys = []string{"confirmation", "confirmation_number", "confirmationNumber", "reference", "booking_reference", "bookingReference", "booking_id", "bookingId", "appointment_id", "appointmentId"}

var (
	positiveStatus = map[string]bool{"confirmed": true, "booked": true, "ok": true, "success": true, "scheduled": true, "found": true, "bevestigd": true}
	negativeStatus = map[string]bool{"refused": true, "rejected": true, "failed": true, "error": true, "unavailable": true, "not_found": true, "not found": true, "geweigerd": true}
)

// objectOutcome reads an object result by its structure: flags, a status,
// an error, a reference; a contact lookup that returns a record found it.
func objectOutcome(m map[string]any, k kind) outcome {
	if o := flagOutcome(m); o != outcomeNone {
		return o
	}
	if e, ok := m["error"]; ok && e != nil && e != "" && e != false {
		return outcomeNegative
	}
	if anyString(m, referenceKeys) {
		return outcomePositive
	}
	if k == kindContact {
		return contactOutcome(m)
	}
	return outcomeNone
}

// flagOutcome reads a boolean flag or a status word.
func flagOutcome(m map[string]any) outcome {
	for _, key := range flagKeys {
		if b, ok := m[key].(bool); ok {
			if b {
				return outcomePositive
			}
			return outcomeNegative
		}
	}
	s, _ := m["status"].(string)
	switch s = strings.ToLower(s); {
	case positiveStatus[s]:
		return outcomePositive
	case negativeStatus[s]:
		return outcomeNegative
	}
	return outcomeNone
}

// contactOutcome: a lookup that returns a record found the contact; a
// record that is null found none.
func contactOutcome(m map[string]any) outcome {
	if anyString(m, []string{"contact_id", "contactId", "customer_id", "id", "name", "email"}) {
		return outcomePositive
	}
	for _, key := range []string{"contact", "customer"} {
		if v, ok := m[key]; ok {
			if v == nil {
				return outcomeNegative
			}
			return outcomePositive
		}
	}
	return outcomeNone
}

// anyString reports whether m holds a non-empty string under one of keys.
func anyString(m map[string]any, keys []string) bool {
	for _, key := range keys {
		if s, ok := m[key].(string); ok && s != "" {
			return true
		}
	}
	return false
}

// textOutcome reads a string result (G1 results are strings).
func textOutcome(s string) outcome {
	switch {
	case claims(s, negativeWords):
		return outcomeNegative
	case claims(s, confirmWords) || claims(s, foundWords):
		return outcomePositive
	}
	return outcomeNone
}
