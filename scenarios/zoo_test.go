package scenarios

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/internal/testkit"
	"github.com/flireo-sim/flireo-sim/simulator/check"
)

// The zoo: integrators written from the platform documentation alone, in
// the languages and styles integrators use (scenarios/testdata/zoo). Each
// correct one passes the built-in suite in its own dialect with no failed
// check; each of their realistic bugs fails exactly the checks that name it.

// zooServer is one integrator of the zoo.
type zooServer struct {
	name    string // as in the tables of the README and docs/conformance.md
	run     string // python3, node or go
	file    string // under testdata/zoo (Go: the directory of its module)
	dialect string
	signed  bool // takes a webhook secret and verifies every webhook
	// saved is the file (under testdata/zoo) of the agent saved on the
	// platform, what a {} or assistant_id reply falls back on
	// (--default-assistant); "" for none.
	saved string
}

// savedAgent is the agent saved in the dashboard of the integrators that
// answer {} or assistant_id (--default-assistant): the tools live there.
const savedAgent = "saved_agent.json"

var zooServers = []zooServer{
	{name: "python-stdlib", run: "python3", file: "python_stdlib.py", dialect: "flireo", signed: true},
	{name: "node-http", run: "node", file: "node_http.js", dialect: "flireo", signed: true, saved: savedAgent},
	{name: "go-strict", run: "go", file: "go_strict", dialect: "flireo", signed: true, saved: savedAgent},
	{name: "python-wsgi-camel", run: "python3", file: "python_wsgi_camel.py", dialect: "flireo-camel", signed: true},
	{name: "node-legacy", run: "node", file: "node_legacy.js", dialect: "flireo-legacy"},
	{name: "python-booking", run: "python3", file: "python_booking.py", dialect: "flireo", signed: true},
	{name: "node-booking", run: "node", file: "node_booking.js", dialect: "flireo-camel", signed: true},
}

// zooCase is a server, correct (bug "") or with one bug, and what the suite
// must find.
type zooCase struct {
	server  string
	bug     string
	failed  []string // exactly these checks fail
	verdict string
	// scale is the deadline scale of a bug that makes the server slow (its
	// delays lie far beyond the real deadlines); 0 gives every deadline
	// roomyScale, so that only the bug can fail a check.
	scale float64
	// ackDeadline is the acknowledgement deadline (before scaling) of a bug
	// that acknowledges far past it; 0 gives a roomy 20 s.
	ackDeadline time.Duration
	// toolDeadline shortens the sync tool deadline of a bug whose tools
	// answer far past it, so that its many tool calls wait less.
	toolDeadline time.Duration
}

