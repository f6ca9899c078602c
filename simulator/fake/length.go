package fake

import (
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// Margins of planLength for what the plan does not fix: the assistant's
// first and last messages and its tool follow-ups come from the server's
// configuration and tool results.
const (
	lengthOpening  = 8 * time.Second // assistant-request, first message
	lengthToolTurn = 6 * time.Second // a turn with a need: tool round and follow-up
	lengthClosing  = 8 * time.Second // goodbye, end-call message, final status
	lengthPerTurn  = 200 * time.Millisecond
)

// planLength is an upper-bound estimate of the call's virtual length, from
// the ring to the end-of-call-report: the ring, every turn's gap, speaking,
// thinking and talking times, the platform's summary before the report, and margins for what the server's replies add.
// The engine anchors the call's timeline with it so that no event is dated
// after the moment it is sent.
func planLength(p *simulator.CallPlan) time.Duration {
	d := p.Ring + lengthOpening + lengthClosing + simulator.ReportDelay(2*len(p.Turns)+6)
	for _, t := range p.Turns {
		d += t.Gap + t.Speak + t.Think + t.Talk + lengthPerTurn
		if t.Need != "" {
			d += lengthToolTurn
		}
	}
	return d.Truncate(time.Second) + time.Second
}
