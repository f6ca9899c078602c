package load_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
	"github.com/flireo-sim/flireo-sim/simulator/load"
)

// The sink answers every event of every dialect so that no check fails and
// calls take their full course, tool calls included.
func TestSinkIsACorrectReceiverInEveryDialect(t *testing.T) {
	ts := httptest.NewServer(load.NewSink(load.SinkOptions{}))
	defer ts.Close()
	for _, d := range dialect.Names() {
		t.Run(d, func(t *testing.T) {
			k, err := kit.New(kit.Options{Target: ts.URL + "/webhook", Dialect: d, Secret: "s", Seed: 3})
			require.NoError(t, err)
			defer k.Close()
			tools := 0
			for n := 1; n <= 12; n++ {
				plan, gen := k.Calls.Call(n, fake.Options{Intent: sim.Intents[n%len(sim.Intents)], ErrorRate: -1})
				res, err := k.Engine.Play(context.Background(), plan, gen, sim.CallOptions{})
				require.NoError(t, err)
				for _, x := range res.Exchanges {
					if x.Event == sim.ToolCalls {
						tools++
					}
					for _, f := range x.Findings {
						assert.NotEqual(t, sim.Fail, f.Verdict, "%s %s: %s %s", d, x.Event, f.Check, f.Detail)
					}
				}
				if k.Dialect.Sends(sim.AssistantRequest) && plan.Direction != sim.Outbound {
					assert.Equal(t, sim.ReplyOverride, res.Reply, "call %d", n)
				}
			}
			if k.Dialect.Sends(sim.ToolCalls) {
				assert.Greater(t, tools, 5, "the sink's assistant declares tools, so calls use them")
			}
		})
	}
}

func TestSinkDelayAndHang(t *testing.T) {
	slow := httptest.NewServer(load.NewSink(load.SinkOptions{Delay: 30 * time.Millisecond}))
	defer slow.Close()
	began := time.Now()
	resp, err := http.Post(slow.URL, "application/json", strings.NewReader(`{"eventType":"assistant-request"}`))
	require.NoError(t, err)
	resp.Body.Close()
	assert.GreaterOrEqual(t, time.Since(began), 30*time.Millisecond)

	hang := httptest.NewServer(load.NewSink(load.SinkOptions{Hang: true}))
	defer hang.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, hang.URL, strings.NewReader(`{}`))
	_, err = http.DefaultClient.Do(req)
	require.Error(t, err, "a hanging sink never answers")

	resp, err = http.Get(slow.URL)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusMethodNotAllowed, resp.StatusCode)
}

// A Lean call: exchanges keep no bodies or headers once checked, and the
// verdicts are the same.
func TestLeanEngineDropsBodiesAfterChecks(t *testing.T) {
	ts := httptest.NewServer(load.NewSink(load.SinkOptions{}))
	defer ts.Close()
	k, err := kit.New(kit.Options{Target: ts.URL + "/webhook", Secret: "s", Seed: 5})
	require.NoError(t, err)
	defer k.Close()
	var seen int
	observe := func(x *sim.Exchange) {
		seen++
		assert.NotEmpty(t, x.Request.Body, "the observer still sees the body")
	}
	plan, gen := k.Calls.Call(1, fake.Options{Intent: sim.BookAppointment, ErrorRate: -1})
	res, err := k.Engine.Play(context.Background(), plan, gen, sim.CallOptions{Observe: observe, Lean: true})
	require.NoError(t, err)
	require.NotEmpty(t, res.Exchanges)
	assert.Equal(t, len(res.Exchanges), seen)
	for _, x := range res.Exchanges {
		assert.Nil(t, x.Request.Body)
		assert.Nil(t, x.Response.Body)
		assert.Nil(t, x.Response.SentBody)
		assert.Nil(t, x.Response.SentHeader)
		assert.NotEmpty(t, x.Findings, "verdicts are kept")
		assert.Positive(t, x.Response.Latency)
	}
	assert.False(t, res.Failed(sim.Must))
}
