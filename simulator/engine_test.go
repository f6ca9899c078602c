package simulator_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
)

var start = time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)

// recorder is a webhook server whose assistant-request and tool-calls
// replies the test chooses; it records every request body.
type recorder struct {
	mu        sync.Mutex
	bodies    [][]byte
	events    []string
	assistant string                   // assistant-request reply body
	tool      func(body []byte) string // tool-calls reply body
	delay     map[string]time.Duration // per event
}

func (r *recorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	b, _ := io.ReadAll(req.Body)
	ev := req.Header.Get("X-Webhook-Event")
	if ev == "" { // legacy G1 carries no headers: the event is in the body
		var flat struct {
			EventType string `json:"eventType"`
		}
		_ = json.Unmarshal(b, &flat)
		ev = flat.EventType
	}
	r.mu.Lock()
	r.bodies = append(r.bodies, b)
	r.events = append(r.events, ev)
	d := r.delay[ev]
	r.mu.Unlock()
	if d > 0 {
		select {
		case <-time.After(d):
		case <-req.Context().Done():
			return
		}
	}
	w.Header().Set("Content-Type", "application/json")
	switch ev {
	case "assistant-request":
		io.WriteString(w, r.assistant)
	case "tool-calls":
		if r.tool != nil {
			io.WriteString(w, r.tool(b))
			return
		}
		io.WriteString(w, `{"result":"ok"}`)
	default:
		io.WriteString(w, `{}`)
	}
}

func (r *recorder) bodyOf(ev string) []byte {
	r.mu.Lock()
	defer r.mu.Unlock()
	for i, e := range r.events {
		if e == ev {
			return r.bodies[i]
		}
	}
	return nil
}

// echoResults answers every tool call of a snake_case tool-calls body.
func echoResults(result string) func([]byte) string {
	return func(b []byte) string {
		var in struct {
			Message struct {
				List []struct{ ID string } `json:"tool_call_list"`
			} `json:"message"`
		}
		_ = json.Unmarshal(b, &in)
		var parts []string
		for _, c := range in.Message.List {
			parts = append(parts, `{"tool_call_id":"`+c.ID+`","result":`+result+`}`)
		}
		return `{"results":[` + strings.Join(parts, ",") + `]}`
	}
}

type setup struct {
	dialect string
	secret  string
	scale   float64
	policy  sim.Policy
}

func engine(t *testing.T, target string, s setup) *sim.Engine {
	t.Helper()
	if s.dialect == "" {
		s.dialect = "flireo"
	}
	d, err := dialect.ByName(s.dialect)
	require.NoError(t, err)
	checks, err := check.New()
	require.NoError(t, err)
	client := delivery.New(delivery.Options{Secret: s.secret})
	t.Cleanup(client.Close)
	deadlines := sim.DefaultDeadlines()
	if s.scale > 0 {
		deadlines = deadlines.Scale(s.scale)
	}
	return &sim.Engine{Dialect: d, Sender: client, Checker: checks, Target: target, Deadlines: deadlines, Policy: s.policy}
}

func plan(t *testing.T, seed int64, n int, intent sim.Intent, lang string) (*sim.CallPlan, sim.Generator) {
	t.Helper()
	f, err := fake.New(seed)
	require.NoError(t, err)
	p, g := f.Call(n, fake.Options{Intent: intent, Lang: lang, Start: start, ErrorRate: 0})
	return p, g
}

func events(res *sim.CallResult) []string {
	var out []string
	for _, x := range res.Exchanges {
		e := string(x.Event)
		if x.Event == sim.StatusUpdate {
			e += ":" + string(x.Status)
		}
		out = append(out, e)
	}
	return out
}

func failed(res *sim.CallResult) []string {
	seen := map[string]bool{}
	var ids []string
	for _, f := range res.Findings() {
		if f.Verdict == sim.Fail && !seen[f.Check] {
			seen[f.Check] = true
			ids = append(ids, f.Check)
		}
	}
	sort.Strings(ids)
	return ids
}

