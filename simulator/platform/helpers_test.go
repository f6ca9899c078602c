package platform

import (
	"bytes"
	"context"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

const testKey = "sk_test_platform"

// hit is one webhook the integrator received.
type hit struct {
	path   string
	event  string
	callID string
	body   []byte
	header http.Header
}

// recorder sits in front of the reference integrator and records every
// delivery; hold, when set, holds the assistant-request until it is closed.
type recorder struct {
	next http.Handler
	hold chan struct{}

	mu   sync.Mutex
	got  []hit
	seen chan string // event names, as they arrive (buffered)
}

func newRecorder(next http.Handler) *recorder {
	return &recorder{next: next, seen: make(chan string, 1000)}
}

func (rc *recorder) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var env struct {
		Message struct {
			Type string `json:"type"`
			Call struct {
				ID string `json:"id"`
			} `json:"call"`
		} `json:"message"`
	}
	_ = json.Unmarshal(body, &env)
	d := hit{path: r.URL.Path, event: env.Message.Type, callID: env.Message.Call.ID, body: body, header: r.Header.Clone()}
	rc.mu.Lock()
	rc.got = append(rc.got, d)
	hold := rc.hold
	rc.mu.Unlock()
	select {
	case rc.seen <- d.event:
	default:
	}
	if hold != nil && d.event == string(sim.AssistantRequest) {
		select {
		case <-hold:
		case <-r.Context().Done():
			return
		}
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	rc.next.ServeHTTP(w, r)
}

// of returns the deliveries of a call, in arrival order.
func (rc *recorder) of(callID string) []hit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	var out []hit
	for _, d := range rc.got {
		if d.callID == callID {
			out = append(out, d)
		}
	}
	return out
}

func (rc *recorder) all() []hit {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]hit(nil), rc.got...)
}

// env is a platform under test with the reference integrator behind it.
type env struct {
	t    *testing.T
	p    *Platform
	url  string
	rec  *recorder
	srv  *integrator.Server
	hook string
}

// setup starts the integrator and the platform on loopback. mod may change
// the options before the platform is built.
func setup(t *testing.T, mod func(o *Options)) *env {
	t.Helper()
	return setupWith(t, nil, mod)
}

// setupWith is setup with another webhook server than the integrator.
func setupWith(t *testing.T, next http.Handler, mod func(o *Options)) *env {
	t.Helper()
	var rec *recorder
	ref := integratortest.Start(t, integratortest.Secret("whsec_test"), integratortest.Wrap(func(srv http.Handler) http.Handler {
		if next == nil {
			next = srv
		}
		rec = newRecorder(next)
		return rec
	}))
	srv, hookSrv := ref.Server, ref.HTTP
	o := Options{
		Sim:     kit.Options{Target: hookSrv.URL + "/webhook", Secret: "whsec_test", Seed: 7},
		APIKeys: []string{testKey},
		// The tests read the nested body; errors_test.go and the contract
		// test check the default (flat) one.
		ErrorBody: ErrorBodyNested,
	}
	if mod != nil {
		mod(&o)
	}
	p, err := New(o)
	require.NoError(t, err)
	ts := httptest.NewServer(p)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		p.Shutdown(ctx)
		ts.Close()
		srv.Close()
	})
	return &env{t: t, p: p, url: ts.URL, rec: rec, srv: srv, hook: hookSrv.URL}
}

// response is an API answer.
type response struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

// do sends a request with the test key and decodes the JSON answer.
func (e *env) do(method, path string, body any) response {
	e.t.Helper()
	return e.doKey(testKey, method, path, body)
}

func (e *env) doKey(key, method, path string, body any) response {
	e.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		require.NoError(e.t, err)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, e.url+path, rd)
	require.NoError(e.t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	r := response{status: resp.StatusCode, header: resp.Header, raw: raw}
	_ = json.Unmarshal(raw, &r.body)
	return r
}

// inbound starts an inbound call through the test trigger.
func (e *env) inbound(body map[string]any) string {
	e.t.Helper()
	var b any = ""
	if body != nil {
		b = body
	}
	r := e.do(http.MethodPost, "/simulate/inbound", b)
	require.Equal(e.t, http.StatusCreated, r.status, string(r.raw))
	id, _ := r.body["call_id"].(string)
	require.NotEmpty(e.t, id)
	return id
}

