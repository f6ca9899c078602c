package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
)

// cli runs the command line in-process and returns the exit code and output.
func cli(t *testing.T, env map[string]string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	e := environment{getenv: func(k string) string { return env[k] }}
	err := run(ctx, args, &out, &errOut, e)
	code := exitCode(&errOut, err, false)
	return code, out.String(), errOut.String()
}

func server(t *testing.T, o integrator.Options) string {
	t.Helper()
	return integratortest.Start(t, integratortest.With(o)).Webhook()
}

func closedPort(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return "http://" + addr + "/webhook"
}

func TestUsageErrors(t *testing.T) {
	target := "http://127.0.0.1:1/webhook"
	cases := []struct {
		args []string
		want string
	}{
		{nil, "no command given"},
		{[]string{"dance"}, `unknown command "dance"`},
		{[]string{"call"}, "no target"},
		{[]string{"call", "--target", "ftp://x"}, "not an http(s) URL"},
		{[]string{"call", "--target", target, "--seed", "abc"}, "seed must be a whole number"},
		{[]string{"call", "--target", target, "--dialect", "vapi-ish"}, "vapi-ish"},
		{[]string{"call", "--target", target, "--intent", "pizza"}, `unknown intent "pizza"`},
		{[]string{"call", "--target", target, "--pace", "fast"}, "--pace"},
		{[]string{"call", "--target", target, "--bogus"}, "unknown flag --bogus"},
		{[]string{"call", "--target", target, "--timeout-scale", "0"}, "--timeout-scale"},
		{[]string{"call", "--target", target, "--after-reject", "maybe"}, "--after-reject"},
		{[]string{"send", "--target", target}, "name the event"},
		{[]string{"send", "hangup", "--target", target}, `unknown event "hangup"`},
		{[]string{"send", "tool-calls", "--target", target, "--set", "message.nope=1"}, `no key "nope" at message`},
		{[]string{"send", "tool-calls", "--target", target, "--set", "novalue"}, "use path=value"},
		{[]string{"send", "tool-calls", "--dialect", "interactly", "--target", target}, "has no tool-calls event"},
		{[]string{"example-server", "--misbehave", "sulk"}, "sulk"},
	}
	for _, c := range cases {
		code, _, stderr := cli(t, nil, c.args...)
		assert.Equal(t, exitUsage, code, "%v: %s", c.args, stderr)
		assert.Contains(t, stderr, c.want, "%v", c.args)
		if len(c.args) > 0 {
			assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, "one-line error for %v: %q", c.args, stderr)
		}
		assert.NotContains(t, stderr, "goroutine", "no stack trace")
	}
}

func TestMalformedBodyFile(t *testing.T) {
	f := filepath.Join(t.TempDir(), "body.json")
	require.NoError(t, os.WriteFile(f, []byte(`{"message": {`), 0o600))
	code, _, stderr := cli(t, nil, "send", "status-update", "--target", "http://127.0.0.1:1/", "--body", f)
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "is not valid JSON")
	code, _, stderr = cli(t, nil, "send", "status-update", "--target", "http://127.0.0.1:1/", "--body", f+".missing")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "no such file")
}

func TestHelp(t *testing.T) {
	for _, c := range []string{"call", "send", "demo", "example-server"} {
		code, out, _ := cli(t, nil, c, "--help")
		assert.Equal(t, exitPass, code, c)
		assert.Contains(t, out, "Usage: flireo-sim "+c, c)
		assert.Contains(t, out, "\n  --", c)
	}
	code, out, _ := cli(t, nil, "help")
	assert.Equal(t, exitPass, code)
	for _, c := range commands() {
		assert.Contains(t, out, c.name)
	}
}

func TestCallAgainstTheReferenceIntegrator(t *testing.T) {
	const secret = "very-secret-value-123"
	target := server(t, integrator.Options{Secret: secret})
	code, out, stderr := cli(t, map[string]string{"FLIREO_WEBHOOK_SECRET": secret},
		"call", "--target", target, "--intent", "book-appointment", "--seed", "5")
	assert.Equal(t, exitPass, code, stderr)
	for _, want := range []string{"assistant-request", "status-update in-progress", "tool-calls", "status-update ended", "end-of-call-report", "[probe tampered]", "transcript:", "PASS"} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out+stderr, secret, "the secret is never printed")

	code, out, _ = cli(t, nil, "call", "--target", target, "--secret", secret, "--seed", "5", "--json")
	assert.Equal(t, exitPass, code)
	assert.NotContains(t, out, secret)
	var doc struct {
		Verdict   string
		Exchanges []struct{ Event string }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "pass", doc.Verdict)
	assert.NotEmpty(t, doc.Exchanges)
}

func TestCallFailsOnAMisbehavingServer(t *testing.T) {
	target := server(t, integrator.Options{Misbehave: "eocr-500"})
	code, out, stderr := cli(t, nil, "call", "--target", target, "--intent", "opening-hours")
	assert.Equal(t, exitFail, code)
	assert.Contains(t, out, "http-2xx")
	assert.Contains(t, stderr, "failed 1 must check(s): http-2xx")
}

func TestUnreachableTarget(t *testing.T) {
	code, _, stderr := cli(t, nil, "call", "--target", closedPort(t))
	assert.Equal(t, exitFail, code)
	assert.Contains(t, stderr, "could not be reached")
	assert.Contains(t, stderr, "refused")
}

func TestSend(t *testing.T) {
	target := server(t, integrator.Options{Secret: "s"})
	code, out, stderr := cli(t, nil, "send", "assistant-request", "--target", target, "--secret", "s")
	assert.Equal(t, exitPass, code, stderr)
	assert.Contains(t, out, "assistant configured")

	code, out, stderr = cli(t, nil, "send", "tool-calls", "--target", target, "--secret", "s",
		"--set", "message.tool_call_list.0.function.arguments.query=Jan de Vries")
	assert.Equal(t, exitPass, code, stderr)
	assert.Contains(t, out, `"Jan de Vries"`)

	code, out, _ = cli(t, nil, "send", "end-of-call-report", "--dialect", "flireo-camel", "--print", "--set", "message.call.id=call-123")
	assert.Equal(t, exitPass, code)
	assert.Contains(t, out, `"id": "call-123"`)
	assert.Contains(t, out, `"durationSeconds"`)

	code, out, _ = cli(t, nil, "send", "status-update", "--status", "ended-with-error", "--dialect", "flireo-legacy", "--print")
	assert.Equal(t, exitPass, code)
	assert.Contains(t, out, `"ended-with-debugging"`)

	// A signature the server does not expect: the event is refused and send says so.
	code, _, stderr = cli(t, nil, "send", "status-update", "--target", target, "--secret", "wrong")
	assert.Equal(t, exitFail, code)
	assert.Contains(t, stderr, "http-2xx")
}

func TestDemo(t *testing.T) {
	code, out, stderr := cli(t, nil, "demo")
	assert.Equal(t, exitPass, code, stderr)
	assert.Contains(t, out, "summary")
	assert.Contains(t, out, "passed every must check")
	for _, d := range []string{"flireo", "flireo-camel", "flireo-legacy", "interactly"} {
		assert.Contains(t, out, d)
	}
	assert.Contains(t, out, "verdict PASS", "the conformance suite ran")
	assert.Contains(t, out, "ok   dropped==0", "the short load ran and met its thresholds")
}
