package main

import (
	"context"
	"errors"
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
	fs.group("Pass/fail", "threshold")
	fs.group(groupOutput, "report", "quiet")
	files, err := mergeFiles(fs, args, stdout)
	if err != nil {
		return err
	}
	if err := checkMergeReports(reports); err != nil {
		return err
	}
	var ts []load.Threshold
	if len(thresholds) > 0 {
		if ts, err = parseThresholds(thresholds); err != nil {
			return err
		}
		ts = load.WithMustGate(ts)
	}
	in, err := readReports(files)
	if err != nil {
		return err
	}
	merged, err := load.Merge(in, ts)
	if err != nil {
		return usageError{err}
	}
	merged.Version = version
	warnMissingShards(stderr, merged.Run.MissingShards)
	if err := writeReports(merged, reports, stdout); err != nil {
		return err
	}
	if !*quiet {
		merged.Summary(summaryWriter(reports, stdout, stderr))
	}
	return loadVerdict(merged)
}

// warnMissingShards warns on stderr about the shards of a sharded run
// that were not merged.
func warnMissingShards(stderr io.Writer, missing []string) {
	if len(missing) == 0 {
		return
	}
	fmt.Fprintf(stderr, "flireo-sim: warning: report merge: no report of shard %s: the merged figures leave out its calls (merge the reports of every shard)\n",
		strings.Join(missing, ", "))
}

// mergeFiles parses the flags of report merge and returns the files to
// merge: files and flags may come in any order.
func mergeFiles(fs *flagSet, args []string, stdout io.Writer) ([]string, error) {
	var files []string
	for {
		if err := fs.parse(args, stdout); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	if len(files) == 0 {
		return nil, usagef("report merge: name the JSON reports to merge, e.g. report merge shard-0.json shard-1.json --report total.html")
	}
	return files, nil
}

// checkMergeReports checks the --report destinations of report merge.
func checkMergeReports(reports []string) error {
	for _, p := range reports {
		if p != "-" && !isReportPath(p) {
			return usagef("--report %q: name a .json or .html file, or - for JSON on stdout", p)
		}
	}
	return nil
}

// parseThresholds reads --threshold expressions (a non-nil slice).
func parseThresholds(exprs []string) ([]load.Threshold, error) {
	ts := []load.Threshold{}
	for _, x := range exprs {
		t, err := load.ParseThreshold(x)
		if err != nil {
			return nil, usageError{err}
		}
		ts = append(ts, t)
	}
	return ts, nil
}

// readReports reads the JSON load reports to merge.
func readReports(files []string) ([]*load.Report, error) {
	var in []*load.Report
	for _, p := range files {
		r, err := readMergeInput(p)
		if err != nil {
			return nil, err
		}
		in = append(in, r)
	}
	return in, nil
}

// readMergeInput reads one JSON load report to merge.
func readMergeInput(path string) (*load.Report, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, usagef("report merge: %v", err)
	}
	defer f.Close()
	r, err := load.ReadJSON(f)
	var se *load.SchemaError
	if errors.As(err, &se) {
		return nil, usagef("report merge: %s: schema %q is not %q: write the report with flireo-sim load --report FILE.json", path, se.Schema, load.Schema)
	}
	if err != nil {
		return nil, usagef("report merge: %s: %v", path, err)
	}
	return r, nil
}

// summaryWriter is where the summary goes: stdout, unless a report goes
// there.
func summaryWriter(reports []string, stdout, stderr io.Writer) io.Writer {
	for _, p := range reports {
		if p == "-" {
			return stderr
		}
	}
	return stdout
}
