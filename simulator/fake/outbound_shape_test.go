package fake

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// assertOutboundShape checks the needs of the outbound intents' flows: the
// callee answers the phone first (no need), then the steps of the call's
// reason.
func assertOutboundShape(t *testing.T, p *simulator.CallPlan, ns []string) {
	t.Helper()
	if len(p.Turns) > 0 {
		assert.Empty(t, p.Turns[0].Need, "the callee answers the phone first")
	}
	switch p.Intent {
	case simulator.AppointmentReminder:
		// Confirms the appointment, or moves it after asking for free slots.
		confirm := slices.Equal(ns, []string{simulator.NeedBooking})
		move := len(ns) >= 2 && slices.Equal(ns[:2], []string{simulator.NeedAvailability, simulator.NeedReschedule})
		assert.True(t, confirm || move, "needs %v", ns)
	case simulator.AppointmentConfirmation:
		assert.Contains(t, ns, simulator.NeedBooking)
		assert.NotContains(t, ns, simulator.NeedReschedule)
	case simulator.TicketFollowUp:
		assert.NotEmpty(t, ns)
		assert.Equal(t, simulator.NeedTicketStatus, ns[0], "the ticket is looked up first")
	case simulator.RequestedCallback:
		assert.NotEmpty(t, ns)
	default:
		t.Errorf("intent %s has no expected shape", p.Intent)
	}
}
