package realism

import (
	"fmt"
	"slices"
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// topic is what a claim or a tool result is about.
type topic int

const (
	topicNone topic = iota
	topicContact
	topicBooking
)

func (k kind) topic() topic {
	switch k {
	case kindContact:
		return topicContact
	case kindBooking:
		return topicBooking
	}
	return topicNone
}

// standing is what the call has established about one topic so far.
type standing struct {
	negative  bool   // a refusal or "not found" stands (no new tool call since)
	why       string // what established it
	confirmed bool   // the latest tool result of the topic confirmed (found, booked)
}

// transcriptState walks the call's tool results and assistant lines in
// the order they happened.
type transcriptState struct {
	topics [3]standing
	last   topic // the topic of the last tool call
	out    []Violation
}

// item is a tool answer or a transcript line on the call's timeline.
type item struct {
	at   time.Time
	tool *answered
	line *sim.Message
}

// CheckTranscript checks the conversation against the tool results: nothing
// is found or confirmed after "not found" or a refusal without a new tool
// call of its kind in between, and the assistant says it found the caller
// or confirms a booking only after a lookup or booking tool result did (or,
// on an outbound call about an appointment, the appointment stands from
// before the call).
func CheckTranscript(res *sim.CallResult) []Violation {
	if res.Report == nil {
		return nil
	}
	var items []item
	answers := toolAnswers(res)
	for i := range answers {
		items = append(items, item{at: answers[i].x.At, tool: &answers[i]})
	}
	for i := range res.Report.Messages {
		if m := &res.Report.Messages[i]; m.Role == sim.RoleAssistant {
			items = append(items, item{at: m.At, line: m})
		}
	}
	// A tool result comes before the line spoken at the same moment: the
	// assistant speaks after the result arrived.
	slices.SortStableFunc(items, func(a, b item) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		return boolInt(a.line != nil) - boolInt(b.line != nil)
	})
	var st transcriptState
	st.topics[topicBooking].confirmed = bookedBefore(res.Plan)
	for _, it := range items {
		if it.tool != nil {
			st.tool(*it.tool)
			continue
		}
		st.say(it.line.Content, it.at.Sub(res.Report.Started))
	}
	return st.out
}

// bookedBefore reports whether the call's appointment was booked before
// the call: an outbound reminder or confirmation is placed about an
// appointment the integrator holds, and the assistant that placed it may
// say "you're booked in at …" with no tool; a refusal later in the call
// still makes a confirmation after it a contradiction.
func bookedBefore(p *sim.CallPlan) bool {
	return p != nil && p.Direction == sim.Outbound &&
		(p.Intent == sim.AppointmentReminder || p.Intent == sim.AppointmentConfirmation)
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// tool records a tool result: a new call of a kind clears what stood.
func (st *transcriptState) tool(a answered) {
	t := a.kind.topic()
	st.last = t
	if t == topicNone {
		return
	}
	o := a.outcome()
	s := &st.topics[t]
	s.negative = o == outcomeNegative
	s.why = fmt.Sprintf("the %s result (#%d) %s", a.call.Name, a.x.Seq, describeResult(a))
	s.confirmed = o == outcomePositive
}

// say checks one assistant line, sentence by sentence.
func (st *transcriptState) say(text string, at time.Duration) {
	for _, s := range statements(text) {
		st.sentence(s, text, at)
	}
}

func (st *transcriptState) sentence(s, line string, at time.Duration) {
	contact, booking := &st.topics[topicContact], &st.topics[topicBooking]
	when := fmt.Sprintf("at +%.1fs the assistant says %q", at.Seconds(), line)
	switch {
	case has(s, notFoundWords) && contact.confirmed:
		// recounts an earlier lookup: the latest one (a contact just
		// created, a second search) found the caller
	case has(s, notFoundWords):
		contact.negative, contact.why = true, fmt.Sprintf("the assistant said %q", line)
	case has(s, foundWords) && contact.negative:
		st.out = append(st.out, Violation{Contradiction, 0, when + " after " + contact.why + " with no new lookup in between"})
	case has(s, foundWords) && !contact.confirmed:
		st.out = append(st.out, Violation{Unbacked, 0, when + ", but no lookup result found the caller"})
	}
	switch {
	case has(s, refusedWords):
		booking.negative, booking.why = true, fmt.Sprintf("the assistant said %q", line)
		booking.confirmed = false
	case has(s, confirmWords) && booking.negative:
		st.out = append(st.out, Violation{Contradiction, 0, when + " after " + booking.why + " with no new booking in between"})
	case has(s, confirmWords) && !booking.confirmed:
		st.out = append(st.out, Violation{Unbacked, 0, when + ", but no booking tool result confirmed a booking"})
	case has(s, failedWords) && st.last != topicNone && !st.topics[st.last].negative:
		t := &st.topics[st.last]
		t.negative, t.why = true, fmt.Sprintf("the assistant said %q", line)
		if st.last == topicBooking {
			t.confirmed = false
		}
	}
}

func has(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// describeResult is a result in a few words for a violation's detail.
func describeResult(a answered) string {
	switch {
	case a.result == nil:
		return "did not arrive"
	case a.result.Error != "":
		return "was the error " + quoteShort(a.result.Error)
	}
	return "was " + quoteShort(string(a.result.Result))
}

func quoteShort(s string) string {
	if len(s) > 120 {
		s = s[:117] + "..."
	}
	return fmt.Sprintf("%q", s)
}
