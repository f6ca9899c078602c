package fake

import (
	"reflect"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// TestIntentsByDirection: over many seeded calls in both languages, a call
// of a direction carries only intents of that direction, each in about its
// weight's share, and every intent of the direction is drawn.
func TestIntentsByDirection(t *testing.T) {
	f := newFactory(t, 31)
	const calls = 3000
	tests := []struct {
		dir     simulator.Direction
		intents []weightedIntent // the expected shares
	}{
		{simulator.Outbound, outboundWeights},
		{simulator.Inbound, mixInbound()},
		{simulator.Web, mixInbound()},
	}
	for _, tt := range tests {
		t.Run(string(tt.dir), func(t *testing.T) {
			got := map[simulator.Intent]int{}
			for n := range calls {
				lang := [2]string{"nl", "en"}[n%2]
				p, _ := f.Call(n, Options{Direction: tt.dir, Lang: lang})
				require.Equal(t, tt.dir, p.Direction)
				require.True(t, simulator.IntentFits(p.Intent, tt.dir), "call %d: %s on a call of direction %s", n, p.Intent, tt.dir)
				got[p.Intent]++
			}
			total := 0
			for _, w := range tt.intents {
				total += w.weight
			}
			for _, w := range tt.intents {
				want := float64(calls*w.weight) / float64(total)
				assert.InDelta(t, want, float64(got[w.intent]), 0.25*want+25, "%s: %d calls of %d", w.intent, got[w.intent], calls)
			}
			assert.Len(t, got, len(tt.intents), "every intent of the direction is drawn: %v", got)
		})
	}
}

// mixInbound is the mix's inbound intents with their weights.
func mixInbound() []weightedIntent {
	var out []weightedIntent
	for k, w := range mixWeights {
		if in := simulator.Intents[k]; simulator.IntentDirection(in) == simulator.Inbound {
			out = append(out, weightedIntent{in, w})
		}
	}
	return out
}

// TestUndirectedMix: without a direction the mix is mostly inbound, with
// voicemail's share of outbound calls spread over the outbound intents; an
// asked intent sets the direction.
func TestUndirectedMix(t *testing.T) {
	f := newFactory(t, 32)
	outbound := map[simulator.Intent]int{}
	const calls = 3000
	for n := range calls {
		p, _ := f.Call(n, Options{})
		require.Equal(t, simulator.IntentDirection(p.Intent), p.Direction, "call %d", n)
		if p.Direction == simulator.Outbound {
			outbound[p.Intent]++
		}
	}
	n := 0
	for _, c := range outbound {
		n += c
	}
	assert.InDelta(t, float64(calls*8)/96, float64(n), 60, "voicemail's share of the mix is outbound")
	assert.Greater(t, len(outbound), 3, "spread over the outbound intents: %v", outbound)

	for _, in := range simulator.Intents {
		p, _ := f.Call(1, Options{Intent: in})
		assert.Equal(t, simulator.IntentDirection(in), p.Direction, "%s", in)
	}
}

// TestDirectionKeepsInboundCalls: asking for the inbound direction changes
// nothing in a call whose undirected draw was inbound, and an asked intent
// keeps the rest of the call's data in either direction.
func TestDirectionKeepsInboundCalls(t *testing.T) {
	f := newFactory(t, 33)
	for n := range 300 {
		free, _ := f.Call(n, Options{})
		if free.Direction == simulator.Inbound {
			in, _ := f.Call(n, Options{Direction: simulator.Inbound})
			require.True(t, reflect.DeepEqual(free, in), "call %d changed when asked inbound", n)
		}
		out, _ := f.Call(n, Options{Direction: simulator.Outbound})
		same, _ := f.Call(n, Options{Direction: simulator.Outbound, Intent: out.Intent})
		require.True(t, reflect.DeepEqual(out, same), "call %d changed when its drawn intent was asked", n)
		assert.Equal(t, free.Persona, out.Persona, "call %d: the direction keeps the persona", n)
	}
}

// TestOutboundOpeningAndClosing: the default agent's lines of an outbound
// call introduce the assistant and its business, and thank the callee for
// their time; inbound calls keep the language's defaults.
func TestOutboundOpeningAndClosing(t *testing.T) {
	f := newFactory(t, 34)
	for n := range 200 {
		lang := [2]string{"nl", "en"}[n%2]
		p, _ := f.Call(n, Options{Direction: simulator.Outbound, Lang: lang})
		def := simulator.DefaultAssistantFor(p)
		if p.Intent == simulator.Voicemail {
			assert.Empty(t, p.Opening)
			continue
		}
		require.Equal(t, p.Opening, def.FirstMessage)
		require.Equal(t, p.Closing, def.EndCallMessage)
		assert.Contains(t, p.Opening, p.Business, "call %d: the assistant says whose assistant it is", n)
		in, _ := f.Call(n, Options{Direction: simulator.Inbound, Lang: lang})
		assert.Empty(t, in.Opening+in.Closing)
		assert.Equal(t, simulator.DefaultAssistant(lang), simulator.DefaultAssistantFor(in))
	}
}
