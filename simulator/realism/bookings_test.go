package realism

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestCheckBookings(t *testing.T) {
	// The call happens on Wednesday 2027-03-03 around 10:00 UTC (11:00 in
	// Amsterdam).
	start := base.Add(-2 * time.Minute)
	avail := func(b *callBuilder, result string) {
		b.tool(20*s, "check_availability", `{"date":"2027-03-04"}`, result, "")
	}
	book := func(b *callBuilder, name, args string) { b.tool(40*s, name, args, `{"confirmed":true}`, "") }
	tests := []struct {
		name  string
		build func(b *callBuilder)
		want  []Property
	}{
		{"offered as a slot list", func(b *callBuilder) {
			avail(b, `{"date":"2027-03-04","available":true,"slots":["09:00","10:30"]}`)
			book(b, "book_appointment", `{"name":"Jan","date":"2027-03-04","time":"10:30"}`)
		}, []Property{}},
		{"not offered", func(b *callBuilder) {
			avail(b, `{"date":"2027-03-04","available":true,"slots":["09:00","10:30"]}`)
			book(b, "book_appointment", `{"name":"Jan","date":"2027-03-04","time":"12:00"}`)
		}, []Property{Unoffered}},
		{"offered in a sentence", func(b *callBuilder) {
			avail(b, `"Vrij op 2027-03-04: 09:15, 11:45 en 15:30; op 2027-03-05: 9:00."`)
			book(b, "maak_afspraak", `{"datum":"2027-03-05","tijd":"09:00:00"}`)
		}, []Property{}},
		{"a sentence's time belongs to its own date", func(b *callBuilder) {
			avail(b, `{"message":"Vrij op 2027-03-04: 09:15, 11:45 en 15:30; op 2027-03-05: 9:00."}`)
			book(b, "book_appointment", `{"date":"2027-03-05","time":"11:45"}`)
		}, []Property{Unoffered}},
		{"offered as date-times", func(b *callBuilder) {
			avail(b, `{"slots":[{"start":"2027-03-04T09:15:00+01:00"},{"start":"2027-03-04T13:00:00+01:00"}]}`)
			book(b, "reserve_slot", `{"start":"2027-03-04T13:00:00+01:00","contact_id":"c-1"}`)
		}, []Property{}},
		{"offered only in the same reply", func(b *callBuilder) {
			b.tool(40*s, "book_appointment", `{"date":"2027-03-04","time":"10:30"}`, `{"confirmed":true,"date":"2027-03-04","time":"10:30"}`, "")
		}, []Property{Unoffered}},
		{"an alternative offered in a refusal", func(b *callBuilder) {
			b.tool(30*s, "book_appointment", `{"date":"2027-03-04","time":"10:00"}`, "", "Niet aangeboden. Vrij op 2027-03-04: 11:45")
			book(b, "book_appointment", `{"date":"2027-03-04","time":"11:45"}`)
		}, []Property{Unoffered}}, // the first attempt was not offered; the second was
		{"in the past", func(b *callBuilder) {
			avail(b, `{"date":"2027-03-01","slots":["09:00"]}`)
			book(b, "book_appointment", `{"date":"2027-03-01","time":"09:00"}`)
		}, []Property{PastBooking}},
		{"earlier the same day, in Amsterdam time", func(b *callBuilder) {
			avail(b, `{"date":"2027-03-03","slots":["10:30","11:30"]}`)
			book(b, "book_appointment", `{"date":"2027-03-03","time":"10:30"}`) // 09:30 UTC, before the call
		}, []Property{PastBooking}},
		{"later the same day", func(b *callBuilder) {
			avail(b, `{"date":"2027-03-03","slots":["10:30","11:30"]}`)
			book(b, "book_appointment", `{"date":"2027-03-03","time":"11:30"}`)
		}, []Property{}},
		{"no date and time", func(b *callBuilder) {
			avail(b, `{"date":"2027-03-04","slots":["09:00"]}`)
			book(b, "book_appointment", `{"name":"Jan"}`)
		}, []Property{Unoffered}},
		{"other tools are not bookings", func(b *callBuilder) {
			b.tool(30*s, "lookup_order", `{"order_id":"A-1"}`, `{"status":"verzonden"}`, "")
			b.tool(40*s, "request_callback", `{"preferred_time":"2027-03-01 09:00"}`, `{"scheduled":true}`, "")
		}, []Property{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newCall(start)
			tc.build(b)
			got := CheckBookings(b.res, Options{})
			assert.Equal(t, tc.want, properties(got), "%v", got)
		})
	}
}

// TestCheckBookingsSentNow: a call happens when it is played; payload times
// months earlier do not make a past booking current.
func TestCheckBookingsSentNow(t *testing.T) {
	tests := []struct {
		name string
		o    Options
		want []Property
	}{
		{"sent in March", Options{}, []Property{PastBooking}},
		{"played at a fixed clock in January", Options{Clock: time.Date(2027, time.January, 1, 10, 0, 0, 0, time.UTC)}, []Property{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newCall(time.Date(2027, time.January, 1, 10, 0, 0, 0, time.UTC)) // payloads say 1 January
			b.tool(20*s, "check_availability", `{"date":"2027-02-01"}`, `{"date":"2027-02-01","slots":["09:00"]}`, "")
			b.tool(40*s, "book_appointment", `{"date":"2027-02-01","time":"09:00"}`, `{"confirmed":true}`, "")
			got := CheckBookings(b.res, tc.o)
			assert.Equal(t, tc.want, properties(got), "%v", got)
		})
	}
}

func TestToolKind(t *testing.T) {
	for name, want := range map[string]kind{
		"book_appointment": kindBooking, "maak_afspraak": kindBooking, "reserve_slot": kindAvailability, "check_availability": kindAvailability,
		"get_free_slots": kindAvailability, "lookup_contact": kindContact, "find_customer": kindContact, "cancel_appointment": kindCancel,
		"lookup_order": kindOther, "create_ticket": kindOther,
	} {
		assert.Equal(t, want, toolKind(name), name)
	}
}

func TestBookingSlot(t *testing.T) {
	for args, want := range map[string]string{
		`{"date":"2027-03-04","time":"9:15"}`:                "2027-03-04 09:15",
		`{"datetime":"2027-03-04T09:15:00Z"}`:                "2027-03-04 09:15",
		`{"date":"2027-03-04","time":"14.30 uur"}`:           "2027-03-04 14:30",
		`{"date":"2027-03-04","time":"09:15:00+01:00"}`:      "2027-03-04 09:15",
		`{"start":"2027-03-04 16:45","name":"Jan de Vries"}`: "2027-03-04 16:45",
	} {
		got, ok := bookingSlot(json.RawMessage(args))
		assert.True(t, ok, args)
		assert.Equal(t, want, got.String(), args)
	}
	_, ok := bookingSlot(json.RawMessage(`{"date":"2027-03-04"}`))
	assert.False(t, ok)
}
