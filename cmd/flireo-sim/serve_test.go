package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/internal/testkit"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
)

func TestServeUsageErrors(t *testing.T) {
	hook := "http://127.0.0.1:1/webhook"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"serve"}, "no --webhook"},
		{[]string{"serve", "--webhook", "ftp://x"}, "not an http(s) URL"},
		{[]string{"serve", "--webhook", hook, "--addr", "0.0.0.0:0"}, "not a loopback address: set --api-key"},
		{[]string{"serve", "--webhook", hook, "--addr", ":8090"}, "not a loopback address"},
		{[]string{"serve", "--webhook", hook, "--addr", "nowhere"}, "not host:port"},
		{[]string{"serve", "--webhook", hook, "--pace", "fast"}, "--pace"},
		{[]string{"serve", "--webhook", hook, "--drain", "-1s"}, "--drain"},
		{[]string{"serve", "--webhook", hook, "--max-live", "0"}, "--max-live"},
		{[]string{"serve", "--webhook", hook, "--campaign-rate", "fast"}, "--campaign-rate"},
		{[]string{"serve", "--webhook", hook, "--campaign-rate", "0/s"}, "--campaign-rate must be above 0"},
		{[]string{"serve", "--webhook", hook, "--campaign-concurrency", "0"}, "--campaign-concurrency"},
		{[]string{"serve", "--webhook", hook, "--dialect", "nope"}, "nope"},
		{[]string{"serve", "--webhook", hook, "extra"}, "unexpected argument"},
		{[]string{"serve", "--webhook", hook, "--api-key", "has space"}, "white space"},
		{[]string{"serve", "--webhook", hook, "--error-body", "xml"}, "--error-body \"xml\": use flat"},
		{[]string{"example-server", "--platform-api", "localhost:8090"}, "not an http(s) URL"},
	}
	for _, c := range cases {
		code, _, stderr := cli(t, nil, c.args...)
		assert.Equal(t, exitUsage, code, "%v: %s", c.args, stderr)
		assert.Contains(t, stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, "one-line error for %v: %q", c.args, stderr)
	}
	code, out, _ := cli(t, nil, "serve", "--help")
	assert.Equal(t, exitPass, code)
	assert.Contains(t, out, "Usage: flireo-sim serve")
	assert.Contains(t, out, "--api-key")
}

func TestIsLoopback(t *testing.T) {
	for addr, want := range map[string]bool{
		"127.0.0.1:8090": true, "localhost:1": true, "[::1]:80": true, "127.1.2.3:9": true,
		"0.0.0.0:8090": false, ":8090": false, "192.168.1.2:80": false, "[::]:80": false, "example.com:80": false,
	} {
		got, err := isLoopback(addr)
		require.NoError(t, err, addr)
		assert.Equal(t, want, got, addr)
	}
}

// TestServe runs the command against the reference integrator: the API
// answers, an inbound call plays in real time and takes a control command,
// and Ctrl-C lets the live call finish at full speed and exits cleanly.
func TestServe(t *testing.T) {
	ref := integratortest.Start(t, integratortest.Secret("whsec_serve"))
	srv, hook := ref.Server, ref.HTTP

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut testkit.SyncBuffer
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--webhook", hook.URL + "/webhook", "--secret", "whsec_serve"},
			&out, &errOut, environment{getenv: func(k string) string {
				return map[string]string{"FLIREO_API_KEY": "sk_serve_test"}[k]
			}})
	}()
	var base string
	addrLine := regexp.MustCompile(`mock Flireo platform on (http://127\.0\.0\.1:\d+)`)
	require.Eventually(t, func() bool {
		m := addrLine.FindStringSubmatch(out.String())
		if m != nil {
			base = m[1]
		}
		return m != nil
	}, 10*time.Second, 10*time.Millisecond, "serve did not start: %s %s", out.String(), errOut.String())

	call := func(method, path, body string) (int, map[string]any) {
		req, err := http.NewRequest(method, base+path, strings.NewReader(body))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer sk_serve_test")
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		return resp.StatusCode, m
	}
	resp, err := http.Get(base + "/health")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	code, _ := call(http.MethodGet, "/api/v1/calls", "")
	assert.Equal(t, http.StatusOK, code)

	code, body := call(http.MethodPost, "/simulate/inbound", `{"intent":"book-appointment","caller":"+31612345678"}`)
	require.Equal(t, http.StatusCreated, code, "%v", body)
	id := body["call_id"].(string)
	require.Eventually(t, func() bool {
		_, c := call(http.MethodGet, "/api/v1/calls/"+id, "")
		return c["status"] == "in-progress"
	}, 30*time.Second, 250*time.Millisecond, "the call rings for seconds before it is answered; polled within the API's rate limit")
	code, body = call(http.MethodPost, "/api/v1/calls/"+id+"/control", `{"type":"say","content":"Een moment alstublieft.","end_after":false}`)
	assert.Equal(t, http.StatusOK, code, "%v", body)

	cancel() // Ctrl-C
	select {
	case err := <-done:
		assert.Equal(t, exitPass, exitCode(&errOut, err, true), "%v", err)
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20 s of Ctrl-C")
	}
	text := out.String()
	assert.Contains(t, text, "stopping: no new calls; 1 live call(s) finish at full speed")
	assert.Contains(t, text, "stopped")
	assert.NotContains(t, text, "cancelled")
	assert.Contains(t, text, "call started")
	assert.Contains(t, text, "control command")
	assert.NotContains(t, text+errOut.String(), "sk_serve_test", "the key is never printed")
	assert.NotContains(t, text+errOut.String(), "whsec_serve", "the secret is never printed")
	rec, ok := srv.Call(id)
	require.True(t, ok)
	assert.Equal(t, 1, rec.Reports, "the live call finished and reported")
}
