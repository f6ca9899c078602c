package scenarios

// Steps that drive the mock platform API (simulator/platform) the way an
// integrator's own code drives the real one: start calls, steer them with
// control commands and read them back. The calls deliver their webhooks to
// the server under test, where the catalogue grades them like every other
// webhook of the scenario.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/cucumber/godog"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/platform"
)

const (
	// apiPace is how fast the platform's calls play unless the
	// configuration names a pace: five times real time. A call then lasts
	// half a minute or so, so a control command sent once the call is in
	// progress lands mid-call even on a busy machine, and the command acts
	// within a second (the engine takes commands between turns).
	apiPace = 5
	// apiPoll is how often a waiting step looks the call up.
	apiPoll = 20 * time.Millisecond
	// apiSettle is what a wait allows beyond the deadlines of the webhooks
	// still to come.
	apiSettle = 5 * time.Second
	// apiRequests is the mock's per-minute request limit: far above what
	// the steps' polling needs (the documented 100 would refuse it).
	apiRequests = 1 << 20
)

// The platform API's terminal call statuses (spec §2.2).
var apiOver = []string{"ended", "ended-with-error", "transferred", "failed", "rejected"}

// platformDefinitions are the steps of the "platform API" topic.
var platformDefinitions = []def{
	step("platform API", "the platform API is running (a mock platform for this scenario; the other API steps start it too)",
		"Given the platform API is running", `^the platform API is running$`, givenAPI),
	step("platform API", `I start an outbound call to "NUMBER" through the API (POST /api/v1/calls/outbound)`,
		`When I start an outbound call to "+31612345678" through the API`,
		`^I start an outbound call to "([^"]*)" through the API$`, whenOutbound),
	step("platform API", `I start an outbound call to "NUMBER" through the API with: (a doc string with request fields)`,
		"When I start an outbound call to \"+31612345678\" through the API with:\n  \"\"\"\n  {\"assistant\": {\"name\": \"Sales\", \"first_message\": \"Goedemiddag!\"}}\n  \"\"\"",
		`^I start an outbound call to "([^"]*)" through the API with:$`, whenOutboundWith),
	step("platform API", "an inbound call is started through the API (POST /simulate/inbound)", "When an inbound call is started through the API",
		`^an inbound call is started through the API$`, whenInboundAPI),
	step("platform API", "an inbound call is started through the API with: (a doc string with request fields)",
		"When an inbound call is started through the API with:\n  \"\"\"\n  {\"intent\": \"callback\", \"lang\": \"en\"}\n  \"\"\"",
		`^an inbound call is started through the API with:$`, whenInboundAPIWith),
	step("platform API", `I send the control command "TYPE" with: (a doc string with the command's fields)`,
		"When I send the control command \"say\" with:\n  \"\"\"\n  {\"content\": \"Een ogenblik, ik kijk het na.\", \"end_after\": false}\n  \"\"\"",
		`^I send the control command "([^"]*)" with:$`, whenControlWith),
	step("platform API", `I tell the assistant to say "TEXT"`, `When I tell the assistant to say "Een ogenblik, ik kijk het na."`,
		`^I tell the assistant to say "([^"]*)"$`, whenSay(false)),
	step("platform API", `I tell the assistant to say "TEXT" and end the call`, `When I tell the assistant to say "Tot ziens!" and end the call`,
		`^I tell the assistant to say "([^"]*)" and end the call$`, whenSay(true)),
	step("platform API", "I end the call through the API", "When I end the call through the API",
		`^I end the call through the API$`, whenEndAPI),
	step("platform API", `I end the call through the API saying "TEXT"`, `When I end the call through the API saying "Bedankt voor uw geduld."`,
		`^I end the call through the API saying "([^"]*)"$`, whenEndAPISaying),
	step("platform API", `I transfer the call to "NUMBER|SIP URI"`, `When I transfer the call to "+31201234567"`,
		`^I transfer the call to "([^"]*)"$`, whenTransfer),
	step("platform API", `I inject the context "TEXT"`, `When I inject the context "CRM: klant heeft een open factuur"`,
		`^I inject the context "([^"]*)"$`, whenInject(false)),
	step("platform API", `I inject the context "TEXT" and let the assistant answer`, `When I inject the context "Verificatiecode: 123456" and let the assistant answer`,
		`^I inject the context "([^"]*)" and let the assistant answer$`, whenInject(true)),
	step("platform API", "the API answers N (the status of the last API request)", "Then the API answers 200",
		`^the API answers (\d{3})$`, thenAPIAnswers),
	step("platform API", "the API refuses it with N (a 4xx status of the last API request)", "Then the API refuses it with 400",
		`^the API refuses it with (\d{3})$`, thenAPIRefuses),
	step("platform API", "the API lists the call (GET /api/v1/calls)", "Then the API lists the call",
		`^the API lists the call$`, thenAPILists),
	step("platform API", `the call's status through the API is "STATUS" (waits for it)`, `Then the call's status through the API is "ended"`,
		`^the call's status through the API is "([^"]*)"$`, thenAPIStatus),
	step("platform API", `the call's end reason through the API is "REASON" (waits for the end)`, `Then the call's end reason through the API is "api_end_call"`,
		`^the call's end reason through the API is "([^"]*)"$`, thenAPIEndReason),
	step("platform API", `the end-of-call-report sent to my server contains "TEXT" (waits for it)`, `Then the end-of-call-report sent to my server contains "Een ogenblik, ik kijk het na."`,
		`^the end-of-call-report sent to my server contains "([^"]*)"$`, thenReportContains),
}

