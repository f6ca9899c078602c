package simulator

import (
	"fmt"
	"strings"

	"github.com/flireo-sim/flireo-sim/internal/suggest"
)

// IntentNames lists the names of the built-in intents.
func IntentNames() []string {
	names := make([]string, len(Intents))
	for i, x := range Intents {
		names[i] = string(x)
	}
	return names
}

// IntentHint is " (did you mean X?)" for the built-in intent nearest to a
// name that is none, or "" when none is near.
func IntentHint(name string) string { return suggest.Hint(name, IntentNames()) }

// outboundIntents are the intents of calls the assistant places: the
// platform detects voicemail on outbound calls only (spec §2.3, voicemail
// detection), and reminders, confirmations, follow-ups and requested
// callbacks are why a business calls its customer. Every other intent is a
// customer's reason to call (inbound and web calls).
var outboundIntents = map[Intent]bool{
	Voicemail: true, AppointmentReminder: true, AppointmentConfirmation: true, TicketFollowUp: true, RequestedCallback: true,
}

// IntentDirection is the direction of the calls an intent belongs to:
// Outbound for the outbound intents, else Inbound (web calls take the
// inbound intents too).
func IntentDirection(i Intent) Direction {
	if outboundIntents[i] {
		return Outbound
	}
	return Inbound
}

// IntentFits reports whether the intent can be the intent of a call in
// direction d ("" fits every intent).
func IntentFits(i Intent, d Direction) bool {
	switch d {
	case "":
		return true
	case Outbound:
		return outboundIntents[i]
	}
	return !outboundIntents[i]
}

// IntentsFor lists the built-in intents of calls in direction d, in the
// order of Intents ("" lists them all).
func IntentsFor(d Direction) []Intent {
	var out []Intent
	for _, i := range Intents {
		if IntentFits(i, d) {
			out = append(out, i)
		}
	}
	return out
}

// IntentNamesFor lists the names of IntentsFor(d).
func IntentNamesFor(d Direction) []string {
	var out []string
	for _, i := range IntentsFor(d) {
		out = append(out, string(i))
	}
	return out
}

// IntentMismatch is the error for a built-in intent asked for on a call of
// a direction it does not fit, naming the intents that do; nil when it fits
// or is no built-in intent (ParseIntent says so).
func IntentMismatch(i Intent, d Direction) error {
	if _, known := ParseIntent(string(i)); !known || IntentFits(i, d) {
		return nil
	}
	article := "an"
	if d == Web {
		article = "a"
	}
	return fmt.Errorf("intent %q is for %s calls, not %s ones: %s %s call takes one of %s",
		i, IntentDirection(i), d, article, d, strings.Join(IntentNamesFor(d), ", "))
}
