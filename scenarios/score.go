package scenarios

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/flireo-sim/flireo-sim/internal/termsafe"
	"github.com/flireo-sim/flireo-sim/simulator/diagnose"
)

// maxShownReproduce is the longest reproduce command the score prints; longer
// ones (large bodies) are only in the report file.
const maxShownReproduce = 1500

// WriteScore writes the score block of a result for people: checks passed
// per severity, the conformance index, every failed or skipped check with
// its detail, the baseline's effect and the verdict.
func WriteScore(w io.Writer, r *Result, color bool) {
	paint := painter(color)
	writeScoreHead(w, r, paint)
	var baselined []string
	for _, c := range r.Checks {
		switch {
		case c.Status == StatusFail && c.Baselined:
			baselined = append(baselined, c.ID)
		case c.Status == StatusFail:
			writeFailedCheck(w, c, paint)
		case c.Status == StatusSkip:
			fmt.Fprintf(w, "  %s %-6s %s: %s\n", paint("2", "-"), "skip", c.ID, termsafe.Line(c.Detail))
		}
	}
	for _, s := range r.Scenarios {
		if s.Unnamed {
			note := ""
			if s.Baseline {
				note = " (known failure: baseline)"
			}
			fmt.Fprintf(w, "  %s scenario %q failed: %s%s\n", paint("31", "✗"), s.Name, termsafe.Line(s.Error), note)
		}
	}
	if len(baselined) > 0 {
		fmt.Fprintf(w, "  known failures (baseline, they do not fail the verdict): %s\n", strings.Join(baselined, ", "))
	}
	if len(r.Fixed) > 0 {
		fmt.Fprintf(w, "  passing now, remove from the baseline: %s\n", strings.Join(r.Fixed, ", "))
	}
	verdict := paint("32", "PASS")
	if r.Verdict != StatusPass {
		verdict = paint("31", "FAIL")
	}
	fmt.Fprintf(w, "verdict %s · %s\n", verdict, termsafe.Line(r.Reason))
}

// painter colours text with an ANSI code when color is on.
func painter(color bool) func(code, s string) string {
	return func(code, s string) string {
		if !color {
			return s
		}
		return "\x1b[" + code + "m" + s + "\x1b[0m"
	}
}

// scenarioCounts counts the scenarios that passed, failed and were skipped.
func scenarioCounts(ss []ScenarioResult) (passed, failed, skipped int) {
	for _, s := range ss {
		switch s.Status {
		case StatusPass:
			passed++
		case StatusFail:
			failed++
		default:
			skipped++
		}
	}
	return passed, failed, skipped
}

// writeScoreHead writes the score's first lines: the run, the tallies,
// the dialects, and what stood in the way of the run.
func writeScoreHead(w io.Writer, r *Result, paint func(code, s string) string) {
	passed, failed, skipped := scenarioCounts(r.Scenarios)
	fmt.Fprintf(w, "\nscore · target %s · dialect %s · seed %d · clock %s · %d scenarios (%d passed, %d failed, %d skipped)\n",
		r.Target, r.Dialect, r.Seed, r.Clock, len(r.Scenarios), passed, failed, skipped)
	fmt.Fprintf(w, "  must    %3d/%-3d checks passed\n", r.Score.Must.Passed, r.Score.Must.Total)
	fmt.Fprintf(w, "  should  %3d/%-3d checks passed\n", r.Score.Should.Passed, r.Score.Should.Total)
	fmt.Fprintf(w, "  index   %3d/%-3d checks exercised (%.0f%%)\n", r.Exercised, r.Catalogue, 100*r.Index)
	if r.Replay != "" {
		fmt.Fprintf(w, "  replay  %s\n", r.Replay)
	}
	writeDialects(w, r, paint)
	if r.Unreachable != "" {
		fmt.Fprintf(w, "  %s the target could not be reached: %s\n", paint("31", "✗"), termsafe.Line(r.Unreachable))
	}
	if r.Interrupted {
		fmt.Fprintf(w, "  %s interrupted: %s; the score covers the scenarios that ran\n", paint("31", "✗"), termsafe.Line(r.InterruptedReason))
	}
	for _, h := range r.Hints {
		fmt.Fprintf(w, "  %s hint: %s\n", paint("33", "?"), termsafe.Line(h))
	}
}

// writeFailedCheck writes a failed check: its causes, where it first
// failed and the command that reproduces it.
func writeFailedCheck(w io.Writer, c CheckResult, paint func(code, s string) string) {
	mark := paint("31", "✗")
	if c.Severity == "should" {
		mark = paint("33", "!")
	}
	writeCauses(w, mark, c)
	where := ""
	if c.Request != nil && c.Request.Dialect != "" {
		where = " · dialect " + c.Request.Dialect
	}
	fmt.Fprintf(w, "             first failed in: %s%s (%d of %d evaluations failed)\n", c.Scenario, where, c.Failures, c.Evaluations)
	switch {
	case c.Reproduce == "":
	case len(c.Reproduce) <= maxShownReproduce:
		fmt.Fprintf(w, "             reproduce:\n")
		for _, line := range strings.Split(c.Reproduce, "\n") {
			fmt.Fprintf(w, "               %s\n", termsafe.Line(line))
		}
	default:
		fmt.Fprintf(w, "             reproduce: the curl command is %d bytes long: see the report (--report FILE.json)\n", len(c.Reproduce))
	}
}

// WriteReport writes the result as indented JSON to path.
func WriteReport(path string, r *Result) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("cannot write the report: %v", err)
	}
	enc := json.NewEncoder(f)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		f.Close()
		return fmt.Errorf("cannot write the report %s: %v", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("cannot write the report %s: %v", path, err)
	}
	return nil
}

// writeCauses writes a failed check's causes, each once with the number of
// exchanges it failed (the first detail when no causes were grouped).
func writeCauses(w io.Writer, mark string, c CheckResult) {
	if len(c.Causes) == 0 {
		fmt.Fprintf(w, "  %s %-6s %s: %s\n", mark, c.Severity, c.ID, termsafe.Line(c.Detail))
		return
	}
	for i, cause := range c.Causes {
		count := ""
		if cause.Exchanges > 1 {
			count = fmt.Sprintf(" (%d exchanges)", cause.Exchanges)
		}
		if i == 0 {
			fmt.Fprintf(w, "  %s %-6s %s: %s%s\n", mark, c.Severity, c.ID, termsafe.Line(cause.Detail), count)
			continue
		}
		fmt.Fprintf(w, "             also: %s%s\n", termsafe.Line(cause.Detail), count)
	}
	if shown := sumCauses(c.Causes); shown < c.Failures {
		fmt.Fprintf(w, "             and %d more failures with other causes (see the report)\n", c.Failures-shown)
	}
}

func sumCauses(cs []diagnose.Cause) int {
	n := 0
	for _, c := range cs {
		n += c.Exchanges
	}
	return n
}
