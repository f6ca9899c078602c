package main

import (
	"bufio"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/internal/testkit"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
	"github.com/flireo-sim/flireo-sim/simulator/load"
)

func readReport(t *testing.T, path string) *load.Report {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	r, err := load.ReadJSON(f)
	require.NoError(t, err)
	return r
}

func TestLoadUsageErrors(t *testing.T) {
	target := "http://127.0.0.1:1/webhook"
	otherSchema := filepath.Join(t.TempDir(), "k6.json")
	require.NoError(t, os.WriteFile(otherSchema, []byte(`{"schema":"k6/summary"}`), 0o600))
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"load"}, "no target"},
		{[]string{"load", "--target", target, "--rate", "fast"}, "--rate"},
		{[]string{"load", "--target", target, "--rate", "0/s"}, "above 0"},
		{[]string{"load", "--target", target, "--rate", "5/s", "--ramp", "0→50/s:1m"}, "drop --rate"},
		{[]string{"load", "--target", target, "--ramp", "0-50/s"}, `--ramp "0-50/s": write FROM→TO/s:DURATION`},
		{[]string{"load", "--target", target, "--ramp", "0→x/s:1m"}, `--ramp: rate "x/s"`},
		{[]string{"load", "--target", target, "--duration", "0s"}, "--duration"},
		{[]string{"load", "--target", target, "--max-in-flight", "0"}, "--max-in-flight"},
		{[]string{"load", "--target", target, "--mix", "pizza=2"}, `--mix: unknown intent "pizza"`},
		{[]string{"load", "--target", target, "--pace", "warp"}, "--pace"},
		{[]string{"load", "--target", target, "--threshold", "p99<fast"}, "needs a unit"},
		{[]string{"load", "--target", target, "--report", "out.txt"}, ".json or .html"},
		{[]string{"load", "--target", target, "--shard", "3/2"}, `--shard "3/2": the index must be`},
		{[]string{"load", "--target", target, "--report", "/nonexistent-dir/out.json"}, "choose another path"},
		{[]string{"load", "--target", target, "--shard", "auto/2"}, "JOB_COMPLETION_INDEX is not set"},
		{[]string{"load", "--target", target, "extra"}, "unexpected argument"},
		{[]string{"report"}, "name the action"},
		{[]string{"report", "mangle"}, `unknown action "mangle"`},
		{[]string{"report", "merge"}, "name the JSON reports"},
		{[]string{"report", "merge", "missing.json"}, "no such file"},
		{[]string{"report", "merge", otherSchema}, `is not "flireo-sim/load-report/v1": write the report with flireo-sim load --report FILE.json`},
		{[]string{"sink", "--delay", "-1s"}, "--delay"},
	}
	for _, c := range cases {
		code, _, stderr := cli(t, nil, c.args...)
		assert.Equal(t, exitUsage, code, "%v: %s", c.args, stderr)
		assert.Contains(t, stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, "one-line error for %v: %q", c.args, stderr)
	}
	for _, c := range []string{"load", "sink", "report"} {
		code, out, _ := cli(t, nil, c, "--help")
		assert.Equal(t, exitPass, code, c)
		assert.Contains(t, out, "Usage: flireo-sim "+c, c)
	}
}

