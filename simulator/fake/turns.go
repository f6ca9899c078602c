package fake

import (
	"slices"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// Timing of silence handling (spec §8 row 27: first check 7 s, then every 12 s).
const (
	silenceFirst = 7 * time.Second
	silenceNext  = 12 * time.Second
)

// extraChance is the chance of each further side question after the main
// steps (a geometric number of extra turns: the long tail of call lengths).
const extraChance = 0.55

// Holds: now and then the caller asks for a moment before a step that needs
// something looked up, and the next line comes after a long pause.
const holdChance = 0.35

var holdNeeds = []string{simulator.NeedAvailability, simulator.NeedOrder, simulator.NeedReschedule, simulator.NeedCallback}

// turns builds the conversation: the steps of one flow, sometimes a hold
// before a step that needs something looked up, then a geometric number of
// distinct side questions, with timing.
func (c *Call) turns(r rnd, lb *langBank, ib *intentBank, intent simulator.Intent) []simulator.Turn {
	flow := ib.flows[r.intn(len(ib.flows))]
	var steps [16]int
	ns := playedSteps(r, flow, &steps)
	hold := -1
	if r.chance(holdChance) {
		hold = pickHold(r, flow, steps[:ns])
	}
	var order [16]int
	extras := pickExtras(r, len(ib.extras), &order)
	out := make([]simulator.Turn, 0, ns+extras+1)
	pace := clamp(r.lognormal(1, 0.25), 0.7, 2) // the caller's speaking rate (1 = 2.5 words/s)
	for k := range ns {
		if k == hold {
			out = append(out, c.turn(r, &lb.hold, pace, intent, len(out)))
		}
		t := c.turn(r, &flow[steps[k]], pace, intent, len(out))
		if k == hold {
			t.Gap = seconds(clamp(r.lognormal(18, 0.7), 5, 90))
		}
		out = append(out, t)
	}
	for i := range extras {
		out = append(out, c.turn(r, &ib.extras[order[i]], pace, intent, len(out)))
	}
	return out
}

// playedSteps draws which steps of the flow are played (each by its
// chance), writes their indexes to steps and returns how many.
func playedSteps(r rnd, flow []step, steps *[16]int) int {
	ns := 0
	for i := range flow {
		if ns < len(steps) && (flow[i].chance >= 1 || r.chance(flow[i].chance)) {
			steps[ns] = i
			ns++
		}
	}
	return ns
}

// pickHold draws the played step before which the caller asks for a moment:
// one that needs something looked up, never the opening line; -1 for none.
func pickHold(r rnd, flow []step, steps []int) int {
	var cand [16]int
	nc := 0
	for k := 1; k < len(steps); k++ {
		if slices.Contains(holdNeeds, flow[steps[k]].need) {
			cand[nc] = k
			nc++
		}
	}
	if nc == 0 {
		return -1
	}
	return cand[r.intn(nc)]
}

// pickExtras draws a geometric number of distinct side questions out of n,
// writes their order to order and returns how many.
func pickExtras(r rnd, n int, order *[16]int) int {
	ne := min(n, len(order))
	for i := range ne {
		order[i] = i
	}
	extras := 0
	for extras < ne && r.chance(extraChance) {
		j := extras + r.intn(ne-extras)
		order[extras], order[j] = order[j], order[extras]
		extras++
	}
	return extras
}

// turn renders one step with its timing.
func (c *Call) turn(r rnd, s *step, pace float64, intent simulator.Intent, k int) simulator.Turn {
	t := simulator.Turn{Need: s.need}
	if s.paired {
		i := r.intn(len(s.caller))
		t.Caller, t.Reply = s.caller[i].fill(&c.v), s.reply[i].fill(&c.v)
	} else {
		if len(s.caller) > 0 {
			t.Caller = r.pick(s.caller).fill(&c.v)
		}
		t.Reply = r.pick(s.reply).fill(&c.v)
	}
	switch {
	case intent == simulator.Silent:
		t.Gap = silenceNext
		if k == 0 {
			t.Gap = silenceFirst
		}
		t.Think = seconds(0.25 + 0.25*r.float())
	case intent == simulator.Voicemail && k == 0:
		// The greeting starts soon after the machine picks up and ends with a beep.
		t.Gap = seconds(0.4 + 0.8*r.float())
		t.Speak = speaking(r, t.Caller, pace) + seconds(0.8+0.6*r.float())
		t.Think = seconds(0.4 + 0.5*r.float())
	default:
		t.Gap = seconds(clamp(r.lognormal(0.9, 0.55), 0.3, 3))
		t.Speak = speaking(r, t.Caller, pace)
		t.Think = seconds(clamp(r.lognormal(0.75, 0.35), 0.4, 1.5))
	}
	words := countWords(t.Reply)
	t.Talk = seconds(float64(words)/2.5*clamp(r.lognormal(1, 0.08), 0.85, 1.2) + 0.2)
	return t
}

// speaking is how long a caller takes to say text: about 2.5 words a second
// at pace 1, with noise.
func speaking(r rnd, text string, pace float64) time.Duration {
	if text == "" {
		return 0
	}
	w := float64(countWords(text))
	return seconds(w/2.5*pace*clamp(r.lognormal(1, 0.12), 0.7, 1.4) + 0.3)
}