func TestCorrectServerPassesEveryCheckInEveryDialect(t *testing.T) {
	for _, name := range dialect.Names() {
		t.Run(name, func(t *testing.T) {
			ts := integratortest.Start(t, integratortest.Secret("s3cret")).HTTP
			for n, intent := range []sim.Intent{sim.BookAppointment, sim.OrderStatus, sim.Complaint, sim.Callback, sim.Silent, sim.Voicemail, sim.WrongNumber} {
				p, g := plan(t, 7, n+1, intent, "nl")
				res, err := engine(t, ts.URL+"/webhook", setup{dialect: name, secret: "s3cret"}).Play(context.Background(), p, g, sim.CallOptions{})
				require.NoError(t, err)
				assert.Empty(t, failed(res), "intent %s", intent)
				ev := events(res)
				require.NotEmpty(t, ev)
				assert.Equal(t, "end-of-call-report", ev[len(ev)-1], "the report comes last")
				assert.Contains(t, ev, "status-update:in-progress")
				if name != "interactly" && p.Direction != sim.Outbound {
					assert.Equal(t, "assistant-request", ev[0])
				}
				if name == "interactly" || p.Direction == sim.Outbound {
					assert.NotContains(t, ev, "assistant-request")
				}
			}
		})
	}
}

func TestReplySteersTheCall(t *testing.T) {
	const reply = `{"assistant":{"first_message":"Hallo Jan, fijn dat je belt!",
		"llm_config":{"tools":[
		 {"name":"check_availability","description":"free slots","parameters":{"type":"object","properties":{"date":{"type":"string","format":"date"}},"required":["date"]}},
		 {"name":"book_appointment","description":"book","parameters":{"type":"object","properties":{"name":{"type":"string"},"date":{"type":"string","format":"date"}},"required":["name","date"]}}]},
		"metadata":{"crm_id":"crm-778"}}}`
	rec := &recorder{assistant: reply, tool: echoResults(`{"slot":"donderdag 14:30","confirmation":"AFS-4417"}`)}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	p, g := plan(t, 3, 1, sim.BookAppointment, "nl")
	res, err := engine(t, ts.URL, setup{}).Play(context.Background(), p, g, sim.CallOptions{})
	require.NoError(t, err)
	require.Empty(t, failed(res))
	require.NotNil(t, res.Report)
	msgs := res.Report.Messages
	require.NotEmpty(t, msgs)
	assert.Equal(t, "Hallo Jan, fijn dat je belt!", msgs[0].Content, "the reply's first message opens the transcript")

	var called []string
	for _, x := range res.Exchanges {
		for _, c := range x.ToolCalls {
			called = append(called, c.Name)
			assert.True(t, json.Valid(c.Arguments))
		}
	}
	assert.Subset(t, []string{"check_availability", "book_appointment"}, called, "only declared tools are called")
	assert.NotEmpty(t, called, "a booking call uses the declared booking tools")

	var text strings.Builder
	for _, m := range msgs {
		text.WriteString(m.Content + "\n")
	}
	assert.True(t, strings.Contains(text.String(), "14:30") || strings.Contains(text.String(), "AFS-4417"),
		"a tool result shapes the next assistant turn:\n%s", text.String())

	eocr := rec.bodyOf("end-of-call-report")
	assert.Contains(t, string(eocr), `"crm_id":"crm-778"`, "metadata is echoed in the flireo dialect")
}

func TestOnlyDeclaredToolsAreCalled(t *testing.T) {
	rec := &recorder{assistant: `{"assistant":{"llm_config":{"tools":[{"name":"lookup_order","description":"orders","parameters":{"type":"object","properties":{"order_id":{"type":"string"}}}}]}}}`}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	p, g := plan(t, 3, 2, sim.BookAppointment, "en")
	res, err := engine(t, ts.URL, setup{}).Play(context.Background(), p, g, sim.CallOptions{})
	require.NoError(t, err)
	assert.NotContains(t, events(res), "tool-calls", "a booking call does not call an order tool")
}

