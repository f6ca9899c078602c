package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/internal/suggest"
	"github.com/flireo-sim/flireo-sim/internal/termsafe"
	"github.com/flireo-sim/flireo-sim/scenarios"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
	"github.com/flireo-sim/flireo-sim/simulator/timeline"
)

const replayUsage = `
Usage: flireo-sim replay REPORT.json [--check ID] [--target URL] [--secret S]

Re-sends the failing request of each failed check of a conform report (written with
--report FILE.json), signed afresh: a new X-Webhook-Timestamp and a signature computed
now with the secret, since a server refuses a timestamp older than 5 minutes (the
report's reproduce curl command goes stale). Signature probes are replayed as probes
(a wrong-secret probe is signed with a wrong secret again). Prints the reply and
whether the check passes now.

--check replays one check; --target sends to another URL (a fixed build on another
port). The secret comes from --secret or FLIREO_WEBHOOK_SECRET and is never printed.

Exit codes: 0 every replayed check passes now, 1 one still fails (or cannot be judged
on a single delivery: run conform again), 2 usage error (unreadable report, no such
failed check, a signed request without a secret).

Examples:
  flireo-sim replay conformance.json
  flireo-sim replay conformance.json --check tool-result-ids --target http://127.0.0.1:9090/webhook`

func runReplay(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	path, only, r, err := parseReplay(args, stdout, env)
	if err != nil {
		return err
	}
	rep, err := readConformResult(path)
	if err != nil {
		return err
	}
	picked, err := failedChecks(rep, only)
	if err != nil {
		return err
	}
	if len(picked) == 0 {
		fmt.Fprintf(stdout, "%s has no failed check: nothing to replay\n", path)
		return nil
	}
	r.fallback = rep.Dialect
	return r.replayAll(ctx, picked)
}

// parseReplay reads the replay command's report path and flags.
func parseReplay(args []string, stdout io.Writer, env environment) (path, only string, r replayer, err error) {
	fs := newFlags("replay", replayUsage)
	check := fs.String("check", "", "replay only this check's failing request")
	target := fs.String("target", "", "send to this URL instead of the one in the report")
	secret := fs.String("secret", "", "webhook secret (default $FLIREO_WEBHOOK_SECRET; never printed)")
	scale := fs.Float64("timeout-scale", 1, "multiply the request's deadline")
	maxReply := fs.Int64("max-reply-size", 1<<20, "bytes of a reply the simulator reads")
	fs.group("Selection", "check")
	fs.group(groupTarget, "target", "secret")
	fs.group(groupDeadlines, "timeout-scale", "max-reply-size")
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		path, args = args[0], args[1:]
	}
	if err := fs.parse(args, stdout); err != nil {
		return "", "", r, err
	}
	if path == "" && fs.NArg() > 0 {
		path = fs.Arg(0)
	}
	r = replayer{target: *target, secret: *secret, scale: *scale, maxReply: *maxReply,
		stdout: stdout, color: env.stdoutTTY && env.getenv != nil && env.getenv("NO_COLOR") == ""}
	if r.secret == "" && env.getenv != nil {
		r.secret = env.getenv("FLIREO_WEBHOOK_SECRET")
	}
	return path, *check, r, r.check(path)
}

// check refuses a missing report path and unusable flag values.
func (r replayer) check(path string) error {
	switch {
	case path == "":
		return usagef("replay: name the report: flireo-sim replay REPORT.json (written by conform --report)")
	case r.scale <= 0:
		return usagef("--timeout-scale must be greater than 0, e.g. 0.1")
	case r.maxReply <= 0:
		return usagef("--max-reply-size must be a positive number of bytes")
	}
	if r.target != "" {
		if err := validTarget(r.target); err != nil {
			return usagef("--target: %v", err)
		}
	}
	return nil
}

// replayAll replays the picked checks and fails when one still fails.
func (r replayer) replayAll(ctx context.Context, picked []scenarios.CheckResult) error {
	var still []string
	for _, c := range picked {
		ok, err := r.replay(ctx, c)
		if err != nil {
			return err
		}
		if !ok {
			still = append(still, c.ID)
		}
	}
	if len(still) > 0 {
		return failedError{fmt.Sprintf("%d of %d replayed check(s) do not pass: %s", len(still), len(picked), strings.Join(still, ", "))}
	}
	fmt.Fprintf(r.stdout, "every replayed check passes now (%d)\n", len(picked))
	return nil
}

// readConformResult reads a report written by conform --report.
func readConformResult(path string) (*scenarios.Result, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("replay: %v", err)
	}
	var rep scenarios.Result
	if err := json.Unmarshal(b, &rep); err != nil {
		return nil, usagef("replay: %s is not a conform report: %v", path, err)
	}
	if rep.Verdict == "" && rep.Checks == nil {
		return nil, usagef(`replay: %s is not a conform report (no "verdict" and no "checks"): write one with conform --report FILE.json`, path)
	}
	return &rep, nil
}

