package simulator_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// AdvanceTo brings a call to each phase with the event that marks it as the
// last one sent; again it sends nothing; Finish then sends, byte for byte,
// what Play sends for the same seed.
func TestAdvanceToEachPhase(t *testing.T) {
	target := referenceURL(t)
	ctx := context.Background()
	p, g := plan(t, 3, 2, sim.BookAppointment, "nl")
	played, err := engine(t, target, setup{}).Play(ctx, p, g, sim.CallOptions{})
	require.NoError(t, err)
	cases := []struct {
		phase sim.Phase
		last  string // event:status of the last exchange; "" when nothing was sent
	}{
		{0, ""},
		{sim.PhaseAsked, "assistant-request"},
		{sim.PhaseAnswered, "status-update:in-progress"},
		{sim.PhaseConversed, "tool-calls"},
		{sim.PhaseEnded, "status-update:ended"},
		{sim.PhaseReported, "end-of-call-report"},
	}
	for _, c := range cases {
		p, g := plan(t, 3, 2, sim.BookAppointment, "nl")
		s := engine(t, target, setup{}).NewSession(p, g, sim.CallOptions{})
		xs, err := s.AdvanceTo(ctx, c.phase, sim.SendOptions{})
		require.NoError(t, err, c.phase)
		assert.Equal(t, len(s.Exchanges()), len(xs))
		assert.Equal(t, c.last, lastEvent(s.Exchanges()), "phase %d", c.phase)
		again, err := s.AdvanceTo(ctx, c.phase, sim.SendOptions{})
		require.NoError(t, err)
		assert.Empty(t, again, "phase %d: advancing to a phase reached sends nothing", c.phase)
		_, err = s.Finish(ctx, sim.SendOptions{})
		require.NoError(t, err)
		require.Equal(t, len(played.Exchanges), len(s.Exchanges()), "phase %d", c.phase)
		for i, x := range played.Exchanges {
			assert.Equal(t, string(x.Request.Body), string(s.Exchanges()[i].Request.Body), "phase %d, exchange %d", c.phase, i+1)
		}
		assert.Equal(t, played.EndReason, s.Result().EndReason)
	}
}

func lastEvent(xs []*sim.Exchange) string {
	if len(xs) == 0 {
		return ""
	}
	x := xs[len(xs)-1]
	if x.Event == sim.StatusUpdate {
		return string(x.Event) + ":" + string(x.Status)
	}
	return string(x.Event)
}

// A call that is over sends nothing more, whatever phase it is advanced to.
func TestAdvanceToAfterTheCallIsOver(t *testing.T) {
	rec := &recorder{assistant: `{"error":"Sorry, we zijn gesloten."}`}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	ctx := context.Background()
	p, g := plan(t, 5, 1, sim.OpeningHours, "nl")
	s := engine(t, ts.URL, setup{policy: sim.Policy{AfterReject: sim.RejectStatus}}).NewSession(p, g, sim.CallOptions{})
	xs, err := s.AdvanceTo(ctx, sim.PhaseAnswered, sim.SendOptions{})
	require.NoError(t, err)
	assert.Equal(t, []string{"assistant-request", "status-update:ended"}, events(&sim.CallResult{Exchanges: xs}))
	assert.True(t, s.Over())
	for _, ph := range []sim.Phase{sim.PhaseAnswered, sim.PhaseConversed, sim.PhaseEnded, sim.PhaseReported} {
		xs, err := s.AdvanceTo(ctx, ph, sim.SendOptions{})
		require.NoError(t, err)
		assert.Empty(t, xs, "phase %d", ph)
	}
	xs, err = s.Finish(ctx, sim.SendOptions{})
	require.NoError(t, err)
	assert.Empty(t, xs)
	assert.Len(t, s.Exchanges(), 2)
}

// Every delivery of a call goes through one path: the call's deliveries,
// signature probes and redeliveries are numbered in order and each is
// observed once; a one-off delivery is exchange 1 and observed once.
func TestOneDeliveryPathNumbersAndObservesEveryExchange(t *testing.T) {
	target := referenceURL(t)
	ctx := context.Background()
	seen := map[*sim.Exchange]int{}
	var order []int
	observe := func(x *sim.Exchange) {
		seen[x]++
		order = append(order, x.Seq)
	}
	p, g := plan(t, 4, 1, sim.OpeningHours, "nl")
	e := engine(t, target, setup{secret: "s3cret"})
	s := e.NewSession(p, g, sim.CallOptions{Observe: observe})
	_, err := s.Finish(ctx, sim.SendOptions{})
	require.NoError(t, err)
	base := s.Exchanges()[1]
	s.Probe(ctx, base, sim.ProbeTampered)
	s.Redeliver(ctx, s.Exchanges()[len(s.Exchanges())-2], sim.VariantRedelivery)
	s.Probe(ctx, base, sim.ProbeUnsigned)

	xs := s.Exchanges()
	require.Greater(t, len(xs), 4)
	for i, x := range xs {
		assert.Equal(t, i+1, x.Seq, "exchange %d", i+1)
		assert.Equal(t, 1, seen[x], "exchange %d is observed once", i+1)
		for _, f := range x.Findings {
			assert.Equal(t, x.Seq, f.Seq)
		}
	}
	assert.Equal(t, len(xs), len(order))
	for i, n := range order {
		assert.Equal(t, i+1, n, "observed in order")
	}

	calls := 0
	e.Observe = func(*sim.Exchange) { calls++ }
	x := e.Deliver(ctx, base.Request, nil)
	assert.Equal(t, 1, x.Seq)
	assert.Equal(t, 1, calls)
	assert.NotEmpty(t, x.Findings)
}

// A failure is marshalled in snake_case like the rest of call --json.
func TestFailureJSONIsSnakeCase(t *testing.T) {
	b, err := json.Marshal(sim.Failure{Kind: sim.FailTimeout, Detail: "no reply within 5s"})
	require.NoError(t, err)
	assert.JSONEq(t, `{"kind":"timeout","detail":"no reply within 5s"}`, string(b))
}
