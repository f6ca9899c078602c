package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator/load"
)

const reportUsage = `
Usage: flireo-sim report merge A.json B.json … [--report total.html] [--report total.json] [--threshold EXPR]…

Merges the JSON reports of the shards of a load run (flireo-sim load --shard i/n
--report shard-i.json) exactly: counts add up and the latency histograms merge bucket by
bucket, so the merged percentiles are those of one run over all calls. The thresholds are
evaluated again on the merged figures: those given with --threshold, or else every
threshold the shards were run with. Prints the merged summary; exit code 1 when a
threshold fails.`

func runReport(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	if len(args) == 0 {
		return usagef("report: name the action: report merge A.json B.json … --report total.html")
	}
	switch args[0] {
	case "merge":
		return runReportMerge(args[1:], stdout, stderr)
	case "-h", "--help", "-help", "help":
		fmt.Fprintln(stdout, strings.TrimSpace(reportUsage))
		return errHelp
	}
	return usagef("report: unknown action %q: use report merge A.json B.json … --report total.html", args[0])
}

func runReportMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("report", reportUsage)
	var reports, thresholds multiFlag
	fs.Var(&reports, "report", "write the merged report: FILE.json, FILE.html, or - for JSON on stdout (repeatable)")
	fs.Var(&thresholds, "threshold", "threshold to evaluate on the merged figures (repeatable; default: the shards' own)")
	quiet := fs.Bool("quiet", false, "print no summary")
	// Files and flags may come in any order.
	var files []string
	for {
		if err := fs.parse(args, stdout); err != nil {
			return err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) == 0 {
		return usagef("report merge: name the JSON reports to merge, e.g. report merge shard-0.json shard-1.json --report total.html")
	}
	for _, p := range reports {
		if p != "-" && !isReportPath(p) {
			return usagef("--report %q: name a .json or .html file, or - for JSON on stdout", p)
		}
	}
	var ts []load.Threshold
	if len(thresholds) > 0 {
		ts = []load.Threshold{}
		for _, x := range thresholds {
			t, err := load.ParseThreshold(x)
			if err != nil {
				return usageError{err}
			}
			ts = append(ts, t)
		}
		ts = load.WithMustGate(ts)
	}
	var in []*load.Report
	for _, p := range files {
		f, err := os.Open(p)
		if err != nil {
			return usagef("report merge: %v", err)
		}
		r, err := load.ReadJSON(f)
		f.Close()
		if err != nil {
			return usagef("report merge: %s: %v", p, err)
		}
		in = append(in, r)
	}
	merged, err := load.Merge(in, ts)
	if err != nil {
		return usageError{err}
	}
	merged.Version = version
	if err := writeReports(merged, reports, stdout); err != nil {
		return err
	}
	if !*quiet {
		out := stdout
		for _, p := range reports {
			if p == "-" {
				out = stderr
			}
		}
		merged.Summary(out)
	}
	return loadVerdict(merged)
}
