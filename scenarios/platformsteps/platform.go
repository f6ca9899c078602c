package platformsteps

// Steps that drive the mock platform API (simulator/platform) the way an
// integrator's own code drives the real one: start calls, steer them with
// control commands and read them back. The calls deliver their webhooks to
// the server under test, where the catalogue grades them like every other
// webhook of the scenario.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/flireo-sim/flireo-sim/scenarios/internal/bodytext"
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
	// maxBody caps what is read of an answer of the platform API.
	maxBody = 4 << 20
)

// The platform API's terminal call statuses (spec §2.2).
var apiOver = []string{"ended", "ended-with-error", "transferred", "failed", "rejected"}

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

	wait time.Duration // what stop lets the live calls take (apiWait)

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
	return fmt.Sprintf("%s %s answered %d%s", r.Method, r.Path, r.Status, bodytext.Snippet(r.Body))
}

func (r *apiRun) observe(x *sim.Exchange) {
	r.mu.Lock()
	r.xs = append(r.xs, x)
	r.mu.Unlock()
}

// Exchanges are the webhooks of the platform's calls, checked.
func (r *apiRun) Exchanges() []*sim.Exchange { return r.exchanges() }

func (r *apiRun) exchanges() []*sim.Exchange {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.xs)
}

// Stop stops the platform before the scenario is recorded: its calls
// finish first, so that their webhooks count. A stopped run cancels them
// at once.
func (r *apiRun) Stop(stopped bool) {
	wait := r.wait
	if stopped {
		wait = 0
	}
	r.stop(wait)
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

// Values adds the platform's values to the placeholders: {api}, and
// {call_id} of the last call started through the API.
func (r *apiRun) Values(v map[string]string) {
	v["api"] = r.base
	if n := len(r.calls); n > 0 {
		v["call_id"] = r.calls[n-1]
	}
}

// apiWait bounds a step's wait for the platform: a few seconds beyond the
// deadlines of the webhooks that may still come before the call's report
// (a sync tool call, the status-update ended, the report), scaled like
// every deadline.
func (st *state) apiWait() time.Duration {
	k, err := st.Kit()
	if err != nil {
		return apiSettle
	}
	d := k.Engine.Deadlines
	return apiSettle + d.ToolCalls + 2*d.Ack
}

// platformAPI returns the scenario's mock platform, starting it when it is
// not running: the scenario's dialect, the library's target, secret, seed,
// deadlines and policies, paced so that control commands land mid-call.
func (st *state) platformAPI() (*apiRun, error) { return st.platformAPIAt(apiPace) }

// platformAPIInstant is platformAPI for scenarios that steer no call while
// it is live (campaigns, numbers): unless the configuration names a pace,
// their calls play instantly.
func (st *state) platformAPIInstant() (*apiRun, error) { return st.platformAPIAt(0) }

// platformAPIAt starts the scenario's platform, its calls at pace unless the
// configuration names one.
func (st *state) platformAPIAt(pace float64) (*apiRun, error) {
	if st.api != nil {
		return st.api, nil
	}
	o := st.Options()
	if o.Pace <= 0 {
		o.Pace = pace
	}
	run := &apiRun{served: make(chan struct{}), wait: st.apiWait()}
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
	run.srv = &http.Server{Handler: plat, ReadHeaderTimeout: requestTimeout}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil // loopback: never through a proxy
	run.client = &http.Client{Timeout: requestTimeout, Transport: tr}
	go func() {
		defer close(run.served)
		_ = run.srv.Serve(ln) // ends with ErrServerClosed when stop shuts it down
	}()
	st.api = run
	st.SetPart(partKey{}, run)
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
	b, err := io.ReadAll(io.LimitReader(res.Body, maxBody))
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