var zooCases = []zooCase{
	{server: "python-stdlib", verdict: "pass"},
	{server: "python-stdlib", bug: "no-signature-check", failed: []string{check.SignatureEnforced}, verdict: "fail"},
	{server: "python-stdlib", bug: "reserialized-signature", failed: []string{check.SignatureRawBody}, verdict: "fail"},
	{server: "python-stdlib", bug: "timestamp-unchecked", failed: []string{check.SignatureEnforced}, verdict: "fail"},
	{server: "python-stdlib", bug: "long-transcript-500", failed: []string{check.LargeReport}, verdict: "pass"},
	{server: "python-stdlib", bug: "slow-crm", failed: []string{check.ToolDeadline}, verdict: "fail", scale: 1, toolDeadline: 3 * time.Second},
	{server: "node-http", verdict: "pass"},
	{server: "node-http", bug: "first-result-only", failed: []string{check.ToolResultsOnce}, verdict: "fail"},
	{server: "node-http", bug: "results-by-name", failed: []string{check.ToolResultsKnown, check.ToolResultsOnce}, verdict: "fail"},
	// A 500 on every tool call also fails the variant checks whose calls
	// make tool calls.
	{server: "node-http", bug: "args-as-string", failed: []string{check.ConcurrentCalls, check.HTTP2xx, check.TextPreserved, check.UnknownFields, check.WebCall}, verdict: "fail"},
	{server: "node-http", bug: "slow-ack", failed: []string{check.AckDeadline}, verdict: "pass", scale: 1, ackDeadline: 2 * time.Second},
	{server: "node-http", bug: "empty-results", failed: []string{check.ToolResultsOnce}, verdict: "fail"},
	{server: "go-strict", verdict: "pass"},
	{server: "go-strict", bug: "disallow-unknown", failed: []string{check.UnknownFields}, verdict: "fail"},
	{server: "go-strict", bug: "html-error", failed: []string{check.ReplyJSON}, verdict: "fail"},
	{server: "go-strict", bug: "json-500", failed: []string{check.ConcurrentCalls, check.HTTP2xx, check.TextPreserved, check.UnknownFields, check.WebCall}, verdict: "fail"},
	{server: "go-strict", bug: "web-call-crash", failed: []string{check.WebCall}, verdict: "fail"},
	{server: "go-strict", bug: "report-needs-ended", failed: []string{check.ReportBeforeEnded}, verdict: "fail"},
	{server: "python-wsgi-camel", verdict: "pass"},
	{server: "python-wsgi-camel", bug: "redelivery-409", failed: []string{check.ReportRedelivery}, verdict: "fail"},
	{server: "python-wsgi-camel", bug: "slow-assistant", failed: []string{check.AssistantDeadline}, verdict: "fail", scale: 1},
	{server: "python-wsgi-camel", bug: "missing-tool-call-id", failed: []string{check.ToolShape, check.ToolResultsOnce}, verdict: "fail"},
	{server: "python-wsgi-camel", bug: "g3-tool-key", failed: []string{check.ToolResultsOnce}, verdict: "fail"},
	{server: "node-legacy", verdict: "pass"},
	{server: "node-legacy", bug: "no-assistant", failed: []string{check.AssistantShape}, verdict: "fail"},
	{server: "node-legacy", bug: "task-id-key", failed: []string{check.ToolShape, check.ToolResultsOnce, check.UnknownReplyKeys}, verdict: "fail"},
	// Every webhook refused: the variant checks fail with http-2xx.
	{server: "node-legacy", bug: "requires-signature", failed: []string{check.ConcurrentCalls, check.HTTP2xx, check.TextPreserved, check.UnknownFields, check.WebCall}, verdict: "fail"},
	{server: "node-legacy", bug: "crash-on-debugging", failed: []string{check.HTTP2xx}, verdict: "fail"},
	{server: "python-booking", verdict: "pass"},
	{server: "node-booking", verdict: "pass"},
}

// needInterpreter finds python3 or node: missing, the test fails on CI
// (CI=true) and is skipped elsewhere.
func needInterpreter(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p
	}
	msg := fmt.Sprintf("%s is not installed: the zoo needs python3 and node (Debian: apt-get install -y python3 nodejs)", name)
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

// zooCommands returns how to start each kind of server: interpreters found,
// the Go server built into a temporary directory.
func zooCommands(t *testing.T) map[string][]string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("testdata", "zoo"))
	require.NoError(t, err)
	cmds := map[string][]string{}
	for _, s := range zooServers {
		if _, ok := cmds[s.file]; ok {
			continue
		}
		switch s.run {
		case "python3", "node":
			cmds[s.file] = []string{needInterpreter(t, s.run), filepath.Join(dir, s.file)}
		case "go":
			bin := filepath.Join(t.TempDir(), "zoo-"+s.file)
			build := exec.Command("go", "build", "-o", bin, ".")
			build.Dir = filepath.Join(dir, s.file) // a module of its own
			build.Env = append(os.Environ(), "GOWORK=off")
			out, err := build.CombinedOutput()
			require.NoError(t, err, "go build %s: %s", s.file, out)
			cmds[s.file] = []string{bin}
		default:
			t.Fatalf("server %s: unknown runtime %q", s.name, s.run)
		}
	}
	return cmds
}

