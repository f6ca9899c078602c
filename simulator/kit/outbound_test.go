package kit

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
)

// Phrases that belong to calls the customer placed: greetings and closings
// (the assistant greeting or thanking a caller; none may occur on an
// outbound call, whoever says it) and the caller's lines saying why they
// call (none may be the callee's).
var (
	inboundAssistantPhrases = []string{
		"bedankt voor het bellen", "bedankt dat u belt", "fijn dat u belt", "goed dat u belt", "leuk dat je belt",
		"waarmee kan ik u helpen", "belt u gerust opnieuw", "u kunt ons altijd opnieuw bellen",
		"thank you for calling", "thanks for calling", "glad you called", "how can i help you", "call us again",
	}
	inboundCallerPhrases = []string{
		"ik bel om", "ik bel over", "ik bel omdat", "ik wil graag een afspraak maken",
		"i'm calling", "i am calling", "i'd like to book",
	}
)

// inboundPhrases lists the inbound phrases in the call's messages.
func inboundPhrases(msgs []sim.Message) []string {
	var out []string
	for _, m := range msgs {
		list := inboundAssistantPhrases
		if m.Role == sim.RoleUser {
			list = append(list[:len(list):len(list)], inboundCallerPhrases...)
		}
		text := strings.ToLower(m.Content)
		for _, p := range list {
			if strings.Contains(text, p) {
				out = append(out, fmt.Sprintf("%s %q", m.Role, m.Content))
			}
		}
	}
	return out
}

// declaredUnmet are the needs of outbound intents that the reference
// integrator has no tool for, and what the assistant does instead.
var declaredUnmet = map[string]string{
	sim.NeedTicketStatus: "no ticket lookup tool: the assistant says it cannot look the ticket up and offers a colleague",
}

// referenceTools plays one inbound call against the reference integrator
// and returns the tools its assistant declares.
func referenceTools(t *testing.T, k *Kit) []sim.Tool {
	t.Helper()
	p, g := k.Calls.Call(1, fake.Options{Intent: sim.BookAppointment, Direction: sim.Inbound, ErrorRate: 0})
	res, err := k.Engine.Play(context.Background(), p, g, sim.CallOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, res.Config.Tools)
	return res.Config.Tools
}

// TestOutboundTranscripts plays seeded outbound calls in both languages
// against the reference integrator, with its tools and without: the plans
// carry only outbound intents and no transcript has an inbound greeting,
// closing or caller line. The same check finds them on inbound calls.
func TestOutboundTranscripts(t *testing.T) {
	ref := integratortest.Start(t)
	k, err := New(Options{Target: ref.Webhook(), Seed: 41})
	require.NoError(t, err)
	defer k.Close()
	tools := referenceTools(t, k)
	ctx := context.Background()
	intents := map[sim.Intent]bool{}
	for n := range 120 {
		lang := [2]string{"nl", "en"}[n%2]
		p, g := k.Calls.Call(n, fake.Options{Direction: sim.Outbound, Lang: lang, ErrorRate: 0})
		require.Equal(t, sim.Outbound, sim.IntentDirection(p.Intent), "call %d: %s", n, p.Intent)
		intents[p.Intent] = true
		def := sim.DefaultAssistantFor(p)
		if n%4 < 3 {
			def.Tools = tools
		}
		res, err := k.Engine.Play(ctx, p, g, sim.CallOptions{Default: def})
		require.NoError(t, err)
		require.NotNil(t, res.Report, "call %d", n)
		msgs := res.Report.Messages
		require.Empty(t, inboundPhrases(msgs), "call %d (%s, %s)", n, p.Intent, lang)
		if p.Intent != sim.Voicemail {
			require.Equal(t, sim.RoleAssistant, msgs[0].Role)
			assert.Equal(t, p.Opening, msgs[0].Content, "call %d: the assistant opens the call it placed", n)
		}
		assertUnmetNotClaimed(t, p, msgs, def.Tools)
	}
	assert.Len(t, intents, len(sim.IntentsFor(sim.Outbound)), "every outbound intent was played: %v", intents)

	found := 0
	for n := range 40 {
		p, g := k.Calls.Call(n, fake.Options{Direction: sim.Inbound, ErrorRate: 0})
		res, err := k.Engine.Play(ctx, p, g, sim.CallOptions{})
		require.NoError(t, err)
		found += len(inboundPhrases(res.Report.Messages))
	}
	assert.Positive(t, found, "the phrase lists match what inbound calls say")
}

// assertUnmetNotClaimed: a turn whose need no declared tool serves never
// says its planned line (which states what a tool would have done).
func assertUnmetNotClaimed(t *testing.T, p *sim.CallPlan, msgs []sim.Message, tools []sim.Tool) {
	t.Helper()
	for _, tr := range p.Turns {
		if tr.Need == "" || len(sim.MatchTools(tr.Need, tools)) > 0 || p.Intent == sim.Voicemail {
			continue
		}
		for _, m := range msgs {
			if m.Role == sim.RoleAssistant && tr.Need != sim.NeedEmail {
				require.NotEqual(t, tr.Reply, m.Content, "%s: the %s line is said without a tool", p.Intent, tr.Need)
			}
		}
	}
}

// TestOutboundNeedsServed: every need of the outbound intents' calls is
// served by a tool of the reference integrator, or declared unmet.
func TestOutboundNeedsServed(t *testing.T) {
	ref := integratortest.Start(t)
	k, err := New(Options{Target: ref.Webhook(), Seed: 42})
	require.NoError(t, err)
	defer k.Close()
	tools := referenceTools(t, k)
	seen := map[string]bool{}
	for _, in := range sim.IntentsFor(sim.Outbound) {
		for n := range 200 {
			p, _ := k.Calls.Call(n, fake.Options{Intent: in, Lang: [2]string{"nl", "en"}[n%2]})
			for _, tr := range p.Turns {
				if tr.Need == "" {
					continue
				}
				seen[tr.Need] = true
				if _, unmet := declaredUnmet[tr.Need]; !unmet {
					assert.NotEmpty(t, sim.MatchTools(tr.Need, tools), "%s needs %q: no reference tool serves it", in, tr.Need)
				}
			}
		}
	}
	for need := range declaredUnmet {
		assert.True(t, seen[need], "declared unmet need %q is used", need)
		assert.Empty(t, sim.MatchTools(need, tools), "need %q is declared unmet but a reference tool serves it", need)
	}
}

// TestOutboundConfiguredMessages: an assistant's configured first and
// end-call messages are said as configured on an outbound call.
func TestOutboundConfiguredMessages(t *testing.T) {
	ref := integratortest.Start(t)
	k, err := New(Options{Target: ref.Webhook(), Seed: 43})
	require.NoError(t, err)
	defer k.Close()
	p, g := k.Calls.Call(2, fake.Options{Intent: sim.AppointmentReminder, Lang: "nl", ErrorRate: 0})
	p.EndReason = sim.EndUserHangup
	def := &sim.AssistantConfig{FirstMessage: "Goedemiddag, met Julia van Voorbeeld Bedrijf.", EndCallMessage: "Tot ziens!"}
	res, err := k.Engine.Play(context.Background(), p, g, sim.CallOptions{Default: def})
	require.NoError(t, err)
	msgs := res.Report.Messages
	assert.Equal(t, def.FirstMessage, msgs[0].Content)
	assert.Equal(t, def.EndCallMessage, msgs[len(msgs)-1].Content)
}