func TestMaxDurationCapsTheCall(t *testing.T) {
	for _, reply := range []string{`{"max_duration_seconds":4}`, `{"maxDurationSeconds":4}`, `{"assistant":{"max_duration_seconds":4}}`} {
		rec := &recorder{assistant: reply}
		ts := httptest.NewServer(rec)
		p, g := plan(t, 5, 1, sim.Complaint, "nl")
		res, err := engine(t, ts.URL, setup{}).Play(context.Background(), p, g, sim.CallOptions{})
		ts.Close()
		require.NoError(t, err)
		assert.Equal(t, sim.EndMaxDuration, res.EndReason, reply)
		require.NotNil(t, res.Report)
		assert.LessOrEqual(t, res.Report.Duration(), 4*time.Second, reply)
	}
}

func TestErrorReplyRejectsTheCall(t *testing.T) {
	cases := []struct {
		after sim.RejectPolicy
		want  []string
	}{
		{"", []string{"assistant-request", "status-update:ended", "end-of-call-report"}},
		{sim.RejectStatus, []string{"assistant-request", "status-update:ended"}},
		{sim.RejectNone, []string{"assistant-request"}},
	}
	for _, c := range cases {
		rec := &recorder{assistant: `{"error":"Sorry, we zijn gesloten."}`}
		ts := httptest.NewServer(rec)
		p, g := plan(t, 5, 1, sim.OpeningHours, "nl")
		res, err := engine(t, ts.URL, setup{policy: sim.Policy{AfterReject: c.after}}).Play(context.Background(), p, g, sim.CallOptions{})
		ts.Close()
		require.NoError(t, err)
		assert.Equal(t, c.want, events(res), string(c.after))
		assert.Equal(t, sim.ReplyReject, res.Reply)
		assert.Equal(t, sim.EndRejected, res.EndReason)
		if res.Report != nil {
			require.Len(t, res.Report.Messages, 1)
			assert.Equal(t, "Sorry, we zijn gesloten.", res.Report.Messages[0].Content, "the caller hears the error text")
		}
	}
}

func TestAssistantRequestFailureFollowsTheDialect(t *testing.T) {
	for _, name := range []string{"flireo", "flireo-camel", "flireo-legacy"} {
		rec := &recorder{assistant: `{}`, delay: map[string]time.Duration{"assistant-request": 300 * time.Millisecond}}
		if name == "flireo-legacy" {
			rec.assistant = `{"assistant":{"firstMessage":"Hoi"}}`
		}
		ts := httptest.NewServer(rec)
		p, g := plan(t, 9, 1, sim.OpeningHours, "nl")
		e := engine(t, ts.URL, setup{dialect: name})
		e.Deadlines.AssistantRequest = 100 * time.Millisecond
		res, err := e.Play(context.Background(), p, g, sim.CallOptions{})
		ts.Close()
		require.NoError(t, err)
		assert.Contains(t, failed(res), check.AssistantDeadline, name)
		if name == "flireo-legacy" {
			assert.Equal(t, []string{"assistant-request", "status-update:ended-with-error"}, events(res))
			su := rec.bodyOf("status-update")
			assert.Contains(t, string(su), `"status":"ended-with-debugging"`)
			assert.Contains(t, string(su), `"debugging-artifact":"`+dialect.LegacyAssistantFailure+`"`)
		} else {
			assert.Equal(t, sim.ReplyFailed, res.Reply)
			assert.Contains(t, events(res), "end-of-call-report", "%s: the call proceeds with the default agent", name)
			assert.Equal(t, sim.DefaultAssistant(p.Lang).FirstMessage, res.Report.Messages[0].Content)
		}
	}
}

