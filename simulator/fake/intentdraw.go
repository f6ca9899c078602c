package fake

import "github.com/flireo-sim/flireo-sim/simulator"

// mixWeights are the relative frequencies of the intents of the natural mix
// of calls, in the order of simulator.Intents: the customers' reasons to
// call, and voicemail for the share of outbound calls. Every call makes this
// one draw from its stream, whatever its options, so that a call keeps the
// rest of its data when its intent or direction is asked for.
var mixWeights = [...]int{
	20, // book-appointment
	9,  // reschedule
	16, // opening-hours
	14, // order-status
	8,  // complaint
	10, // callback
	6,  // wrong-number
	5,  // silent
	8,  // voicemail: the mix's outbound calls
}

// outboundWeights are the relative frequencies of the intents of outbound
// calls: why a business calls its customer, and how often the callee's
// voicemail answers.
var outboundWeights = []weightedIntent{
	{simulator.AppointmentReminder, 34},
	{simulator.AppointmentConfirmation, 18},
	{simulator.TicketFollowUp, 14},
	{simulator.RequestedCallback, 20},
	{simulator.Voicemail, 14},
}

type weightedIntent struct {
	intent simulator.Intent
	weight int
}

// drawIntent draws call n's intent for its direction. The mix draw decides
// the intent of an inbound or web call, and the direction of a call whose
// direction is not asked for (voicemail's share is outbound). An outbound
// call's intent is drawn from outboundWeights, and an inbound call whose mix
// draw fell on voicemail from the mix's inbound intents, each with a value
// derived from the call's seeds instead of its stream. A known
// Options.Intent that fits the asked direction wins; one that does not is
// ignored (the intent is drawn for the direction).
func (f *Factory) drawIntent(r rnd, n int, o Options) simulator.Intent {
	drawn := simulator.Intents[r.weighted(mixWeights[:])]
	want := askedDirection(o)
	if intentIndex(o.Intent) >= 0 && simulator.IntentFits(o.Intent, want) {
		return o.Intent
	}
	if want == "" {
		want = simulator.IntentDirection(drawn)
	}
	if want != simulator.Outbound && simulator.IntentFits(drawn, want) {
		return drawn
	}
	x := f.secondDraw(n)
	if want == simulator.Outbound {
		return pickIntent(outboundWeights, x)
	}
	var inbound []weightedIntent
	for k, w := range mixWeights {
		if in := simulator.Intents[k]; simulator.IntentFits(in, want) {
			inbound = append(inbound, weightedIntent{in, w})
		}
	}
	return pickIntent(inbound, x)
}

// askedDirection is Options.Direction when it names one, else "".
func askedDirection(o Options) simulator.Direction {
	switch o.Direction {
	case simulator.Inbound, simulator.Outbound, simulator.Web:
		return o.Direction
	}
	return ""
}

// secondDraw is a value for call n derived from its seeds, not drawn from
// its stream.
func (f *Factory) secondDraw(n int) uint64 {
	a, _ := callSeeds(f.seed, n)
	return splitmix64(a ^ 0x6f7574626f756e64)
}

// pickIntent picks an intent with probability proportional to its weight,
// x being uniform over the uint64 values.
func pickIntent(l []weightedIntent, x uint64) simulator.Intent {
	total := 0
	for _, w := range l {
		total += w.weight
	}
	k := int(x % uint64(total))
	for _, w := range l {
		if k < w.weight {
			return w.intent
		}
		k -= w.weight
	}
	return l[len(l)-1].intent
}

// drawOutboundLines draws the default agent's opening and closing of an
// outbound call whose intent has them (plan.Opening, plan.Closing). Only
// these calls draw them, so the other calls keep their data.
func (c *Call) drawOutboundLines(r rnd, p *simulator.CallPlan, ib *intentBank) {
	if p.Direction != simulator.Outbound || len(ib.opening) == 0 {
		return
	}
	p.Opening = r.pick(ib.opening).fill(&c.v)
	p.Closing = r.pick(ib.closing).fill(&c.v)
}
