package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/scenarios/internal/bodytext"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/jsonpath"
)

// probeResponse is a response of the server's own API.
type probeResponse struct {
	URL     string
	Status  int
	Body    []byte
	Latency time.Duration
}

// maxProbeBody caps what is read of a probe-API response.
const maxProbeBody = 4 << 20

// probeSteps are the steps of the "your own API (probe steps)" topic: they
// read what the server under test stored of the call through its own API.
var probeSteps = []def{
	step("your own API (probe steps)", `I GET "URL" ({base}, {call_id}, … are replaced)`, `When I GET "{base}/calls/{call_id}"`,
		`^I GET "([^"]*)"$`, do1((*state).get)),
	step("your own API (probe steps)", "the response status is N", "Then the response status is 200", `^the response status is (\d+)$`,
		do1((*state).probeStatus)),
	step("your own API (probe steps)", `the JSON at "PATH" equals VALUE (JSON, or "text" with {placeholders})`, `Then the JSON at "reports" equals 1`,
		`^the JSON at "([^"]*)" equals (.+)$`, do2((*state).jsonEquals)),
	step("your own API (probe steps)", `the JSON at "PATH" contains "TEXT"`, `Then the JSON at "report.summary" contains "afspraak"`,
		`^the JSON at "([^"]*)" contains "([^"]*)"$`, do2((*state).jsonContains)),
}

var placeholder = regexp.MustCompile(`\{([a-z_]+)\}`)

// values are the call's values that probe steps may name as {name}.
func (st *state) values() map[string]string {
	v := map[string]string{"target": st.l.cfg.Target, "seed": strconv.FormatInt(st.l.cfg.Seed, 10)}
	if u, err := url.Parse(st.l.cfg.Target); err == nil {
		v["base"] = u.Scheme + "://" + u.Host
	}
	if st.plan == nil {
		return st.withParts(v)
	}
	v["call_id"] = st.wireCallID()
	v["customer"] = st.plan.Customer
	v["phone_number"] = st.plan.PhoneNumber
	v["caller_name"] = st.plan.Persona.Name()
	v["intent"] = string(st.plan.Intent)
	if r := st.sess.Result(); r != nil {
		v["end_reason"] = r.EndReason
		if r.Report != nil {
			v["summary"] = r.Report.Summary
		}
		if r.Config != nil {
			v["assistant_id"] = r.Config.AssistantID
		}
	}
	if x, err := st.lastTools(); err == nil && len(x.ToolCalls) > 0 {
		v["tool_call_id"] = x.ToolCalls[0].ID
	}
	return st.withParts(v)
}

// wireCallID is the call id as the deliveries carried it (Interactly web
// calls prefix it), or the plan's.
func (st *state) wireCallID() string {
	for _, x := range st.callExchanges() {
		for _, path := range []string{"message.call.id", "callId", "callSession"} {
			if raw, err := jsonpath.Get(x.Request.Body, path); err == nil {
				var s string
				if json.Unmarshal(raw, &s) == nil && s != "" {
					return s
				}
			}
		}
	}
	return st.plan.ID
}

// expand replaces {name} placeholders with the call's values.
func (st *state) expand(s string) (string, error) {
	v := st.values()
	var missing []string
	out := placeholder.ReplaceAllStringFunc(s, func(m string) string {
		name := m[1 : len(m)-1]
		val, ok := v[name]
		if !ok {
			missing = append(missing, name)
			return m
		}
		return val
	})
	if len(missing) > 0 {
		names := make([]string, 0, len(v))
		for k := range v {
			names = append(names, "{"+k+"}")
		}
		sort.Strings(names)
		return "", fmt.Errorf("unknown placeholder {%s} in %q: known here are %s", missing[0], s, strings.Join(names, ", "))
	}
	return out, nil
}

