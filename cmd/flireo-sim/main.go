// Command flireo-sim plays the Flireo voice-AI platform against an
// integrator's webhook server: realistic calls, exact payloads, deadlines and
// conformance verdicts.
package main

import (
	"context"
	"errors"
	"fmt"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
)

// Exit codes (a contract: scripts and CI depend on them).
const (
	exitPass   = 0
	exitFail   = 1 // a must check or a threshold failed, or the target could not be reached
	exitUsage  = 2 // usage or configuration error
	exitSignal = 130
)

func main() {
	version = resolveVersion(version, debug.ReadBuildInfo)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	env := environment{getenv: os.Getenv, stdoutTTY: isTerminal(os.Stdout)}
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, env)
	interrupted := ctx.Err() != nil
	stop()
	os.Exit(exitCode(os.Stderr, err, interrupted))
}

// environment is what run may know about the process around it.
type environment struct {
	getenv    func(string) string
	stdoutTTY bool
}

func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// usageError is a mistake in the command line or configuration (exit 2).
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

func usagef(format string, a ...any) error { return usageError{fmt.Errorf(format, a...)} }

// failedError means the server under test failed (exit 1); the details were
// already printed.
type failedError struct{ msg string }

func (e failedError) Error() string { return e.msg }

// errHelp means --help was asked for and printed.
var errHelp = errors.New("help printed")

// errStopped means a server stopped on a signal, as asked (exit 0).
var errStopped = errors.New("stopped")

func exitCode(stderr io.Writer, err error, interrupted bool) int {
	var ue usageError
	var fe failedError
	var oe *sim.OptionError
	err = terminalSafe(flagged(err))
	switch {
	case err == nil && interrupted:
		return exitSignal
	case err == nil, errors.Is(err, errHelp), errors.Is(err, errStopped):
		return exitPass
	case errors.As(err, &ue), errors.As(err, &oe):
		fmt.Fprintf(stderr, "flireo-sim: %v\n", err)
		return exitUsage
	case errors.As(err, &fe):
		fmt.Fprintf(stderr, "flireo-sim: %v\n", err)
		if interrupted {
			return exitSignal
		}
		return exitFail
	default:
		fmt.Fprintf(stderr, "flireo-sim: %v\n", err)
		if interrupted {
			return exitSignal
		}
		return exitFail
	}
}

// command is one subcommand.
type command struct {
	name    string
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error
}

func commands() []command {
	return []command{
		{"demo", "play varied calls against the built-in reference integrator (no setup)", runDemo},
		{"call", "play one full call lifecycle against a server and print its timeline", runCall},
		{"send", "send one event (assistant-request, tool-calls, status-update, end-of-call-report)", runSend},
		{"example-server", "run the reference integrator (a correct webhook server, with misbehaviour modes)", runExampleServer},
		{"load", "open-model call load with live progress, thresholds and JSON/HTML reports", runLoad},
		{"sink", "a minimal, fast receiver that answers every event validly (measures the simulator)", runSink},
		{"report", "report merge A.json B.json … --report total.html: merge sharded load reports", runReport},
		{"serve", "mock platform REST API: outbound calls, call lookup, live call control, dashboard", runServe},
		{"conform", "run the conformance suite (built-in or --features DIR) against a server: score, verdict, CI reports", runConform},
		{"replay", "replay REPORT.json [--check ID]: re-send a conform report's failing requests, signed afresh", runReplay},
		{"steps", "list the Gherkin step phrases for your own feature files", runSteps},
		{"completion", "completion bash|zsh|fish: print a shell completion script", runCompletion},
		{"version", "print the version", runVersion},
	}
}

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func run(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	if len(args) == 0 {
		topUsage(stderr)
		return usagef("no command given: try 'flireo-sim demo' or 'flireo-sim help'")
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return run(ctx, []string{args[1], "--help"}, stdout, stderr, env)
		}
		topUsage(stdout)
		return nil
	case "-version", "--version":
		name = "version"
	}
	for _, c := range commands() {
		if c.name == name {
			return c.run(ctx, args[1:], stdout, stderr, env)
		}
	}
	return usagef("unknown command %q%s: run 'flireo-sim help' for the list of commands", name, commandHint(name))
}

func topUsage(w io.Writer) {
	fmt.Fprintln(w, `flireo-sim plays the Flireo voice-AI platform against your webhook server.

Usage:
  flireo-sim <command> [flags]

Commands:`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-15s %s\n", c.name, c.summary)
	}
	fmt.Fprintln(w, `
Run 'flireo-sim <command> --help' for a command's flags.
Exit codes: 0 pass, 1 a must check failed or the target failed, 2 usage or configuration error, 130 interrupted.`)
}

func runVersion(_ context.Context, args []string, stdout, _ io.Writer, _ environment) error {
	if len(args) > 0 && args[0] != "--help" && args[0] != "-h" {
		return usagef("version takes no arguments")
	}
	fmt.Fprintf(stdout, "flireo-sim %s\n", version)
	return nil
}
