package platform

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// TestAskEmailRoundTrip proves the pattern of spec §5.2 end to end: the
// platform calls the ask_email tool on the reference integrator, which
// answers, then injects the confirmed address into the live call through
// POST /api/v1/calls/{id}/control; the assistant reads it back, and the
// following webhooks and the end-of-call-report show it.
func TestAskEmailRoundTrip(t *testing.T) {
	for _, d := range []string{"flireo", "flireo-camel", "flireo-legacy"} {
		t.Run(d, func(t *testing.T) {
			t.Parallel()
			askEmailRoundTrip(t, d)
		})
	}
}

func askEmailRoundTrip(t *testing.T, dialectName string) {
	// The platform's address must be known before the integrator starts.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	api := "http://" + ln.Addr().String()
	var rec *recorder
	ref := integratortest.Start(t, integratortest.With(integrator.Options{Secret: "whsec_test", PlatformAPI: api + "/api/v1", PlatformKey: testKey}),
		integratortest.Wrap(func(srv http.Handler) http.Handler { rec = newRecorder(srv); return rec }))
	srv, hookSrv := ref.Server, ref.HTTP

	const ask = "Could you e-mail me the details? My address is a bit hard to spell."
	p, err := New(Options{
		Sim:     kit.Options{Target: hookSrv.URL + "/webhook", Secret: "whsec_test", Dialect: dialectName, Seed: 3, Pace: 40},
		APIKeys: []string{testKey},
		adjustPlan: func(p *sim.CallPlan) {
			for len(p.Turns) < 3 {
				p.Turns = append(p.Turns, sim.Turn{Gap: time.Second, Caller: "Okay.", Reply: "Fine."})
			}
			for i := range p.Turns {
				p.Turns[i].Need = ""
			}
			// The caller asks for the e-mail on the second turn; the
			// assistant's answer takes 10 s on the call's clock, time
			// enough for the injected address to arrive before the next step.
			p.Turns[1] = sim.Turn{Gap: time.Second, Caller: ask, Speak: 4 * time.Second, Need: sim.NeedEmail,
				Reply: "Sure.", Think: time.Second, Talk: 10 * time.Second}
		},
	})
	require.NoError(t, err)
	ts := &httptest.Server{Listener: ln, Config: &http.Server{Handler: p}}
	ts.Start()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		p.Shutdown(ctx)
		ts.Close()
		srv.Close()
	})
	e := &env{t: t, p: p, url: ts.URL, rec: rec, srv: srv, hook: hookSrv.URL}

	id := e.inbound(map[string]any{"intent": "callback", "lang": "en", "caller": "+31612345678"})
	e.wait(id)

	// The platform asked the integrator's ask_email tool.
	var asked bool
	for _, d := range rec.of(id) {
		asked = asked || (d.event == "tool-calls" && strings.Contains(string(d.body), "ask_email"))
	}
	if dialectName == "flireo-legacy" {
		for _, d := range rec.all() {
			asked = asked || strings.Contains(string(d.body), `"taskName":"ask_email"`) && strings.Contains(string(d.body), id)
		}
	}
	require.True(t, asked, "a tool-calls event for ask_email was delivered")

	// The integrator's inject-context arrived through the control API.
	p.mu.Lock()
	c := p.calls[id]
	p.mu.Unlock()
	v := c.view()
	i := slices.IndexFunc(v.Entries, func(x entryView) bool { return x.IsCmd && x.What == sim.CommandInjectContext })
	require.GreaterOrEqual(t, i, 0, "the integrator sent a control command")
	assert.True(t, v.Entries[i].CommandAccepted, "while the call was in progress: %s", v.Entries[i].Result)
	assert.Contains(t, v.Entries[i].CommandText, "the assistant responds")

	// Its effect: the assistant reading the address back, after the tool's
	// own answer, in the transcript of the report.
	obj := e.get(id)
	var msgs []message
	for _, m := range obj["messages"].([]any) {
		mm := m.(map[string]any)
		msgs = append(msgs, message{mm["role"].(string), mm["content"].(string)})
	}
	const email = "jan.devries@example.nl"
	read := slices.IndexFunc(msgs, func(m message) bool { return strings.Contains(m.Content, email) })
	require.GreaterOrEqual(t, read, 0, "the injected address is read back in the transcript: %v", msgs)
	assert.Equal(t, "assistant", msgs[read].Role, "the assistant reads the address back (trigger_response); the context itself is not a line")
	asked1 := slices.IndexFunc(msgs, func(m message) bool { return m.Role == "user" && m.Content == ask })
	require.GreaterOrEqual(t, asked1, 0)
	assert.Less(t, asked1, read, "the address arrives after the caller asked")
	for _, m := range msgs {
		t.Logf("%-9s %s", m.Role, m.Content)
	}

	if dialectName != "flireo-camel" { // G2's report carries no messages
		if dialectName == "flireo-legacy" {
			var found bool
			for _, d := range rec.all() {
				found = found || strings.Contains(string(d.body), `"eventType":"end-of-call-report"`) && strings.Contains(string(d.body), email)
			}
			assert.True(t, found, "the legacy end-of-call-report's transcript has the address")
		} else {
			assert.Contains(t, e.report(id).lines("assistant"), msgs[read].Content, "the end-of-call-report has the answer")
		}
	}
}