// wait waits until the call has ended.
func (e *env) wait(id string) {
	e.t.Helper()
	e.p.mu.Lock()
	c := e.p.calls[id]
	e.p.mu.Unlock()
	require.NotNil(e.t, c, "call %s", id)
	select {
	case <-c.done:
	case <-time.After(30 * time.Second):
		e.t.Fatalf("call %s did not end within 30 s", id)
	}
}

// get returns the call object.
func (e *env) get(id string) map[string]any {
	e.t.Helper()
	r := e.do(http.MethodGet, "/api/v1/calls/"+id, nil)
	require.Equal(e.t, http.StatusOK, r.status, string(r.raw))
	return r.body
}

// control sends one command and returns the answer.
func (e *env) control(id string, cmd map[string]any) response {
	e.t.Helper()
	return e.do(http.MethodPost, "/api/v1/calls/"+id+"/control", cmd)
}

// message is an end-of-call-report message.
type message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// report decodes the call's end-of-call-report as delivered.
type eocr struct {
	EndReason string    `json:"end_reason"`
	Messages  []message `json:"messages"`
	Call      struct {
		Status string `json:"status"`
		Type   string `json:"type"`
	} `json:"call"`
	Summary string `json:"summary"`
}

func (e *env) report(id string) *eocr {
	e.t.Helper()
	for _, d := range e.rec.of(id) {
		if d.event == string(sim.EndOfCallReport) {
			var m struct {
				Message eocr `json:"message"`
			}
			require.NoError(e.t, json.Unmarshal(d.body, &m))
			return &m.Message
		}
	}
	e.t.Fatalf("call %s: no end-of-call-report delivered (events: %v)", id, e.events(id))
	return nil
}

// statusUpdates are the status-update bodies of a call as {status, end_reason}.
func (e *env) statusUpdates(id string) [][2]string {
	var out [][2]string
	for _, d := range e.rec.of(id) {
		if d.event != string(sim.StatusUpdate) {
			continue
		}
		var m struct {
			Message struct {
				EndReason string `json:"end_reason"`
				Call      struct {
					Status string `json:"status"`
				} `json:"call"`
			} `json:"message"`
		}
		_ = json.Unmarshal(d.body, &m)
		out = append(out, [2]string{m.Message.Call.Status, m.Message.EndReason})
	}
	return out
}

func (e *env) events(id string) []string {
	var out []string
	for _, d := range e.rec.of(id) {
		out = append(out, d.event)
	}
	return out
}

// gate holds paced calls at their second wait until released: the first
// is the ring (the call goes in-progress after it), the second comes just
// after the call went in-progress.
type gate struct {
	held    chan struct{}
	release chan struct{}
	once    sync.Once
	passed  atomic.Int32
}

func newGate() *gate {
	return &gate{held: make(chan struct{}, 1000), release: make(chan struct{})}
}

func (g *gate) sleep(ctx context.Context, _ time.Duration) error {
	if g.passed.Add(1) == 1 {
		return nil // the ring
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

func (g *gate) open() { g.once.Do(func() { close(g.release) }) }

// waitHeld waits until a call is held at the gate.
func (g *gate) waitHeld(t *testing.T) {
	t.Helper()
	select {
	case <-g.held:
	case <-time.After(10 * time.Second):
		t.Fatal("no call reached the gate within 10 s")
	}
}

// held is a platform whose first call stops at its second paced wait (just
// after going in-progress) until the gate opens.
func held(t *testing.T, mod func(o *Options)) (*env, *gate) {
	g := newGate()
	e := setup(t, func(o *Options) {
		o.Sim.Pace = 1
		o.Sleep = g.sleep
		if mod != nil {
			mod(o)
		}
	})
	t.Cleanup(g.open)
	return e, g
}

// assistantMessages are the assistant lines of a report.
func (r *eocr) lines(role string) []string {
	var out []string
	for _, m := range r.Messages {
		if m.Role == role {
			out = append(out, m.Content)
		}
	}
	return out
}

// page fetches a dashboard page, entities decoded.
func (e *env) page(path string) string {
	e.t.Helper()
	resp, err := http.Get(e.url + path)
	require.NoError(e.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(e.t, err)
	require.Equal(e.t, http.StatusOK, resp.StatusCode, string(b))
	return html.UnescapeString(string(b))
}
