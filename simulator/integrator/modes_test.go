package integrator

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/synctest"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModesTable(t *testing.T) {
	modes := Modes()
	require.Len(t, modes, len(modeTable))
	seen := map[string]bool{}
	for _, m := range modes {
		assert.NotEmpty(t, m.Description, m.Name)
		assert.False(t, seen[m.Name], "duplicate mode %s", m.Name)
		seen[m.Name] = true
		_, err := New(Options{Misbehave: m.Name})
		assert.NoError(t, err, m.Name)
	}
	for _, name := range []string{"slow-assistant", "slow-tool", "wrong-tool-call-id", "missing-tool-result", "bad-json", "eocr-500",
		"accept-any-signature", "html-reply", "hang", "huge-reply", "unknown-keys"} {
		assert.True(t, seen[name], "mode %s exists", name)
	}
}

// modeProbe is one delivery sent to a correct and to a misbehaving server.
type modeProbe struct {
	name   string
	body   string
	signed bool
}

var modeProbes = []modeProbe{
	{"assistant", g3AssistantRequest, true},
	{"tools", g3ToolCalls, true},
	{"status", g3StatusInProgress, true},
	{"report", g3Report, true},
	{"unsigned", g3StatusEnded, false},
}

// TestEachModeBreaksExactlyOneThing sends the same deliveries to a correct
// server and to each misbehaving one: the probes a mode breaks show the
// documented fault, every other probe gets the correct reply byte for byte.
func TestEachModeBreaksExactlyOneThing(t *testing.T) {
	const secret = "whsec_modes"
	const delay = 200 * time.Millisecond
	now := time.Date(2025, 12, 13, 12, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }

	type check func(t *testing.T, got, correct result, took time.Duration, s *Server)
	tests := []struct {
		mode   string
		breaks map[string]check
	}{
		{"slow-assistant", map[string]check{"assistant": func(t *testing.T, got, correct result, took time.Duration, _ *Server) {
			assert.GreaterOrEqual(t, took, delay, "answered only after the delay")
			assert.Equal(t, correct, got, "the reply itself is correct")
		}}},
		{"slow-tool", map[string]check{"tools": func(t *testing.T, got, correct result, took time.Duration, _ *Server) {
			assert.GreaterOrEqual(t, took, delay, "answered only after the delay")
			assert.Equal(t, correct, got, "the reply itself is correct")
		}}},
		{"wrong-tool-call-id", map[string]check{"tools": func(t *testing.T, got, _ result, _ time.Duration, _ *Server) {
			require.Equal(t, http.StatusOK, got.Status)
			v := got.JSON(t)
			assert.Equal(t, "tool_abc123-x", at(t, v, "results.0.tool_call_id"))
			assert.Equal(t, "tool_def456-x", at(t, v, "results.1.tool_call_id"))
		}}},
		{"missing-tool-result", map[string]check{"tools": func(t *testing.T, got, _ result, _ time.Duration, _ *Server) {
			require.Equal(t, http.StatusOK, got.Status)
			results := got.JSON(t)["results"].([]any)
			require.Len(t, results, 1, "two asked, one answered")
			assert.Equal(t, "tool_abc123", at(t, results, "0.tool_call_id"))
		}}},
		{"bad-json", map[string]check{"assistant": func(t *testing.T, got, correct result, _ time.Duration, _ *Server) {
			assert.Equal(t, http.StatusOK, got.Status)
			assert.Equal(t, "application/json", got.Header.Get("Content-Type"))
			assert.False(t, json.Valid(got.Body), "the body is not valid JSON")
			assert.NotEmpty(t, got.Body)
			assert.True(t, strings.HasPrefix(string(correct.Body), string(got.Body)), "a truncated correct reply")
		}}},
		{"eocr-500", map[string]check{"report": func(t *testing.T, got, _ result, _ time.Duration, s *Server) {
			assert.Equal(t, http.StatusInternalServerError, got.Status)
			assert.NotEmpty(t, got.JSON(t)["error"])
			rec, ok := s.Call("5c4d030f-43e3-4e65-899e-8148521e660f")
			require.True(t, ok)
			assert.Nil(t, rec.Report)
			assert.Zero(t, rec.Reports)
			assert.Zero(t, rec.Events["end-of-call-report"])
		}}},
		{"accept-any-signature", map[string]check{"unsigned": func(t *testing.T, got, correct result, _ time.Duration, _ *Server) {
			assert.Equal(t, http.StatusUnauthorized, correct.Status)
			assert.Equal(t, http.StatusOK, got.Status)
		}}},
		{"html-reply", map[string]check{"assistant": func(t *testing.T, got, _ result, _ time.Duration, _ *Server) {
			assert.Equal(t, http.StatusOK, got.Status)
			assert.Equal(t, "text/html; charset=utf-8", got.Header.Get("Content-Type"))
			assert.Contains(t, string(got.Body), "<html>")
		}}},
		{"latin1-reply", map[string]check{"assistant": func(t *testing.T, got, _ result, _ time.Duration, _ *Server) {
			assert.Equal(t, http.StatusOK, got.Status)
			assert.False(t, utf8.Valid(got.Body), "not UTF-8")
			assert.Contains(t, string(got.Body), "Welkom bij Caf\xe9 De Gouden Leeuw", "é as the single ISO-8859-1 byte")
		}}},
		{"huge-reply", map[string]check{"assistant": func(t *testing.T, got, correct result, _ time.Duration, _ *Server) {
			assert.Equal(t, http.StatusOK, got.Status)
			assert.Greater(t, len(got.Body), 2<<20)
			v, want := got.JSON(t), correct.JSON(t)
			assert.Equal(t, at(t, want, "assistant.first_message"), at(t, v, "assistant.first_message"))
			assert.Equal(t, at(t, want, "assistant.llm_config.tools"), at(t, v, "assistant.llm_config.tools"))
			assert.True(t, strings.HasPrefix(at(t, v, "assistant.llm_config.messages.0.content").(string),
				at(t, want, "assistant.llm_config.messages.0.content").(string)), "the system prompt is the correct one plus bulk")
		}}},
		{"unknown-keys", map[string]check{"assistant": func(t *testing.T, got, correct result, _ time.Duration, _ *Server) {
			assert.Equal(t, http.StatusOK, got.Status)
			v, want := got.JSON(t), correct.JSON(t)
			a := v["assistant"].(map[string]any)
			assert.NotContains(t, a, "llm_config")
			assert.NotContains(t, a, "first_message")
			assert.Equal(t, at(t, want, "assistant.llm_config"), a["llmConfig"])
			assert.Equal(t, at(t, want, "assistant.first_message"), a["firstMesage"])
			assert.Equal(t, at(t, want, "assistant.analysis_plan"), a["analysis_plan"], "everything else correct")
			assert.Equal(t, want["max_duration_seconds"], v["max_duration_seconds"])
		}}},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			_, good := newTestServer(t, Options{Secret: secret, Now: clock})
			bad, ts := newTestServer(t, Options{Secret: secret, Now: clock, Misbehave: tt.mode, Delay: delay})
			for _, p := range modeProbes {
				var h http.Header
				if p.signed {
					h = signedHeader(secret, now, p.body, true)
				}
				correct := do(t, http.MethodPost, good.URL+"/webhook", p.body, h)
				start := time.Now()
				got := do(t, http.MethodPost, ts.URL+"/webhook", p.body, h)
				took := time.Since(start)
				for _, r := range []*result{&correct, &got} {
					r.Header.Del("Date")
					r.Header.Del("Content-Length")
				}
				if c, ok := tt.breaks[p.name]; ok {
					c(t, got, correct, took, bad)
					continue
				}
				assert.Equal(t, correct, got, "probe %s: a mode breaks only its own behaviour", p.name)
			}
		})
	}
}

