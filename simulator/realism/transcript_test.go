package realism

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

const s = time.Second

func TestCheckTranscript(t *testing.T) {
	start := base.Add(-2 * time.Minute)
	tests := []struct {
		name  string
		build func(b *callBuilder)
		want  []Property
	}{
		{"en: found after not found, no new lookup", func(b *callBuilder) {
			b.tool(10*s, "lookup_contact", `{"query":"+31612345678"}`, `{"found":false}`, "")
			b.say(10*s, "I can't find you in our system yet, but that's no problem: I'll take down your details.")
			b.tool(40*s, "book_appointment", `{"date":"2027-03-04","time":"09:15"}`, `{"confirmed":true,"confirmation":"AFS-1"}`, "")
			b.say(40*s, "Your appointment is confirmed for 4 March at 09:15. I've found you: Jan de Vries.")
		}, []Property{Contradiction}},
		{"nl: gevonden na niet gevonden", func(b *callBuilder) {
			b.tool(10*s, "lookup_contact", `{"query":"+31612345678"}`, `{"found":false}`, "")
			b.say(10*s, "Ik kan u nog niet vinden in ons systeem, maar dat is geen probleem: ik noteer uw gegevens.")
			b.tool(40*s, "check_availability", `{"date":"2027-03-04"}`, `{"slots":["09:15"]}`, "")
			b.say(41*s, "Ik zie u staan als Jan de Vries.")
		}, []Property{Contradiction}},
		{"not found stands on the tool result alone", func(b *callBuilder) {
			b.tool(10*s, "lookup_contact", `{"query":"Jan"}`, `{"contact":null}`, "")
			b.say(12*s, "Thank you, I can see you in our system. When would suit you best?")
		}, []Property{Contradiction}},
		{"a new lookup in between finds the caller", func(b *callBuilder) {
			b.tool(10*s, "lookup_contact", `{"query":"+31612345678"}`, `{"found":false}`, "")
			b.say(10*s, "U staat nog niet bij ons geregistreerd.")
			b.tool(30*s, "lookup_contact", `{"query":"Jan de Vries"}`, `{"found":true,"name":"Jan de Vries"}`, "")
			b.say(30*s, "Ik heb u gevonden: Jan de Vries.")
		}, []Property{}},
		{"not found, then registered in the same turn", func(b *callBuilder) {
			x := b.tool(10*s, "find_contact", `{"phone":"+31612345678"}`, `{"found":false,"contact_id":null}`, "")
			x.ToolCalls = append(x.ToolCalls, sim.ToolCall{ID: "c2", Name: "create_contact", Arguments: []byte(`{"name":"Femke"}`)})
			x.Tools.Results = append(x.Tools.Results, sim.ToolResult{ID: "c2", Result: []byte(`{"contact_id":"c_2001","name":"Femke"}`)})
			b.say(10*s, "You're not registered with us yet. No worries, I'm happy to help you. I have you down as Femke.")
		}, []Property{}},
		{"found with no lookup", func(b *callBuilder) {
			b.say(10*s, "Dank u wel, ik zie u in ons systeem staan. Wanneer komt het u het beste uit?")
		}, []Property{Unbacked}},
		{"found by a lookup", func(b *callBuilder) {
			b.tool(10*s, "lookup_contact", `{"query":"+31612345678"}`, `{"found":true,"name":"Jan de Vries"}`, "")
			b.say(10*s, "Thank you, I can see you in our system. When would suit you best?")
		}, []Property{}},
		{"a confirmation no tool confirmed", func(b *callBuilder) {
			b.say(30*s, "All set! You're booked in for Thursday 4 March at 09:15.")
		}, []Property{Unbacked}},
		{"nl: a confirmation no tool confirmed", func(b *callBuilder) {
			b.tool(10*s, "check_availability", `{"date":"2027-03-04"}`, `{"slots":["09:15"]}`, "")
			b.say(30*s, "Geregeld! U bent ingepland op donderdag 4 maart om 09:15.")
		}, []Property{Unbacked}},
		{"a question is no claim", func(b *callBuilder) {
			b.say(30*s, "Ik heb op 4 maart nog ruimte om 09:15. Zal ik die voor u vastleggen? Shall I book that for you?")
		}, []Property{}},
		{"a confirmed booking is confirmed", func(b *callBuilder) {
			b.tool(40*s, "book_appointment", `{"date":"2027-03-04","time":"09:15"}`, `{"status":"confirmed","reference":"TDM-4821"}`, "")
			b.say(40*s, "Uw afspraak staat vast op 4 maart om 09:15. Uw bevestigingsnummer is TDM-4821.")
		}, []Property{}},
		{"confirmed after a refusal", func(b *callBuilder) {
			b.tool(40*s, "book_appointment", `{"date":"2027-03-04","time":"09:30"}`, "", "09:30 was not offered")
			b.say(40*s, "Apologies, I'm getting the message: 09:30 was not offered.")
			b.say(50*s, "I've booked the appointment for 4 March at 09:30.")
		}, []Property{Contradiction}},
		{"a refusal said, then confirmed without booking", func(b *callBuilder) {
			b.tool(40*s, "book_appointment", `{"date":"2027-03-04","time":"09:15"}`, `{"booked":true}`, "")
			b.say(45*s, "Unfortunately that's no longer available. Shall I look for something else?")
			b.say(50*s, "Your appointment is confirmed for 4 March at 09:15.")
		}, []Property{Contradiction}},
		{"refused, booked again, confirmed", func(b *callBuilder) {
			b.tool(40*s, "book_appointment", `{"date":"2027-03-04","time":"09:30"}`, `{"success":false,"message":"not offered"}`, "")
			b.say(40*s, "Dat lukt helaas niet op dat moment. Zal ik een ander tijdstip voor u opzoeken?")
			b.tool(60*s, "book_appointment", `{"date":"2027-03-04","time":"09:15"}`, `{"success":true,"booking_id":"B-1"}`, "")
			b.say(60*s, "Ik heb de afspraak vastgelegd op 4 maart om 09:15.")
		}, []Property{}},
		{"G1 string results read out", func(b *callBuilder) {
			b.tool(10*s, "lookup_contact", `{"query":"+31612345678"}`, `"Geen klant gevonden voor '+31612345678'."`, "")
			b.say(10*s, "Geen klant gevonden voor '+31612345678'.")
			b.tool(40*s, "book_appointment", `{"date":"2027-03-04","time":"09:15"}`, `"Afspraak bevestigd voor Jan op 2027-03-04 om 09:15."`, "")
			b.say(40*s, "I've checked: Afspraak bevestigd voor Jan op 2027-03-04 om 09:15.")
		}, []Property{}},
		{"a slot booked by someone else is a refusal, not a confirmation", func(b *callBuilder) {
			b.tool(40*s, "book_appointment", `{"date":"2026-12-08","time":"11:45"}`, "", "2026-12-08 om 11:45 is net door iemand anders geboekt. Vrij op 2026-12-08: 13:30.")
			b.say(40*s, "Het spijt me, dat lukte niet: 2026-12-08 om 11:45 is net door iemand anders geboekt. Vrij op 2026-12-08: 13:30. Kan ik u op een andere manier helpen?")
			b.say(45*s, "Sorry, 11:45 has just been taken.")
		}, []Property{}},
		{"G1 string result refused, read as confirmed", func(b *callBuilder) {
			b.tool(40*s, "book_appointment", `{"date":"2027-03-04","time":"09:15"}`, `"Fout: dit tijdstip is niet beschikbaar."`, "")
			b.say(40*s, "Uw afspraak staat vast op 4 maart om 09:15.")
		}, []Property{Contradiction}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newCall(start)
			tc.build(b)
			b.say(110*s, "Thank you for calling, goodbye.")
			got := CheckTranscript(b.res)
			assert.Equal(t, tc.want, properties(got), "%v", got)
		})
	}
}

