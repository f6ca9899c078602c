package fake

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
)

func tool(name, params string) simulator.Tool {
	return simulator.Tool{Name: name, Parameters: json.RawMessage(params)}
}

func args(t *testing.T, raw json.RawMessage) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(raw, &m), "%s", raw)
	return m
}

// bookingTurn is the plan's booking turn.
func bookingTurn(t *testing.T, p *simulator.CallPlan) simulator.Turn {
	t.Helper()
	for _, turn := range p.Turns {
		if turn.Need == simulator.NeedBooking {
			return turn
		}
	}
	return simulator.Turn{Need: simulator.NeedBooking, Caller: "Ja, graag."}
}

func TestBookingCarriesTheOfferedTimeInTheSchemasFormat(t *testing.T) {
	avail := tool("check_availability", `{"type":"object","properties":{"date":{"type":"string","format":"date"}}}`)
	tests := []struct {
		name   string
		params string
		want   map[string]any
	}{
		{"date and time", `{"type":"object","properties":{"date":{"type":"string","format":"date"},"time":{"type":"string","format":"time"}},"required":["date","time"]}`,
			map[string]any{"date": "2026-03-10", "time": "11:45"}},
		{"one date-time", `{"type":"object","properties":{"start":{"type":"string","format":"date-time"}},"required":["start"]}`,
			map[string]any{"start": "2026-03-10T11:45:00+01:00"}},
		{"dutch names", `{"type":"object","properties":{"datum":{"type":"string"},"tijd":{"type":"string"}},"required":["datum","tijd"]}`,
			map[string]any{"datum": "2026-03-10", "tijd": "11:45"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, c := newFactory(t, 5).Call(1, Options{Intent: simulator.BookAppointment, Lang: "nl"})
			c.ToolArguments(p, avail)
			c.ToolFollowUp(p, avail, &simulator.ToolResult{Result: json.RawMessage(`"Vrij op 2026-03-10: 11:45"`)}, "")
			line := c.CallerLine(p, bookingTurn(t, p))
			assert.Contains(t, line, "11:45", "the caller names the offered time")
			got := args(t, c.ToolArguments(p, tool("book_appointment", tt.params)))
			for k, v := range tt.want {
				assert.Equal(t, v, got[k], k)
			}
		})
	}
}

func TestRefusedBookingIsRetriedThenACallback(t *testing.T) {
	p, c := newFactory(t, 6).Call(1, Options{Intent: simulator.BookAppointment, Lang: "en"})
	avail := tool("check_availability", `{"type":"object","properties":{"date":{"type":"string","format":"date"}}}`)
	book := tool("book_appointment", `{"type":"object","properties":{"date":{"type":"string","format":"date"},"time":{"type":"string","format":"time"}},"required":["date","time"]}`)
	c.ToolArguments(p, avail)
	c.ToolFollowUp(p, avail, &simulator.ToolResult{Result: json.RawMessage(`{"date":"2026-03-10","slots":["09:00","10:30","13:00"]}`)}, "")
	c.CallerLine(p, bookingTurn(t, p))
	asked := map[string]bool{}
	for i := range 3 {
		a := args(t, c.ToolArguments(p, book))
		tm, _ := a["time"].(string)
		assert.Contains(t, []string{"09:00", "10:30", "13:00"}, tm, "attempt %d books an offered time", i)
		assert.False(t, asked[tm], "attempt %d asks a time not tried before", i)
		asked[tm] = true
		line := c.ToolFollowUp(p, book, &simulator.ToolResult{Result: json.RawMessage(`{"confirmed":false,"reason":"taken"}`)}, "")
		assert.NotContains(t, line, "booked")
		caller, need := c.Repair(p)
		if i < maxRetries {
			assert.Equal(t, simulator.NeedBooking, need, "a retry")
			assert.NotEmpty(t, caller)
			continue
		}
		assert.Equal(t, simulator.NeedCallback, need, "then a callback")
		assert.Contains(t, c.Unserved(p, simulator.NeedCallback), "note", "no callback tool: the request is noted")
	}
	assert.Regexp(t, `call(ed)? ?back`, c.Summary(p, nil, simulator.EndUserHangup), "the summary reports the callback")
	assert.NotContains(t, c.Summary(p, nil, simulator.EndUserHangup), "10:30")
	assert.Contains(t, c.Reply(p, simulator.Turn{Reply: "You'll get a reminder a day before."}), "colleague",
		"a line that presupposes the booking is replaced")
}

