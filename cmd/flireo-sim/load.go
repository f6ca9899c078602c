package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
	"github.com/flireo-sim/flireo-sim/simulator/load"
)

const loadUsage = `
Usage: flireo-sim load --target URL [--rate 20/s] [--duration 2m] [flags]

Open-model load: calls start on schedule whatever the server does (--rate, or --ramp for
a changing rate), and each call plays its full lifecycle (assistant-request, status
updates, tool-calls, end-of-call-report) paced like a real call (--pace realtime).
When --max-in-flight calls are live, a call that is due is counted as dropped: calls are
never delayed, so a slow server cannot hide its slowness (no coordinated omission).

Live progress goes to stderr: a compact view redrawn in place on a terminal, one plain
line every --progress-every otherwise. The summary goes to stdout (to stderr when the JSON
report goes to stdout with --report -).

Thresholds (repeatable, k6 style: [EVENT.]METRIC OP VALUE):
  assistant-request.p99<1s   tool-calls.p95<800ms   p99<2s
  timeouts<0.1%   errors==0   2xx>=99.9%   deadline-misses==0
  checks.must==0   checks.tool-results-once==0   dropped==0   failed<1%
A failed threshold makes the exit code 1 and the verdict fail; --abort-on-fail stops the
run as soon as one fails for good (counts at once, percentiles and percentages after 100
samples). Unless a --threshold is on checks.must, the run is also judged by checks.must==0:
a failed must check (an incomplete reply, a missed deadline, a non-2xx...) fails the run;
tolerate some with e.g. --threshold 'checks.must<0.1%'.

When the schedule ends, live calls get --grace to finish: by default as long as the
run's last calls need at --pace (a shorter --grace is warned about); calls still live
then count as interrupted. A run that completed no call fails (exit 1).

Ctrl-C or SIGTERM stops new calls, gives live calls --stop-grace, writes the reports
marked interrupted and exits with 130.

Sharding: --shard i/n plays the calls k of the schedule with k mod n = i (call numbers,
hence seeds, are those of the unsharded run); --shard auto/n reads i from
JOB_COMPLETION_INDEX (a Kubernetes Indexed Job). Merge with 'flireo-sim report merge'.

Examples:
  flireo-sim load --target http://127.0.0.1:8080/webhook --rate 20/s --duration 2m
  flireo-sim load --target URL --ramp 0→50/s:1m --duration 3m --threshold 'assistant-request.p99<1s' --report out.html
  flireo-sim load --target URL --rate 200/s --duration 30s --pace instant --mix book-appointment=3,opening-hours=1`

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ", ") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	lf, err := parseLoadFlags(args, stdout)
	if err != nil {
		return err
	}
	o, err := lf.sim.options(env)
	if err != nil {
		return err
	}
	if o.Pace, err = kit.ParsePace(*lf.pace); err != nil {
		return usageError{err}
	}
	cfg, err := lf.config(o.Seed, env)
	if err != nil {
		return err
	}
	toStdout, err := checkLoadReports(lf.reports)
	if err != nil {
		return err
	}
	summaryOut := stdout
	if toStdout {
		summaryOut = stderr
	}
	defer tuneGC(env, *lf.maxInFlight)()
	k, err := newKit(o)
	if err != nil {
		return err
	}
	defer k.Close()
	cfg.Info = load.RunInfo{Target: o.Target, Dialect: k.Dialect.Name(), Pace: *lf.pace}
	cfg.Info.Clock, cfg.Info.Replay = kit.RunClock(o.Seed, o.Clock, time.Now())
	cfg.Grace = lf.settleGrace(cfg, o.Pace, planLength(k), stderr)
	cfg.Replay = replayCommand(o, k.Dialect.Name())
	if ue, err := preflight(ctx, o.Target); ue != nil {
		if werr := loadUnreachable(stdout, summaryOut, ue, cfg.Info, lf.reports); werr != nil {
			return werr
		}
		return err
	}
	rep, err := playLoad(ctx, k, cfg, lf.progressPrinter(stderr, env))
	if err != nil {
		return err
	}
	rep.Version = version
	if err := writeReports(rep, lf.reports, stdout); err != nil {
		return err
	}
	if !*lf.quiet {
		printLoadSummary(summaryOut, rep, lf.reports)
	}
	return loadVerdict(rep)
}

// playLoad runs the load, showing its progress on pp (when not nil).
func playLoad(ctx context.Context, k *kit.Kit, cfg load.Config, pp *load.ProgressPrinter) (*load.Report, error) {
	if pp != nil {
		cfg.Progress = pp.Update
	}
	runner := load.NewRunner(cfg)
	rep, err := runner.Run(ctx, loadPlayer(k, runner))
	if pp != nil {
		pp.Done()
	}
	return rep, err
}

// loadPlayer returns the function that plays each call of a load run.
func loadPlayer(k *kit.Kit, runner *load.Runner) load.PlayFunc {
	// Thousands of live calls: exchanges keep no bodies once checked.
	co := sim.CallOptions{Observe: runner.Observe, Lean: true, Bodies: new(sync.Pool)}
	play := func(ctx context.Context, n int, intent sim.Intent) (*sim.CallResult, error) {
		plan, gen := k.Calls.Call(n, fake.Options{Intent: intent, ErrorRate: -1})
		return k.Engine.Play(ctx, plan, gen, co)
	}
	return play
}

// planLength is how long each call of the run lasts on its own timeline,
// from the plan loadPlayer plays.
func planLength(k *kit.Kit) load.CallLength {
	return func(n int, intent sim.Intent) time.Duration {
		plan, _ := k.Calls.Call(n, fake.Options{Intent: intent, ErrorRate: -1})
		return load.PlanLength(plan)
	}
}

