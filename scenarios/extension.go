package scenarios

import (
	"context"
	"slices"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// Step sets that depend on what this package does not import (the
// platform API steps in scenarios/platformsteps, which need the mock
// platform and its router) register themselves when a program imports
// them: a program that does not, does not pull in their dependencies.

// Definition is a step of a step set registered with RegisterSteps.
type Definition struct {
	Step
	// Pattern is the step's anchored regular expression; no two steps of
	// the library may match the same text.
	Pattern string
	// Handler is func(context.Context, args...) error; godog converts the
	// arguments (string, int, float64, *godog.DocString).
	Handler any
}

// registered are the steps of the step sets imported next to the library;
// RegisterSteps adds to it while packages initialise, and it is only read
// afterwards.
var registered []def

// RegisterSteps adds steps to every library. Call it from the init
// function of the step set's package; a pattern that does not compile
// panics there, like regexp.MustCompile.
func RegisterSteps(defs ...Definition) {
	for _, d := range defs {
		registered = append(registered, step(d.Topic, d.Phrase, d.Example, d.Pattern, d.Handler))
	}
}

// stepDefinitions are the library's steps and the registered ones.
func stepDefinitions() []def { return slices.Concat(definitions, registered) }

// Part is a step set's own state in a scenario (Call.SetPart): the webhooks
// it delivered count as the scenario's, its values are placeholders of the
// scenario's steps, and it stops before the scenario is recorded.
type Part interface {
	// Exchanges are the webhooks it delivered, checked.
	Exchanges() []*sim.Exchange
	// Values adds its placeholder values ({name}) to into.
	Values(into map[string]string)
	// Stop ends what it still runs; stopped says that the run ended, so
	// nothing may be awaited.
	Stop(stopped bool)
}

// part is a Part with the key a step set stored it under.
type part struct {
	key any
	Part
}

// Begin returns the scenario's call for a step of a registered step set:
// its error skips the steps of a skipped scenario and stops them once the
// run was cancelled.
func Begin(ctx context.Context) (*Call, error) {
	st, err := begin(ctx)
	if err != nil {
		return nil, err
	}
	return &Call{st: st}, nil
}

// Skip is the error of a step that skips the rest of its scenario, with
// the reason.
func Skip(format string, a ...any) error { return skipWith(format, a...) }

// Dialect is the dialect the scenario's webhooks are sent in.
func (c *Call) Dialect() string { return c.st.dialect }

// Number is the scenario's call number: the calls a step set starts for
// the scenario are numbered after it, so that every scenario plays calls
// of its own, reproducibly.
func (c *Call) Number() int { return c.st.number }

// Setup is what the Given steps chose for the call: direction, intent and
// language.
func (c *Call) Setup() fake.Options { return c.st.fo }

// Customer is the caller's number a Given step named.
func (c *Call) Customer() (string, bool) {
	if c.st.customer == nil {
		return "", false
	}
	return *c.st.customer, true
}

// Options are the simulator's options for the scenario's dialect.
func (c *Call) Options() kit.Options { return c.st.l.cfg.kitOptions(c.st.dialect) }

// Kit is the wired simulator of the scenario's dialect.
func (c *Call) Kit() (*kit.Kit, error) { return c.st.l.kit(c.st.dialect) }

// Blame is the error of a step that cannot do its job because of earlier
// failures: attributed to the checks that failed so far, when any did.
func (c *Call) Blame(what string) error { return c.st.blame(what) }

// Part is the part a step set stored under key, or nil.
func (c *Call) Part(key any) Part {
	for _, p := range c.st.parts {
		if p.key == key {
			return p.Part
		}
	}
	return nil
}

// SetPart stores a step set's part of the scenario under key.
func (c *Call) SetPart(key any, p Part) {
	for i := range c.st.parts {
		if c.st.parts[i].key == key {
			c.st.parts[i].Part = p
			return
		}
	}
	c.st.parts = append(c.st.parts, part{key: key, Part: p})
}

// stopParts stops the scenario's parts, in the order they were stored.
func (st *state) stopParts(stopped bool) {
	for _, p := range st.parts {
		p.Stop(stopped)
	}
}

// partExchanges are the webhooks of the scenario's parts.
func (st *state) partExchanges() []*sim.Exchange {
	var out []*sim.Exchange
	for _, p := range st.parts {
		out = append(out, p.Exchanges()...)
	}
	return out
}

// withParts adds the parts' placeholder values to v.
func (st *state) withParts(v map[string]string) map[string]string {
	for _, p := range st.parts {
		p.Values(v)
	}
	return v
}
