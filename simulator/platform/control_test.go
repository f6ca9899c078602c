package platform

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

func TestControlCommandEffects(t *testing.T) {
	cases := []struct {
		name   string
		cmd    map[string]any
		status string // REST status after the call
		reason string // "" = the plan's own end reason
		check  func(t *testing.T, r *eocr, ups [][2]string)
	}{
		{
			name: "inject-context silently",
			cmd:  map[string]any{"type": "inject-context", "content": "CRM: the caller has an open invoice", "trigger_response": false},
			check: func(t *testing.T, r *eocr, _ [][2]string) {
				for _, m := range r.Messages {
					assert.Contains(t, []string{"user", "assistant"}, m.Role, "context is not a spoken line")
					assert.NotContains(t, m.Content, "open invoice", "no response without trigger_response")
				}
				assert.NotEmpty(t, r.lines("user"), "the conversation goes on")
			},
		},
		{
			name: "inject-context with trigger_response",
			cmd:  map[string]any{"type": "inject-context", "content": "Verification code: 123456", "trigger_response": true},
			check: func(t *testing.T, r *eocr, _ [][2]string) {
				assert.Empty(t, r.lines("system"), "context is not a spoken line")
				i := slices.IndexFunc(r.Messages, func(m message) bool { return strings.Contains(m.Content, "123456") })
				require.GreaterOrEqual(t, i, 0, "the answer is in the transcript")
				assert.Equal(t, "assistant", r.Messages[i].Role, "the assistant answers using the injected text")
			},
		},
		{
			name: "say",
			cmd:  map[string]any{"type": "say", "content": "One moment please, I am checking that for you.", "end_after": false},
			check: func(t *testing.T, r *eocr, _ [][2]string) {
				i := slices.IndexFunc(r.Messages, func(m message) bool {
					return m.Role == "assistant" && m.Content == "One moment please, I am checking that for you."
				})
				require.GreaterOrEqual(t, i, 0, "the assistant said it")
				assert.True(t, slices.ContainsFunc(r.Messages[i+1:], func(m message) bool { return m.Role == "user" }), "and the call went on")
			},
		},
		{
			name:   "say then end",
			cmd:    map[string]any{"type": "say", "content": "We are closing now, goodbye.", "end_after": true},
			reason: sim.EndByAPI,
			check: func(t *testing.T, r *eocr, ups [][2]string) {
				last := r.Messages[len(r.Messages)-1]
				assert.Equal(t, message{"assistant", "We are closing now, goodbye."}, last)
				assert.Empty(t, r.lines("user"), "the call ended before the caller spoke")
				assert.Equal(t, [2]string{"ended", sim.EndByAPI}, ups[len(ups)-1])
			},
		},
		{
			name:   "end-call",
			cmd:    map[string]any{"type": "end-call", "message": "Thank you for calling, goodbye."},
			reason: sim.EndByAPI,
			check: func(t *testing.T, r *eocr, ups [][2]string) {
				assert.Equal(t, message{"assistant", "Thank you for calling, goodbye."}, r.Messages[len(r.Messages)-1])
				assert.Len(t, r.Messages, 2, "the greeting and the final message")
				assert.Equal(t, [2]string{"ended", sim.EndByAPI}, ups[len(ups)-1])
				assert.Equal(t, "ended", r.Call.Status)
			},
		},
		{
			name:   "transfer",
			cmd:    map[string]any{"type": "transfer", "destination": "+31201234567", "message": "I'm transferring you to our sales team."},
			reason: sim.EndTransferred, // REST, status-update and report agree: ended, end reason transferred
			check: func(t *testing.T, r *eocr, ups [][2]string) {
				assert.Equal(t, message{"assistant", "I'm transferring you to our sales team."}, r.Messages[len(r.Messages)-1])
				assert.Equal(t, [2]string{"ended", sim.EndTransferred}, ups[len(ups)-1])
				assert.Equal(t, "ended", r.Call.Status)
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e, g := held(t, nil)
			id := e.inbound(map[string]any{"intent": "callback", "seed": 5, "call": 1, "lang": "en"})
			g.waitHeld(t)
			r := e.control(id, c.cmd)
			require.Equal(t, http.StatusOK, r.status, string(r.raw))
			assert.Equal(t, map[string]any{"success": true, "message": "Command sent successfully"}, r.body)
			g.open()
			e.wait(id)

			ups := e.statusUpdates(id)
			require.NotEmpty(t, ups)
			assert.Equal(t, [2]string{"in-progress", ""}, ups[0])
			rep := e.report(id)
			obj := e.get(id)
			want := c.status
			if want == "" {
				want = "ended"
			}
			assert.Equal(t, want, obj["status"])
			if c.reason != "" {
				assert.Equal(t, c.reason, rep.EndReason)
				assert.Equal(t, c.reason, obj["end_reason"])
			} else {
				assert.NotEqual(t, sim.EndByAPI, rep.EndReason)
			}
			assert.Len(t, obj["messages"], len(rep.Messages), "the call object has the report's transcript")
			c.check(t, rep, ups)

			// The dashboard timeline lists the command.
			e.p.mu.Lock()
			cs := e.p.calls[id]
			e.p.mu.Unlock()
			v := cs.view()
			assert.True(t, slices.ContainsFunc(v.Entries, func(x entryView) bool { return x.IsCmd && x.CommandAccepted && x.What == c.cmd["type"] }))
		})
	}
}

