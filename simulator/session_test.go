package simulator_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
)

func referenceURL(t *testing.T) string {
	t.Helper()
	return integratortest.Start(t).Webhook()
}

func TestSessionVariantsAndOrder(t *testing.T) {
	target := referenceURL(t)
	ctx := context.Background()
	p, g := plan(t, 4, 1, sim.OpeningHours, "nl")
	s := engine(t, target, setup{}).NewSession(p, g, sim.CallOptions{})

	// Changes apply to the named event only.
	marked := sim.SendOptions{Variant: sim.VariantExtraFields, Events: []sim.EventType{sim.StatusUpdate},
		Mutate: func(b []byte) ([]byte, error) {
			return bytes.Replace(b, []byte(`{"message":{`), []byte(`{"x":1,"message":{`), 1), nil
		}}
	xs, err := s.AssistantRequest(ctx, marked)
	require.NoError(t, err)
	require.Len(t, xs, 1)
	assert.Equal(t, sim.VariantNone, xs[0].Request.Variant)
	xs, err = s.Answer(ctx, marked)
	require.NoError(t, err)
	assert.Equal(t, sim.VariantExtraFields, xs[0].Request.Variant)
	assert.True(t, bytes.HasPrefix(xs[0].Request.Body, []byte(`{"x":1,"message":{`)))

	// The report before the status-update ended, then delivered again.
	xs, err = s.SendReport(ctx, sim.SendOptions{Variant: sim.VariantOutOfOrder})
	require.NoError(t, err)
	require.Len(t, xs, 1)
	report := xs[0]
	xs, err = s.End(ctx, sim.StatusEnded, "", "", sim.SendOptions{Variant: sim.VariantOutOfOrder})
	require.NoError(t, err)
	require.Len(t, xs, 1)
	assert.Equal(t, p.EndReason, s.Result().EndReason, "no reason given: the plan's")
	again := s.Redeliver(ctx, report, sim.VariantRedelivery)
	assert.Equal(t, report.Request.Body, again.Request.Body)
	assert.Equal(t, sim.VariantRedelivery, again.Request.Variant)
	assert.Equal(t, len(s.Exchanges()), again.Seq)
	var redelivery sim.Verdict
	for _, f := range again.Findings {
		if f.Check == check.ReportRedelivery {
			redelivery = f.Verdict
		}
		assert.NotEqual(t, check.HTTP2xx, f.Check, "the variant's own check judges its status")
	}
	assert.Equal(t, sim.Pass, redelivery)
	var events []string
	for _, x := range s.Exchanges() {
		events = append(events, string(x.Event)+" "+string(x.Status))
	}
	assert.Equal(t, []string{"assistant-request ringing", "status-update in-progress", "end-of-call-report ended",
		"status-update ended", "end-of-call-report ended"}, events)
}

func TestSessionRefusesStepsOutOfTurn(t *testing.T) {
	target := referenceURL(t)
	ctx := context.Background()
	p, g := plan(t, 5, 1, sim.BookAppointment, "nl")
	s := engine(t, target, setup{}).NewSession(p, g, sim.CallOptions{})
	_, err := s.CallTools(ctx, []sim.ToolCall{{ID: "t1", Name: "lookup_contact"}}, sim.SendOptions{})
	assert.ErrorContains(t, err, "must be answered")
	_, err = s.AssistantRequest(ctx, sim.SendOptions{})
	require.NoError(t, err)
	_, err = s.AssistantRequest(ctx, sim.SendOptions{})
	assert.ErrorContains(t, err, "already sent")
	_, err = s.Answer(ctx, sim.SendOptions{})
	require.NoError(t, err)
	x, err := s.CallTools(ctx, []sim.ToolCall{{ID: "t1", Name: "lookup_contact"}, {ID: "t2", Name: "get_opening_hours"}}, sim.SendOptions{})
	require.NoError(t, err)
	require.NotNil(t, x.Tools)
	assert.Len(t, x.Tools.Results, 2, "one request, every call answered")
	_, err = s.Finish(ctx, sim.SendOptions{})
	require.NoError(t, err)
	_, err = s.SendReport(ctx, sim.SendOptions{})
	assert.ErrorContains(t, err, "already sent")
	_, err = s.Answer(ctx, sim.SendOptions{})
	assert.ErrorIs(t, err, sim.ErrCallOver)

	out, og := plan(t, 5, 2, sim.Voicemail, "nl")
	_, err = engine(t, target, setup{}).NewSession(out, og, sim.CallOptions{}).AssistantRequest(ctx, sim.SendOptions{})
	assert.ErrorContains(t, err, "outbound")
}
