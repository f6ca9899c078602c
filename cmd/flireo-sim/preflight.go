package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/internal/termsafe"
	"github.com/flireo-sim/flireo-sim/scenarios"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
	"github.com/flireo-sim/flireo-sim/simulator/load"
)

// preflight checks that the target accepts a connection before anything is
// played. It returns nil, or the unreachable error and the command's error
// (exit 1) in words.
func preflight(ctx context.Context, target string) (*kit.UnreachableError, error) {
	err := kit.Reach(ctx, target, 0)
	var ue *kit.UnreachableError
	if !errors.As(err, &ue) {
		return nil, nil
	}
	return ue, unreachableError(ue)
}

func unreachableError(ue *kit.UnreachableError) error {
	return failedError{ue.Error() + " Nothing was sent: start the server, or fix the host, port or scheme in --target."}
}

// reachable is conform's pre-flight, run once its input has been checked.
func reachable(target string) func(context.Context) error {
	return func(ctx context.Context) error { return kit.Reach(ctx, target, 0) }
}

// conformUnreachable writes the reports conform was asked for when the
// pre-flight check failed: the JSON report and the junit and cucumber files
// of --format, each saying that the target could not be reached. It returns
// the command's error.
func conformUnreachable(stdout io.Writer, ue *kit.UnreachableError, o kit.Options, dialect, report, format string) error {
	res := &scenarios.Result{Verdict: "fail", Reason: ue.Error(), Seed: o.Seed, Dialect: dialect, Target: o.Target,
		Unreachable: ue.Failure.Detail, Checks: []scenarios.CheckResult{}, Scenarios: []scenarios.ScenarioResult{}}
	res.Clock, res.Replay = kit.RunClock(o.Seed, o.Clock, time.Now())
	fmt.Fprintf(stdout, "pre-flight: %s\nno scenario was played; verdict FAIL\n", termsafe.Line(ue.Error()))
	if report != "" {
		if err := scenarios.WriteReport(report, res); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "report written to %s\n", report)
	}
	for _, part := range strings.Split(format, ",") {
		name, file, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || file == "" {
			continue
		}
		var b []byte
		switch name {
		case "junit":
			var buf bytes.Buffer
			if err := scenarios.WriteJUnit(&buf, res); err != nil {
				return err
			}
			b = buf.Bytes()
		case "cucumber":
			b = []byte("[]\n")
		default:
			b = []byte("pre-flight: " + ue.Error() + "\n")
		}
		if err := os.WriteFile(file, b, 0o644); err != nil {
			return fmt.Errorf("--format %s: cannot write %s: %v", format, file, err)
		}
	}
	return unreachableError(ue)
}

// loadUnreachable writes load's --report destinations for a run the
// pre-flight check stopped.
func loadUnreachable(stdout, summary io.Writer, ue *kit.UnreachableError, info load.RunInfo, reports []string) error {
	rep := load.UnreachableReport(info, ue.Failure.Detail, time.Now())
	rep.Version = version
	if err := writeReports(rep, reports, stdout); err != nil {
		return err
	}
	for _, p := range reports {
		if p != "-" {
			fmt.Fprintf(summary, "report written to %s\n", p)
		}
	}
	return nil
}

// callUnreachable is call --json's document when nothing was played.
func callUnreachable(stdout io.Writer, ue *kit.UnreachableError, dialect string) error {
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(map[string]any{"target": ue.Target, "dialect": dialect, "verdict": "fail",
		"unreachable": ue.Failure.Detail, "failure": ue.Failure.Kind, "exchanges": []any{}})
}
