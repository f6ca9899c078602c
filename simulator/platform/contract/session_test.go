package contract_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
	"github.com/flireo-sim/flireo-sim/simulator/platform"
	"github.com/flireo-sim/flireo-sim/simulator/platform/contract"
)

const (
	key      = "sk_test_contract"
	otherKey = "sk_test_other"
)

// row is one request of the session: the request, the status it must get
// and the type its answer must fit. {name} in the path or body is a value
// saved by an earlier row (save: name → dotted path in its answer). before
// runs first (hold, release or await calls).
type row struct {
	name   string
	before step
	method string
	path   string
	body   string
	key    string // "" = the session's key; "-" = none
	status int    // 0: any 2xx
	answer string // a contract type name
	save   map[string]string
}

// step acts on the session between requests.
type step func(t *testing.T, s *session)

// session is a platform under test on loopback with the reference
// integrator as its webhook server.
type session struct {
	p     *platform.Platform
	url   string
	vars  map[string]string
	gate  *gate
	hooks *hookLog
}

const (
	bigBody  = 70 << 10 // over the session's body cap
	maxBody  = 64 << 10
	cmdLimit = 5
)

// rows is the scripted session: every operation serve implements, success
// and error cases. An operation added to serve is one more row.
var rows = []row{
	{name: "health", method: "GET", path: "/health", key: "-", status: 200, answer: "Health"},
	{name: "no key", method: "GET", path: "/api/v1/calls", key: "-", status: 401, answer: "ApiError"},
	{name: "unknown key", method: "GET", path: "/api/v1/calls", key: "sk_wrong", status: 401, answer: "ApiError"},

	{name: "assistants.create name only", method: "POST", path: "/api/v1/assistants", body: `{"name":"Support"}`,
		status: 201, answer: "AssistantEnvelope", save: map[string]string{"asst": "assistant.id"}},
	{name: "assistants.create full", method: "POST", path: "/api/v1/assistants", body: fullAssistant,
		status: 201, answer: "AssistantEnvelope", save: map[string]string{"full": "assistant.id"}},
	{name: "assistants.create without name", method: "POST", path: "/api/v1/assistants", body: `{"first_message":"Hallo"}`, status: 400, answer: "ApiError"},
	{name: "assistants.create not JSON", method: "POST", path: "/api/v1/assistants", body: `{"name":`, status: 400, answer: "ApiError"},
	{name: "assistants.create wrong type", method: "POST", path: "/api/v1/assistants", body: `{"name":42}`, status: 400, answer: "ApiError"},
	{name: "assistants.list", method: "GET", path: "/api/v1/assistants", status: 200, answer: "AssistantList"},
	{name: "assistants.get", method: "GET", path: "/api/v1/assistants/{asst}", status: 200, answer: "AssistantEnvelope"},
	{name: "assistants.get (agents alias)", method: "GET", path: "/api/v1/agents/{full}", status: 200, answer: "AssistantEnvelope"},
	{name: "assistants.get other account", method: "GET", path: "/api/v1/assistants/{asst}", key: otherKey, status: 403, answer: "ApiError"},
	{name: "assistants.update", method: "PATCH", path: "/api/v1/assistants/{asst}",
		body: `{"first_message":"Goedendag!","is_active":false,"business_name":null}`, status: 200, answer: "AssistantEnvelope"},
	{name: "assistants.update unknown", method: "PATCH", path: "/api/v1/assistants/nope", body: `{"name":"x"}`, status: 404, answer: "ApiError"},
	{name: "assistants.get unknown", method: "GET", path: "/api/v1/assistants/nope", status: 404, answer: "ApiError"},

	{name: "calls.create reference", method: "POST", path: "/api/v1/calls/outbound",
		body: `{"destination":"+31612345678","assistant_id":"{asst}"}`, status: 201, answer: "OutboundCallResponse",
		save: map[string]string{"out": "call_id"}},
	{name: "calls.create transient", method: "POST", path: "/api/v1/calls/outbound",
		body:   `{"destination":"+31612345679","assistant":{"first_message":"Goedemiddag.","llm_config":{"provider":"openai","model":"gpt-4o-mini"}}}`,
		status: 201, answer: "OutboundCallResponse"},
	{name: "calls.create hybrid", method: "POST", path: "/api/v1/calls/outbound",
		body:   `{"destination":"+31612345680","assistant_id":"{full}","assistant_override":{"first_message":"Hallo!"},"first_message":"Hoi"}`,
		status: 201, answer: "OutboundCallResponse"},
	{name: "calls.create deprecated agent_id", method: "POST", path: "/api/v1/calls/outbound",
		body: `{"destination":"+31612345681","agent_id":"{asst}"}`, status: 201, answer: "OutboundCallResponse"},
	{name: "calls.create nobody answers", method: "POST", path: "/api/v1/calls/outbound",
		body: `{"destination":"+31612340000","assistant_id":"{asst}"}`, status: 201, answer: "OutboundCallResponse",
		save: map[string]string{"noanswer": "call_id"}},
	{name: "calls.create voicemail", method: "POST", path: "/api/v1/calls/outbound",
		body: `{"destination":"+31612349999","assistant_id":"{asst}"}`, status: 201, answer: "OutboundCallResponse"},
	{name: "calls.create bad destination", method: "POST", path: "/api/v1/calls/outbound", body: `{"destination":"0612345678"}`, status: 400, answer: "ApiError"},
	{name: "calls.create no destination", method: "POST", path: "/api/v1/calls/outbound", body: `{}`, status: 400, answer: "ApiError"},
	{name: "calls.create unknown assistant", method: "POST", path: "/api/v1/calls/outbound",
		body: `{"destination":"+31612345678","assistant_id":"nope"}`, status: 404, answer: "ApiError"},
	{name: "simulate inbound", method: "POST", path: "/simulate/inbound",
		body:   `{"intent":"book-appointment","seed":1,"call":1,"lang":"nl","caller":"+31612345682"}`,
		status: 201, answer: "SimulateInbound", save: map[string]string{"in": "call_id"}},
	{name: "simulate inbound unknown intent", method: "POST", path: "/simulate/inbound", body: `{"intent":"nope"}`, status: 400, answer: "ApiError"},

	{name: "calls.get ended outbound", before: awaitCalls, method: "GET", path: "/api/v1/calls/{out}", status: 200, answer: "Call"},
	{name: "calls.get ended inbound", method: "GET", path: "/api/v1/calls/{in}", status: 200, answer: "Call"},
	{name: "calls.get unanswered", method: "GET", path: "/api/v1/calls/{noanswer}", status: 200, answer: "Call"},
	{name: "calls.get unknown", method: "GET", path: "/api/v1/calls/call-nope", status: 404, answer: "ApiError"},
	{name: "calls.get other account", method: "GET", path: "/api/v1/calls/{in}", key: otherKey, status: 403, answer: "ApiError"},
	{name: "calls.list", method: "GET", path: "/api/v1/calls", status: 200, answer: "CallPage"},
	{name: "calls.list page (listAll)", method: "GET", path: "/api/v1/calls?limit=2&offset=1&status=ended", status: 200, answer: "CallPage"},
	{name: "calls.list dates", method: "GET", path: "/api/v1/calls?start_date=2000-01-01&end_date=2100-12-31", status: 200, answer: "CallPage"},
	{name: "calls.list bad limit", method: "GET", path: "/api/v1/calls?limit=0", status: 400, answer: "ApiError"},
	{name: "calls.list bad status", method: "GET", path: "/api/v1/calls?status=done", status: 400, answer: "ApiError"},
	{name: "calls.list bad date", method: "GET", path: "/api/v1/calls?start_date=yesterday", status: 400, answer: "ApiError"},
	{name: "calls.control ended call", method: "POST", path: "/api/v1/calls/{in}/control", body: `{"type":"end-call"}`, status: 400, answer: "ApiError"},
	{name: "calls.control unknown call", method: "POST", path: "/api/v1/calls/call-nope/control", body: `{"type":"end-call"}`, status: 404, answer: "ApiError"},

	{name: "simulate inbound, held live", before: hold, method: "POST", path: "/simulate/inbound",
		body: `{"intent":"order-status","seed":2,"call":1,"lang":"en"}`, status: 201, answer: "SimulateInbound",
		save: map[string]string{"live": "call_id"}},
	{name: "calls.get live", before: awaitHeld, method: "GET", path: "/api/v1/calls/{live}", status: 200, answer: "Call"},
	{name: "calls.injectContext", method: "POST", path: "/api/v1/calls/{live}/control",
		body: `{"type":"inject-context","content":"CRM: open invoice 48213","trigger_response":true}`, status: 200, answer: "CallControlResponse"},
	{name: "calls.say", method: "POST", path: "/api/v1/calls/{live}/control",
		body: `{"type":"say","content":"One moment please.","end_after":false}`, status: 200, answer: "CallControlResponse"},
	{name: "calls.control unknown type", method: "POST", path: "/api/v1/calls/{live}/control", body: `{"type":"mute"}`, status: 400, answer: "ApiError"},
	{name: "calls.transfer bad destination", method: "POST", path: "/api/v1/calls/{live}/control",
		body: `{"type":"transfer","destination":"sales"}`, status: 400, answer: "ApiError"},
	{name: "calls.transfer", method: "POST", path: "/api/v1/calls/{live}/control",
		body: `{"type":"transfer","destination":"+31201234567","message":"I am transferring you."}`, status: 200, answer: "CallControlResponse"},
	{name: "calls.end over the command limit", method: "POST", path: "/api/v1/calls/{live}/control",
		body: `{"type":"end-call","message":"Goodbye."}`, status: 429, answer: "ApiError"},
	{name: "calls.get transferred", before: release, method: "GET", path: "/api/v1/calls/{live}", status: 200, answer: "Call"},
	{name: "calls.list after", method: "GET", path: "/api/v1/calls?limit=100", status: 200, answer: "CallPage"},

	{name: "assistants.delete", method: "DELETE", path: "/api/v1/assistants/{asst}", status: 200, answer: "Success"},
	{name: "assistants.delete again", method: "DELETE", path: "/api/v1/assistants/{asst}", status: 404, answer: "ApiError"},
	{name: "no endpoint", method: "GET", path: "/api/v1/nothing-here", status: 404, answer: "ApiError"},
	{name: "wrong method", method: "DELETE", path: "/api/v1/calls", status: 405, answer: "ApiError"},
	{name: "body too large", method: "POST", path: "/api/v1/assistants", body: `{"name":"` + strings.Repeat("x", bigBody) + `"}`, status: 413, answer: "ApiError"},
}