// settleGrace is the grace period of the run: --grace when given (with a
// warning on stderr when the run's last calls need longer), or else as long
// as they need at the pace.
func (lf *loadFlags) settleGrace(cfg load.Config, pace float64, length load.CallLength, stderr io.Writer) time.Duration {
	need := load.GraceNeeded(cfg, pace, length)
	auto := load.AutoGrace(need, pace)
	if !wasSet(lf.fs, "grace") {
		return auto
	}
	if *lf.grace < need {
		fmt.Fprintf(stderr, "flireo-sim: warning: --grace %s is shorter than the %s the last calls of this run play after the schedule ends (pace %s): calls still live then count as interrupted; give --grace %s or leave it out\n",
			*lf.grace, need, *lf.pace, auto)
	}
	return *lf.grace
}

// tuneGC sets the garbage collector up for a load run and returns the
// function that restores it. A load run allocates fast on a small live
// heap: the collector runs less often (GOGC 400) under a soft memory limit
// that grows with --max-in-flight (96 MiB + 32 KiB per call), unless GOGC
// or GOMEMLIMIT say otherwise.
func tuneGC(env environment, maxInFlight int) (restore func()) {
	var restores []func()
	if env.getenv == nil || env.getenv("GOGC") == "" {
		old := debug.SetGCPercent(400)
		restores = append(restores, func() { debug.SetGCPercent(old) })
	}
	if env.getenv == nil || env.getenv("GOMEMLIMIT") == "" {
		old := debug.SetMemoryLimit(96<<20 + int64(maxInFlight)*32<<10)
		restores = append(restores, func() { debug.SetMemoryLimit(old) })
	}
	return func() {
		for i := len(restores) - 1; i >= 0; i-- {
			restores[i]()
		}
	}
}

// checkLoadReports checks the --report destinations before the run (a
// file that cannot be written fails now rather than after the run) and
// reports whether one is stdout.
func checkLoadReports(reports []string) (toStdout bool, err error) {
	for _, p := range reports {
		switch {
		case p == "-":
			toStdout = true
		case isReportPath(p):
			f, err := os.Create(p)
			if err != nil {
				return false, usagef("--report: %v (choose another path)", err)
			}
			f.Close()
		default:
			return false, usagef("--report %q: name a .json or .html file, or - for JSON on stdout", p)
		}
	}
	return toStdout, nil
}

// printLoadSummary writes the run's summary and where the reports went.
func printLoadSummary(w io.Writer, rep *load.Report, reports []string) {
	rep.Summary(w)
	for _, p := range reports {
		if p != "-" {
			fmt.Fprintf(w, "\n  report written to %s", p)
		}
	}
	if len(reports) > 0 {
		fmt.Fprintln(w)
	}
}

// loadVerdict is the command's error: the failed thresholds, or a target
// that never answered.
func loadVerdict(rep *load.Report) error {
	var failed []string
	for _, t := range rep.Thresholds {
		if !t.OK {
			failed = append(failed, fmt.Sprintf("%s (%s)", t.Expr, t.Detail))
		}
	}
	if len(failed) > 0 {
		return failedError{fmt.Sprintf("%d threshold(s) failed: %s", len(failed), strings.Join(failed, "; "))}
	}
	if rep.Unanswered() {
		var classes []string
		for k, v := range rep.All.ErrorsByClass {
			classes = append(classes, fmt.Sprintf("%s %d", k, v))
		}
		return failedError{"no event got a usable reply (" + strings.Join(classes, ", ") + "): is the target up?"}
	}
	if why := rep.NoneCompletedWhy(); why != "" {
		return failedError{why}
	}
	return nil // exit 130 when interrupted
}

func isReportPath(p string) bool {
	switch strings.ToLower(filepath.Ext(p)) {
	case ".json", ".html", ".htm":
		return true
	}
	return false
}

// writeReports writes the report to every --report destination.
func writeReports(rep *load.Report, dests []string, stdout io.Writer) error {
	for _, p := range dests {
		if p == "-" {
			if err := rep.WriteJSON(stdout); err != nil {
				return err
			}
			continue
		}
		f, err := os.Create(p)
		if err != nil {
			return fmt.Errorf("cannot write the report: %v (choose another --report path)", err)
		}
		if strings.EqualFold(filepath.Ext(p), ".json") {
			err = rep.WriteJSON(f)
		} else {
			err = rep.WriteHTML(f)
		}
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("writing %s: %v", p, err)
		}
	}
	return nil
}

// replayCommand formats the flireo-sim call command that plays call n of
// the run again (the secret by reference, never its value).
func replayCommand(o kit.Options, dialect string) func(int, sim.Intent) string {
	return func(n int, intent sim.Intent) string {
		var b strings.Builder
		fmt.Fprintf(&b, "flireo-sim call --target %s --dialect %s --seed %d --call %d", o.Target, dialect, o.Seed, n)
		if c := kit.FormatClock(o.Clock); c != "" {
			fmt.Fprintf(&b, " --clock %s", c)
		}
		if intent != "" {
			fmt.Fprintf(&b, " --intent %s", intent)
		}
		if o.Secret != "" {
			b.WriteString(` --secret "$FLIREO_WEBHOOK_SECRET"`)
		}
		return b.String()
	}
}

// wasSet reports whether the flag was given on the command line.
func wasSet(fs *flagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == name {
			set = true
		}
	})
	return set
}

// isTerminalWriter reports whether w is a terminal.
func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}