// registerPlatform adds the hook that stops the scenario's mock platform.
// It must run before the hook that records the scenario: the platform's
// calls finish first, so that their webhooks count. A stopped run cancels
// them at once.
func registerPlatform(sc *godog.ScenarioContext) {
	sc.After(func(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
		if st := stateFrom(ctx); st != nil && st.api != nil {
			wait := st.apiWait()
			if ctx.Err() != nil {
				wait = 0
			}
			st.api.stop(wait)
		}
		return ctx, nil
	})
}

// apiRun is a scenario's mock platform, served on a loopback port, and what
// the steps learned from it.
type apiRun struct {
	plat   *platform.Platform
	srv    *http.Server
	served chan struct{} // closed when the server has stopped
	client *http.Client
	base   string // http://127.0.0.1:PORT

	mu sync.Mutex
	xs []*sim.Exchange // the webhooks of the platform's calls, checked

	// Used by the scenario's steps only.
	calls   []string     // ids of the calls started, oldest first
	last    *apiResponse // the last API request the steps made
	refused []string     // control commands the API refused, in words
}

// apiResponse is an answer of the platform API.
type apiResponse struct {
	Method string
	Path   string
	Status int
	Body   []byte
}

func (r *apiResponse) String() string {
	return fmt.Sprintf("%s %s answered %d%s", r.Method, r.Path, r.Status, bodySnippet(r.Body))
}

func (r *apiRun) observe(x *sim.Exchange) {
	r.mu.Lock()
	r.xs = append(r.xs, x)
	r.mu.Unlock()
}

func (r *apiRun) exchanges() []*sim.Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.xs)
}

// stop lets the live calls finish (at full speed, their webhooks still
// delivered) for at most wait, cancels the rest, then closes the server.
func (r *apiRun) stop(wait time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	r.plat.Shutdown(ctx)
	sctx, scancel := context.WithTimeout(context.Background(), time.Second)
	defer scancel()
	if r.srv.Shutdown(sctx) != nil {
		_ = r.srv.Close()
	}
	<-r.served
	r.client.CloseIdleConnections()
}

// apiExchanges are the webhooks of the scenario's platform calls.
func (st *state) apiExchanges() []*sim.Exchange {
	if st.api == nil {
		return nil
	}
	return st.api.exchanges()
}

// withAPI adds the platform's values to the placeholders: {api}, and
// {call_id} of the last call started through the API.
func (st *state) withAPI(v map[string]string) map[string]string {
	if st.api == nil {
		return v
	}
	v["api"] = st.api.base
	if n := len(st.api.calls); n > 0 {
		v["call_id"] = st.api.calls[n-1]
	}
	return v
}

