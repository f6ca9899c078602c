package diagnose

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

func exchange(status int, signed, plain bool, probe sim.Probe) *sim.Exchange {
	h := http.Header{"X-Webhook-Timestamp": {"1"}}
	if signed {
		h.Set("X-Webhook-Signature", "sha256=00")
	}
	if plain {
		h = http.Header{}
	}
	return &sim.Exchange{Request: sim.Request{Plain: plain, Probe: probe}, Response: sim.Response{Status: status, SentHeader: h}}
}

func repeat(n int, x *sim.Exchange) []*sim.Exchange {
	out := make([]*sim.Exchange, n)
	for i := range out {
		out[i] = x
	}
	return out
}

func TestHints(t *testing.T) {
	signed401 := exchange(401, true, false, sim.ProbeNone)
	signed200 := exchange(200, true, false, sim.ProbeNone)
	unsigned401 := exchange(401, false, false, sim.ProbeNone)
	unsigned200 := exchange(200, false, false, sim.ProbeNone)
	plain200 := exchange(200, false, true, sim.ProbeNone)
	probe401 := exchange(401, true, false, sim.ProbeWrongSecret)
	down := exchange(0, true, false, sim.ProbeNone)
	cases := []struct {
		name   string
		xs     []*sim.Exchange
		secret bool
		want   []string
	}{
		{"wrong secret: every signed webhook refused", append(repeat(50, signed401), probe401, plain200), true, []string{HintSecretMismatch}},
		{"wrong secret, 403", repeat(3, exchange(403, true, false, sim.ProbeNone)), true, []string{HintSecretMismatch}},
		{"right secret: probes refused, the rest accepted", append(repeat(50, signed200), probe401), true, nil},
		{"one signed webhook accepted", append(repeat(49, signed401), signed200), true, nil},
		{"only probes refused", repeat(5, probe401), true, nil},
		{"no secret, server demands signatures", append(repeat(20, unsigned401), plain200), false, []string{HintSecretMissing}},
		{"no secret, server accepts unsigned", repeat(20, unsigned200), false, nil},
		{"no secret, some refused for another reason", append(repeat(3, unsigned401), unsigned200), false, nil},
		{"no secret, only plain legacy deliveries", repeat(3, exchange(401, false, true, sim.ProbeNone)), false, nil},
		{"no reply at all", repeat(5, down), true, nil},
		{"nothing sent", nil, true, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, Hints(c.xs, c.secret))
		})
	}
}

func TestGroup(t *testing.T) {
	var details []string
	for i := range 50 {
		details = append(details, "status-update answered HTTP 401 after "+string(rune('1'+i%9))+"ms")
	}
	details = append(details, "assistant-request answered HTTP 500", "call 6d5e141f-54f4-5f76-9a59-9259632f771a: 409",
		"call 875573b5-4458-45be-bac2-4d2b869f8297: 409")
	got := Group("http-2xx", details, 0)
	assert.Equal(t, []Cause{
		{Detail: "status-update answered HTTP 401 after 1ms", Exchanges: 50},
		{Detail: "call 6d5e141f-54f4-5f76-9a59-9259632f771a: 409", Exchanges: 2},
		{Detail: "assistant-request answered HTTP 500", Exchanges: 1},
	}, got)
	assert.Len(t, Group("http-2xx", details, 2), 2)
	assert.Empty(t, Group("http-2xx", nil, 0))
}
