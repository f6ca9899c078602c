package simulator_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
)

// confirmWords mark a line that says an action was done.
var confirmWords = []string{"booked", "confirmed", "registered", "I've found", "passed your request on", "is on its way",
	"geboekt", "bevestigd", "ingepland", "geregistreerd", "gevonden", "doorgezet", "doorgegeven", "onderweg"}

func confirms(line string) string {
	for _, w := range confirmWords {
		if strings.Contains(strings.ToLower(line), strings.ToLower(w)) {
			return w
		}
	}
	return ""
}

// TestNoClaimWithoutATool plays many seeded calls whose caller needs an
// action (a booking, a lookup, a ticket, a callback) against assistants that
// declare no tool for it: the default agent, an assistant with only an
// unrelated tool, and one that puts its tools where the platform ignores
// them. The assistant never says a line of the plan that states what a tool
// would have done, nor any line with a confirmation word; the summary does
// not report the request as handled. With the tools declared in their place
// and answering, the same calls do confirm (the test can see a claim).
func TestNoClaimWithoutATool(t *testing.T) {
	const bookingTools = `[{"type":"function","name":"lookup_contact","parameters":{"type":"object","properties":{"phone":{"type":"string"}}}},` +
		`{"type":"function","name":"check_availability","parameters":{"type":"object","properties":{"date":{"type":"string"}}}},` +
		`{"type":"function","name":"book_appointment","parameters":{"type":"object","properties":{"date":{"type":"string"},"time":{"type":"string"}}}},` +
		`{"type":"function","name":"lookup_order","parameters":{"type":"object","properties":{"order_number":{"type":"string"}}}},` +
		`{"type":"function","name":"create_ticket","parameters":{"type":"object","properties":{"summary":{"type":"string"}}}},` +
		`{"type":"function","name":"request_callback","parameters":{"type":"object","properties":{"phone":{"type":"string"}}}},` +
		`{"type":"function","name":"reschedule_appointment","parameters":{"type":"object","properties":{"date":{"type":"string"}}}}]`
	const done = `{"status":"confirmed","date":"2026-03-03","time":"10:30","confirmation_number":"BK-1234","order_status":"shipped","ticket_id":"T-77"}`
	unserved := []struct {
		name, reply string
		unknown     bool // reply-unknown-keys fails and names the documented place
	}{
		{"default agent", `{}`, false},
		{"only an unrelated tool", `{"assistant":{"first_message":"Hallo!","llm_config":{"tools":[{"type":"function","name":"get_opening_hours"}]}}}`, false},
		{"tools in the assistant", `{"assistant":{"first_message":"Hallo!","tools":` + bookingTools + `}}`, true},
		{"tools at the top", `{"assistant":{"first_message":"Hallo!"},"tools":` + bookingTools + `}`, true},
	}
	intents := []sim.Intent{sim.BookAppointment, sim.Reschedule, sim.OrderStatus, sim.Complaint, sim.Callback}
	d, err := dialect.ByName("flireo")
	require.NoError(t, err)
	checks, err := check.New()
	require.NoError(t, err)
	play := func(t *testing.T, reply string, seed int) (*sim.CallPlan, *sim.CallResult) {
		t.Helper()
		s := oddSender(&oddServer{assistant: []byte(reply), result: func() []byte { return []byte(done) }})
		e := &sim.Engine{Dialect: d, Sender: s, Checker: checks, Target: "http://127.0.0.1:1/webhook", Deadlines: sim.DefaultDeadlines()}
		lang := []string{"nl", "en"}[seed%2]
		p, g := plan(t, int64(seed), seed, intents[seed%len(intents)], lang)
		res, err := e.Play(t.Context(), p, g, sim.CallOptions{})
		require.NoError(t, err)
		require.NotNil(t, res.Report)
		return p, res
	}
	const calls = 60 // per assistant
	for _, tc := range unserved {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			for seed := range calls {
				p, res := play(t, tc.reply, seed)
				for _, x := range res.Exchanges {
					assert.NotEqual(t, sim.ToolCalls, x.Event, "no tool is declared where the platform reads it")
				}
				said := assistantLines(res)
				for _, turn := range p.Turns {
					if sim.ActionNeeds[turn.Need] && turn.Reply != "" {
						assert.NotContains(t, said, turn.Reply, "seed %d (%s): the planned %s line is not said without a tool", seed, p.Intent, turn.Need)
					}
				}
				for _, line := range strings.Split(said, "\n") {
					if w := confirms(line); w != "" {
						assert.Failf(t, "a claim without a tool", "seed %d (%s, %s): %q says %q", seed, p.Intent, p.Lang, line, w)
					}
				}
				if tc.unknown {
					first := res.Exchanges[0]
					require.Equal(t, sim.AssistantRequest, first.Event)
					found := false
					for _, f := range first.Findings {
						if f.Check == check.UnknownReplyKeys && f.Verdict == sim.Fail {
							found = strings.Contains(f.Detail, "tools belong in assistant.llm_config.tools")
						}
					}
					assert.True(t, found, "reply-unknown-keys names the documented place")
				}
			}
		})
	}
	t.Run("tools in their place", func(t *testing.T) {
		t.Parallel()
		claims := 0
		for seed := range calls {
			_, res := play(t, `{"assistant":{"first_message":"Hallo!","llm_config":{"tools":`+bookingTools+`}}}`, seed)
			for _, line := range strings.Split(assistantLines(res), "\n") {
				if confirms(line) != "" {
					claims++
				}
			}
		}
		assert.Positive(t, claims, "with tools that answered, the assistant confirms")
		t.Logf("%d confirmations in %d calls", claims, calls)
	})
}

func assistantLines(res *sim.CallResult) string {
	var b strings.Builder
	for _, m := range res.Report.Messages {
		if m.Role == sim.RoleAssistant {
			fmt.Fprintln(&b, m.Content)
		}
	}
	return b.String()
}
