package platformsteps

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/scenarios"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/platform"
)

// readSteps are the steps of the "platform API" topic that read calls
// back through the API and judge them.
var readSteps = []scenarios.Definition{
	step("platform API", "the API answers N (the status of the last API request)", "Then the API answers 200",
		`^the API answers (\d{3})$`, do1((*state).thenAPIAnswers)),
	step("platform API", "the API refuses it with N (a 4xx status of the last API request)", "Then the API refuses it with 400",
		`^the API refuses it with (\d{3})$`, do1((*state).thenAPIRefuses)),
	step("platform API", "the API lists the call (GET /api/v1/calls)", "Then the API lists the call",
		`^the API lists the call$`, do((*state).thenAPILists)),
	step("platform API", `the call's status through the API is "STATUS" (waits for it)`, `Then the call's status through the API is "ended"`,
		`^the call's status through the API is "([^"]*)"$`, do1((*state).thenAPIStatus)),
	step("platform API", `the call's end reason through the API is "REASON" (waits for the end)`, `Then the call's end reason through the API is "api_end_call"`,
		`^the call's end reason through the API is "([^"]*)"$`, do1((*state).thenAPIEndReason)),
	step("platform API", `the end-of-call-report sent to my server contains "TEXT" (waits for it)`, `Then the end-of-call-report sent to my server contains "Een ogenblik, ik kijk het na."`,
		`^the end-of-call-report sent to my server contains "([^"]*)"$`, do1((*state).thenReportContains)),
}

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
			return c, st.Blame(fmt.Sprintf("the call %s was not %s within %s: its status through the API is %q", id, what, limit.Round(time.Millisecond), c.Status))
		}
		select {
		case <-ctx.Done():
			return c, fmt.Errorf("the run was stopped: %w", ctx.Err())
		case <-t.C:
		}
	}
}

func (st *state) thenAPIAnswers(ctx context.Context, code int) error {
	return st.lastStatus(code)
}

func (st *state) thenAPIRefuses(ctx context.Context, code int) error {
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

func (st *state) thenAPILists(ctx context.Context) error {
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

func (st *state) thenAPIStatus(ctx context.Context, want string) error {
	id, err := st.apiCall()
	if err != nil {
		return err
	}
	c, err := st.await(ctx, id, want, func(c apiCallObject) bool { return c.Status == want || c.over() })
	if err != nil {
		return err
	}
	if c.Status != want {
		return st.callFailure(c, "the call %s is %s through the API (end reason %s), not %s", id, c.Status, reason(c), want)
	}
	return nil
}

func reason(c apiCallObject) string {
	if c.EndReason == nil {
		return "none"
	}
	return fmt.Sprintf("%q", *c.EndReason)
}

func (st *state) thenAPIEndReason(ctx context.Context, want string) error {
	id, err := st.apiCall()
	if err != nil {
		return err
	}
	c, err := st.await(ctx, id, "over", apiCallObject.over)
	if err != nil {
		return err
	}
	if c.EndReason == nil || *c.EndReason != want {
		return st.callFailure(c, "the call %s ended (%s) with end reason %s through the API, not %q", id, c.Status, reason(c), want)
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
	return st.Blame(msg + "; the API refused: " + strings.Join(st.api.refused, ", "))
}

// callFailure is apiFailure for an assertion on call c: a call the platform
// ended with an error (after a refused or failed webhook) is explained by
// the checks that failed on its webhooks.
func (st *state) callFailure(c apiCallObject, format string, a ...any) error {
	if c.Status == "ended-with-error" || c.Status == "failed" {
		return st.Blame(fmt.Sprintf(format, a...))
	}
	return st.apiFailure(format, a...)
}

// apiReport waits for the end-of-call-report of call id to be delivered.
func (st *state) apiReport(ctx context.Context, id string) (*sim.Exchange, error) {
	k, err := st.Kit()
	if err != nil {
		return nil, err
	}
	if !k.Dialect.Sends(sim.EndOfCallReport) {
		return nil, scenarios.Skip("the %s dialect sends no end-of-call-report", st.Dialect())
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
	return nil, st.Blame(fmt.Sprintf("no end-of-call-report was sent for the call %s (%s, end reason %s)", id, c.Status, reason(c)))
}

func (st *state) thenReportContains(ctx context.Context, text string) error {
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
		return scenarios.Skip("the %s dialect's end-of-call-report carries no transcript, so it cannot show what was said", st.Dialect())
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
