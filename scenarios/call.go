package scenarios

import (
	"context"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// Call is a scenario's call as the library's steps play it, for the
// integrator's own steps registered next to the library's.
type Call struct{ st *state }

// CallFrom returns the scenario's call from a step's context; false when
// the library is not registered for the scenario.
func CallFrom(ctx context.Context) (*Call, bool) {
	st := stateFrom(ctx)
	if st == nil {
		return nil, false
	}
	return &Call{st: st}, true
}

// Session is the call's session (its plan, assistant configuration,
// exchanges and transcript); nil before a step started the call.
func (c *Call) Session() *sim.Session { return c.st.sess }

// Last returns the exchanges of the last step that sent webhooks.
func (c *Call) Last() []*sim.Exchange { return c.st.last }

// Value returns a value of the call by its placeholder name: call_id,
// base, target, customer, phone_number, caller_name, intent, end_reason,
// summary, assistant_id, tool_call_id, seed; with the platform API steps
// also api (the mock platform's base URL), and call_id is then the id of
// the last call started through the API.
func (c *Call) Value(name string) (string, bool) {
	v, ok := c.st.values()[name]
	return v, ok
}
