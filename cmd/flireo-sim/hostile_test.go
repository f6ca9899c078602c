package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileText sets the window title, rings the bell, clears the screen,
// returns the cursor, reverses the text and sends an 8-bit CSI.
const hostileText = "\x1b]0;pwned\x07\x1b[2J\r\bok\u202eevil\u2066\u009b31m"

// hostileServer answers every webhook with text meant to take over the
// terminal: a greeting and an assistant-request rejection in JSON (the
// escapes decode to control characters), everything else as text.
func hostileServer(t *testing.T) string {
	t.Helper()
	quoted, _ := json.Marshal(hostileText)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Header.Get("X-Webhook-Event") {
		case "assistant-request":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"assistant":{"first_message":` + string(quoted) + `},"x":` + string(quoted) + `}`))
		case "tool-calls":
			w.Header().Set("Content-Type", "application/json")
			w.Write([]byte(`{"results":[{"toolCallId":` + string(quoted) + `,"result":` + string(quoted) + `}]}`))
		default:
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusInternalServerError)
			w.Write([]byte("oops " + hostileText + "\n" + hostileText))
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/webhook"
}

// assertTerminalSafe fails when the output carries a control character
// (other than newline and tab) or a bidi override the server sent.
func assertTerminalSafe(t *testing.T, what string, outs ...string) {
	t.Helper()
	for _, out := range outs {
		for _, bad := range []string{"\x1b", "\x07", "\r", "\b", "\u202e", "\u2066", "\u009b", "\x9b"} {
			assert.NotContains(t, out, bad, "%s printed %q raw:\n%s", what, bad, out)
		}
	}
}

func TestSendEscapesAHostileReply(t *testing.T) {
	target := hostileServer(t)
	for _, ev := range []string{"assistant-request", "tool-calls", "status-update"} {
		_, out, errOut := cli(t, nil, "send", ev, "--target", target)
		assertTerminalSafe(t, "send "+ev, out, errOut)
		assert.Contains(t, out, `\u001b]0;pwned`, "send %s shows the reply, escaped", ev)
	}
}

func TestCallEscapesAHostileServer(t *testing.T) {
	target := hostileServer(t)
	_, out, errOut := cli(t, nil, "call", "--target", target, "--transcript", "--pace", "instant")
	assertTerminalSafe(t, "call --transcript", out, errOut)
	assert.Contains(t, out, `\u001b]0;pwned`)
}

func TestConformEscapesAHostileServer(t *testing.T) {
	target := hostileServer(t)
	for _, format := range []string{"compact", "pretty", "progress"} {
		_, out, errOut := cli(t, nil, "conform", "--target", target, "--tags", "@tool-results-known-ids,@reply-json", "--format", format)
		assertTerminalSafe(t, "conform --format "+format, out, errOut)
	}
}

func TestReplayEscapesAHostileServer(t *testing.T) {
	target := hostileServer(t)
	rep := filepath.Join(t.TempDir(), "r.json")
	code, _, stderr := cli(t, nil, "conform", "--target", target, "--tags", "@tool-results-known-ids,@reply-json", "--report", rep)
	require.Equal(t, exitFail, code, stderr)
	_, out, errOut := cli(t, nil, "replay", rep)
	assertTerminalSafe(t, "replay", out, errOut)
	assert.Contains(t, out, "reply:")
}

func TestLoadEscapesAHostileServer(t *testing.T) {
	target := hostileServer(t)
	_, out, errOut := cli(t, nil, "load", "--target", target, "--rate", "5/s", "--duration", "1s", "--pace", "instant")
	assertTerminalSafe(t, "load", out, errOut)
}

// An error that quotes a server reaches stderr escaped, with its exit code.
func TestErrorsAreEscapedForTheTerminal(t *testing.T) {
	var stderr bytes.Buffer
	code := exitCode(&stderr, failedError{"the server said \x1b]0;pwned\x07"}, false)
	assert.Equal(t, exitFail, code)
	assert.Equal(t, "flireo-sim: the server said \\u001b]0;pwned\\u0007\n", stderr.String())
	stderr.Reset()
	assert.Equal(t, exitUsage, exitCode(&stderr, usagef("--body \x1b[2J.json: no such file"), false))
	assertTerminalSafe(t, "a usage error", stderr.String())
}
