package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/flireo-sim/flireo-sim/scenarios"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
	"github.com/flireo-sim/flireo-sim/simulator/timeline"
)

const demoUsage = `
Usage: flireo-sim demo [--seed N] [--clock T] [--transcript] [--calls=false] [--suite=false] [--load=false]

Starts the built-in reference integrator on a loopback port and plays a handful of
varied calls against it (several intents, every dialect, signed webhooks and signature
probes), printing each call's timeline and a summary. Then it runs the built-in
conformance suite against the same server (signed, with --probe-api) and prints the
score, as 'flireo-sim conform' does, and finally a short load (3 s of calls at 40 per
second, played instantly) with its summary and thresholds, as 'flireo-sim load' does.
Needs no setup and no network.`

// demoCalls are the calls the demo plays: varied intents in every dialect.
var demoCalls = []struct {
	dialect string
	intent  sim.Intent
	lang    string
}{
	{"flireo", sim.BookAppointment, "nl"},
	{"flireo", sim.OrderStatus, "en"},
	{"flireo-camel", sim.Complaint, "nl"},
	{"flireo", sim.Callback, "nl"},
	{"flireo-legacy", sim.Reschedule, "nl"},
	{"interactly", sim.OpeningHours, "en"},
	{"flireo", sim.Voicemail, "nl"},
}

func runDemo(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	fs := newFlags("demo", demoUsage)
	var seed seedFlag
	fs.Var(&seed, "seed", "run seed (default: a fresh seed, printed)")
	clockFlag := fs.String("clock", "", clockHelp)
	transcript := fs.Bool("transcript", false, "print each call's conversation")
	playCalls := fs.Bool("calls", true, "play the sample calls")
	runSuite := fs.Bool("suite", true, "run the built-in conformance suite and show the score")
	runLoadToo := fs.Bool("load", true, "run a short load and show its summary")
	fs.group("Parts", "calls", "suite", "load")
	fs.group(groupShape, "seed", "clock")
	fs.group(groupOutput, "transcript")
	if err := fs.parse(args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("demo: unexpected argument %q", fs.Arg(0))
	}
	runSeed, clock, err := seedAndClock(seed, *clockFlag)
	if err != nil {
		return err
	}
	run := demoRun{seed: runSeed, clock: clock}
	const secret = "demo-secret-not-for-production"
	srv, err := integrator.New(integrator.Options{Secret: secret})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("cannot open a loopback port for the reference integrator: %v", err)
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan error, 1)
	go func() { served <- serve(sctx, ln, srv) }()
	defer func() { stop(); <-served }()
	target := "http://" + ln.Addr().String() + "/webhook"
	color := env.stdoutTTY && env.getenv("NO_COLOR") == ""
	fmt.Fprintf(stdout, "reference integrator on %s (signature verification on)\n", target)
	fmt.Fprintf(stdout, "%s (replay: flireo-sim demo %s)\n\n", seedLine(runSeed, clock), kit.ReplayFlags(runSeed, orNow(clock)))

	var rows []demoRow
	if *playCalls {
		if rows, err = demoPlay(ctx, stdout, target, secret, run, *transcript, env); err != nil {
			return err
		}
	}
	if err := demoSummary(ctx, stdout, rows); err != nil {
		return err
	}
	if *runSuite {
		if err := demoSuite(ctx, stdout, target, secret, run, color); err != nil {
			return err
		}
	}
	if *runLoadToo {
		fmt.Fprintf(stdout, "\nshort load against %s: 40 calls/s for 3 s, played instantly\n", target)
		err := runLoad(ctx, append(run.flags(), "--target", target, "--secret", secret,
			"--rate", "40/s", "--duration", "3s", "--pace", "instant", "--progress-every", "1s",
			"--threshold", "assistant-request.p99<4s", "--threshold", "checks.must==0", "--threshold", "dropped==0"),
			stdout, stderr, environment{getenv: func(string) string { return "" }})
		if err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, "\nNext: run 'flireo-sim example-server' and point 'flireo-sim conform --target' (or 'call --target') at your own server.")
	return nil
}

// demoRun is the demo's seed and fixed clock (zero: now).
type demoRun struct {
	seed  int64
	clock time.Time
}

