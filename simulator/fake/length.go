package fake

import (
	"strings"
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
	// lengthPlaceholderWords bounds the words a placeholder of a repair
	// line fills in (a spoken date, a time, a spelled name).
	lengthPlaceholderWords = 4
	// lengthRepairs is how many repair exchanges the estimate allows a turn
	// with a repairable need: the common case. A conversation that needs
	// more (up to simulator.MaxRepairs) runs past the estimate; played
	// instantly on the real clock it is squeezed at the time of sending,
	// paced it waits for the wall clock.
	lengthRepairs = 1
)

// planLength is an upper-bound estimate of the call's virtual length, from
// the ring to the end-of-call-report: the ring, every turn's gap, speaking,
// thinking and talking times, the repair exchanges a turn with a repairable need
// commonly adds (lengthRepairs of them, each the turn's gap and think, the
// longest repair line of the call's language and a tool round), an
// outbound call's own opening and closing lines, the platform's summary
// before the report, and margins for what the server's replies add. The
// engine anchors the call's timeline with it so that no event is dated
// after the moment it is sent.
func planLength(p *simulator.CallPlan, lb *langBank) time.Duration {
	repair := longestRepair(lb)
	d := p.Ring + lengthOpening + lengthClosing
	d += simulator.SpeakingTime(p.Opening) + simulator.SpeakingTime(p.Closing)
	exchanges := 2*len(p.Turns) + 6
	for _, t := range p.Turns {
		d += t.Gap + t.Speak + t.Think + t.Talk + lengthPerTurn
		if t.Need != "" {
			d += lengthToolTurn
		}
		if repairable[t.Need] {
			d += lengthRepairs * (t.Gap + t.Think + repair + lengthToolTurn + lengthPerTurn)
			exchanges += 2 * lengthRepairs
		}
	}
	d += simulator.ReportDelay(exchanges)
	return d.Truncate(time.Second) + time.Second
}

// repairable are the needs whose tool results the caller repairs when they
// do not help: a lookup that found nobody, no free time, a refused booking.
var repairable = map[string]bool{
	simulator.NeedContact: true, simulator.NeedAvailability: true, simulator.NeedBooking: true, simulator.NeedReschedule: true,
}

// longestRepair bounds the speaking time of the caller's repair lines in
// the language (spelling a name, another day, another time, a callback).
func longestRepair(lb *langBank) time.Duration {
	if lb == nil {
		return 0
	}
	words := 0
	for _, set := range [...][]tmpl{lb.dlg.spell, lb.dlg.otherDay, lb.dlg.retry, lb.dlg.callback} {
		for _, t := range set {
			words = max(words, tmplWords(t))
		}
	}
	return simulator.SpeakingTime(strings.Repeat("w ", words))
}

// tmplWords bounds the words of a filled template: its literals' words and
// lengthPlaceholderWords per placeholder.
func tmplWords(t tmpl) int {
	n := 0
	for _, s := range t.segs {
		if s.ph != phNone {
			n += lengthPlaceholderWords
		} else {
			n += len(strings.Fields(s.lit))
		}
	}
	return n
}