func TestAsyncToolIsFireAndForget(t *testing.T) {
	rec := &recorder{
		assistant: `{"assistant":{"llm_config":{"tools":[{"name":"request_callback","description":"callback","async":true,"async_response":"Ik regel een terugbelverzoek.","parameters":{"type":"object","properties":{"phone":{"type":"string"}}}}]}}}`,
		tool:      func([]byte) string { return `not even json` },
	}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	p, g := plan(t, 4, 1, sim.Callback, "nl")
	res, err := engine(t, ts.URL, setup{}).Play(context.Background(), p, g, sim.CallOptions{})
	require.NoError(t, err)
	assert.Contains(t, events(res), "tool-calls")
	assert.Empty(t, failed(res), "an async tool's reply body is not read")
	var said []string
	for _, m := range res.Report.Messages {
		said = append(said, m.Content)
	}
	assert.Contains(t, said, "Ik regel een terugbelverzoek.", "the async response is what the assistant says")
}

func TestSameSeedSameBytes(t *testing.T) {
	play := func(lean bool) [][]byte {
		rec := &recorder{}
		ts := integratortest.Start(t, integratortest.Wrap(func(srv http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				rec.mu.Lock()
				rec.bodies = append(rec.bodies, b)
				rec.mu.Unlock()
				r.Body = io.NopCloser(strings.NewReader(string(b)))
				srv.ServeHTTP(w, r)
			})
		})).HTTP
		p, g := plan(t, 11, 4, sim.BookAppointment, "nl")
		e := engine(t, ts.URL+"/webhook", setup{})
		var o sim.CallOptions
		if lean { // renders events into the buffers of earlier ones
			o.Lean, o.Bodies = true, new(sync.Pool)
		}
		_, err := e.Play(context.Background(), p, g, o)
		require.NoError(t, err)
		return rec.bodies
	}
	a := play(false)
	for _, lean := range []bool{false, true} {
		b := play(lean)
		require.Equal(t, len(a), len(b))
		for i := range a {
			assert.Equal(t, string(a[i]), string(b[i]), "request %d (lean %v)", i, lean)
		}
	}
}

// Every misbehaviour mode of the reference integrator fails exactly the checks it should.
func TestMisbehaviourModes(t *testing.T) {
	want := map[string][]string{
		"":                       nil,
		"slow-assistant":         {check.AssistantDeadline},
		"slow-tool":              {check.ToolDeadline},
		"wrong-tool-call-id":     {check.ToolResultsKnown, check.ToolResultsOnce},
		"missing-tool-result":    {check.ToolResultsOnce},
		"bad-json":               {check.ReplyJSON},
		"eocr-500":               {check.HTTP2xx},
		"accept-any-signature":   {check.SignatureEnforced},
		"html-reply":             {check.ReplyJSON},
		"hang":                   {check.AckDeadline, check.AssistantDeadline, check.SignatureEnforced},
		"huge-reply":             {check.ReplySize},
		"cut-reply":              {check.ReplyComplete},
		"latin1-reply":           {check.ReplyUTF8},
		"unknown-keys":           {check.UnknownReplyKeys},
		"slow-ack":               {check.AckDeadline},
		"bad-assistant-shape":    {check.AssistantShape},
		"bad-tool-shape":         {check.ToolShape},
		"reserialized-signature": {check.SignatureRawBody},
		// These break how deliveries are coped with (again, out of order,
		// extra fields, web calls, size, text, concurrency): one plain call
		// shows nothing; the conformance suite (scenarios) shows each.
		"reject-duplicate-report": nil,
		"report-needs-ended":      nil,
		"strict-fields":           nil,
		"require-caller-number":   nil,
		"small-body-limit":        nil,
		"mangle-text":             nil,
		"one-at-a-time":           nil,
	}
	for _, m := range integrator.Modes() {
		_, ok := want[m.Name]
		assert.True(t, ok, "mode %s has no expectation in this table", m.Name)
	}
	for mode, ids := range want {
		t.Run("mode="+mode, func(t *testing.T) {
			t.Parallel()
			delay := 800 * time.Millisecond
			if mode == "one-at-a-time" {
				delay = time.Millisecond // its hold per webhook
			}
			ts := integratortest.Start(t, integratortest.With(integrator.Options{Secret: "s3cret", Misbehave: mode, Delay: delay})).HTTP
			// Only the deadline a timing mode breaks is short; the others stay
			// real so a busy machine cannot make the table flaky.
			e := engine(t, ts.URL+"/webhook", setup{secret: "s3cret"})
			switch mode {
			case "slow-assistant":
				e.Deadlines.AssistantRequest = 200 * time.Millisecond
			case "slow-tool":
				e.Deadlines.ToolCalls = 200 * time.Millisecond
			case "slow-ack":
				e.Deadlines.Ack = 200 * time.Millisecond
			case "hang":
				e.Deadlines = sim.DefaultDeadlines().Scale(0.04)
			}
			p, g := plan(t, 21, 1, sim.BookAppointment, "nl")
			s := e.NewSession(p, g, sim.CallOptions{})
			_, err := s.Finish(context.Background(), sim.SendOptions{})
			require.NoError(t, err)
			if base := probeBase(s.Result()); base != nil {
				for _, pr := range []sim.Probe{sim.ProbeUnsigned, sim.ProbeTampered, sim.ProbeWrongSecret, sim.ProbeStale, sim.ProbeFuture, sim.ProbeReformatted} {
					s.Probe(context.Background(), base, pr)
				}
			}
			res := s.Result()
			got := failed(res)
			want := append([]string(nil), ids...)
			sort.Strings(want)
			if len(want) == 0 {
				assert.Empty(t, got)
			} else {
				assert.Equal(t, want, got)
			}
		})
	}
}

