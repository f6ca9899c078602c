package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/flireo-sim/flireo-sim/scenarios"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

const conformUsage = `
Usage: flireo-sim conform --target URL [--dialect D | --dialects D1,D2 | --dialects all] [--secret S]
                          [--features DIR] [--tags EXPR]
                          [--format pretty,progress,junit:FILE,cucumber:FILE] [--report FILE.json]
                          [--seed N] [--baseline FILE] [--probe-api] [--concurrency N]

Runs the built-in conformance suite (or your own *.feature files with --features,
using the steps 'flireo-sim steps' lists) against the server. Each scenario prints one
line as it ends (✓ passed, ✗ failed with its first cause, - skipped with the reason;
--format pretty shows godog's full output instead); then the score: checks passed per
severity, every failed check once with its causes and how many exchanges each failed,
hints on a likely common cause (a wrong or missing secret), the curl command that
replays the failing request, the conformance index (the share of the check catalogue
the run exercised) and the verdict. 'flireo-sim replay REPORT.json' re-sends the failing
requests of a --report, signed afresh. junit:FILE writes JUnit XML whose failures carry
the check ID, its detail and the reproduce command.

Exit codes: 0 no must check failed (known failures in --baseline aside), 1 a must
check failed or the target could not be reached, 2 usage or configuration error,
130 interrupted (Ctrl-C or SIGTERM: the reports are written, marked interrupted).

Every scenario runs in the server's dialect, --dialect (default flireo), and only in
it: scenarios tagged @dialect:D run only in D, @not-dialect:D never in D, and those
tagged @needs:assistant-request, tool-calls, signature or transcript are skipped, with
the reason, in a dialect without it. --dialects a,b runs the suite once per dialect,
one after the other, with one verdict; files of --format get the dialect in their
name (junit:out.xml becomes out.flireo.xml, out.flireo-camel.xml). The unsigned
flireo-legacy dialect is never sent to a server configured with a secret: with
--secret it is a usage error alone and skipped, with the reason, in --dialects.

Without a secret the signature scenarios are skipped. --probe-api runs the scenarios
tagged @probe-api, which read what the server stored through GET {base}/calls/{call_id}
(the reference integrator serves it). --baseline names known failures: a report
written by --report, or a text file with one check ID per line ("scenario: NAME" for a
scenario's own assertion, # comments).

Examples:
  flireo-sim conform --target http://127.0.0.1:8080/webhook --secret s3cret
  flireo-sim conform --target $URL --format progress,junit:conformance.xml --report conformance.json
  flireo-sim conform --target $URL --tags '@must && ~@probe-api' --baseline known-failures.txt
  flireo-sim conform --target $URL --features ./features --dialect flireo-camel
  flireo-sim conform --target $URL --dialect flireo-legacy
  flireo-sim conform --target $URL --secret s3cret --dialects flireo,flireo-camel`

