package realism

import (
	"fmt"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Amsterdam on machines without a zone database

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// CheckBookings checks every booking tool call: its date and time is one
// the server offered earlier in the call (in any tool result, in any
// shape: a slot list, a sentence, date-times), and it is not before the
// time of the call: the later of the time the tool-calls event states and
// the time it was sent (a call happens when it is played, or at
// Options.Clock); a booking time without an offset is read in Options.Zone.
func CheckBookings(res *sim.CallResult, o Options) []Violation {
	zone := o.Zone
	if zone == nil {
		zone = amsterdam()
	}
	sent := map[int]time.Time{}
	for _, s := range stampedExchanges(res, o) {
		sent[s.x.Seq] = s.now
	}
	var out []Violation
	answers := toolAnswers(res)
	for _, a := range answers {
		if a.kind != kindBooking {
			continue
		}
		var offered []slot
		for _, b := range answers {
			if b.x.Seq < a.x.Seq && b.result != nil {
				offered = append(offered, offeredSlots(b.result.Result)...)
				offered = append(offered, textSlots(b.result.Error, "")...)
			}
		}
		out = append(out, checkBooking(a, offered, zone, sent[a.x.Seq])...)
	}
	return out
}

func checkBooking(a answered, offered []slot, zone *time.Location, sent time.Time) []Violation {
	s, ok := bookingSlot(a.call.Arguments)
	if !ok {
		return []Violation{{Unoffered, a.x.Seq, fmt.Sprintf("%s(%s) names no date and time", a.call.Name, a.call.Arguments)}}
	}
	var out []Violation
	if !containsSlot(offered, s) {
		out = append(out, Violation{Unoffered, a.x.Seq, fmt.Sprintf("%s books %s, which the server did not offer in this call (offered: %s)", a.call.Name, s, slotList(offered))})
	}
	at, err := time.ParseInLocation("2006-01-02 15:04", s.String(), zone)
	if err != nil {
		return append(out, Violation{PastBooking, a.x.Seq, fmt.Sprintf("%s books %s, which is no date and time", a.call.Name, s)})
	}
	now := readTimes(a.x.Request.Body).event
	if now.IsZero() {
		now = a.x.At
	}
	if sent.After(now) {
		now = sent
	}
	if at.Before(now) {
		out = append(out, Violation{PastBooking, a.x.Seq, fmt.Sprintf("%s books %s (%s), %s before the time of the call %s", a.call.Name, s, zone, now.Sub(at).Round(time.Minute), stamp(now))})
	}
	return out
}

func containsSlot(list []slot, s slot) bool {
	for _, o := range list {
		if o == s {
			return true
		}
	}
	return false
}

func slotList(list []slot) string {
	if len(list) == 0 {
		return "none"
	}
	parts := make([]string, 0, len(list))
	for i, s := range list {
		if i == 8 {
			parts = append(parts, fmt.Sprintf("… %d more", len(list)-i))
			break
		}
		parts = append(parts, s.String())
	}
	return strings.Join(parts, ", ")
}

func amsterdam() *time.Location {
	if l, err := time.LoadLocation("Europe/Amsterdam"); err == nil {
		return l
	}
	return time.UTC
}

// Booked reports whether a booking tool result confirmed a booking in the
// call.
func Booked(res *sim.CallResult) bool {
	for _, a := range toolAnswers(res) {
		if a.kind == kindBooking && a.outcome() == outcomePositive {
			return true
		}
	}
	return false
}

// CanBook reports whether the call's assistant declared a booking tool.
func CanBook(res *sim.CallResult) bool {
	if res.Config == nil {
		return false
	}
	for _, t := range res.Config.Tools {
		if t.Builtin == "" && toolKind(t.Name) == kindBooking {
			return true
		}
	}
	return false
}