func TestLookupThatFoundNobodyIsRepaired(t *testing.T) {
	p, c := newFactory(t, 7).Call(1, Options{Intent: simulator.BookAppointment, Lang: "nl"})
	look := tool("lookup_contact", `{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}`)
	first := args(t, c.ToolArguments(p, look))
	c.ToolFollowUp(p, look, &simulator.ToolResult{Result: json.RawMessage(`{"found":false}`)}, "")
	line, need := c.Repair(p)
	assert.Equal(t, simulator.NeedContact, need)
	assert.Contains(t, line, p.Persona.Email, "the caller gives the e-mail address")
	second := args(t, c.ToolArguments(p, look))
	assert.Equal(t, p.Persona.Email, second["query"], "the new lookup asks for it (the first asked %v)", first["query"])
	again := c.ToolFollowUp(p, look, &simulator.ToolResult{Result: json.RawMessage(`{"found":false}`)}, "")
	assert.Contains(t, again, "zonder", "the assistant goes on without and says so")
	line, _ = c.Repair(p)
	assert.Empty(t, line, "one new lookup")
	// A booking result that echoes the name does not say the caller was found.
	book := tool("book_appointment", `{"type":"object","properties":{"name":{"type":"string"}}}`)
	c.ToolArguments(p, book)
	confirm := c.ToolFollowUp(p, book, &simulator.ToolResult{Result: json.RawMessage(`{"confirmed":true,"name":"` + p.Persona.Name() + `"}`)}, "")
	assert.NotContains(t, confirm, "gevonden")
}

func TestIDsTheServerReturnedGoIntoLaterArguments(t *testing.T) {
	tests := []struct {
		name, result, params, key string
		want                      any
	}{
		{"contact_id nested", `{"contact":{"id":"c_77"}}`, `{"type":"object","properties":{"contact_id":{"type":"string"}}}`, "contact_id", "c_77"},
		{"numeric customer id", `{"customer_id":88123}`, `{"type":"object","properties":{"customer_id":{"type":"integer"}}}`, "customer_id", float64(88123)},
		{"number as string", `{"crm_id":42}`, `{"type":"object","properties":{"klantnummer":{"type":"string"}}}`, "klantnummer", "42"},
		{"not for another role", `{"customer_id":"C-1"}`, `{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}`, "order_id", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, c := newFactory(t, 8).Call(1, Options{Intent: simulator.BookAppointment, Lang: "en"})
			look := tool("lookup_contact", `{"type":"object","properties":{"query":{"type":"string"}}}`)
			c.ToolArguments(p, look)
			c.ToolFollowUp(p, look, &simulator.ToolResult{Result: json.RawMessage(tt.result)}, "")
			got := args(t, c.ToolArguments(p, tool("book_appointment", tt.params)))
			if tt.want == nil {
				assert.NotEqual(t, "C-1", got[tt.key])
				return
			}
			assert.Equal(t, tt.want, got[tt.key])
		})
	}
}

func TestKeyRole(t *testing.T) {
	for key, want := range map[string]idRole{
		"contact_id": roleCustomer, "customerId": roleCustomer, "crm_id": roleCustomer, "klantnummer": roleCustomer,
		"order_id": roleOrder, "bestelnummer": roleOrder, "booking_reference": roleBooking, "confirmation": roleBooking,
		"appointmentId": roleBooking, "ticket_id": roleTicket, "phone_number": roleNone, "postcode": roleNone,
		"booking_date": roleNone, "id": roleNone, "name": roleNone,
	} {
		assert.Equal(t, want, keyRole(key, roleNone), key)
	}
	assert.Equal(t, roleOrder, keyRole("id", roleOrder), "a bare id takes the tool's role")
}

func TestNoTimeOnTheDayAskedButTheNextDay(t *testing.T) {
	p, c := newFactory(t, 9).Call(1, Options{Intent: simulator.BookAppointment, Lang: "en"})
	avail := tool("check_availability", `{"type":"object","properties":{"date":{"type":"string","format":"date"}}}`)
	c.ToolArguments(p, avail)
	line := c.ToolFollowUp(p, avail, &simulator.ToolResult{Result: json.RawMessage(
		`{"date":"2027-03-07","available":false,"slots":[],"next_available":{"date":"2027-03-08","slots":["09:00","10:30"]}}`)}, "")
	assert.Contains(t, line, "Monday 8 March", "the assistant names the day offered instead")
	assert.Contains(t, line, "09:00 or 10:30")
	caller := c.CallerLine(p, bookingTurn(t, p))
	assert.Regexp(t, `09:00|10:30`, caller)
	book := tool("book_appointment", `{"type":"object","properties":{"date":{"type":"string","format":"date"}},"required":["date"]}`)
	assert.Equal(t, "2027-03-08", args(t, c.ToolArguments(p, book))["date"])
}