// failedChecks picks the failed checks to replay: all, or the one named.
func failedChecks(rep *scenarios.Result, only string) ([]scenarios.CheckResult, error) {
	var out []scenarios.CheckResult
	var failed []string
	for _, c := range rep.Checks {
		if c.Status != "fail" {
			continue
		}
		failed = append(failed, c.ID)
		if only == "" || c.ID == only {
			out = append(out, c)
		}
	}
	if only != "" && len(out) == 0 {
		if len(failed) == 0 {
			return nil, usagef("--check %s: the report has no failed check", only)
		}
		return nil, usagef("--check %s did not fail in the report%s: the failed checks are %s", only, suggest.Hint(only, failed), strings.Join(failed, ", "))
	}
	return out, nil
}

// replayer sends the stored requests of a report again.
type replayer struct {
	target, secret, fallback string
	scale                    float64
	maxReply                 int64
	stdout                   io.Writer
	color                    bool
}

// replay re-sends one check's request; ok says that the check passes now.
func (r replayer) replay(ctx context.Context, c scenarios.CheckResult) (bool, error) {
	w := r.stdout
	if c.Request == nil {
		fmt.Fprintf(w, "\n%s: no webhook to replay (%s); run conform again\n", termsafe.Line(c.ID), termsafe.Line(c.Detail))
		return false, nil
	}
	req, err := c.Request.Request()
	if err != nil {
		fmt.Fprintf(w, "\n%s: cannot replay: %s\n", termsafe.Line(c.ID), termsafe.Line(err.Error()))
		return false, nil
	}
	if r.target != "" {
		req.URL = r.target
	}
	req.Deadline = time.Duration(float64(req.Deadline) * r.scale)
	if r.secret == "" && (c.Request.Signed || req.Probe != sim.ProbeNone) {
		return false, usagef("replay: the %s request of %s was signed: give --secret or set FLIREO_WEBHOOK_SECRET", req.Event, c.ID)
	}
	dialectName := c.Request.Dialect
	if dialectName == "" {
		dialectName = r.fallback
	}
	sig := c.Request.Headers.Get(delivery.HeaderSignature)
	k, err := newKit(kit.Options{Target: req.URL, Dialect: dialectName, Secret: r.secret, Seed: 1, TimeoutScale: r.scale,
		BareHex: sig != "" && !strings.HasPrefix(sig, delivery.SignaturePrefix), MaxBody: r.maxReply,
		Policy: sim.Policy{AfterReject: sim.RejectReport, ToolFailure: sim.ToolContinue}})
	if err != nil {
		return false, err
	}
	defer k.Close()
	var calls []sim.ToolCall
	if req.Event == sim.ToolCalls {
		calls = toolCallsIn(req.Body, nil)
	}
	how := "signed with a fresh timestamp"
	switch {
	case req.Plain || r.secret == "":
		how = "unsigned, as before"
	case req.Probe != sim.ProbeNone:
		how = "as the " + string(req.Probe) + " signature probe, timed now"
	}
	fmt.Fprintf(w, "\nreplay %s: %s (%d bytes, dialect %s, %s) to %s\n", termsafe.Line(c.ID), req.Event, len(req.Body), k.Dialect.Name(), how, termsafe.Line(req.URL))
	x := k.Engine.Deliver(ctx, req, calls)
	timeline.Exchange(w, x.At, x, timeline.Options{Color: r.color})
	printReply(w, x.Response.Body, replayReplyLimits)
	return judge(w, c, x), nil
}

// judge says whether the replayed check passes now.
func judge(w io.Writer, c scenarios.CheckResult, x *sim.Exchange) bool {
	var fail *sim.Finding
	seen := false
	for i, f := range x.Findings {
		if f.Check != c.ID {
			continue
		}
		seen = true
		if f.Verdict == sim.Fail && fail == nil {
			fail = &x.Findings[i]
		}
	}
	switch {
	case fail != nil:
		fmt.Fprintf(w, "  ✗ %s still fails: %s\n", c.ID, termsafe.Line(fail.Detail))
		return false
	case seen:
		fmt.Fprintf(w, "  ✓ %s passes now\n", c.ID)
		return true
	}
	var others []string
	for _, f := range x.Findings {
		if f.Verdict == sim.Fail {
			others = append(others, f.Check+": "+f.Detail)
		}
	}
	fmt.Fprintf(w, "  ? %s is not judged on a single delivery (it needs its scenario: run conform again)\n", c.ID)
	if len(others) > 0 {
		fmt.Fprintf(w, "    failed on this delivery: %s\n", termsafe.Line(strings.Join(others, "; ")))
	}
	return false
}
