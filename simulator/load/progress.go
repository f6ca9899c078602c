package load

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"
)

// Progress is a live view of the run.
type Progress struct {
	Elapsed, Total time.Duration
	Phase          string // "running", "finishing" (schedule done, live calls finish), "stopping" (interrupted or aborted)
	Scheduled      int64
	Started        int64
	Live           int64
	Ended          int64
	Failed         int64
	Dropped        int64
	Events         int64
	EventRate      float64 // events per second over the last tick
	Timeouts       int64
	Errors         int64
	P95            []EventP95 // per event type seen so far, lifecycle order
	Breached       []string   // failing thresholds (expressions)

	// Interrupted are the calls cut off when a grace period ended.
	Interrupted int64
	// GraceLeft is what is left of the grace period once the schedule has
	// ended (phase finishing or stopping), 0 before.
	GraceLeft time.Duration
}

// EventP95 is one event type's p95 so far.
type EventP95 struct {
	Event string
	P95   time.Duration
	Count int64
}

// ProgressPrinter shows a run's progress: on a terminal a compact view
// redrawn in place on every update, elsewhere (CI logs) one plain line every
// Every. It is safe for concurrent use.
type ProgressPrinter struct {
	W     io.Writer
	TTY   bool
	Every time.Duration // plain lines at most this often; 0 = 5 s
	Color bool

	mu    sync.Mutex
	lines int // lines of the last terminal view
	last  time.Duration
	shown bool
}

// shortNames abbreviate event types in the progress view (its lines stay
// within 80 columns, so that the in-place redraw never wraps).
var shortNames = map[string]string{
	"assistant-request": "assistant", "tool-calls": "tools", "status-update": "status", "end-of-call-report": "report",
}

// Update shows p.
func (pp *ProgressPrinter) Update(p Progress) {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if pp.TTY {
		pp.redraw(p)
		return
	}
	every := pp.Every
	if every <= 0 {
		every = 5 * time.Second
	}
	if pp.shown && p.Elapsed-pp.last < every*9/10 {
		return
	}
	pp.shown, pp.last = true, p.Elapsed
	fmt.Fprintln(pp.W, plainLine(p))
}

// Done ends the terminal view (the last view stays on screen).
func (pp *ProgressPrinter) Done() {
	pp.mu.Lock()
	defer pp.mu.Unlock()
	if pp.TTY && pp.lines > 0 {
		fmt.Fprintln(pp.W)
		pp.lines = 0
	}
}

func plainLine(p Progress) string {
	var b strings.Builder
	fmt.Fprintf(&b, "[%6s/%s] %s%s · calls %d started, %d live, %d done, %d failed, %d dropped, %d interrupted · events %d (%.0f/s) · timeouts %d · errors %d",
		clock(p.Elapsed), clock(p.Total), p.Phase, p.graceNote(), p.Started, p.Live, p.Ended, p.Failed, p.Dropped, p.Interrupted,
		p.Events, p.EventRate, p.Timeouts, p.Errors)
	if len(p.P95) > 0 {
		b.WriteString(" · p95")
		for _, e := range p.P95 {
			fmt.Fprintf(&b, " %s %s", shortNames[e.Event], fmtDur(e.P95))
		}
	}
	if len(p.Breached) > 0 {
		fmt.Fprintf(&b, " · failing: %s", strings.Join(p.Breached, ", "))
	}
	return b.String()
}

func (pp *ProgressPrinter) redraw(p Progress) {
	red, dim, reset := "", "", ""
	if pp.Color {
		red, dim, reset = "\x1b[31m", "\x1b[2m", "\x1b[0m"
	}
	var lines []string
	frac := 0.0
	if p.Total > 0 {
		frac = min(1, float64(p.Elapsed)/float64(p.Total))
	}
	const width = 24
	filled := int(frac * width)
	bar := strings.Repeat("█", filled) + strings.Repeat("░", width-filled)
	lines = append(lines, fmt.Sprintf("load  %s / %s  %s %3.0f%%  %s%s", clock(p.Elapsed), clock(p.Total), bar, 100*frac, p.Phase, p.graceNote()))
	lines = append(lines, fmt.Sprintf("calls   %d started · %d live · %d done · %s · %s · %s", p.Started, p.Live, p.Ended,
		marked(p.Failed, "failed", red, reset), marked(p.Dropped, "dropped", red, reset), marked(p.Interrupted, "interrupted", red, reset)))
	errs := fmt.Sprintf("timeouts %d · errors %d", p.Timeouts, p.Errors)
	if p.Timeouts+p.Errors > 0 {
		errs = red + errs + reset
	}
	lines = append(lines, fmt.Sprintf("events  %d · %.0f/s · %s", p.Events, p.EventRate, errs))
	if len(p.P95) > 0 {
		parts := make([]string, len(p.P95))
		for i, e := range p.P95 {
			parts[i] = fmt.Sprintf("%s %s", shortNames[e.Event], fmtDur(e.P95))
		}
		lines = append(lines, "p95     "+strings.Join(parts, dim+" · "+reset))
	} else {
		lines = append(lines, "p95     (no replies yet)")
	}
	if len(p.Breached) > 0 {
		lines = append(lines, red+"failing "+strings.Join(p.Breached, ", ")+reset)
	}
	var b strings.Builder
	if pp.lines > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", pp.lines)
	}
	for _, l := range lines {
		b.WriteString("\r\x1b[2K")
		b.WriteString(l)
		b.WriteByte('\n')
	}
	// A view with fewer lines than the last one clears what is left below.
	for i := len(lines); i < pp.lines; i++ {
		b.WriteString("\r\x1b[2K\n")
	}
	if extra := pp.lines - len(lines); extra > 0 {
		fmt.Fprintf(&b, "\x1b[%dA", extra)
	}
	pp.lines = len(lines)
	io.WriteString(pp.W, b.String())
}

// graceNote counts the grace period down once the schedule has ended.
func (p Progress) graceNote() string {
	if p.Phase == "running" || p.Phase == "" {
		return ""
	}
	return fmt.Sprintf(" · grace %s left", clock(p.GraceLeft))
}

// marked is "N what", in red (between red and reset) when N is above 0.
func marked(n int64, what, red, reset string) string {
	s := fmt.Sprintf("%d %s", n, what)
	if n > 0 {
		return red + s + reset
	}
	return s
}

// clock renders an elapsed time as m:ss (or h:mm:ss).
func clock(d time.Duration) string {
	d = d.Round(time.Second)
	h, m, s := int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60
	if h > 0 {
		return fmt.Sprintf("%d:%02d:%02d", h, m, s)
	}
	return fmt.Sprintf("%d:%02d", m, s)
}