const fullAssistant = `{"name":"Sales","business_name":"Voorbeeld BV","first_message":"Goedemiddag, met de verkoop.",
"is_active":true,"max_duration_seconds":600,"voicemail_detection":true,"voicemail_message":"Bel ons terug.",
"webhook_secret":"whsec_test","webhook_events":["assistant-request","tool-calls","status-update","end-of-call-report"],
"analysis_plan":{"structured_data_plan":{"enabled":false}},
"stt_config":{"provider":"deepgram","model":"nova-3","language":"nl"},
"llm_config":{"provider":"openai","model":"gpt-4o-mini","temperature":0.5,"messages":[{"role":"system","content":"Je bent de verkoopassistent."}],
 "tools":[{"type":"function","function":{"name":"lookup_order","description":"Zoek een bestelling","parameters":{"type":"object","properties":{"order_id":{"type":"string"}}}}}]},
"tts_config":{"provider":"elevenlabs","voice_id":"ukiwGs47sHyibruHJ1vg","speed":1.1}}`

// TestSessionFitsTheSDK plays the session against serve, in both error
// body shapes, and checks every answer strictly.
func TestSessionFitsTheSDK(t *testing.T) {
	for _, shape := range []string{platform.ErrorBodyFlat, platform.ErrorBodyNested} {
		t.Run(shape, func(t *testing.T) {
			s := start(t, shape, nil)
			for _, p := range s.play(t, shape) {
				t.Error(p)
			}
			for _, p := range s.hooks.problems(t) {
				t.Error(p)
			}
		})
	}
}

