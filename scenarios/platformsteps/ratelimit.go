package platformsteps

// Steps about the platform API's throttling: the per-call limit on control
// commands (10 a minute, spec §5.1) and the limit on failed authentications
// per client address. Both answer 429 with Retry-After, the X-RateLimit-*
// headers and the documented rate-limit body (spec §6.6).

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/flireo-sim/flireo-sim/scenarios"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/platform"
)

// rateSteps are the throttling steps of the "platform API" topic.
var rateSteps = []scenarios.Definition{
	step("platform API", "I send N control commands to the call through the API (at once, silent inject-context)",
		"When I send 11 control commands to the call through the API",
		`^I send (\d+) control commands to the call through the API$`, do1((*state).whenCommandBurst)),
	step("platform API", "the API throttled the commands after N (429 with Retry-After and rate_limit_exceeded)",
		"Then the API throttled the commands after 10",
		`^the API throttled the commands after (\d+)$`, do1((*state).thenThrottled)),
	step("platform API", "I send N requests with wrong API keys to a platform API that requires a key (then one with the right key)",
		"When I send 11 requests with wrong API keys to a platform API that requires a key",
		`^I send (\d+) requests with wrong API keys to a platform API that requires a key$`, do1((*state).whenWrongKeys)),
	step("platform API", "the wrong keys were throttled after N, and the right key was not",
		"Then the wrong keys were throttled after 10, and the right key was not",
		`^the wrong keys were throttled after (\d+), and the right key was not$`, do1((*state).thenKeysThrottled)),
}

// maxBurst bounds the requests one step sends.
const maxBurst = 100

// rateKey is the key of the scenario's burst among its parts.
type rateKey struct{}

// burst is what a throttling step sent and got, in order.
type burst struct {
	what    string
	answers []rateAnswer
	right   *rateAnswer // the request with the right key, after the wrong ones
}

// rateAnswer is one answer of a burst.
type rateAnswer struct {
	status     int
	retryAfter string
	remaining  string
	code, kind string
	message    string
}

func (b *burst) Exchanges() []*sim.Exchange { return nil }
func (b *burst) Values(map[string]string)   {}
func (b *burst) Stop(bool)                  {}

// send sends one request through the client and reads the rate-limit parts
// of the answer.
func send(ctx context.Context, client *http.Client, method, target, key string, body any) (rateAnswer, error) {
	var a rateAnswer
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return a, err
		}
		rd = strings.NewReader(string(b))
	}
	req, err := http.NewRequestWithContext(ctx, method, target, rd)
	if err != nil {
		return a, err
	}
	req.Header.Set("Content-Type", "application/json")
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	res, err := client.Do(req)
	if err != nil {
		return a, fmt.Errorf("%s %s on the platform API: %v", method, target, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(res.Body, maxBody))
	a = rateAnswer{status: res.StatusCode, retryAfter: res.Header.Get("Retry-After"), remaining: res.Header.Get("X-RateLimit-Remaining")}
	a.code, a.kind, a.message = errorBody(raw)
	return a, nil
}

// errorBody reads an error answer of the platform API in either shape: the
// SDK's ApiError ({"error": CODE, "message", "type"}, serve's default) or the
// errors page's ({"error": {"code", "message", "type"}}).
func errorBody(raw []byte) (code, kind, message string) {
	var e struct {
		Error   json.RawMessage `json:"error"`
		Type    string          `json:"type"`
		Message string          `json:"message"`
	}
	if json.Unmarshal(raw, &e) != nil {
		return "", "", ""
	}
	if json.Unmarshal(e.Error, &code) == nil {
		return code, e.Type, e.Message
	}
	var nested struct{ Code, Type, Message string }
	if json.Unmarshal(e.Error, &nested) == nil {
		return nested.Code, nested.Type, nested.Message
	}
	return "", "", ""
}

// whenCommandBurst sends n silent inject-context commands to the last call
// once it is in progress, one right after the other.
func (st *state) whenCommandBurst(ctx context.Context, n int) error {
	if n < 1 || n > maxBurst {
		return fmt.Errorf("send 1 to %d commands, not %d", maxBurst, n)
	}
	id, err := st.apiCall()
	if err != nil {
		return err
	}
	if _, err := st.await(ctx, id, "in progress", func(c apiCallObject) bool {
		return c.Status != "ringing" && c.Status != "dialing"
	}); err != nil {
		return err
	}
	b := &burst{what: "control commands"}
	target := st.api.base + "/api/v1/calls/" + url.PathEscape(id) + "/control"
	for i := range n {
		a, err := send(ctx, st.api.client, http.MethodPost, target, "",
			map[string]any{"type": sim.CommandInjectContext, "content": fmt.Sprintf("Note %d of %d.", i+1, n)})
		if err != nil {
			return err
		}
		b.answers = append(b.answers, a)
	}
	st.SetPart(rateKey{}, b)
	return nil
}

