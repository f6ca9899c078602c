package fake

import (
	"fmt"
	"io/fs"
	"math"
	"time"

	"github.com/flireo-sim/flireo-sim/fixtures"
	"github.com/flireo-sim/flireo-sim/simulator"
)

// DefaultErrorRate is the share of calls that end with a platform error when
// Options.ErrorRate is negative.
const DefaultErrorRate = 0.03

// Options steer one call; the zero value draws everything from the seed and
// never ends a call with a platform error.
type Options struct {
	Intent    simulator.Intent    // "" = drawn from the seed (weighted: common intents more often)
	Lang      string              // "", "nl" or "en"; "" = drawn (about 80% nl)
	Direction simulator.Direction // "" = the intent's (outbound intents: outbound), else drawn with the intent
	// Start is the clock for this call: the moment the call is placed
	// (CallPlan.Anchor); zero = the factory's clock (WithClock), which is
	// the time now unless fixed. Dates in the call are relative to it.
	Start time.Time
	// ErrorRate is the probability that the call ends with a platform error
	// (Error and ErrorAfter set): negative = DefaultErrorRate, 0 = never.
	ErrorRate float64
}

// Validate reports an option the factory would not honour, and what to use instead.
func (o Options) Validate() error {
	if o.Intent != "" {
		if _, ok := simulator.ParseIntent(string(o.Intent)); !ok {
			return fmt.Errorf("unknown intent %q%s: use one of %s", o.Intent, simulator.IntentHint(string(o.Intent)), intentList())
		}
	}
	switch o.Lang {
	case "", "nl", "en":
	default:
		return fmt.Errorf("unknown language %q: use nl or en", o.Lang)
	}
	switch o.Direction {
	case "", simulator.Inbound, simulator.Outbound, simulator.Web:
	default:
		return fmt.Errorf("unknown direction %q: use inbound, outbound or web", o.Direction)
	}
	if o.Intent != "" {
		if err := simulator.IntentMismatch(o.Intent, o.Direction); err != nil {
			return err
		}
	}
	if math.IsNaN(o.ErrorRate) || o.ErrorRate > 1 {
		return fmt.Errorf("error rate %v is not a probability: use 0 (never) to 1 (always), or negative for the default %v", o.ErrorRate, DefaultErrorRate)
	}
	return nil
}

// Factory makes seeded call plans and their generators. It is immutable and
// safe for concurrent use.
type Factory struct {
	seed    int64
	clock   func() time.Time // nil: time.Now
	b       *banks
	schemas *schemaCache
}

// New returns a factory for the run seed with the built-in phrase banks
// (fixtures/phrases).
func New(runSeed int64) (*Factory, error) {
	sub, err := fs.Sub(fixtures.FS, "phrases")
	if err != nil {
		return nil, fmt.Errorf("built-in phrase banks: %w", err)
	}
	f, err := NewFromFS(runSeed, sub)
	if err != nil {
		return nil, fmt.Errorf("built-in phrase banks (fixtures/phrases): %w", err)
	}
	return f, nil
}

// NewFromFS returns a factory whose phrase banks are the files at the root of
// fsys: common.json plus one <lang>.json per language (nl and en required).
// The banks are parsed and validated once, here.
func NewFromFS(runSeed int64, fsys fs.FS) (*Factory, error) {
	b, err := loadBanks(fsys)
	if err != nil {
		return nil, err
	}
	return &Factory{seed: runSeed, b: b, schemas: &schemaCache{}}, nil
}

// WithClock returns a factory like f whose calls are placed at the time
// clock returns (a fixed time makes plans reproducible: same seed, same
// clock, same plan); nil is the time now.
func (f *Factory) WithClock(clock func() time.Time) *Factory {
	g := *f
	g.clock = clock
	return &g
}

// now is the moment a call is placed: Options.Start, else the clock, to the
// millisecond (the precision of the payloads' timestamps).
func (f *Factory) now(o Options) time.Time {
	t := o.Start
	if t.IsZero() {
		if f.clock != nil {
			t = f.clock()
		} else {
			t = time.Now()
		}
	}
	return t.UTC().Truncate(time.Millisecond)
}

// RunSeed is the factory's run seed.
func (f *Factory) RunSeed() int64 { return f.seed }

// platformErrors are the texts of platform errors that end calls.
var platformErrors = [...]string{"STT connection failed", "LLM provider timeout", "TTS synthesis failed", "SIP trunk disconnected"}