// errorAnswer is the type of an error answer in the shape: the
// authentication page's 401/403 bodies are flat in both.
func errorAnswer(r row, shape string) string {
	if r.answer == "ApiError" && shape == platform.ErrorBodyNested && r.status != 401 && r.status != 403 {
		return "NestedError"
	}
	return r.answer
}

// play runs every row and returns what did not fit, as "row: problem".
func (s *session) play(t *testing.T, shape string) []string {
	t.Helper()
	bad, _ := s.playRows(t, shape, rows, false)
	return bad
}

// playRows runs rs and returns what did not fit. With pending, a row whose
// route serve does not have (yet) is skipped and named in skipped, and so is
// a row that needs a value such a row would have saved.
func (s *session) playRows(t *testing.T, shape string, rs []row, pending bool) (bad, skipped []string) {
	t.Helper()
	for _, r := range rs {
		if r.before != nil {
			r.before(t, s)
		}
		problems, skip := s.playRow(t, shape, r, pending)
		if skip {
			skipped = append(skipped, r.name)
		}
		bad = append(bad, problems...)
	}
	return bad, skipped
}

// playRow sends one row's request and checks its answer.
func (s *session) playRow(t *testing.T, shape string, r row, pending bool) (bad []string, skip bool) {
	t.Helper()
	path, okPath := s.fill(r.path)
	body, okBody := s.fill(r.body)
	switch {
	case (!okPath || !okBody) && pending:
		return nil, true
	case !okPath || !okBody:
		t.Fatalf("%s: a placeholder is not saved by an earlier row", r.name)
	}
	status, answer := s.do(t, r, path, body)
	if pending && unrouted(status, answer) {
		return nil, true
	}
	if status != r.status && (r.status != 0 || status/100 != 2) {
		want := strconv.Itoa(r.status)
		if r.status == 0 {
			want = "2xx"
		}
		return []string{fmt.Sprintf("%s: status %d, want %s: %.300s", r.name, status, want, answer)}, false
	}
	problems, err := contract.Checker{Later: true}.Check(errorAnswer(r, shape), answer)
	if err != nil {
		return []string{fmt.Sprintf("%s: %v: %.300s", r.name, err, answer)}, false
	}
	for _, p := range problems {
		bad = append(bad, r.name+": "+p.String())
	}
	s.save(t, r, answer)
	return bad, false
}