// A short real load run against the reference integrator: every call
// completes, nothing fails, and both reports are written.
func TestLoadAgainstTheReferenceIntegrator(t *testing.T) {
	const secret = "load-secret-123"
	target := server(t, integrator.Options{Secret: secret})
	dir := t.TempDir()
	jsonPath, htmlPath := filepath.Join(dir, "out.json"), filepath.Join(dir, "out.html")
	code, out, stderr := cli(t, map[string]string{"FLIREO_WEBHOOK_SECRET": secret}, "load", "--target", target,
		"--rate", "20/s", "--duration", "2s", "--pace", "instant", "--mix", "book-appointment=3,order-status=1",
		"--threshold", "checks.must==0", "--threshold", "errors==0", "--threshold", "dropped==0",
		"--threshold", "assistant-request.p99<4s", "--report", jsonPath, "--report", htmlPath)
	require.Equal(t, exitPass, code, "%s\n%s", out, stderr)
	assert.NotContains(t, out+stderr, secret, "the secret is never printed")
	for _, want := range []string{"load finished", "40 started", "40 completed", "assistant-request", "tool-calls", "end-of-call-report", "ok   checks.must==0"} {
		assert.Contains(t, out, want)
	}
	// A slow machine may print its first line only once the schedule is
	// done ("finishing"): either phase is a plain progress line.
	assert.Regexp(t, `(running|finishing) · calls`, stderr, "plain progress lines when stderr is not a terminal")
	rep := readReport(t, jsonPath)
	assert.Equal(t, "pass", rep.Verdict)
	assert.Equal(t, int64(40), rep.Calls.Completed)
	assert.Equal(t, "book-appointment=3,order-status=1", rep.Run.Mix)
	assert.Positive(t, rep.Run.Seed, "a fresh seed is drawn")
	assert.Equal(t, "now", rep.Run.Clock)
	assert.Regexp(t, `^--seed \d+ --clock \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, rep.Run.Replay)
	assert.Contains(t, out, "seed "+strconv.FormatInt(rep.Run.Seed, 10)+" · clock now · replay with "+rep.Run.Replay)
	assert.Greater(t, rep.Event("tool-calls").Count, int64(40), "book-appointment calls use tools")
	assert.Equal(t, rep.All.Count, rep.All.OK)
	for _, s := range rep.Slowest {
		assert.Contains(t, s.Replay, `--secret "$FLIREO_WEBHOOK_SECRET"`)
		assert.Contains(t, s.Replay, "--intent ")
	}
	html, err := os.ReadFile(htmlPath)
	require.NoError(t, err)
	assert.Contains(t, string(html), "PASS")
	assert.Contains(t, string(html), rep.Run.Replay)
	assert.NotContains(t, string(html), secret)
}

func TestLoadThresholdFailureAndAbort(t *testing.T) {
	target := server(t, integrator.Options{Misbehave: "eocr-500"})
	code, out, stderr := cli(t, nil, "load", "--target", target, "--rate", "20/s", "--duration", "1s", "--pace", "instant",
		"--threshold", "end-of-call-report.errors==0", "--threshold", "status-update.errors==0", "--quiet")
	assert.Equal(t, exitFail, code)
	assert.Empty(t, out, "--quiet")
	assert.Contains(t, stderr, "2 threshold(s) failed: end-of-call-report.errors==0 (20, expected 0 (off by 20)); checks.must==0 (20, expected 0", "the must gate applies too")

	began := time.Now()
	code, out, stderr = cli(t, nil, "load", "--target", target, "--rate", "20/s", "--duration", "1m", "--pace", "instant",
		"--threshold", "checks.must==0", "--abort-on-fail", "--stop-grace", "2s")
	assert.Equal(t, exitFail, code)
	assert.Less(t, time.Since(began), 15*time.Second, "--abort-on-fail stops the run early")
	assert.Contains(t, out, "ABORTED: threshold checks.must==0 failed")
	assert.Contains(t, out, "FAIL checks.must==0")
	assert.Contains(t, stderr, "threshold(s) failed")
}

// Ctrl-C: new calls stop, live calls get the stop grace, the partial report
// is written marked interrupted, and the exit code is 130.
func TestLoadInterruptWritesPartialReport(t *testing.T) {
	target := server(t, integrator.Options{})
	path := filepath.Join(t.TempDir(), "partial.json")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var out, errOut testkit.SyncBuffer
	time.AfterFunc(1500*time.Millisecond, cancel)
	began := time.Now()
	err := run(ctx, []string{"load", "--target", target, "--rate", "20/s", "--duration", "1m", "--pace", "realtime",
		"--stop-grace", "500ms", "--report", path}, &out, &errOut, environment{getenv: func(string) string { return "" }})
	code := exitCode(&errOut, err, ctx.Err() != nil)
	assert.Equal(t, exitSignal, code, "%s\n%s", out.String(), errOut.String())
	assert.Less(t, time.Since(began), 10*time.Second)
	assert.Contains(t, out.String(), "INTERRUPTED (partial results)")
	rep := readReport(t, path)
	assert.True(t, rep.Run.Interrupted)
	assert.Greater(t, rep.Calls.Started, int64(20))
	assert.Equal(t, rep.Calls.Started, rep.Calls.Interrupted+rep.Calls.Completed+rep.Calls.Failed+rep.Calls.Rejected)
	assert.Greater(t, rep.Calls.Interrupted, int64(0), "realtime calls were still live")
	assert.Greater(t, rep.Event("assistant-request").Count, int64(20), "what happened before the stop is reported")
	assert.Zero(t, rep.All.Errors, "cancelled deliveries are not server errors")
}

// A server that dies mid-run: errors are counted by class, the run goes on
// to its end, the report is written and nothing hangs.
func TestLoadServerDiesMidRun(t *testing.T) {
	ts := integratortest.Start(t).HTTP
	time.AfterFunc(700*time.Millisecond, func() {
		ts.CloseClientConnections()
		ts.Close()
	})
	path := filepath.Join(t.TempDir(), "died.json")
	began := time.Now()
	code, out, stderr := cli(t, nil, "load", "--target", ts.URL+"/webhook", "--rate", "20/s", "--duration", "2s",
		"--pace", "instant", "--threshold", "errors==0", "--report", path)
	assert.Equal(t, exitFail, code, "%s\n%s", out, stderr)
	assert.Less(t, time.Since(began), 20*time.Second)
	assert.Contains(t, stderr, "errors==0")
	rep := readReport(t, path)
	assert.Equal(t, int64(40), rep.Calls.Started, "the run went on to the end of its schedule")
	assert.Greater(t, rep.All.OK, int64(0))
	assert.Greater(t, rep.All.ErrorsByClass["refused"], int64(0), "%v", rep.All.ErrorsByClass)
	assert.Greater(t, rep.Calls.Failed, int64(0))
	assert.Contains(t, out, "errors by class")
}

func TestShardedLoadAndReportMerge(t *testing.T) {
	target := server(t, integrator.Options{})
	dir := t.TempDir()
	var parts []string
	for i := range 2 {
		p := filepath.Join(dir, "shard-"+string(rune('0'+i))+".json")
		env := map[string]string{"JOB_COMPLETION_INDEX": string(rune('0' + i))}
		code, _, stderr := cli(t, env, "load", "--target", target, "--rate", "20/s", "--duration", "1s", "--pace", "instant",
			"--shard", "auto/2", "--threshold", "errors==0", "--report", p, "--quiet")
		require.Equal(t, exitPass, code, stderr)
		parts = append(parts, p)
		assert.Equal(t, int64(10), readReport(t, p).Calls.Started, "each shard plays half the schedule")
	}
	total := filepath.Join(dir, "total.json")
	html := filepath.Join(dir, "total.html")
	code, out, stderr := cli(t, nil, "report", "merge", parts[0], "--report", html, parts[1], "--report", total)
	require.Equal(t, exitPass, code, stderr)
	assert.Contains(t, out, "2 reports merged")
	assert.Contains(t, out, "ok   errors==0")
	rep := readReport(t, total)
	assert.Equal(t, int64(20), rep.Calls.Completed)
	assert.Equal(t, []string{"0/2", "1/2"}, rep.Run.Shards)
	_, err := os.Stat(html)
	require.NoError(t, err)

	code, _, stderr = cli(t, nil, "report", "merge", parts[0], parts[1], "--threshold", "count<10", "--quiet")
	assert.Equal(t, exitFail, code)
	assert.Contains(t, stderr, "count<10")

	assert.NotContains(t, stderr, "warning", "every shard is there")

	// One shard of two: merged, with a warning that names the absent one.
	code, out, stderr = cli(t, nil, "report", "merge", parts[1])
	require.Equal(t, exitPass, code, stderr)
	assert.Contains(t, stderr, "warning: report merge: no report of shard 0/2")
	assert.Contains(t, out, "warning shard 0/2 missing")

	// The merged JSON goes to stdout with --report -, the summary to stderr.
	code, out, stderr = cli(t, nil, "report", "merge", parts[0], parts[1], "--report", "-")
	require.Equal(t, exitPass, code)
	var doc map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Contains(t, stderr, "2 reports merged")
}

func TestSinkCommand(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"sink", "--addr", "127.0.0.1:0"}, pw, io.Discard, environment{})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	require.NoError(t, err)
	go io.Copy(io.Discard, pr)
	require.Contains(t, line, "sink listening on http://")
	url := strings.Fields(strings.TrimPrefix(line, "sink listening on "))[0]

	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(`{"message":{"type":"tool-calls"}}`))
	req.Header.Set("X-Webhook-Event", "tool-calls")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.JSONEq(t, `{"result":"ok"}`, string(body))

	// The load command's own ceiling check: a short run against the sink.
	code, out, stderr := cli(t, nil, "load", "--target", url, "--rate", "50/s", "--duration", "1s", "--pace", "instant",
		"--threshold", "checks.should==0", "--threshold", "errors==0")
	assert.Equal(t, exitPass, code, "%s\n%s", out, stderr)

	cancel()
	select {
	case err := <-done:
		assert.Equal(t, exitPass, exitCode(io.Discard, err, false))
	case <-time.After(10 * time.Second):
		t.Fatal("the sink did not stop")
	}
}

// The default grace lets the run's last calls finish at the pace; a
// shorter --grace is warned about before the run, the calls it cuts off are
// counted as interrupted, and a run that completed no call fails.
func TestLoadGraceCoversTheLastCalls(t *testing.T) {
	target := server(t, integrator.Options{})
	dir := t.TempDir()
	auto := filepath.Join(dir, "auto.json")
	code, out, stderr := cli(t, nil, "load", "--target", target, "--rate", "4/s", "--duration", "1s", "--pace", "100x",
		"--mix", "book-appointment=1", "--report", auto)
	require.Equal(t, exitPass, code, "%s\n%s", out, stderr)
	assert.NotContains(t, stderr, "warning")
	rep := readReport(t, auto)
	assert.Equal(t, int64(4), rep.Calls.Completed, "every call finished within the grace")
	assert.Zero(t, rep.Calls.Interrupted)
	assert.Greater(t, rep.Run.GraceS, load.ReplyAllowance.Seconds(), "the grace covers the calls at the pace")
	assert.Less(t, rep.Run.GraceS, 30.0, "at 100x the calls need seconds, not a fixed minute")

	short := filepath.Join(dir, "short.json")
	code, out, stderr = cli(t, nil, "load", "--target", target, "--rate", "4/s", "--duration", "1s", "--pace", "5x",
		"--mix", "book-appointment=1", "--grace", "100ms", "--report", short)
	assert.Equal(t, exitFail, code, "%s\n%s", out, stderr)
	assert.Regexp(t, `warning: --grace 100ms is shorter than the \S+ the last calls of this run play after the schedule ends \(pace 5x\).*give --grace \S+ or leave it out`, stderr)
	assert.Contains(t, stderr, "no call completed: of 4 started, 0 rejected, 0 failed, 4 interrupted")
	assert.Contains(t, out, "4 interrupted")
	assert.Contains(t, out, "note    4 of 4 calls were still live when the grace period (100ms) ended")
	rep = readReport(t, short)
	assert.Equal(t, "fail", rep.Verdict)
	assert.Equal(t, int64(4), rep.Calls.Interrupted)
}

// --grace, when given, is the grace (with a warning when the run's last
// calls need longer); without it, the grace is what they need at the pace.
func TestSettleGrace(t *testing.T) {
	// 10 calls a second for 10 s; call 50 (at 4.9 s) lasts 20 s, the others 5 s.
	length := func(n int, _ sim.Intent) time.Duration {
		if n == 50 {
			return 20 * time.Second
		}
		return 5 * time.Second
	}
	cfg := load.Config{Schedule: load.Constant(10, 10*time.Second)}
	tests := []struct {
		name string
		args []string
		want time.Duration
		warn string
	}{
		{"default at real time", nil, 15*time.Second + load.ReplyAllowance, ""},
		{"default at twice the speed", []string{"--pace", "2x"}, 5*time.Second + load.ReplyAllowance, ""},
		{"default at pace instant", []string{"--pace", "instant"}, load.DefaultGrace, ""},
		{"long enough", []string{"--grace", "15s"}, 15 * time.Second, ""},
		{"too short", []string{"--grace", "10s"}, 10 * time.Second,
			"flireo-sim: warning: --grace 10s is shorter than the 15s the last calls of this run play after the schedule ends (pace realtime): calls still live then count as interrupted; give --grace 30s or leave it out\n"},
		{"none at all", []string{"--grace", "0s", "--pace", "2x"}, 0, "--grace 0s is shorter than the 5s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lf, err := parseLoadFlags(append([]string{"--target", "http://127.0.0.1:1/w"}, tt.args...), io.Discard)
			require.NoError(t, err)
			pace, err := kit.ParsePace(*lf.pace)
			require.NoError(t, err)
			var stderr strings.Builder
			assert.Equal(t, tt.want, lf.settleGrace(cfg, pace, length, &stderr))
			if tt.warn == "" {
				assert.Empty(t, stderr.String())
			} else {
				assert.Contains(t, stderr.String(), tt.warn)
			}
		})
	}
}