// Call returns call n's plan and its generator. The plan is a pure function
// of (run seed, n, o, the clock): the same inputs give a byte-identical plan
// and a generator that produces the same outputs in the same order. The call
// is placed at the clock's time (CallPlan.Anchor) and its timeline ends
// there (Start = Anchor - Length) until an Engine anchors it for its pace. Options that
// Validate rejects are ignored (the value is drawn as if unset).
func (f *Factory) Call(n int, o Options) (*simulator.CallPlan, *Call) {
	r := rnd{newFaker(f.seed, n)}
	cb := &f.b.common

	// Every draw happens whether or not an option overrides it, so that a
	// call with a given intent or language keeps the rest of its data.
	intent := f.drawIntent(r, n, o)
	lang := f.drawLang(r, o)
	now := f.now(o)
	orderAge := drawOrderAge(r)
	ki := intentIndex(intent)
	lb := f.b.langs[lang]
	ib := lb.intents[ki]

	c := &Call{r: r, banks: f.b, lang: lang, shared: f.schemas, now: now}
	p := &simulator.CallPlan{RunSeed: f.seed, Number: n, Direction: direction(intent, o), Lang: lang, Intent: intent, Anchor: now, Start: now}
	c.plan = p
	c.drawParties(r, cb, p, ki)
	c.drawFacts(r, cb, now, orderAge)
	c.v = c.planVals(p, lb)

	p.Ring = seconds(1 + 5*r.float())
	p.Turns = c.turns(r, lb, ib, intent)
	c.drawEnd(r, p, ib)
	c.drawOutboundLines(r, p, ib)
	drawError(r, p, o.ErrorRate)
	if r.chance(0.85) {
		p.Recording = "https://recordings.flireo.invalid/" + p.ID + ".mp3"
	}
	c.roll = r.float()
	p.Length = planLength(p, lb)
	p.Start = now.Add(-p.Length)
	return p, c
}

// drawLang draws the language (about 80% nl); a language with a bank in
// Options.Lang wins.
func (f *Factory) drawLang(r rnd, o Options) string {
	lang := "en"
	if r.chance(0.8) {
		lang = "nl"
	}
	if o.Lang != "" && f.b.langs[o.Lang] != nil {
		lang = o.Lang
	}
	return lang
}

// drawOrderAge draws how long ago the caller's order was placed: 1 to 26
// days and a time of day.
func drawOrderAge(r rnd) time.Duration {
	day := 1 + 7*r.intn(4) + r.intn(5)
	return time.Duration(day)*24*time.Hour + time.Duration(r.intn(8*3600*1000))*time.Millisecond
}

// direction is the intent's (simulator.IntentDirection) unless
// Options.Direction names one.
func direction(intent simulator.Intent, o Options) simulator.Direction {
	switch o.Direction {
	case simulator.Inbound, simulator.Outbound, simulator.Web:
		return o.Direction
	}
	return simulator.IntentDirection(intent)
}

// drawEnd sets how the planned call ends and the caller's goodbye.
func (c *Call) drawEnd(r rnd, p *simulator.CallPlan, ib *intentBank) {
	switch p.Intent {
	case simulator.Silent:
		p.EndReason = simulator.EndSilenceTimeout
	case simulator.WrongNumber:
		p.EndReason = simulator.EndUserHangup
		p.Goodbye = r.pick(ib.goodbye).fill(&c.v)
	case simulator.Voicemail:
		p.EndReason = simulator.EndVoicemail
	default:
		p.EndReason = simulator.EndUserHangup
		if r.chance(0.15) {
			p.EndReason = simulator.EndAssistantHangup
		}
		p.Goodbye = r.pick(ib.goodbye).fill(&c.v)
	}
}

// drawError ends the call with a platform error with probability rate
// (negative: DefaultErrorRate); the draws happen either way.
func drawError(r rnd, p *simulator.CallPlan, rate float64) {
	if rate < 0 {
		rate = DefaultErrorRate
	}
	errRoll, errPick, errAt := r.float(), r.intn(len(platformErrors)), r.intn(len(p.Turns))
	if errRoll < rate && len(p.Turns) > 0 {
		p.Error = platformErrors[errPick]
		p.ErrorAfter = errAt
	}
}

// weighted picks an index with probability proportional to its weight.
func (r rnd) weighted(w []int) int {
	total := 0
	for _, x := range w {
		total += x
	}
	k := r.intn(total)
	for i, x := range w {
		if k < x {
			return i
		}
		k -= x
	}
	return len(w) - 1
}