func (st *state) get(ctx context.Context, raw string) error {
	u, err := st.expand(raw)
	if err != nil {
		return err
	}
	if pu, err := url.Parse(u); err != nil || (pu.Scheme != "http" && pu.Scheme != "https") || pu.Host == "" {
		return fmt.Errorf("GET %q: not an http(s) URL (use {base} for the target's scheme and host)", u)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Accept", "application/json")
	began := time.Now()
	res, err := st.l.probe.Do(req)
	if err != nil {
		return st.judgeStored(&probeResponse{URL: u}, fmt.Sprintf("GET %s: %v", u, err))
	}
	defer res.Body.Close()
	body, err := io.ReadAll(io.LimitReader(res.Body, maxProbeBody))
	_, _ = io.Copy(io.Discard, res.Body)
	if err != nil {
		return fmt.Errorf("GET %s: reading the reply: %v", u, err)
	}
	st.probe = &probeResponse{URL: u, Status: res.StatusCode, Body: body, Latency: time.Since(began)}
	return nil
}

func (st *state) lastProbe() (*probeResponse, error) {
	if st.probe == nil {
		return nil, fmt.Errorf("no response to judge: add a step such as 'When I GET \"{base}/calls/{call_id}\"' first")
	}
	return st.probe, nil
}

// judgeStored records a probe-API verdict for the scenario's tagged checks
// that the server's own API judges, and returns the step's error.
func (st *state) judgeStored(p *probeResponse, failure string) error {
	var ids []string
	for _, t := range st.tags {
		if c, ok := check.Find(t); ok && c.Stored != "" {
			ids = append(ids, c.ID)
			v := sim.Pass
			if failure != "" {
				v = sim.Fail
			}
			st.stored = append(st.stored, storedFinding{Finding: sim.Finding{Check: c.ID, Severity: c.Severity, Verdict: v, Detail: failure}, probe: p})
		}
	}
	if failure == "" {
		return nil
	}
	if len(ids) > 0 {
		return &checkFailure{ids: ids, msg: strings.Join(ids, ", ") + ": " + failure}
	}
	return fmt.Errorf("%s", failure)
}

func (st *state) probeStatus(_ context.Context, want int) error {
	p, err := st.lastProbe()
	if err != nil {
		return err
	}
	if p.Status != want {
		return st.judgeStored(p, fmt.Sprintf("GET %s answered HTTP %d, expected %d%s", p.URL, p.Status, want, bodytext.Snippet(p.Body)))
	}
	return nil
}

// jsonAt reads the value at path of the last probe response.
func (st *state) jsonAt(path string) (*probeResponse, json.RawMessage, string) {
	p, err := st.lastProbe()
	if err != nil {
		return nil, nil, err.Error()
	}
	raw, err := jsonpath.Get(p.Body, path)
	if err != nil {
		return p, nil, fmt.Sprintf("GET %s (HTTP %d): %v%s", p.URL, p.Status, err, bodytext.Snippet(p.Body))
	}
	return p, raw, ""
}

func (st *state) jsonEquals(_ context.Context, path, want string) error {
	want = strings.TrimSpace(want)
	quoted := len(want) >= 2 && want[0] == '"' && want[len(want)-1] == '"'
	want, err := st.expand(want)
	if err != nil {
		return err
	}
	p, raw, why := st.jsonAt(path)
	if p == nil {
		return fmt.Errorf("%s", why)
	}
	if why != "" {
		return st.judgeStored(p, why)
	}
	if quoted {
		var got string
		if json.Unmarshal(raw, &got) != nil {
			return st.judgeStored(p, fmt.Sprintf("GET %s: the JSON at %s is %s, not a string", p.URL, path, raw))
		}
		if exp := want[1 : len(want)-1]; got != exp {
			return st.judgeStored(p, fmt.Sprintf("GET %s: the JSON at %s is %q, expected %q", p.URL, path, got, exp))
		}
		return st.judgeStored(p, "")
	}
	if !json.Valid([]byte(want)) {
		return fmt.Errorf("the expected value %s is neither JSON nor a quoted \"text\"", want)
	}
	if !sameJSON(raw, []byte(want)) {
		return st.judgeStored(p, fmt.Sprintf("GET %s: the JSON at %s is %s, expected %s", p.URL, path, raw, want))
	}
	return st.judgeStored(p, "")
}

func (st *state) jsonContains(_ context.Context, path, text string) error {
	text, err := st.expand(text)
	if err != nil {
		return err
	}
	p, raw, why := st.jsonAt(path)
	if p == nil {
		return fmt.Errorf("%s", why)
	}
	if why != "" {
		return st.judgeStored(p, why)
	}
	var s string
	hay := string(raw)
	if json.Unmarshal(raw, &s) == nil {
		hay = s
	}
	if !strings.Contains(hay, text) {
		return st.judgeStored(p, fmt.Sprintf("GET %s: the JSON at %s (%s) does not contain %q", p.URL, path, raw, text))
	}
	return st.judgeStored(p, "")
}

// sameJSON compares two JSON values by meaning.
func sameJSON(a, b []byte) bool {
	var x, y any
	da, db := json.NewDecoder(bytes.NewReader(a)), json.NewDecoder(bytes.NewReader(b))
	da.UseNumber()
	db.UseNumber()
	if da.Decode(&x) != nil || db.Decode(&y) != nil {
		return false
	}
	return equalJSON(x, y)
}

func equalJSON(x, y any) bool {
	switch a := x.(type) {
	case json.Number:
		b, ok := y.(json.Number)
		if !ok {
			return false
		}
		fa, ea := a.Float64()
		fb, eb := b.Float64()
		return ea == nil && eb == nil && fa == fb
	case map[string]any:
		b, ok := y.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			if w, ok := b[k]; !ok || !equalJSON(v, w) {
				return false
			}
		}
		return true
	case []any:
		b, ok := y.([]any)
		return ok && slices.EqualFunc(a, b, equalJSON)
	}
	return x == y
}
