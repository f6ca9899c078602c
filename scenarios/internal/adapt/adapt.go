// Package adapt turns step handlers that are methods on a scenario's state
// into the functions godog calls: begin finds the state in the step's
// context (and refuses the steps of a skipped or stopped scenario) once for
// every handler, and godog converts the step's arguments to the handler's
// types.
package adapt

import "context"

// Do adapts a handler without arguments.
func Do[S any](begin func(context.Context) (S, error), h func(S, context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		st, err := begin(ctx)
		if err != nil {
			return err
		}
		return h(st, ctx)
	}
}

// Do1 adapts a handler with one argument.
func Do1[S, A any](begin func(context.Context) (S, error), h func(S, context.Context, A) error) func(context.Context, A) error {
	return func(ctx context.Context, a A) error {
		st, err := begin(ctx)
		if err != nil {
			return err
		}
		return h(st, ctx, a)
	}
}

// Do2 adapts a handler with two arguments.
func Do2[S, A, B any](begin func(context.Context) (S, error), h func(S, context.Context, A, B) error) func(context.Context, A, B) error {
	return func(ctx context.Context, a A, b B) error {
		st, err := begin(ctx)
		if err != nil {
			return err
		}
		return h(st, ctx, a, b)
	}
}