func TestUnknownKeysInEveryDialect(t *testing.T) {
	_, ts := newTestServer(t, Options{Misbehave: "unknown-keys"})
	tests := []struct {
		body       string
		first, llm string // the documented keys that must be gone
	}{
		{g2AssistantRequest, "firstMessage", "llm_config"},
		{g1AssistantRequest, "firstMessage", "model"},
	}
	for _, tt := range tests {
		a := post(t, ts.URL+"/webhook", tt.body).JSON(t)["assistant"].(map[string]any)
		assert.NotContains(t, a, tt.first)
		assert.NotContains(t, a, tt.llm)
		assert.Contains(t, a, "firstMesage")
		assert.Contains(t, a, "llmConfig")
	}
}

// TestWaitingModesReturnWhenTheClientGoes runs each waiting mode in a
// synctest bubble: the handler must stay blocked while the client waits and
// return, without answering, as soon as the request context ends. The bubble
// fails the test if any goroutine is left behind.
func TestWaitingModesReturnWhenTheClientGoes(t *testing.T) {
	tests := []struct {
		mode string
		body string
	}{
		{"slow-assistant", g3AssistantRequest},
		{"slow-tool", g3ToolCalls},
		{"hang", g3StatusInProgress},
		{"hang", g1AssistantRequest},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s, err := New(Options{Misbehave: tt.mode})
				require.NoError(t, err)
				ctx, cancel := context.WithCancel(context.Background())
				req := httptest.NewRequestWithContext(ctx, http.MethodPost, "/webhook", strings.NewReader(tt.body))
				rec := httptest.NewRecorder()
				done := make(chan struct{})
				go func() {
					s.ServeHTTP(rec, req)
					close(done)
				}()
				time.Sleep(5 * time.Second) // fake time: still inside every default delay
				synctest.Wait()
				select {
				case <-done:
					t.Fatal("answered before the delay")
				default:
				}
				cancel()
				synctest.Wait()
				select {
				case <-done:
				default:
					t.Fatal("still blocked after the client went away")
				}
				assert.Empty(t, rec.Body.String(), "nothing written to a client that left")
				assert.False(t, rec.Flushed)
			})
		})
	}
}

