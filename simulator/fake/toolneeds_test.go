package fake

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// A tool serves the needs its name names; its description counts only when
// the name names none ("free appointment times" makes no booking tool).
func TestToolNeedsPreferTheName(t *testing.T) {
	tests := []struct {
		tool simulator.Tool
		want uint16
	}{
		{simulator.Tool{Name: "check_availability", Description: "Vrije afspraaktijden op een dag"}, availBit},
		{simulator.Tool{Name: "get_free_slots", Description: "Free slots on the next business days"}, availBit},
		{simulator.Tool{Name: "book_appointment", Description: "Boek een afspraak op een aangeboden tijd"}, bookingBits},
		{simulator.Tool{Name: "plan_it", Description: "Book an appointment"}, bookingBits},
	}
	for _, tc := range tests {
		t.Run(tc.tool.Name, func(t *testing.T) {
			got := toolNeeds(tc.tool)
			assert.Equal(t, tc.want, got&(availBit|bookingBits))
		})
	}
}