func probeBase(res *sim.CallResult) *sim.Exchange {
	for _, x := range res.Exchanges {
		if x.Event == sim.StatusUpdate {
			return x
		}
	}
	return nil
}

func TestMatchTools(t *testing.T) {
	tools := []sim.Tool{{Name: "lookup_contact"}, {Name: "book_appointment"}, {Name: "reschedule_appointment"}, {Name: "x", Description: "Send a callback request"}, {Builtin: "end_call"}}
	names := func(ts []sim.Tool) []string {
		var out []string
		for _, t := range ts {
			out = append(out, t.Name)
		}
		return out
	}
	assert.Equal(t, []string{"lookup_contact"}, names(sim.MatchTools(sim.NeedContact, tools)))
	assert.Equal(t, []string{"book_appointment", "reschedule_appointment"}, names(sim.MatchTools(sim.NeedBooking, tools)))
	assert.Equal(t, []string{"reschedule_appointment"}, names(sim.MatchTools(sim.NeedReschedule, tools)), "the first tier wins")
	assert.Equal(t, []string{"x"}, names(sim.MatchTools(sim.NeedCallback, tools)), "descriptions match when no name does")
	assert.Empty(t, sim.MatchTools(sim.NeedOrder, tools))
	assert.Empty(t, sim.MatchTools("", tools))
}

// scripted hands out one batch of commands per poll and records statuses.
type scripted struct {
	batches  [][]sim.Command
	statuses []sim.Status
	ended    int
	late     []sim.Command // returned by End
}

func (s *scripted) Status(st sim.Status, _ time.Time) { s.statuses = append(s.statuses, st) }
func (s *scripted) Poll(time.Time) []sim.Command {
	if len(s.batches) == 0 {
		return nil
	}
	b := s.batches[0]
	s.batches = s.batches[1:]
	return b
}
func (s *scripted) End() []sim.Command { s.ended++; return s.late }

