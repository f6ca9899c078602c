// Package platformsteps adds the "platform API" steps to the step library
// of package scenarios: steps that drive the mock platform API
// (simulator/platform) the way an integrator's own code drives the real
// one. Import it for its side effect where the steps are wanted:
//
//	import _ "github.com/flireo-sim/flireo-sim/scenarios/platformsteps"
//
// A program that does not import it does not pull in the mock platform and
// its router.
package platformsteps

import (
	"context"
	"slices"
	"time"

	"github.com/flireo-sim/flireo-sim/scenarios"
	"github.com/flireo-sim/flireo-sim/scenarios/internal/adapt"
)

// definitions are the steps of the "platform API" topic, in the order the
// step list shows them.
var definitions = slices.Concat(callSteps, readSteps, rateSteps, numberSteps, campaignSteps, assistantSteps)

func init() { scenarios.RegisterSteps(definitions...) }

// requestTimeout bounds one request to the mock platform.
const requestTimeout = 10 * time.Second

// state is the platform steps' view of a scenario: its call and its mock
// platform (nil until a step starts it).
type state struct {
	*scenarios.Call
	api *apiRun
}

// partKey is the key of the scenario's mock platform among the scenario's
// parts.
type partKey struct{}

// begin returns the state for a step that may run.
func begin(ctx context.Context) (*state, error) {
	c, err := scenarios.Begin(ctx)
	if err != nil {
		return nil, err
	}
	run, _ := c.Part(partKey{}).(*apiRun)
	return &state{Call: c, api: run}, nil
}

// do adapts a handler without arguments: it finds the state once.
func do(h func(*state, context.Context) error) func(context.Context) error { return adapt.Do(begin, h) }

// do1 adapts a handler with one argument.
func do1[A any](h func(*state, context.Context, A) error) func(context.Context, A) error {
	return adapt.Do1(begin, h)
}

// do2 adapts a handler with two arguments.
func do2[A, B any](h func(*state, context.Context, A, B) error) func(context.Context, A, B) error {
	return adapt.Do2(begin, h)
}

func step(topic, phrase, example, pattern string, handler any) scenarios.Definition {
	return scenarios.Definition{Step: scenarios.Step{Topic: topic, Phrase: phrase, Example: example}, Pattern: pattern, Handler: handler}
}