// apiWait bounds a step's wait for the platform: a few seconds beyond the
// deadlines of the webhooks that may still come before the call's report
// (a sync tool call, the status-update ended, the report), scaled like
// every deadline.
func (st *state) apiWait() time.Duration {
	k, err := st.l.kit(st.dialect)
	if err != nil {
		return apiSettle
	}
	d := k.Engine.Deadlines
	return apiSettle + d.ToolCalls + 2*d.Ack
}

// platformAPI returns the scenario's mock platform, starting it when it is
// not running: the scenario's dialect, the library's target, secret, seed,
// deadlines and policies, paced so that control commands land mid-call.
func (st *state) platformAPI() (*apiRun, error) {
	if st.api != nil {
		return st.api, nil
	}
	o := st.l.cfg.kitOptions(st.dialect)
	if o.Pace <= 0 {
		o.Pace = apiPace
	}
	run := &apiRun{served: make(chan struct{})}
	plat, err := platform.New(platform.Options{Sim: o, RequestsPerMinute: apiRequests, Observe: run.observe})
	if err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		plat.Shutdown(context.Background())
		return nil, fmt.Errorf("the platform API could not listen on a loopback port: %w", err)
	}
	run.plat, run.base = plat, "http://"+ln.Addr().String()
	run.srv = &http.Server{Handler: plat, ReadHeaderTimeout: probeTimeout}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // loopback: never through a proxy
	run.client = &http.Client{Timeout: probeTimeout, Transport: tr}
	go func() {
		defer close(run.served)
		_ = run.srv.Serve(ln) // ends with ErrServerClosed when stop shuts it down
	}()
	st.api = run
	return run, nil
}

// request sends one API request; record makes its answer the one the
// "the API answers" steps judge.
func (st *state) request(ctx context.Context, method, path string, body any, record bool) (*apiResponse, error) {
	run, err := st.platformAPI()
	if err != nil {
		return nil, err
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("%s %s: encoding the request: %v", method, path, err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, run.base+path, rd)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	res, err := run.client.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("the run was stopped: %w", ctx.Err())
		}
		return nil, fmt.Errorf("%s %s on the platform API: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, maxProbeBody))
	_, _ = io.Copy(io.Discard, res.Body)
	if err != nil {
		return nil, fmt.Errorf("%s %s on the platform API: reading the answer: %v", method, path, err)
	}
	r := &apiResponse{Method: method, Path: path, Status: res.StatusCode, Body: b}
	if record {
		run.last = r
	}
	return r, nil
}

// ---- starting calls

func givenAPI(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	_, err = st.platformAPI()
	return err
}

// simulate is the simulator's own part of a start request: the call number
// (so that every scenario plays its own calls, reproducibly) and what the
// Given steps chose.
func (st *state) simulate(into map[string]any) {
	n := 0
	if st.api != nil {
		n = len(st.api.calls)
	}
	into["call"] = st.number + 900 + n    // after the numbers of concurrent calls
	into["intent"] = string(st.fo.Intent) // the library's default: book an appointment
	if st.fo.Lang != "" {
		into["lang"] = st.fo.Lang
	}
}

// fields reads a doc string of request fields.
func fields(doc *godog.DocString) (map[string]json.RawMessage, error) {
	var f map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc.Content), &f); err != nil || f == nil {
		return nil, fmt.Errorf("the doc string must be a JSON object of request fields, got %q", strings.TrimSpace(doc.Content))
	}
	return f, nil
}

// start sends a start request and remembers the call it started.
func (st *state) start(ctx context.Context, path string, body map[string]any, doc *godog.DocString) error {
	if doc != nil {
		extra, err := fields(doc)
		if err != nil {
			return err
		}
		for k, v := range extra {
			if k == "destination" && body["destination"] != nil {
				continue // the step text names it
			}
			body[k] = v
		}
	}
	r, err := st.request(ctx, http.MethodPost, path, body, true)
	if err != nil {
		return err
	}
	var ok struct {
		CallID string `json:"call_id"`
	}
	if r.Status/100 == 2 && json.Unmarshal(r.Body, &ok) == nil && ok.CallID != "" {
		st.api.calls = append(st.api.calls, ok.CallID)
	}
	return nil
}

