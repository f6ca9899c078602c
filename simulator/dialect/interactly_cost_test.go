package dialect

import (
	"encoding/json"
	"math"
	"math/big"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/stretchr/testify/require"
)

func TestCostValue(t *testing.T) {
	for _, tc := range []struct {
		v    float64
		want string
	}{
		{0, "0"},
		{0.15135300000000002, "0.151353"},
		{0.010620000000000001, "0.01062"},
		{0.005348418610800001, "0.0053484186"},
		{0.0003385, "0.0003385"},
		{7.600000001, "7.600000001"},
		{12, "12"},
		{-0.25, "-0.25"},
		{1e-11, "0"},
	} {
		got, err := appendCostValue(nil, tc.v)
		require.NoError(t, err)
		require.Equal(t, tc.want, string(got), "%v", tc.v)
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), 1e300} {
		_, err := appendCostValue(nil, bad)
		require.Error(t, err, "%v", bad)
	}
}

// costNumber is a cost as printed: digits, at most ten decimals, no
// trailing zero.
var costNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]{0,9}[1-9])?$`)

// TestInteractlyCostPrecision: over many seeded calls and noisy usage
// figures, every cost of call.cost is printed with at most ten decimals and
// totalCost is exactly the decimal sum of the printed parts.
func TestInteractlyCostPrecision(t *testing.T) {
	d, err := ByName("interactly")
	require.NoError(t, err)
	f, err := fake.New(11)
	require.NoError(t, err)
	f = f.WithClock(func() time.Time { return time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC) })
	r := rand.New(rand.NewPCG(1, 2))
	keys := []string{"interactlyCost", "phoneCost", "ttsVendorCost", "sttVendorCost", "llmVendorCost"}
	for n := range 300 {
		p, g := f.Call(n, fake.Options{})
		started := p.Start.Add(p.Ring)
		msgs := []simulator.Message{
			{Role: simulator.RoleAssistant, Content: "Goedemorgen, waarmee kan ik u helpen?", At: started},
			{Role: simulator.RoleUser, Content: strings.Repeat("ja ", 1+n%40), At: started.Add(3 * time.Second)},
		}
		u := g.Usage(p, msgs)
		if n%2 == 1 { // figures with float noise of their own
			u.PlatformCost, u.STTCost, u.LLMCost = r.Float64()/7, r.Float64()/3, 0.1+0.2
		}
		rep := &simulator.Report{Started: started, Ended: started.Add(time.Duration(5+n) * time.Second), Messages: msgs, Usage: u, EndReason: simulator.EndUserHangup}
		ev := &simulator.Event{Type: simulator.EndOfCallReport, Plan: p, At: rep.Ended.Add(2 * time.Second), Status: simulator.StatusEnded, EndReason: rep.EndReason, Report: rep}
		body, err := d.Render(nil, ev)
		require.NoError(t, err)
		var doc struct {
			Message struct {
				Call struct {
					Cost map[string]any
				}
			}
		}
		dec := json.NewDecoder(strings.NewReader(string(body)))
		dec.UseNumber()
		require.NoError(t, dec.Decode(&doc))
		cost := doc.Message.Call.Cost
		sum := new(big.Rat)
		for _, k := range keys {
			v := string(cost[k].(json.Number))
			require.Regexp(t, costNumber, v, "call %d %s", n, k)
			x, ok := new(big.Rat).SetString(v)
			require.True(t, ok)
			sum.Add(sum, x)
		}
		total := string(cost["totalCost"].(json.Number))
		require.Regexp(t, costNumber, total, "call %d totalCost", n)
		tot, _ := new(big.Rat).SetString(total)
		require.Zero(t, sum.Cmp(tot), "call %d: totalCost %s is not the sum of the parts %s", n, total, sum.FloatString(12))
	}
}