// unrouted reports whether serve has no route for a request: 405, or 404
// from the router ("no endpoint …") rather than from a handler.
func unrouted(status int, answer []byte) bool {
	return status == http.StatusMethodNotAllowed ||
		status == http.StatusNotFound && bytes.Contains(answer, []byte(`"message":"no endpoint `))
}

var placeholder = regexp.MustCompile(`\{([a-z]+)\}`)

// fill replaces the {name} placeholders saved by earlier rows; false when
// one is not saved.
func (s *session) fill(text string) (string, bool) {
	ok := true
	out := placeholder.ReplaceAllStringFunc(text, func(m string) string {
		v, saved := s.vars[m[1:len(m)-1]]
		ok = ok && saved
		return v
	})
	return out, ok
}

func (s *session) do(t *testing.T, r row, path, body string) (int, []byte) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(r.method, s.url+path, rd)
	require.NoError(t, err)
	switch r.key {
	case "":
		req.Header.Set("Authorization", "Bearer "+key)
	case "-":
	default:
		req.Header.Set("Authorization", "Bearer "+r.key)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	answer, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, answer
}

// save keeps the values a row names for later rows.
func (s *session) save(t *testing.T, r row, body []byte) {
	t.Helper()
	for name, path := range r.save {
		var v any
		require.NoError(t, json.Unmarshal(body, &v), r.name)
		for part := range strings.SplitSeq(path, ".") {
			m, _ := v.(map[string]any)
			v = m[part]
		}
		str, ok := v.(string)
		require.True(t, ok && str != "", "%s: no string at %s in %s", r.name, path, body)
		s.vars[name] = str
	}
}