func whenOutbound(ctx context.Context, number string) error {
	return outbound(ctx, number, nil)
}

func whenOutboundWith(ctx context.Context, number string, doc *godog.DocString) error {
	return outbound(ctx, number, doc)
}

func outbound(ctx context.Context, number string, doc *godog.DocString) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if _, err := st.platformAPI(); err != nil {
		return err
	}
	sop := map[string]any{}
	st.simulate(sop)
	if sop["intent"] == string(sim.Voicemail) {
		sop["outcome"] = "voicemail"
	}
	body := map[string]any{
		"destination": number,
		"assistant":   map[string]any{"name": "flireo-sim outbound"},
		"simulate":    sop,
	}
	return st.start(ctx, "/api/v1/calls/outbound", body, doc)
}

func whenInboundAPI(ctx context.Context) error { return inbound(ctx, nil) }

func whenInboundAPIWith(ctx context.Context, doc *godog.DocString) error { return inbound(ctx, doc) }

func inbound(ctx context.Context, doc *godog.DocString) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if _, err := st.platformAPI(); err != nil {
		return err
	}
	body := map[string]any{}
	st.simulate(body)
	if st.customer != nil {
		body["caller"] = *st.customer
	}
	return st.start(ctx, "/simulate/inbound", body, doc)
}

// ---- control commands

// apiCall returns the last call started through the API.
func (st *state) apiCall() (string, error) {
	if st.api == nil || len(st.api.calls) == 0 {
		why := "no call was started through the API: add a step such as 'When an inbound call is started through the API'"
		if st.api != nil && st.api.last != nil && st.api.last.Status/100 != 2 {
			why += " (the last request: " + st.api.last.String() + ")"
		}
		return "", errors.New(why)
	}
	return st.api.calls[len(st.api.calls)-1], nil
}

// control sends a control command to the last call once it is in progress
// (or over: then the API refuses it, which a step may expect).
func (st *state) control(ctx context.Context, cmd map[string]any) error {
	id, err := st.apiCall()
	if err != nil {
		return err
	}
	if _, err := st.await(ctx, id, "in progress", func(c apiCallObject) bool {
		return c.Status != "ringing" && c.Status != "dialing"
	}); err != nil {
		return err
	}
	r, err := st.request(ctx, http.MethodPost, "/api/v1/calls/"+url.PathEscape(id)+"/control", cmd, true)
	if err != nil {
		return err
	}
	if r.Status/100 != 2 {
		st.api.refused = append(st.api.refused, fmt.Sprintf("%v (%d%s)", cmd["type"], r.Status, bodySnippet(r.Body)))
	}
	return nil
}

func whenControlWith(ctx context.Context, typ string, doc *godog.DocString) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	f, err := fields(doc)
	if err != nil {
		return err
	}
	cmd := make(map[string]any, len(f)+1)
	for k, v := range f {
		cmd[k] = v
	}
	cmd["type"] = typ
	return st.control(ctx, cmd)
}

func whenSay(end bool) func(context.Context, string) error {
	return func(ctx context.Context, text string) error {
		st, err := begin(ctx)
		if err != nil {
			return err
		}
		return st.control(ctx, map[string]any{"type": sim.CommandSay, "content": text, "end_after": end})
	}
}

func whenEndAPI(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	return st.control(ctx, map[string]any{"type": sim.CommandEndCall})
}

func whenEndAPISaying(ctx context.Context, text string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	return st.control(ctx, map[string]any{"type": sim.CommandEndCall, "message": text})
}

func whenTransfer(ctx context.Context, dest string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	return st.control(ctx, map[string]any{"type": sim.CommandTransfer, "destination": dest})
}

