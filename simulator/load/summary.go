package load

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"
)

// Summary writes the end-of-run summary for people.
func (r *Report) Summary(w io.Writer) {
	r.summaryRun(w)
	r.summaryEvents(w)
	r.summaryFailures(w)
	r.summaryThresholds(w)
}

// summaryRun writes what was run and how the calls and events went.
func (r *Report) summaryRun(w io.Writer) {
	ru := r.Run
	fmt.Fprintf(w, "load %s · %s · dialect %s · pace %s · %s%s\n", ru.state(), ru.Target, ru.Dialect, ru.Pace, ru.Schedule, ru.shardNote())
	if ru.Replay != "" {
		fmt.Fprintf(w, "  run     seed %d · clock %s · replay with %s\n", ru.Seed, ru.Clock, ru.Replay)
	}
	c := r.Calls
	fmt.Fprintf(w, "  calls   %d scheduled · %d started · %d completed · %d rejected · %d failed · %d dropped · %d interrupted · peak %d live\n",
		c.Scheduled, c.Started, c.Completed, c.Rejected, c.Failed, c.Dropped, c.Interrupted, c.MaxLive)
	fmt.Fprintf(w, "  events  %d in %s (%.1f/s) · %.2f%% 2xx · %d timeouts · %d errors\n",
		r.All.Count, fmtSeconds(ru.ElapsedS), r.eventRate(), 100*r.All.OKShare, r.All.Timeouts, r.All.Errors)
	if lag := r.StartLag; lag.Count > 0 && lag.Quantile(.99) > 10*time.Millisecond {
		fmt.Fprintf(w, "  note    calls started late: p99 %s, max %s behind schedule (the simulator was short of CPU)\n",
			fmtDur(lag.Quantile(.99)), fmtDur(lag.Quantile(1)))
	}
	r.summaryNotes(w)
}

// summaryNotes writes what makes the figures less than they seem: calls
// cut off at the end of the grace period, shards missing from a merge, no
// call completed.
func (r *Report) summaryNotes(w io.Writer) {
	ru, c := r.Run, r.Calls
	if c.Interrupted > 0 && !ru.Interrupted && ru.Aborted == "" {
		fmt.Fprintf(w, "  note    %d of %d calls were still live when the grace period%s ended: they count as interrupted (a longer grace lets them finish)\n",
			c.Interrupted, c.Started, ru.graceNote())
	}
	if len(ru.MissingShards) > 0 {
		fmt.Fprintf(w, "  warning %s: the merged figures leave out their calls\n", ru.missingNote())
	}
	if why := r.NoneCompletedWhy(); why != "" {
		fmt.Fprintf(w, "  FAIL    %s\n", why)
	}
}

// graceNote is " (1m0s)", the grace period when the report knows it.
func (ru RunInfo) graceNote() string {
	if ru.GraceS <= 0 {
		return ""
	}
	return " (" + (time.Duration(ru.GraceS * float64(time.Second))).String() + ")"
}

// NoneCompletedWhy says why a run that completed no call fails ("" when a
// call completed).
func (r *Report) NoneCompletedWhy() string {
	if !r.noneCompleted() {
		return ""
	}
	c := r.Calls
	if c.Started == 0 {
		return fmt.Sprintf("no call completed: none started (%d scheduled, %d dropped)", c.Scheduled, c.Dropped)
	}
	return fmt.Sprintf("no call completed: of %d started, %d rejected, %d failed, %d interrupted", c.Started, c.Rejected, c.Failed, c.Interrupted)
}

// state says how the run ended.
func (ru RunInfo) state() string {
	switch {
	case ru.Interrupted:
		return "INTERRUPTED (partial results)"
	case ru.Aborted != "":
		return "ABORTED: " + ru.Aborted
	}
	return "finished"
}

// shardNote names the shard of a sharded run or the number of reports
// merged ("" for neither).
func (ru RunInfo) shardNote() string {
	if len(ru.Shards) == 1 && ru.Shards[0] != "whole" {
		return " · shard " + ru.Shards[0]
	} else if len(ru.Shards) > 1 {
		return fmt.Sprintf(" · %d reports merged", len(ru.Shards))
	}
	return ""
}

// eventRate is the events sent per second of the run.
func (r *Report) eventRate() float64 {
	if r.Run.ElapsedS > 0 {
		return float64(r.All.Count) / r.Run.ElapsedS
	}
	return 0
}

// summaryEvents writes the table of event types.
func (r *Report) summaryEvents(w io.Writer) {
	fmt.Fprintf(w, "\n  %-19s %8s %8s %9s %7s %9s %9s %9s %9s %9s\n", "event", "count", "2xx", "timeouts", "errors", "p50", "p90", "p95", "p99", "max")
	for _, e := range append(append([]*EventStats{}, r.Events...), r.All) {
		fmt.Fprintf(w, "  %-19s %8d %7.2f%% %9d %7d %9s %9s %9s %9s %9s\n", e.Event, e.Count, 100*e.OKShare, e.Timeouts, e.Errors,
			fmtMS(e.Latency.P50), fmtMS(e.Latency.P90), fmtMS(e.Latency.P95), fmtMS(e.Latency.P99), fmtMS(e.Latency.Max))
	}
}

// summaryFailures writes the errors by class and the failed checks.
func (r *Report) summaryFailures(w io.Writer) {
	if len(r.All.ErrorsByClass) > 0 {
		fmt.Fprintf(w, "\n  errors by class: %s\n", strings.Join(countList(r.All.ErrorsByClass, " "), " · "))
	}
	if len(r.Checks) > 0 {
		var parts []string
		for _, ch := range r.Checks {
			parts = append(parts, fmt.Sprintf("%s (%s) %d", ch.Check, ch.Severity, ch.Failed))
		}
		fmt.Fprintf(w, "  failed checks: %s\n", strings.Join(parts, " · "))
	}
}

// countList is "key<sep>count" of every key, in key order.
func countList(m map[string]int64, sep string) []string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s%s%d", k, sep, m[k]))
	}
	return parts
}

// summaryThresholds writes each threshold's result.
func (r *Report) summaryThresholds(w io.Writer) {
	if len(r.Thresholds) == 0 {
		return
	}
	fmt.Fprintln(w, "\n  thresholds")
	for _, t := range r.Thresholds {
		mark := "ok  "
		if !t.OK {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "    %s %-28s %s\n", mark, t.Expr, t.Detail)
	}
}

// fmtMS renders milliseconds for tables: 0.84ms, 12.3ms, 1.24s.
func fmtMS(v float64) string { return fmtDur(time.Duration(v * float64(time.Millisecond))) }

// fmtDur renders a latency with three significant digits.
func fmtDur(d time.Duration) string {
	switch {
	case d <= 0:
		return "0"
	case d < time.Millisecond:
		return fmt.Sprintf("%.0fµs", float64(d)/1e3)
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.2fms", float64(d)/1e6)
	case d < 100*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/1e6)
	case d < time.Second:
		return fmt.Sprintf("%.0fms", float64(d)/1e6)
	case d < 10*time.Second:
		return fmt.Sprintf("%.2fs", d.Seconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

func fmtSeconds(s float64) string {
	return (time.Duration(s*10) * time.Second / 10).String()
}
