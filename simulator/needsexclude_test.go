package simulator_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// A booking, a move or an availability check never calls a cancellation
// tool, though its name matches their keywords.
func TestMatchToolsLeavesCancellationOut(t *testing.T) {
	tools := []sim.Tool{
		{Name: "check_availability", Description: "Vrije afspraaktijden"},
		{Name: "book_appointment"},
		{Name: "cancel_appointment"},
		{Name: "annuleer_afspraak"},
	}
	names := func(ts []sim.Tool) []string {
		out := []string{}
		for _, t := range ts {
			out = append(out, t.Name)
		}
		return out
	}
	tests := []struct {
		need string
		want []string
	}{
		{sim.NeedBooking, []string{"book_appointment"}},
		{sim.NeedReschedule, []string{"book_appointment"}},
		{sim.NeedAvailability, []string{"check_availability"}},
	}
	for _, tc := range tests {
		t.Run(tc.need, func(t *testing.T) {
			assert.Equal(t, tc.want, names(sim.MatchTools(tc.need, tools)))
		})
	}
}