func whenInject(answer bool) func(context.Context, string) error {
	return func(ctx context.Context, text string) error {
		st, err := begin(ctx)
		if err != nil {
			return err
		}
		return st.control(ctx, map[string]any{"type": sim.CommandInjectContext, "content": text, "trigger_response": answer})
	}
}

// ---- reading calls back

// apiCallObject is what the steps read of GET /api/v1/calls/{id}.
type apiCallObject struct {
	ID        string       `json:"id"`
	Status    string       `json:"status"`
	EndReason *string      `json:"end_reason"`
	Messages  []apiMessage `json:"messages"`
}

type apiMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

func (c apiCallObject) over() bool { return slices.Contains(apiOver, c.Status) }

// lookup reads a call through the API.
func (st *state) lookup(ctx context.Context, id string) (apiCallObject, error) {
	var c apiCallObject
	r, err := st.request(ctx, http.MethodGet, "/api/v1/calls/"+url.PathEscape(id), nil, false)
	if err != nil {
		return c, err
	}
	if r.Status != http.StatusOK {
		return c, errors.New(r.String())
	}
	if err := json.Unmarshal(r.Body, &c); err != nil {
		return c, fmt.Errorf("%s, not a call object: %v", r, err)
	}
	return c, nil
}

// await looks the call up until done says so, within the wait bound. A
// call still not done at the bound fails the step, attributed to the checks
// that failed so far (a server that times out slows the call down).
func (st *state) await(ctx context.Context, id, what string, done func(apiCallObject) bool) (apiCallObject, error) {
	limit := st.apiWait()
	deadline := time.Now().Add(limit)
	t := time.NewTicker(apiPoll)
	defer t.Stop()
	for {
		c, err := st.lookup(ctx, id)
		if err != nil {
			return c, err
		}
		if done(c) {
			return c, nil
		}
		if time.Now().After(deadline) {
			return c, st.blame(fmt.Sprintf("the call %s was not %s within %s: its status through the API is %q", id, what, limit.Round(time.Millisecond), c.Status))
		}
		select {
		case <-ctx.Done():
			return c, fmt.Errorf("the run was stopped: %w", ctx.Err())
		case <-t.C:
		}
	}
}

func thenAPIAnswers(ctx context.Context, code int) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	return st.lastStatus(code)
}

func thenAPIRefuses(ctx context.Context, code int) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if code/100 != 4 {
		return fmt.Errorf("a refusal is a 4xx status, not %d: use 'the API answers %d'", code, code)
	}
	return st.lastStatus(code)
}

func (st *state) lastStatus(code int) error {
	if st.api == nil || st.api.last == nil {
		return errors.New("no request was made to the platform API yet: a When step must make one first")
	}
	if r := st.api.last; r.Status != code {
		return fmt.Errorf("%s, expected %d", r, code)
	}
	return nil
}

func thenAPILists(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	id, err := st.apiCall()
	if err != nil {
		return err
	}
	r, err := st.request(ctx, http.MethodGet, "/api/v1/calls?limit=100", nil, true)
	if err != nil {
		return err
	}
	var list struct {
		Calls []struct {
			ID string `json:"id"`
		} `json:"calls"`
	}
	if r.Status != http.StatusOK || json.Unmarshal(r.Body, &list) != nil {
		return fmt.Errorf("%s, expected 200 with the calls", r)
	}
	for _, c := range list.Calls {
		if c.ID == id {
			return nil
		}
	}
	return fmt.Errorf("GET /api/v1/calls lists %d calls, without %s", len(list.Calls), id)
}

func thenAPIStatus(ctx context.Context, want string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	id, err := st.apiCall()
	if err != nil {
		return err
	}
	c, err := st.await(ctx, id, want, func(c apiCallObject) bool { return c.Status == want || c.over() })
	if err != nil {
		return err
	}
	if c.Status != want {
		return st.apiFailure("the call %s is %s through the API (end reason %s), not %s", id, c.Status, reason(c), want)
	}
	return nil
}

func reason(c apiCallObject) string {
	if c.EndReason == nil {
		return "none"
	}
	return fmt.Sprintf("%q", *c.EndReason)
}

