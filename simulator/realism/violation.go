package realism

import (
	"fmt"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// Property names a group of checks.
type Property string

// The properties.
const (
	Timestamps    Property = "timestamps"    // payload times in the call's window, monotone, consistent
	Contradiction Property = "contradiction" // a claim after its opposite without a new tool call
	Unbacked      Property = "unbacked"      // an assistant confirmation no tool result confirmed
	Unoffered     Property = "unoffered"     // a booking at a time the server did not offer in the call
	PastBooking   Property = "past-booking"  // a booking before the time of the call
)

// Violation is one broken property in one call.
type Violation struct {
	Property Property
	Seq      int // the exchange (Exchange.Seq) or 0 when the violation is in the transcript
	Detail   string
}

func (v Violation) String() string {
	if v.Seq > 0 {
		return fmt.Sprintf("%s (#%d): %s", v.Property, v.Seq, v.Detail)
	}
	return fmt.Sprintf("%s: %s", v.Property, v.Detail)
}

// Options tune the checks; the zero value suits calls played now.
type Options struct {
	// Slack is the clock skew allowed between a payload time and the time
	// it was sent, and between the report's duration and its start and end
	// (at least 1 s for whole seconds); 0 = DefaultSlack.
	Slack time.Duration
	// Clock is the fixed "now" the call was played at (--clock); zero: the
	// wall-clock time each request was sent. With a fixed clock the
	// request sent first is taken as sent at Clock, the others as sent
	// Clock plus their wall-clock distance from it.
	Clock time.Time
	// Zone is the zone of bookings whose time carries no offset; nil =
	// Europe/Amsterdam (the platform's and its integrators' zone).
	Zone *time.Location
}

// DefaultSlack is the clock skew allowed when Options.Slack is 0.
const DefaultSlack = 2 * time.Second

func (o Options) slack() time.Duration {
	if o.Slack > 0 {
		return o.Slack
	}
	return DefaultSlack
}

// Check runs every property check on a played call.
func Check(res *sim.CallResult, o Options) []Violation {
	var out []Violation
	out = append(out, CheckTimestamps(res, o)...)
	out = append(out, CheckTranscript(res)...)
	out = append(out, CheckBookings(res, o)...)
	return out
}

// played are the exchanges of the call proper: signature probes (re-sends
// of an earlier body with other signing) are left out.
func played(res *sim.CallResult) []*sim.Exchange {
	out := make([]*sim.Exchange, 0, len(res.Exchanges))
	for _, x := range res.Exchanges {
		if x.Request.Probe != sim.ProbeNone {
			continue
		}
		out = append(out, x)
	}
	return out
}