func runConform(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	fs := newFlags("conform", conformUsage)
	var f simFlags
	f.register(fs, true)
	featuresDir := fs.String("features", "", "directory of *.feature files to run instead of the built-in suite")
	tags := fs.String("tags", "", "run only the scenarios whose tags match, e.g. '@must && ~@probe-api' or '@tools,@signatures'")
	format := fs.String("format", scenarios.FormatCompact, "output formats, comma-separated, each optionally :FILE: "+strings.Join(scenarios.FormatNames(), ", "))
	report := fs.String("report", "", "write the machine-readable result to this .json file")
	baseline := fs.String("baseline", "", "known failures that are reported but do not fail the verdict (a --report file or a list of check IDs)")
	probeAPI := fs.Bool("probe-api", false, "the target serves GET {base}/calls/{call_id}: run the @probe-api scenarios")
	concurrency := fs.Int("concurrency", scenarios.DefaultConcurrency, "scenarios run at the same time (1: one after the other; @serial scenarios always run alone)")
	several := fs.String("dialects", "", "run the suite once per dialect, comma-separated, or all (instead of --dialect)")
	stepLocations := fs.Bool("step-locations", false, "with --format pretty, show where each step is defined in the Go code")
	fs.group(groupTarget, "dialects", "probe-api")
	fs.group("Suite", "features", "tags", "baseline", "concurrency")
	fs.group(groupOutput, "format", "report", "step-locations")
	if err := fs.parse(args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("conform: unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	o, err := f.options(env)
	if err != nil {
		return err
	}
	if err := validTarget(o.Target); err != nil {
		return usageError{err}
	}
	dialects, err := conformDialects(fs, o.Dialect, *several, o.Secret)
	if err != nil {
		return err
	}
	if err := checkConformFlags(*concurrency, *report); err != nil {
		return err
	}
	cfg := conformConfig(o, *probeAPI, dialects)
	if *baseline != "" {
		if cfg.Baseline, err = scenarios.ReadBaseline(*baseline); err != nil {
			return usageError{err}
		}
	}
	lib, err := scenarios.New(cfg)
	if err != nil {
		return usageError{err}
	}
	defer lib.Close()
	color := conformColor(env)
	res, err := lib.Run(ctx, scenarios.RunOptions{Features: *featuresDir, Tags: *tags, Format: *format,
		Output: stdout, Color: color, StepLocations: *stepLocations, Concurrency: *concurrency, Preflight: reachable(o.Target)})
	var ue *kit.UnreachableError
	if errors.As(err, &ue) {
		return conformUnreachable(stdout, ue, o, f.dialect, *report, *format)
	}
	var ie *scenarios.InputError
	if errors.As(err, &ie) {
		return usageError{err}
	}
	if err != nil {
		return err
	}
	scenarios.WriteScore(stdout, res, color)
	if err := writeConformReport(stdout, *report, res); err != nil {
		return err
	}
	return conformVerdict(ctx, res, o.Target)
}

// checkConformFlags checks --concurrency and, before a long run, that the
// --report file can be written.
func checkConformFlags(concurrency int, report string) error {
	if concurrency < 1 || concurrency > 64 {
		return usagef("--concurrency %d: run between 1 and 64 scenarios at once", concurrency)
	}
	if report == "" {
		return nil
	}
	if filepath.Ext(report) != ".json" {
		return usagef("--report %s: conform writes a JSON report; name the file *.json", report)
	}
	if err := writable(report); err != nil {
		return usagef("--report: %v", err)
	}
	return nil
}

// conformColor reports whether the score may use colour: stdout is a
// terminal and NO_COLOR is unset.
func conformColor(env environment) bool {
	return env.stdoutTTY && (env.getenv == nil || env.getenv("NO_COLOR") == "")
}

// writeConformReport writes the JSON report when --report names one.
func writeConformReport(stdout io.Writer, path string, res *scenarios.Result) error {
	if path == "" {
		return nil
	}
	if err := scenarios.WriteReport(path, res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "report written to %s\n", path)
	return nil
}

// conformVerdict is the command's error: an interrupted run, an
// unreachable target or a failed verdict.
func conformVerdict(ctx context.Context, res *scenarios.Result, target string) error {
	switch {
	case ctx.Err() != nil:
		return failedError{"interrupted: " + res.InterruptedReason}
	case res.Unreachable != "":
		return failedError{fmt.Sprintf("the target %s could not be reached: %s", target, res.Unreachable)}
	case res.Verdict != "pass":
		return failedError{"conformance failed: " + res.Reason}
	}
	return nil
}

// writable checks that the report's directory exists, before a long run.
func writable(path string) error {
	dir := filepath.Dir(path)
	st, err := os.Stat(dir)
	if err != nil {
		return fmt.Errorf("cannot write %s: %v", path, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("cannot write %s: %s is not a directory", path, dir)
	}
	return nil
}

// conformConfig is the suite's configuration from the command's simulator
// options (which observe nothing: the suite reports every exchange itself).
func conformConfig(o kit.Options, probeAPI bool, dialects []string) scenarios.Config {
	return scenarios.Config{Target: o.Target, Dialect: o.Dialect, Dialects: dialects, Secret: o.Secret, BareHex: o.BareHex,
		Seed: o.Seed, Clock: o.Clock, TimeoutScale: o.TimeoutScale, AckDeadline: o.AckDeadline, ToolDeadline: o.ToolDeadline, Pace: o.Pace,
		Policy: o.Policy, DefaultAssistant: o.DefaultAssistant, MaxBody: o.MaxBody, MaxConns: o.MaxConns, ProbeAPI: probeAPI}
}