// startZoo starts one server on a loopback port and returns its webhook URL
// and its stderr. The server prints its port as the first line on stdout.
// It is called from the goroutines of the cases: it returns errors and
// leaves the test to fail.
func startZoo(t *testing.T, argv []string, s zooServer, bug string) (string, *testkit.SyncBuffer, error) {
	args := append([]string(nil), argv[1:]...)
	args = append(args, "--port", "0")
	if bug != "" {
		args = append(args, "--bug", bug)
	}
	cmd := exec.Command(argv[0], args...)
	cmd.Env = os.Environ()
	if s.signed {
		cmd.Env = append(cmd.Env, "FLIREO_WEBHOOK_SECRET="+testSecret)
	}
	stderr := &testkit.SyncBuffer{}
	stdout := &firstLine{line: make(chan string, 1)}
	cmd.Stdout, cmd.Stderr = stdout, stderr
	if err := cmd.Start(); err != nil {
		return "", stderr, fmt.Errorf("start %s: %w", s.name, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	select {
	case l := <-stdout.line:
		port, err := strconv.Atoi(l)
		if err != nil {
			return "", stderr, fmt.Errorf("%s printed %q, not its port", s.name, l)
		}
		return fmt.Sprintf("http://127.0.0.1:%d/webhook", port), stderr, nil
	case <-exited:
		return "", stderr, fmt.Errorf("%s exited before it printed its port", s.name)
	case <-time.After(60 * time.Second):
		return "", stderr, fmt.Errorf("%s did not print its port within 60 s", s.name)
	}
}

// firstLine is a server's stdout: it hands over the first line (the port)
// and drops the rest.
type firstLine struct {
	mu   sync.Mutex
	buf  []byte
	done bool
	line chan string
}

func (f *firstLine) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.done {
		return len(p), nil
	}
	f.buf = append(f.buf, p...)
	if i := bytes.IndexByte(f.buf, '\n'); i >= 0 {
		f.done = true
		f.line <- strings.TrimSpace(string(f.buf[:i]))
	}
	return len(p), nil
}

func zooServerNamed(name string) (zooServer, bool) {
	for _, s := range zooServers {
		if s.name == name {
			return s, true
		}
	}
	return zooServer{}, false
}

// zooOutcome is what one case's run found.
type zooOutcome struct {
	res    *Result
	err    error
	took   time.Duration
	stderr *testkit.SyncBuffer
}

// runZooCase starts the case's server and runs the built-in suite against
// it in the server's dialect. Cases without slow replies wait for a turn
// in busy.
func runZooCase(ctx context.Context, t *testing.T, argv []string, s zooServer, c zooCase, busy chan struct{}) *zooOutcome {
	target, stderr, err := startZoo(t, argv, s, c.bug)
	oc := &zooOutcome{stderr: stderr, err: err}
	if err != nil {
		return oc
	}
	scale := c.scale
	if scale == 0 {
		scale = roomyScale // no slow replies: only the bug can fail a check
	}
	o := Config{Target: target, Dialect: s.dialect, Seed: 1, TimeoutScale: scale, ToolDeadline: c.toolDeadline}
	if s.signed {
		o.Secret = testSecret
	}
	if s.saved != "" {
		b, err := os.ReadFile(filepath.Join("testdata", "zoo", s.saved))
		if err != nil {
			oc.err = err
			return oc
		}
		o.DefaultAssistant = b
	}
	o.AckDeadline = c.ackDeadline
	if o.AckDeadline == 0 {
		o.AckDeadline = 20 * time.Second
	}
	lib, err := New(o)
	if err != nil {
		oc.err = err
		return oc
	}
	defer lib.Close()
	if c.scale == 0 { // the case's time goes into work, not into waiting
		busy <- struct{}{}
		defer func() { <-busy }()
	}
	start := time.Now()
	oc.res, oc.err = lib.Run(ctx, RunOptions{Concurrency: 8})
	oc.took = time.Since(start)
	return oc
}

// TestZooOfIndependentIntegrators runs the built-in suite, in each server's
// dialect, against every correct integrator of the zoo and against each of
// their bugs, all at the same time: correct servers pass with no failed
// check, every bug fails exactly its checks. FLIREO_ZOO_VERBOSE=1 logs every
// failed check and scenario.
func TestZooOfIndependentIntegrators(t *testing.T) {
	t.Parallel() // waits on deadlines, side by side with the other long suites
	cmds := zooCommands(t)
	out := make([]*zooOutcome, len(zooCases))
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	// The cases that only work (no slow replies) take turns, four at a
	// time, so that replies that must be quick stay far inside their
	// deadlines on a loaded machine.
	busy := make(chan struct{}, 4)
	var wg sync.WaitGroup
	began := time.Now()
	only := os.Getenv("FLIREO_ZOO_ONLY")
	for i, c := range zooCases {
		if only != "" && c.server != only {
			continue
		}
		s, ok := zooServerNamed(c.server)
		require.True(t, ok, "server %s of case %d is in zooServers", c.server, i)
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = runZooCase(ctx, t, cmds[s.file], s, c, busy)
		}()
	}
	wg.Wait()
	runs := 0
	for _, oc := range out {
		if oc != nil {
			runs++
		}
	}
	t.Logf("the zoo (%d runs) took %s", runs, time.Since(began).Round(time.Millisecond))
	verbose := os.Getenv("FLIREO_ZOO_VERBOSE") != ""
	for i, c := range zooCases {
		oc := out[i]
		if oc == nil {
			continue
		}
		name := c.server
		if c.bug != "" {
			name += "/" + c.bug
		} else {
			name += "/correct"
		}
		t.Run(name, func(t *testing.T) {
			require.NoError(t, oc.err, "stderr: %s", oc.stderr)
			res := oc.res
			got := failedChecks(res)
			sort.Strings(got)
			want := append([]string(nil), c.failed...)
			sort.Strings(want)
			ok := assert.Equal(t, want, got, "failed checks against %s", name)
			ok = assert.Equal(t, c.verdict, string(res.Verdict), res.Reason) && ok
			ok = assert.Zero(t, res.Score.ScenarioFailures, "every failed scenario is explained by a failed check") && ok
			if !ok || verbose {
				logZooResult(t, res, oc.stderr)
			}
			for _, cr := range res.Checks {
				if cr.Status == "fail" {
					assert.NotEmpty(t, cr.Detail, cr.ID)
				}
				// The servers declare tools: the tool checks judge them.
				if c.bug == "" && toolCheck[cr.ID] {
					assert.NotEqual(t, StatusSkip, cr.Status, "%s is exercised: %s", cr.ID, cr.Detail)
				}
			}
			t.Logf("%s: %s; %d of %d checks exercised; in %s", name, res.Reason, res.Exercised, res.Catalogue, oc.took.Round(time.Millisecond))
		})
	}
}

var toolCheck = map[string]bool{check.ToolDeadline: true, check.ToolShape: true, check.ToolResultsOnce: true, check.ToolResultsKnown: true}

func logZooResult(t *testing.T, res *Result, stderr *testkit.SyncBuffer) {
	t.Helper()
	for _, cr := range res.Checks {
		if cr.Status == "fail" {
			t.Logf("check %s: %s (%s; %d of %d)", cr.ID, cr.Detail, cr.Scenario, cr.Failures, cr.Evaluations)
		}
	}
	for _, s := range res.Scenarios {
		if s.Status == StatusFail {
			t.Logf("scenario failed: %s: %s", s.Name, s.Error)
		}
	}
	if e := stderr.String(); e != "" {
		if len(e) > 2000 {
			e = e[:2000] + "…"
		}
		t.Logf("server stderr: %s", e)
	}
}