func TestControlErrors(t *testing.T) {
	e, g := held(t, func(o *Options) { o.CommandsPerMinute = 100 })
	id := e.inbound(map[string]any{"intent": "complaint"})
	g.waitHeld(t)
	path := "/api/v1/calls/" + id + "/control"
	cases := []struct {
		body        any
		code, param string
	}{
		{map[string]any{}, errMissingField, "type"},
		{map[string]any{"type": "hangup"}, errInvalidRequest, "type"},
		{map[string]any{"type": "say"}, errMissingField, "content"},
		{map[string]any{"type": "say", "content": "  "}, errMissingField, "content"},
		{map[string]any{"type": "inject-context", "content": "x", "trigger_response": "yes"}, errInvalidRequest, "trigger_response"},
		{map[string]any{"type": "transfer"}, errMissingField, "destination"},
		{map[string]any{"type": "transfer", "destination": "sales"}, errInvalidRequest, "destination"},
		{`{"type": "say",`, errInvalidRequest, ""},
		{"", errInvalidRequest, ""},
	}
	for _, c := range cases {
		r := e.do(http.MethodPost, path, c.body)
		assert.Equal(t, http.StatusBadRequest, r.status, "%v: %s", c.body, r.raw)
		eo := r.body["error"].(map[string]any)
		assert.Equal(t, c.code, eo["code"], "%v", c.body)
		if c.param != "" {
			assert.Equal(t, c.param, eo["param"], "%v", c.body)
		}
		assert.Contains(t, eo["message"], "nvalid", "%v", c.body)
	}
	// Unknown fields are tolerated; a SIP URI is a destination.
	r := e.do(http.MethodPost, path, map[string]any{"type": "say", "content": "Hello", "end_after": false, "voice": "x"})
	assert.Equal(t, http.StatusOK, r.status, string(r.raw))

	r = e.do(http.MethodPost, "/api/v1/calls/call-_+31600000000_unknown/control", map[string]any{"type": "end-call"})
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, "Call not found: no call with id \"call-_+31600000000_unknown\"", r.body["error"].(map[string]any)["message"])

	g.open()
	e.wait(id)
	r = e.control(id, map[string]any{"type": "end-call"})
	assert.Equal(t, http.StatusBadRequest, r.status)
	eo := r.body["error"].(map[string]any)
	assert.Equal(t, errCallNotActive, eo["code"])
	assert.Equal(t, "Invalid command or call not active: the call has ended", eo["message"])
}

func TestControlBeforeAnswer(t *testing.T) {
	e := setup(t, nil)
	hold := make(chan struct{})
	e.rec.mu.Lock()
	e.rec.hold = hold
	e.rec.mu.Unlock()
	id := e.inbound(map[string]any{"intent": "opening-hours"})
	select {
	case <-e.rec.seen:
	case <-time.After(10 * time.Second):
		t.Fatal("no assistant-request within 10 s")
	}
	r := e.control(id, map[string]any{"type": "say", "content": "Hello?"})
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Contains(t, r.body["error"].(map[string]any)["message"], "ringing")
	assert.Equal(t, "ringing", e.get(id)["status"])
	close(hold)
	e.wait(id)
	for _, m := range e.report(id).Messages {
		assert.NotEqual(t, "Hello?", m.Content, "a refused command never acts")
	}
}

// TestControlRacesTheEnd fires commands at calls that end on their own as
// fast as they can: every command gets 200 or a clean 400, and every
// accepted command shows in that call's end-of-call-report.
func TestControlRacesTheEnd(t *testing.T) {
	e := setup(t, func(o *Options) {
		o.CommandsPerMinute = 100000
		o.RequestsPerMinute = 100000
	})
	const calls = 8
	var wg sync.WaitGroup
	type result struct {
		id       string
		accepted []string
		other    []int
	}
	results := make([]result, calls)
	for i := range calls {
		id := e.inbound(map[string]any{"intent": "book-appointment", "seed": 1, "call": i + 1})
		results[i].id = id
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := &results[i]
			for n := 0; n < 2000; n++ {
				content := fmt.Sprintf("note %d for %s", n, id)
				r := e.doNoFail(http.MethodPost, "/api/v1/calls/"+id+"/control",
					fmt.Sprintf(`{"type":"say","content":%q,"end_after":false}`, content))
				switch r {
				case http.StatusOK:
					res.accepted = append(res.accepted, content)
				case http.StatusBadRequest:
					if c := e.callDone(id); c {
						return
					}
				default:
					res.other = append(res.other, r)
					return
				}
			}
		}()
	}
	wg.Wait()
	total := 0
	for _, res := range results {
		total += len(res.accepted)
	}
	assert.Positive(t, total, "some commands must have landed in live calls")
	t.Logf("%d commands accepted across %d calls", total, calls)
	for _, res := range results {
		e.wait(res.id)
		assert.Empty(t, res.other, "only 200 or 400")
		rep := e.report(res.id)
		said := slices.DeleteFunc(rep.lines("assistant"), func(l string) bool { return !strings.HasPrefix(l, "note ") })
		for _, a := range res.accepted {
			assert.Contains(t, said, a, "accepted command lost in call %s", res.id)
		}
		assert.Len(t, said, len(res.accepted), "nothing else was said")
	}
}

// doNoFail sends a request from any goroutine and returns the status (0 on
// a transport error).
func (e *env) doNoFail(method, path, body string) int {
	req, err := http.NewRequest(method, e.url+path, strings.NewReader(body))
	if err != nil {
		return 0
	}
	req.Header.Set("Authorization", "Bearer "+testKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	var b [512]byte
	for {
		if _, err := resp.Body.Read(b[:]); err != nil {
			break
		}
	}
	return resp.StatusCode
}

func (e *env) callDone(id string) bool {
	e.p.mu.Lock()
	c := e.p.calls[id]
	e.p.mu.Unlock()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ended || c.closed
}