// whenWrongKeys starts a platform API of its own that requires a key,
// sends it n requests with wrong keys and then one with the right key, all
// from this address, and stops it.
func (st *state) whenWrongKeys(ctx context.Context, n int) error {
	if n < 1 || n > maxBurst {
		return fmt.Errorf("send 1 to %d requests, not %d", maxBurst, n)
	}
	key := make([]byte, 12)
	_, _ = rand.Read(key) // never fails (crypto/rand)
	right := "sk_test_" + hex.EncodeToString(key)
	plat, err := platform.New(platform.Options{Sim: st.Options(), APIKeys: []string{right}})
	if err != nil {
		return err
	}
	defer plat.Shutdown(ctx)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("the platform API could not listen on a loopback port: %w", err)
	}
	srv := &http.Server{Handler: plat, ReadHeaderTimeout: requestTimeout}
	go func() { _ = srv.Serve(ln) }()
	defer srv.Close()
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	client := &http.Client{Timeout: requestTimeout, Transport: tr}
	defer client.CloseIdleConnections()
	target := "http://" + ln.Addr().String() + "/api/v1/calls"

	b := &burst{what: "requests with wrong API keys"}
	for i := range n {
		a, err := send(ctx, client, http.MethodGet, target, "sk_wrong_"+strconv.Itoa(i+1), nil)
		if err != nil {
			return err
		}
		b.answers = append(b.answers, a)
	}
	a, err := send(ctx, client, http.MethodGet, target, right, nil)
	if err != nil {
		return err
	}
	b.right = &a
	st.SetPart(rateKey{}, b)
	return nil
}

// lastBurst is the scenario's burst, or an error that says which step
// sends one.
func (st *state) lastBurst() (*burst, error) {
	b, _ := st.Part(rateKey{}).(*burst)
	if b == nil {
		return nil, fmt.Errorf("no requests were sent in a burst: add a step such as 'When I send 11 control commands to the call through the API'")
	}
	return b, nil
}

// throttledAfter checks that the first n answers of the burst were let
// through and the rest answered 429 as documented.
func (b *burst) throttledAfter(n int, through func(int) bool) error {
	if len(b.answers) <= n {
		return fmt.Errorf("only %d %s were sent: send more than %d to see the limit", len(b.answers), b.what, n)
	}
	for i, a := range b.answers {
		if i < n {
			if !through(a.status) {
				return fmt.Errorf("%s #%d was answered %d %s (%s) before the limit of %d", b.what, i+1, a.status, a.code, a.message, n)
			}
			continue
		}
		if err := a.throttled(); err != nil {
			return fmt.Errorf("%s #%d, past the limit of %d: %v", b.what, i+1, n, err)
		}
	}
	return nil
}

// throttled checks a 429 answer: Retry-After in whole seconds, no requests
// remaining, and the documented body.
func (a rateAnswer) throttled() error {
	secs, err := strconv.Atoi(a.retryAfter)
	switch {
	case a.status != http.StatusTooManyRequests:
		return fmt.Errorf("answered %d, not 429", a.status)
	case err != nil || secs < 1:
		return fmt.Errorf("Retry-After is %q, not a number of seconds", a.retryAfter)
	case a.remaining != "0":
		return fmt.Errorf("X-RateLimit-Remaining is %q, not 0", a.remaining)
	case a.code != "rate_limit_exceeded":
		return fmt.Errorf("error code %q, not rate_limit_exceeded", a.code)
	case !strings.Contains(a.message, "retry after "+a.retryAfter+" seconds"):
		return fmt.Errorf("message %q does not say to retry after %s seconds", a.message, a.retryAfter)
	}
	return nil
}

func (st *state) thenThrottled(_ context.Context, n int) error {
	b, err := st.lastBurst()
	if err != nil {
		return err
	}
	if err := b.throttledAfter(n, func(s int) bool { return s/100 == 2 }); err != nil {
		if b.callEnded() {
			// The call was over before the burst: the checks that failed on
			// its webhooks (a missed deadline, a refused assistant-request)
			// usually say why.
			return st.Blame(err.Error())
		}
		return err
	}
	return nil
}

// callEnded reports whether the platform refused a command of the burst
// because the call was no longer active.
func (b *burst) callEnded() bool {
	for _, a := range b.answers {
		if a.status == http.StatusBadRequest && a.code == "call_not_active" {
			return true
		}
	}
	return false
}

func (st *state) thenKeysThrottled(_ context.Context, n int) error {
	b, err := st.lastBurst()
	if err != nil {
		return err
	}
	if b.right == nil {
		return fmt.Errorf("no wrong keys were sent: add the step 'When I send 11 requests with wrong API keys to a platform API that requires a key'")
	}
	if err := b.throttledAfter(n, func(s int) bool { return s == http.StatusUnauthorized }); err != nil {
		return err
	}
	if b.right.status != http.StatusOK {
		return fmt.Errorf("the right key, after the wrong ones from the same address, was answered %d %s: it is locked out", b.right.status, b.right.code)
	}
	return nil
}
