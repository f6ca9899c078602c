package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/internal/testkit"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
)

// The verification snippets of docs/webhooks.md run as small servers; real
// deliveries, rendered by the tool and signed by the project's signer, must
// be accepted, and forged, expired and unsigned ones refused with 401.

const snippetSecret = "whsec_docs_test_secret"

// snippetDelivery is one request sent to a snippet and the status it must get.
type snippetDelivery struct {
	name   string
	body   []byte
	header map[string]string
	want   int
}

func TestWebhookSnippetsVerifyRealDeliveries(t *testing.T) {
	cases := snippetDeliveries(t)
	for _, lang := range []string{"go", "node", "python"} {
		t.Run(lang, func(t *testing.T) {
			t.Parallel()
			base := startSnippet(t, lang)
			for _, d := range cases {
				require.Equal(t, d.want, postDelivery(t, base+"/webhook", d), "%s snippet, delivery %q", lang, d.name)
			}
		})
	}
}

// snippetDeliveries signs real bodies of two events several ways.
func snippetDeliveries(t *testing.T) []snippetDelivery {
	now := time.Now().Unix()
	var out []snippetDelivery
	for _, event := range []string{"status-update", "tool-calls"} {
		body := renderedBody(t, event)
		var indented bytes.Buffer
		require.NoError(t, json.Indent(&indented, body, "", "    "))
		tampered := bytes.Replace(body, []byte(`"type"`), []byte(`"Type"`), 1)
		signed := func(secret string, ts int64, b []byte) map[string]string {
			return map[string]string{"X-Webhook-Event": event, "X-Webhook-Timestamp": fmt.Sprint(ts), "X-Webhook-Signature": delivery.Sign(secret, ts, b)}
		}
		bare := signed(snippetSecret, now, body)
		bare["X-Webhook-Signature"] = strings.TrimPrefix(bare["X-Webhook-Signature"], delivery.SignaturePrefix)
		forgedTS := signed(snippetSecret, now-600, body)
		forgedTS["X-Webhook-Timestamp"] = fmt.Sprint(now)
		out = append(out,
			snippetDelivery{event + " valid", body, signed(snippetSecret, now, body), http.StatusOK},
			snippetDelivery{event + " valid bare hex", body, bare, http.StatusOK},
			snippetDelivery{event + " re-indented, signed as sent", indented.Bytes(), signed(snippetSecret, now, indented.Bytes()), http.StatusOK},
			snippetDelivery{event + " 4 minutes old", body, signed(snippetSecret, now-240, body), http.StatusOK},
			snippetDelivery{event + " tampered body", tampered, signed(snippetSecret, now, body), http.StatusUnauthorized},
			snippetDelivery{event + " wrong secret", body, signed("wrong-secret", now, body), http.StatusUnauthorized},
			snippetDelivery{event + " 10 minutes stale", body, signed(snippetSecret, now-600, body), http.StatusUnauthorized},
			snippetDelivery{event + " 10 minutes ahead", body, signed(snippetSecret, now+600, body), http.StatusUnauthorized},
			snippetDelivery{event + " timestamp swapped", body, forgedTS, http.StatusUnauthorized},
			snippetDelivery{event + " unsigned", body, map[string]string{"X-Webhook-Event": event, "X-Webhook-Timestamp": fmt.Sprint(now)}, http.StatusUnauthorized},
			snippetDelivery{event + " no timestamp", body, map[string]string{"X-Webhook-Event": event, "X-Webhook-Signature": delivery.Sign(snippetSecret, now, body)}, http.StatusUnauthorized},
		)
	}
	return out
}

// renderedBody is the body flireo-sim sends for event, from send --print=body.
func renderedBody(t *testing.T, event string) []byte {
	t.Helper()
	code, out, errOut := cli(t, nil, "send", event, "--print=body", "--target", "http://127.0.0.1:1/webhook")
	require.Equal(t, 0, code, errOut)
	return bytes.TrimSpace([]byte(out))
}

func postDelivery(t *testing.T, url string, d snippetDelivery) int {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(d.body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "HMS-Sovereign/1.0")
	for k, v := range d.header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err, d.name)
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

// startSnippet starts a snippet on a free loopback port and returns its base
// URL; it skips when the language's runtime is not installed.
func startSnippet(t *testing.T, lang string) string {
	dir, err := filepath.Abs(filepath.Join("..", "..", "docs", "webhooks"))
	require.NoError(t, err)
	var argv []string
	switch lang {
	case "go":
		bin := filepath.Join(t.TempDir(), "verify")
		build := exec.Command(needTool(t, "go", "the Go toolchain"), "build", "-o", bin, ".")
		build.Dir = dir
		out, err := build.CombinedOutput()
		require.NoError(t, err, "go build docs/webhooks: %s", out)
		argv = []string{bin}
	case "node":
		argv = []string{needTool(t, "node", "make zoo-deps installs it"), filepath.Join(dir, "verify.js")}
	case "python":
		argv = []string{needTool(t, "python3", "make zoo-deps installs it"), filepath.Join(dir, "verify.py")}
	}
	return startListening(t, argv, "FLIREO_WEBHOOK_SECRET="+snippetSecret, "ADDR=127.0.0.1:0")
}

// startListening runs argv with env added; the program prints "listening on
// HOST:PORT" first. The process is killed when the test ends.
func startListening(t *testing.T, argv []string, env ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	stderr := &testkit.SyncBuffer{}
	cmd.Stderr = stderr
	stdout, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(stdout).ReadString('\n')
		line <- s
		_, _ = io.Copy(io.Discard, stdout)
	}()
	select {
	case s := <-line:
		addr, ok := strings.CutPrefix(strings.TrimSpace(s), "listening on ")
		require.True(t, ok, "%s printed %q, not its address; stderr: %s", argv[0], s, stderr.String())
		return "http://" + addr
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not print its address within 30 s", argv[0])
		return ""
	}
}

// needTool finds a program on PATH, or skips the test saying how to get it
// (CI=true makes a missing program a failure).
func needTool(t *testing.T, name, how string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed (%s): skipped", name, how)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}
