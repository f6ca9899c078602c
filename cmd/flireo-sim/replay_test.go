package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/scenarios"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
	"github.com/flireo-sim/flireo-sim/simulator/diagnose"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
)

// recording wraps a server and keeps the timestamp and signature of the
// requests it got.
type recording struct {
	h    http.Handler
	mu   sync.Mutex
	seen []http.Header
}

func (r *recording) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	r.mu.Lock()
	r.seen = append(r.seen, req.Header.Clone())
	r.mu.Unlock()
	r.h.ServeHTTP(w, req)
}

func TestReplayABrokenThenFixedServer(t *testing.T) {
	const secret = "replay-secret-123"
	broken := server(t, integrator.Options{Secret: secret, Misbehave: "wrong-tool-call-id"})
	rep := filepath.Join(t.TempDir(), "r.json")
	code, _, stderr := cli(t, nil, "conform", "--target", broken, "--secret", secret, "--tags", "@tools", "--report", rep)
	require.Equal(t, exitFail, code, stderr)

	// A report of a while ago: the stored timestamps are an hour old.
	raw, err := os.ReadFile(rep)
	require.NoError(t, err)
	var res scenarios.Result
	require.NoError(t, json.Unmarshal(raw, &res))
	old := strconv.FormatInt(time.Now().Add(-time.Hour).Unix(), 10)
	for _, c := range res.Checks {
		if c.Status == "fail" {
			require.NotNil(t, c.Request, c.ID)
			assert.Equal(t, "tool-calls", c.Request.Event)
			assert.True(t, c.Request.Signed)
			assert.NotEmpty(t, c.Request.Body)
			assert.NotEmpty(t, c.Reproduce, "the curl command is kept")
			c.Request.Headers.Set(delivery.HeaderTimestamp, old)
		}
	}
	raw, err = json.Marshal(res)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(rep, raw, 0o644))

	// The broken server still fails.
	code, out, stderr := cli(t, nil, "replay", rep, "--check", check.ToolResultsKnown, "--secret", secret)
	assert.Equal(t, exitFail, code, out)
	assert.Contains(t, out, "✗ "+check.ToolResultsKnown+" still fails")
	assert.Contains(t, stderr, "do not pass: "+check.ToolResultsKnown)

	// The fixed build: every failed check passes, each request signed now.
	var rec *recording
	fixed := integratortest.Start(t, integratortest.Secret(secret), integratortest.Wrap(func(ref http.Handler) http.Handler {
		rec = &recording{h: ref}
		return rec
	})).HTTP
	code, out, stderr = cli(t, map[string]string{"FLIREO_WEBHOOK_SECRET": secret}, "replay", rep, "--target", fixed.URL+"/webhook")
	assert.Equal(t, exitPass, code, out+stderr)
	assert.Contains(t, out, "✓ "+check.ToolResultsKnown+" passes now")
	assert.Contains(t, out, "every replayed check passes now (2)")
	assert.NotContains(t, out+stderr, secret, "the secret is never printed")
	rec.mu.Lock()
	defer rec.mu.Unlock()
	require.Len(t, rec.seen, 2)
	for _, h := range rec.seen {
		ts, err := strconv.ParseInt(h.Get(delivery.HeaderTimestamp), 10, 64)
		require.NoError(t, err)
		assert.InDelta(t, time.Now().Unix(), ts, 120, "a fresh timestamp, not the stored one")
		assert.NotEmpty(t, h.Get(delivery.HeaderSignature))
	}
}

