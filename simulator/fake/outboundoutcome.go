package fake

import "github.com/flireo-sim/flireo-sim/simulator"

// outboundKeyNeeds are, per outbound intent, the needs whose failure leaves
// the reason of the call unhandled (its flows use one or another of them).
var outboundKeyNeeds = map[simulator.Intent][]string{
	simulator.AppointmentReminder:     {simulator.NeedBooking, simulator.NeedReschedule},
	simulator.AppointmentConfirmation: {simulator.NeedBooking},
	simulator.TicketFollowUp:          {simulator.NeedTicketStatus, simulator.NeedTicket},
	simulator.RequestedCallback:       {simulator.NeedOrder, simulator.NeedBooking, simulator.NeedTicket},
}

// keyBits is the set of needs (bits) whose failure leaves the intent's
// request unhandled.
func keyBits(in simulator.Intent) uint16 {
	bits := needBit(keyNeed[in])
	for _, n := range outboundKeyNeeds[in] {
		bits |= needBit(n)
	}
	return bits
}

// booksAppointment reports whether a handled call of the intent made, moved
// or fixed an appointment.
func booksAppointment(in simulator.Intent) bool {
	switch in {
	case simulator.BookAppointment, simulator.Reschedule, simulator.AppointmentConfirmation:
		return true
	}
	return false
}