func TestLiveControlActsOnTheCall(t *testing.T) {
	ts := integratortest.Start(t).HTTP
	cases := []struct {
		name       string
		ctl        *scripted
		wantStatus sim.Status
		wantReason string
		wantSaid   []string
	}{
		{"say then transfer", &scripted{batches: [][]sim.Command{
			{{Type: sim.CommandSay, Content: "Een moment alstublieft."}},
			{{Type: sim.CommandTransfer, Destination: "+31612345678", Message: "Ik verbind u door met verkoop."}},
		}}, sim.StatusTransferred, sim.EndTransferred, []string{"Een moment alstublieft.", "Ik verbind u door met verkoop."}},
		{"end-call", &scripted{batches: [][]sim.Command{nil, {{Type: sim.CommandEndCall, Message: "Tot ziens."}}}},
			sim.StatusEnded, sim.EndByAPI, []string{"Tot ziens."}},
		{"say with end_after", &scripted{batches: [][]sim.Command{{{Type: sim.CommandSay, Content: "We sluiten nu.", EndAfter: true}}}},
			sim.StatusEnded, sim.EndByAPI, []string{"We sluiten nu."}},
		{"a command accepted at the very end is not lost", &scripted{late: []sim.Command{{Type: sim.CommandSay, Content: "Nog één ding."}}},
			sim.StatusEnded, sim.EndUserHangup, []string{"Nog één ding."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, g := plan(t, 13, 1, sim.Complaint, "nl")
			p.EndReason = sim.EndUserHangup
			res, err := engine(t, ts.URL+"/webhook", setup{}).Play(context.Background(), p, g, sim.CallOptions{Controller: c.ctl})
			require.NoError(t, err)
			assert.Empty(t, failed(res))
			assert.Equal(t, c.wantStatus, res.Status)
			assert.Equal(t, c.wantReason, res.EndReason)
			assert.Equal(t, 1, c.ctl.ended, "End is called exactly once")
			assert.Equal(t, sim.StatusInProgress, c.ctl.statuses[0])
			var said []string
			for _, m := range res.Report.Messages {
				said = append(said, m.Content)
			}
			assert.Subset(t, said, c.wantSaid)
			last := res.Exchanges[len(res.Exchanges)-1]
			assert.Equal(t, sim.EndOfCallReport, last.Event)
			for _, w := range c.wantSaid {
				assert.Contains(t, string(last.Request.Body), w, "the effect shows in the end-of-call-report")
			}
		})
	}
	// inject-context with trigger_response: the assistant answers with the injected text.
	p, g := plan(t, 13, 2, sim.Callback, "nl")
	ctl := &scripted{batches: [][]sim.Command{{{Type: sim.CommandInjectContext, Content: "jan@example.nl", TriggerResponse: true}}}}
	res, err := engine(t, ts.URL+"/webhook", setup{}).Play(context.Background(), p, g, sim.CallOptions{Controller: ctl})
	require.NoError(t, err)
	var assistantUsesIt bool
	for _, m := range res.Report.Messages {
		if m.Role == sim.RoleAssistant && strings.Contains(m.Content, "jan@example.nl") {
			assistantUsesIt = true
		}
	}
	assert.True(t, assistantUsesIt, "the assistant answers using the injected context")
}

func TestDisabledEventsAreNotSent(t *testing.T) {
	rec := &recorder{assistant: `{}`}
	ts := httptest.NewServer(rec)
	defer ts.Close()
	e := engine(t, ts.URL, setup{})
	p, g := plan(t, 1, 1, sim.OpeningHours, "nl")
	res, err := e.Play(context.Background(), p, g, sim.CallOptions{Events: map[sim.EventType]bool{sim.StatusUpdate: true, sim.EndOfCallReport: true}})
	require.NoError(t, err)
	assert.Equal(t, []string{"status-update:in-progress", "status-update:ended", "end-of-call-report"}, events(res))
}

func TestToolCallIDsFollowTheDialect(t *testing.T) {
	ts := integratortest.Start(t).HTTP
	for name, prefix := range map[string]string{"flireo": "tool_", "flireo-camel": "tool_", "flireo-legacy": "call_"} {
		p, g := plan(t, 2, 1, sim.BookAppointment, "nl")
		res, err := engine(t, ts.URL+"/webhook", setup{dialect: name}).Play(context.Background(), p, g, sim.CallOptions{})
		require.NoError(t, err)
		n := 0
		for _, x := range res.Exchanges {
			for _, c := range x.ToolCalls {
				n++
				assert.True(t, strings.HasPrefix(c.ID, prefix), "%s: %s", name, c.ID)
				assert.Contains(t, string(x.Request.Body), `"`+c.ID+`"`)
			}
		}
		assert.NotZero(t, n, name)
		assert.Empty(t, failed(res), name)
	}
}
