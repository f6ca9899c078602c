package scenarios

import (
	"context"

	"github.com/flireo-sim/flireo-sim/scenarios/internal/adapt"
)

// The step handlers are methods on the scenario's state. The adapters below
// turn one into the function godog calls: they find the state in the step's
// context, skip the steps of a skipped scenario and stop once the run was
// cancelled, so that a handler does only its own job. godog converts the
// step's arguments to the handler's types (string, int, float64,
// *godog.DocString).

// do adapts a handler without arguments.
func do(h func(*state, context.Context) error) func(context.Context) error { return adapt.Do(begin, h) }

// do1 adapts a handler with one argument.
func do1[A any](h func(*state, context.Context, A) error) func(context.Context, A) error {
	return adapt.Do1(begin, h)
}

// do2 adapts a handler with two arguments.
func do2[A, B any](h func(*state, context.Context, A, B) error) func(context.Context, A, B) error {
	return adapt.Do2(begin, h)
}

// setup adapts a Given step without arguments that sets up the call: it
// fails when a webhook was already sent (what names what it sets up).
func setup(what string, set func(*state) error) func(context.Context) error {
	return do(func(st *state, _ context.Context) error {
		if err := st.notStarted(what); err != nil {
			return err
		}
		return set(st)
	})
}

// setup1 is setup for a Given step with one argument.
func setup1[A any](what string, set func(*state, A) error) func(context.Context, A) error {
	return do1(func(st *state, _ context.Context, a A) error {
		if err := st.notStarted(what); err != nil {
			return err
		}
		return set(st, a)
	})
}

// setup2 is setup for a Given step with two arguments.
func setup2[A, B any](what string, set func(*state, A, B) error) func(context.Context, A, B) error {
	return do2(func(st *state, _ context.Context, a A, b B) error {
		if err := st.notStarted(what); err != nil {
			return err
		}
		return set(st, a, b)
	})
}

// begin returns the scenario state for a step that may run.
func begin(ctx context.Context) (*state, error) {
	st, err := current(ctx)
	if err != nil {
		return nil, err
	}
	return st, st.begin(ctx.Err())
}