// An outbound reminder or confirmation is placed about an appointment the
// integrator holds: the assistant restating it is backed by the call
// itself, not by a tool; the same line on an inbound call is unbacked, and
// after a refused booking it is a contradiction.
func TestCheckTranscriptAppointmentBeforeTheCall(t *testing.T) {
	start := base.Add(-2 * time.Minute)
	const line = "Good to reach you, Jeroen. You're booked in at Fietsenwinkel Van Dijk on Thursday 17 December at 16:15. Does that appointment still suit you?"
	tests := []struct {
		name   string
		dir    sim.Direction
		intent sim.Intent
		refuse bool
		want   []Property
	}{
		{"outbound reminder", sim.Outbound, sim.AppointmentReminder, false, []Property{}},
		{"outbound confirmation", sim.Outbound, sim.AppointmentConfirmation, false, []Property{}},
		{"outbound reminder after a refused booking", sim.Outbound, sim.AppointmentReminder, true, []Property{Contradiction}},
		{"outbound ticket follow-up", sim.Outbound, sim.TicketFollowUp, false, []Property{Unbacked}},
		{"inbound booking call", sim.Inbound, sim.BookAppointment, false, []Property{Unbacked}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := newCall(start)
			b.res.Plan.Direction, b.res.Plan.Intent = tc.dir, tc.intent
			if tc.refuse {
				b.tool(5*s, "book_appointment", `{"date":"2026-12-17","time":"16:15"}`, "", "16:15 is taken")
			}
			b.say(10*s, line)
			got := CheckTranscript(b.res)
			assert.Equal(t, tc.want, properties(got), "%v", got)
		})
	}
}

func TestCheckTranscriptWithoutReport(t *testing.T) {
	assert.Empty(t, CheckTranscript(&sim.CallResult{}))
}

func TestStatements(t *testing.T) {
	assert.Equal(t, []string{"om 14.30 uur kan het", " dat is geregeld"}, statements("Om 14.30 uur kan het. Past dat? Dat is geregeld."))
}