func thenAPIEndReason(ctx context.Context, want string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	id, err := st.apiCall()
	if err != nil {
		return err
	}
	c, err := st.await(ctx, id, "over", apiCallObject.over)
	if err != nil {
		return err
	}
	if c.EndReason == nil || *c.EndReason != want {
		return st.apiFailure("the call %s ended (%s) with end reason %s through the API, not %q", id, c.Status, reason(c), want)
	}
	return nil
}

// apiFailure is the error of an assertion on a call. When the API refused
// a control command of the scenario, that usually explains it: a call whose
// webhooks were answered late runs ahead of the wall clock to catch up (its
// timeline leaves the replies' latency out), so a later command can find it
// ended. The failure is then attributed to the checks that failed so far.
func (st *state) apiFailure(format string, a ...any) error {
	msg := fmt.Sprintf(format, a...)
	if st.api == nil || len(st.api.refused) == 0 {
		return errors.New(msg)
	}
	return st.blame(msg + "; the API refused: " + strings.Join(st.api.refused, ", "))
}

// apiReport waits for the end-of-call-report of call id to be delivered.
func (st *state) apiReport(ctx context.Context, id string) (*sim.Exchange, error) {
	k, err := st.l.kit(st.dialect)
	if err != nil {
		return nil, err
	}
	if !k.Dialect.Sends(sim.EndOfCallReport) {
		return nil, skipWith("the %s dialect sends no end-of-call-report", st.dialect)
	}
	report := func() *sim.Exchange {
		for _, x := range st.api.exchanges() {
			if x.CallID == id && x.Event == sim.EndOfCallReport && x.Request.Probe == sim.ProbeNone {
				return x
			}
		}
		return nil
	}
	// The call object has its transcript once the call has finished, which
	// is after its report was delivered; an unanswered call has none.
	c, err := st.await(ctx, id, "finished", func(c apiCallObject) bool {
		return report() != nil || (c.over() && (len(c.Messages) > 0 || (c.EndReason != nil && *c.EndReason == platform.EndNoAnswer)))
	})
	if err != nil {
		return nil, err
	}
	if x := report(); x != nil {
		return x, nil
	}
	return nil, st.blame(fmt.Sprintf("no end-of-call-report was sent for the call %s (%s, end reason %s)", id, c.Status, reason(c)))
}

func thenReportContains(ctx context.Context, text string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	id, err := st.apiCall()
	if err != nil {
		return err
	}
	x, err := st.apiReport(ctx, id)
	if err != nil {
		return err
	}
	if containsText(x.Request.Body, text) {
		return nil
	}
	c, err := st.lookup(ctx, id)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(c.Messages, func(m apiMessage) bool { return m.Content != "" && containsText(x.Request.Body, m.Content) }) {
		return skipWith("the %s dialect's end-of-call-report carries no transcript, so it cannot show what was said", st.dialect)
	}
	return st.apiFailure("the end-of-call-report sent for the call %s (end reason %q) does not contain %q; the call's messages: %s", id, x.EndReason, text, transcript(c))
}

// containsText reports whether a string value of the JSON body contains
// text (the body's escapes decoded).
func containsText(body []byte, text string) bool {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return bytes.Contains(body, []byte(text))
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case string:
			return strings.Contains(x, text)
		case map[string]any:
			for _, e := range x {
				if walk(e) {
					return true
				}
			}
		case []any:
			return slices.ContainsFunc(x, walk)
		}
		return false
	}
	return walk(v)
}

// transcript renders a call's messages in short, for a failure.
func transcript(c apiCallObject) string {
	if len(c.Messages) == 0 {
		return "(none)"
	}
	parts := make([]string, 0, len(c.Messages))
	for _, m := range c.Messages {
		text := m.Content
		if r := []rune(text); len(r) > 60 {
			text = string(r[:60]) + "…"
		}
		parts = append(parts, fmt.Sprintf("%s: %q", m.Role, text))
	}
	return strings.Join(parts, " | ")
}
