package kit

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
)

func TestParsePace(t *testing.T) {
	for in, want := range map[string]float64{"": 0, "instant": 0, "realtime": 1, "1x": 1, "10x": 10, "2.5x": 2.5} {
		got, err := ParsePace(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, bad := range []string{"fast", "0x", "-2x", "x"} {
		_, err := ParsePace(bad)
		assert.ErrorContains(t, err, "instant, realtime", bad)
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	cases := map[string]Options{
		"no target":          {},
		"not an http(s)":     {Target: "127.0.0.1:8080"},
		"flireo-legacy":      {Target: "http://127.0.0.1:1", Dialect: "vapi"},
		"Policy.AfterReject": {Target: "http://127.0.0.1:1", Policy: sim.Policy{AfterReject: "later"}},
		"not a JSON":         {Target: "http://127.0.0.1:1", DefaultAssistant: json.RawMessage(`[1]`)},
		"TimeoutScale":       {Target: "http://127.0.0.1:1", TimeoutScale: -1},
	}
	for want, o := range cases {
		_, err := New(o)
		assert.ErrorContains(t, err, want)
	}
}

func TestParseAssistantAcceptsBothWrappings(t *testing.T) {
	d, err := dialect.ByName("flireo")
	require.NoError(t, err)
	for _, raw := range []string{
		`{"first_message":"Hoi","llm_config":{"tools":[{"name":"lookup_contact","description":"x"}]}}`,
		`{"assistant":{"firstMessage":"Hoi","llm_config":{"tools":[{"name":"lookup_contact","description":"x"}]}}}`,
	} {
		cfg, err := ParseAssistant(d, json.RawMessage(raw))
		require.NoError(t, err, raw)
		assert.Equal(t, "Hoi", cfg.FirstMessage)
		require.Len(t, cfg.Tools, 1)
		assert.Equal(t, "lookup_contact", cfg.Tools[0].Name)
	}
}

func TestPlayWithProbes(t *testing.T) {
	ref := integratortest.Start(t, integratortest.Secret("k"))
	k, err := New(Options{Target: ref.Webhook(), Secret: "k", Seed: 3})
	require.NoError(t, err)
	defer k.Close()
	p, g := k.Calls.Call(1, fake.Options{Intent: sim.OrderStatus})
	res, err := k.Play(context.Background(), p, g, true, sim.CallOptions{})
	require.NoError(t, err)
	var probes []sim.Probe
	for _, x := range res.Exchanges {
		if x.Request.Probe != "" {
			probes = append(probes, x.Request.Probe)
		}
	}
	assert.Equal(t, Probes(), probes)
	assert.False(t, res.Failed(""), "%v", res.Findings())
}