// TestDefaultDelays checks the default waits on a fake clock.
func TestDefaultDelays(t *testing.T) {
	tests := []struct {
		mode string
		body string
		want time.Duration
	}{
		{"slow-assistant", g3AssistantRequest, 6 * time.Second},
		{"slow-tool", g3ToolCalls, 11 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s, err := New(Options{Misbehave: tt.mode})
				require.NoError(t, err)
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodPost, "/webhook", strings.NewReader(tt.body))
				start := time.Now()
				s.ServeHTTP(rec, req)
				assert.Equal(t, tt.want, time.Since(start))
				assert.Equal(t, http.StatusOK, rec.Code)
				assert.True(t, json.Valid(rec.Body.Bytes()))
			})
		})
	}
}

// TestHangOverHTTP checks over a real connection that a hanging handler
// ends when the client gives up: closing the test server waits for every
// handler, so it returning at all proves none is left running.
func TestHangOverHTTP(t *testing.T) {
	s, ts := newTestServer(t, Options{Misbehave: "hang"})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ts.URL+"/webhook", strings.NewReader(g3AssistantRequest))
	require.NoError(t, err)
	resp, err := http.DefaultClient.Do(req)
	if resp != nil {
		resp.Body.Close()
	}
	require.ErrorIs(t, err, context.DeadlineExceeded)

	closed := make(chan struct{})
	go func() {
		ts.Close()
		close(closed)
	}()
	select {
	case <-closed:
	case <-time.After(30 * time.Second):
		t.Fatal("the hanging handler did not return after the client left")
	}

	_, ok := s.Call("5c4d030f-43e3-4e65-899e-8148521e660f")
	assert.False(t, ok, "a delivery never answered is not recorded")
}

// TestCutReplyClosesMidBody checks over a real connection that cut-reply
// announces more bytes than it sends and closes: the body read fails, while
// every other event is answered whole.
func TestCutReplyClosesMidBody(t *testing.T) {
	_, ts := newTestServer(t, Options{Misbehave: "cut-reply"})
	resp, err := http.Post(ts.URL+"/webhook", "application/json", strings.NewReader(g1AssistantRequest))
	require.NoError(t, err)
	defer resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	got, err := io.ReadAll(resp.Body)
	require.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Equal(t, resp.ContentLength-64, int64(len(got)), "64 bytes short of the Content-Length")

	r := post(t, ts.URL+"/webhook", g1StatusInProgress)
	assert.Equal(t, http.StatusOK, r.Status)
}