// flags are the --seed and --clock flags of the demo's own commands.
func (r demoRun) flags() []string {
	f := []string{"--seed", fmt.Sprint(r.seed)}
	if c := kit.FormatClock(r.clock); c != "" {
		f = append(f, "--clock", c)
	}
	return f
}

// demoRow is one played demo call.
type demoRow struct {
	res     *sim.CallResult
	dialect string
	took    time.Duration
}

// demoPlay plays the demo calls, printing each call's timeline.
func demoPlay(ctx context.Context, stdout io.Writer, target, secret string, run demoRun, transcript bool, env environment) ([]demoRow, error) {
	var rows []demoRow
	for i, dc := range demoCalls {
		if ctx.Err() != nil {
			break
		}
		k, err := kit.New(kit.Options{Target: target, Dialect: dc.dialect, Secret: secret, Seed: run.seed, Clock: run.clock})
		if err != nil {
			return rows, err
		}
		plan, gen := k.Calls.Call(i+1, fake.Options{Intent: dc.intent, Lang: dc.lang, ErrorRate: 0})
		timeline.Header(stdout, plan, dc.dialect)
		began := time.Now()
		res, err := k.Play(ctx, plan, gen, i == 0, sim.CallOptions{Observe: printExchanges(stdout, plan, env)})
		k.Close()
		if err != nil {
			return rows, err
		}
		if transcript && res.Report != nil {
			timeline.Transcript(stdout, plan.Start, res.Report.Messages)
		}
		timeline.Summary(stdout, res)
		fmt.Fprintln(stdout)
		rows = append(rows, demoRow{res, dc.dialect, time.Since(began)})
	}
	return rows, nil
}

// demoSummary prints a line per demo call; it fails when a call failed a
// must check or the demo was interrupted.
func demoSummary(ctx context.Context, stdout io.Writer, rows []demoRow) error {
	if len(rows) > 0 {
		fmt.Fprintln(stdout, "summary")
		fmt.Fprintf(stdout, "  %-3s %-14s %-17s %-9s %-17s %9s %9s  %s\n", "#", "dialect", "intent", "exchanges", "ended", "must", "should", "wall time")
	}
	failed := 0
	for i, r := range rows {
		c := timeline.Count(r.res.Findings())
		if c.MustFail > 0 {
			failed++
		}
		fmt.Fprintf(stdout, "  %-3d %-14s %-17s %-9d %-17s %4d/%-4d %4d/%-4d  %s\n", i+1, r.dialect, r.res.Plan.Intent,
			len(r.res.Exchanges), r.res.EndReason, c.MustPass, c.MustPass+c.MustFail, c.ShouldPass, c.ShouldPass+c.ShouldFail,
			timeline.Duration(r.took))
	}
	if ctx.Err() != nil {
		return failedError{"interrupted"}
	}
	if failed > 0 {
		return failedError{fmt.Sprintf("%d demo call(s) failed a must check against the reference integrator", failed)}
	}
	if len(rows) > 0 {
		fmt.Fprintf(stdout, "\nall %d calls passed every must check.\n", len(rows))
	}
	return nil
}

// demoSuite runs the built-in conformance suite against the demo's
// reference integrator and prints a line per scenario and the score.
func demoSuite(ctx context.Context, stdout io.Writer, target, secret string, run demoRun, color bool) error {
	fmt.Fprintf(stdout, "\nconformance suite (built-in, signed, --probe-api) against %s\n", target)
	lib, err := scenarios.New(scenarios.Config{Target: target, Secret: secret, Seed: run.seed, Clock: run.clock, ProbeAPI: true})
	if err != nil {
		return err
	}
	defer lib.Close()
	res, err := lib.Run(ctx, scenarios.RunOptions{Format: scenarios.FormatCompact, Output: stdout, Color: color})
	if err != nil {
		return err
	}
	scenarios.WriteScore(stdout, res, color)
	if ctx.Err() != nil {
		return failedError{"interrupted"}
	}
	if res.Verdict != "pass" {
		return failedError{"the reference integrator failed the conformance suite: " + res.Reason}
	}
	return nil
}
