package realism

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// bookingCall is a book-appointment call whose assistant declares a booking
// tool and books at an offered time (ok) or at another one.
func bookingCall(ok bool) *sim.CallResult {
	b := newCall(base.Add(-40 * time.Second)) // the timeline ends when sent
	b.res.Config = &sim.AssistantConfig{Tools: []sim.Tool{{Name: "check_availability"}, {Name: "book_appointment"}}}
	b.tool(20*s, "check_availability", `{"date":"2027-03-04"}`, `{"date":"2027-03-04","slots":["09:00"]}`, "")
	at, result := "09:00", `{"confirmed":true}`
	if !ok {
		at, result = "10:00", `{"confirmed":false}`
	}
	b.tool(40*s, "book_appointment", `{"date":"2027-03-04","time":"`+at+`"}`, result, "")
	return b.res
}

func TestFigures(t *testing.T) {
	f := &Figures{Label: "sample"}
	for range 19 {
		f.Add(bookingCall(true), Options{})
	}
	assert.Empty(t, f.Problems(), "19 of 19 booked, nothing violated")
	f.Add(bookingCall(false), Options{})
	assert.Equal(t, 20, f.BookingCalls)
	assert.Equal(t, 19, f.Booked)
	assert.Equal(t, 1, f.Unoffered)
	assert.Equal(t, []string{"sample: 1 bookings at a time not offered; target 0"}, f.Problems(), "95% booked meets the target")
	f.Add(bookingCall(false), Options{})
	assert.Len(t, f.Problems(), 2, "19 of 21 is below 95%%: %v", f.Problems())

	other := &Figures{Label: "no tools"}
	other.Add(&sim.CallResult{Plan: &sim.CallPlan{Intent: sim.BookAppointment}}, Options{})
	assert.Zero(t, other.BookingCalls, "a call whose assistant cannot book is not a booking call")
	var out bytes.Buffer
	assert.NoError(t, WriteTable(&out, []*Figures{f, other}))
	assert.Contains(t, out.String(), "90.5%")
	assert.Contains(t, out.String(), "n/a")
	assert.Equal(t, 4, strings.Count(out.String(), "\n"))
}
