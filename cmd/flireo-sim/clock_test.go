package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClockFlagRefusesBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"call", "--target", "http://127.0.0.1:1/webhook", "--clock", "yesterday"},
		{"send", "status-update", "--print", "--clock", "2026-01-05 09:00"},
		{"conform", "--target", "http://127.0.0.1:1/webhook", "--clock", "2026-13-01T00:00:00Z"},
		{"load", "--target", "http://127.0.0.1:1/webhook", "--clock", "1767603600"},
		{"serve", "--webhook", "http://127.0.0.1:1/webhook", "--clock", "noon"},
		{"demo", "--clock", "tomorrow"},
	} {
		code, _, errOut := cli(t, nil, args...)
		assert.Equal(t, exitUsage, code, "%v", args)
		assert.Contains(t, errOut, "--clock", "%v", args)
		assert.Contains(t, errOut, "RFC 3339", "%v", args)
	}
}

// callDoc is what the tests read of call --json.
type callDoc struct {
	Call struct {
		ID    string `json:"id"`
		Seed  int64  `json:"seed"`
		Clock string `json:"clock"`
	} `json:"call"`
	Exchanges []struct {
		Request json.RawMessage `json:"request"`
	} `json:"exchanges"`
}

func playJSON(t *testing.T, target string, extra ...string) callDoc {
	t.Helper()
	code, out, errOut := cli(t, nil, append([]string{"call", "--target", target, "--json", "--no-probes"}, extra...)...)
	require.Equal(t, 0, code, errOut)
	var d callDoc
	require.NoError(t, json.Unmarshal([]byte(out), &d))
	return d
}

// TestFreshSeedAndReplay: without --seed every run draws its own seed (and
// call id) and says so; the printed seed and clock replay the call byte for
// byte; without --clock the call is dated now.
func TestFreshSeedAndReplay(t *testing.T) {
	target := server(t, integrator.Options{})
	before := time.Now().Add(-time.Second)
	a, b := playJSON(t, target), playJSON(t, target)
	assert.NotEqual(t, a.Call.Seed, b.Call.Seed, "each run draws a seed")
	assert.NotEqual(t, a.Call.ID, b.Call.ID, "call ids never repeat by accident")
	clock, err := time.Parse(time.RFC3339Nano, a.Call.Clock)
	require.NoError(t, err, "the call's clock is printed")
	assert.True(t, clock.After(before) && clock.Before(time.Now().Add(time.Second)), "the call is placed now: %v", clock)

	again := playJSON(t, target, "--seed", itoa(a.Call.Seed), "--clock", a.Call.Clock)
	require.Equal(t, len(a.Exchanges), len(again.Exchanges))
	for i := range a.Exchanges {
		assert.Equal(t, string(a.Exchanges[i].Request), string(again.Exchanges[i].Request), "exchange %d replays byte for byte", i)
	}

	code, out, _ := cli(t, nil, "call", "--target", target, "--no-probes", "--transcript=false")
	require.Equal(t, 0, code)
	header := regexp.MustCompile(`· seed (\d+) #1 · clock (\S+)\n`).FindStringSubmatch(out)
	require.NotNil(t, header, "the header names the seed and the clock:\n%s", out)
	assert.Contains(t, out, "replay: flireo-sim call --target "+target+" --dialect flireo --seed "+header[1]+" --clock "+header[2]+" --call 1")
}

func itoa(n int64) string {
	b, _ := json.Marshal(n)
	return strings.TrimSpace(string(b))
}