func TestReplayUsageErrors(t *testing.T) {
	dir := t.TempDir()
	notReport := filepath.Join(dir, "x.json")
	require.NoError(t, os.WriteFile(notReport, []byte(`{"a":1}`), 0o644))
	signed := filepath.Join(dir, "signed.json")
	rep := scenarios.Result{Verdict: "fail", Dialect: "flireo", Checks: []scenarios.CheckResult{
		{ID: check.HTTP2xx, Status: "fail", Request: &scenarios.StoredRequest{Event: "status-update", Dialect: "flireo",
			URL: "http://127.0.0.1:1/webhook", Body: `{}`, Signed: true, Headers: http.Header{}}},
		{ID: check.WebCall, Status: "pass"}}}
	raw, err := json.Marshal(rep)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(signed, raw, 0o644))
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no report", []string{"replay"}, "name the report"},
		{"missing file", []string{"replay", filepath.Join(dir, "none.json")}, "no such file"},
		{"not a report", []string{"replay", notReport}, "not a conform report"},
		{"a check that did not fail", []string{"replay", signed, "--check", check.WebCall, "--secret", "s"}, "did not fail in the report: the failed checks are http-2xx"},
		{"signed without a secret", []string{"replay", signed}, "give --secret or set FLIREO_WEBHOOK_SECRET"},
		{"bad target", []string{"replay", signed, "--target", "ftp://x"}, "--target"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, _, stderr := cli(t, nil, c.args...)
			assert.Equal(t, exitUsage, code, stderr)
			assert.Contains(t, stderr, c.want)
		})
	}
}

func TestConformInterruptedWritesMarkedReports(t *testing.T) {
	target := server(t, integrator.Options{Secret: "s3cret-value", Misbehave: "hang"})
	dir := t.TempDir()
	rep, junit := filepath.Join(dir, "r.json"), filepath.Join(dir, "j.xml")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(500*time.Millisecond, cancel)
	var out, errOut bytes.Buffer
	err := run(ctx, []string{"conform", "--target", target, "--secret", "s3cret-value", "--tags", "@lifecycle",
		"--report", rep, "--format", "compact,junit:" + junit}, &out, &errOut, environment{getenv: func(string) string { return "" }})
	assert.Equal(t, exitSignal, exitCode(&errOut, err, ctx.Err() != nil))
	assert.Contains(t, errOut.String(), "interrupted")
	assert.Contains(t, out.String(), "✗ interrupted: ")
	assert.Contains(t, out.String(), "verdict FAIL")

	raw, err := os.ReadFile(rep)
	require.NoError(t, err)
	var r struct {
		Verdict     string `json:"verdict"`
		Interrupted bool   `json:"interrupted"`
		Reason      string `json:"interrupted_reason"`
	}
	require.NoError(t, json.Unmarshal(raw, &r))
	assert.True(t, r.Interrupted)
	assert.Equal(t, "fail", r.Verdict)
	assert.Contains(t, r.Reason, "scenarios finished")
	j, err := os.ReadFile(junit)
	require.NoError(t, err)
	assert.Contains(t, string(j), `type="interrupted"`)
}

func TestConformDefaultOutputHasOneSummary(t *testing.T) {
	target := server(t, integrator.Options{Misbehave: "eocr-500"})
	code, out, _ := cli(t, nil, "conform", "--target", target, "--tags", "@lifecycle")
	assert.Equal(t, exitFail, code)
	assert.Contains(t, out, "✗ a whole call is answered in time")
	assert.Contains(t, out, "(http-2xx, dialect ")
	assert.Contains(t, out, "score · target")
	assert.Equal(t, 1, strings.Count(out, "scenarios ("), "our score's count only, no godog summary")
	for _, no := range []string{"steps (", ".go:", "Failed steps"} {
		assert.NotContains(t, out, no)
	}
}

func TestCallHints(t *testing.T) {
	const secret = "call-secret-123"
	target := server(t, integrator.Options{Secret: secret})
	cases := []struct {
		name string
		args []string
		hint string
	}{
		{"a secret that differs from the server's", []string{"--secret", "another-secret"}, diagnose.HintSecretMismatch},
		{"no secret for a server that demands one", nil, diagnose.HintSecretMissing},
		{"the right secret", []string{"--secret", secret}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := append([]string{"call", "--target", target, "--intent", "opening-hours", "--seed", "3"}, c.args...)
			code, out, _ := cli(t, nil, args...)
			if c.hint == "" {
				assert.Equal(t, exitPass, code, out)
				assert.NotContains(t, out, "hint:")
				return
			}
			assert.Equal(t, exitFail, code)
			assert.Contains(t, out, "hint: "+c.hint)
		})
	}
}