// start builds serve on loopback, with the reference integrator behind
// it; wrap, when set, stands between the client and serve.
func start(t *testing.T, shape string, wrap func(http.Handler) http.Handler) *session {
	t.Helper()
	hooks := &hookLog{}
	ref := integratortest.Start(t, integratortest.Secret("whsec_test"), integratortest.Wrap(hooks.wrap))
	g := &gate{release: make(chan struct{}), held: make(chan struct{}, 1)}
	p, err := platform.New(platform.Options{
		// Real-time pace with a sleep that returns at once: calls play
		// instantly, except while the gate holds them.
		Sim:       kit.Options{Target: ref.Webhook(), Secret: "whsec_test", Seed: 11, Pace: 1},
		APIKeys:   []string{key, otherKey},
		Sleep:     g.sleep,
		Observe:   g.observe,
		MaxBody:   maxBody,
		ErrorBody: shape,
		// The session's own command limit, so that its 429 row is reached.
		CommandsPerMinute: cmdLimit,
	})
	require.NoError(t, err)
	var h http.Handler = p
	if wrap != nil {
		h = wrap(p)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() {
		g.open()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		p.Shutdown(ctx)
		ts.Close()
	})
	return &session{p: p, url: ts.URL, vars: map[string]string{}, gate: g, hooks: hooks}
}

// gate holds a call, once it is in progress, at its next paced wait while
// the gate is closed.
type gate struct {
	holding  atomic.Bool
	answered atomic.Bool // a status-update in-progress was delivered since hold
	held     chan struct{}
	release  chan struct{}
	opened   atomic.Bool
}

// observe notes that a call went in progress (Options.Observe).
func (g *gate) observe(x *sim.Exchange) {
	if x.Event == sim.StatusUpdate && x.Status == sim.StatusInProgress {
		g.answered.Store(true)
	}
}

func (g *gate) sleep(ctx context.Context, _ time.Duration) error {
	if !g.holding.Load() || !g.answered.Load() {
		return ctx.Err()
	}
	select {
	case g.held <- struct{}{}:
	default:
	}
	select {
	case <-g.release:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (g *gate) open() {
	if g.opened.CompareAndSwap(false, true) {
		g.holding.Store(false)
		close(g.release)
	}
}

// Steps between requests. Waits are bounded generously: they end as soon
// as the calls do.
const waitLimit = 30 * time.Second

// awaitCalls waits until no call is live.
func awaitCalls(t *testing.T, s *session) {
	t.Helper()
	deadline := time.Now().Add(waitLimit)
	for s.p.Live() > 0 {
		if time.Now().After(deadline) {
			t.Fatalf("%d calls still live after %s", s.p.Live(), waitLimit)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// hold makes the next call stop at its first paced wait once it is in
// progress.
func hold(t *testing.T, s *session) {
	awaitCalls(t, s)
	s.gate.answered.Store(false)
	s.gate.holding.Store(true)
}

// awaitHeld waits until a call is held.
func awaitHeld(t *testing.T, s *session) {
	t.Helper()
	select {
	case <-s.gate.held:
	case <-time.After(waitLimit):
		t.Fatalf("no call reached the gate within %s", waitLimit)
	}
}

// release lets the held call finish and waits for it.
func release(t *testing.T, s *session) {
	s.gate.open()
	awaitCalls(t, s)
}
