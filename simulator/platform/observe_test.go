package platform

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// Options.Observe receives every webhook exchange of every call, checked,
// in the order the call sent them, as the integrator received them.
func TestObserveReceivesEveryCheckedExchange(t *testing.T) {
	var mu sync.Mutex
	var got []*sim.Exchange
	e := setup(t, func(o *Options) {
		o.Observe = func(x *sim.Exchange) {
			mu.Lock()
			got = append(got, x)
			mu.Unlock()
		}
	})
	ids := []string{
		e.inbound(map[string]any{"intent": "book-appointment", "seed": 5, "call": 1}),
		e.inbound(map[string]any{"intent": "callback", "seed": 5, "call": 2}),
	}
	for _, id := range ids {
		e.wait(id)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, id := range ids {
		var events []string
		for _, x := range got {
			if x.CallID != id {
				continue
			}
			events = append(events, string(x.Event))
			assert.NotEmpty(t, x.Findings, "%s #%d is checked", x.Event, x.Seq)
			for _, f := range x.Findings {
				assert.NotEqual(t, sim.Fail, f.Verdict, "%s #%d: %s %s", x.Event, x.Seq, f.Check, f.Detail)
			}
		}
		require.NotEmpty(t, events, "call %s", id)
		assert.Equal(t, e.events(id), events, "call %s: the deliveries in order", id)
		assert.Equal(t, string(sim.AssistantRequest), events[0])
		assert.Equal(t, string(sim.EndOfCallReport), events[len(events)-1])
	}
}
