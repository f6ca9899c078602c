package scenarios

import (
	"context"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Format names flireo-sim writes itself rather than through godog: compact
// (one line per scenario, the default) and junit (from the result, so that
// failures carry the check, its detail and the reproduce command).
const (
	FormatCompact = "compact"
	FormatJUnit   = "junit"
)

// formatPlan splits a --format list between godog's formatters and the ones
// the library writes.
type formatPlan struct {
	godog   string    // godog's formatters, never empty
	output  io.Writer // where godog's formatters without a file write
	out     io.Writer // the run's output
	compact []string  // files of compact output ("": the run's output)
	junit   []string  // files of JUnit XML ("": the run's output)
}

// splitFormats splits a format list checked by checkFormats between
// godog's formatters and the ones the library writes.
func splitFormats(spec string, out io.Writer) *formatPlan {
	p := &formatPlan{output: out, out: out}
	var rest []string
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		name, file, _ := strings.Cut(part, ":")
		switch name {
		case FormatCompact:
			p.compact = append(p.compact, file)
		case FormatJUnit:
			p.junit = append(p.junit, file)
		default:
			rest = append(rest, part)
		}
	}
	if len(rest) == 0 {
		// godog needs a formatter: its compact formatter, silenced (the
		// library writes the lines, with the checks godog cannot see).
		p.godog, p.output = FormatCompact, io.Discard
	} else {
		p.godog = strings.Join(rest, ",")
	}
	return p
}

// lines returns the printer of the compact lines, or nil.
func (p *formatPlan) lines(color bool) *linePrinter {
	if len(p.compact) == 0 {
		return nil
	}
	var ws []io.Writer
	for _, file := range p.compact {
		if file == "" {
			ws = append(ws, p.out)
			continue
		}
		// The file was created by checkFormats; lines are appended as
		// scenarios end.
		ws = append(ws, appendFile(file))
	}
	return &linePrinter{w: io.MultiWriter(ws...), color: color, pending: map[int]*record{}}
}

// linePrinter writes the compact lines in the order of the feature files,
// each as soon as the scenarios before it have ended (scenarios may run
// concurrently).
type linePrinter struct {
	w       io.Writer
	color   bool
	next    int // position of the next line to write
	pending map[int]*record
}

// unknownPos is where the positions of scenarios outside the run's plan
// start (see Library.add).
const unknownPos = 1 << 20

func (p *linePrinter) add(r *record) {
	if r.Pos >= unknownPos || r.Pos < p.next {
		writeLine(p.w, r, p.color)
		return
	}
	p.pending[r.Pos] = r
	for {
		next, ok := p.pending[p.next]
		if !ok {
			return
		}
		writeLine(p.w, next, p.color)
		delete(p.pending, p.next)
		p.next++
	}
}

// flush writes the lines still waiting for a scenario that never ended.
func (p *linePrinter) flush() {
	pos := make([]int, 0, len(p.pending))
	for k := range p.pending {
		pos = append(pos, k)
	}
	sort.Ints(pos)
	for _, k := range pos {
		writeLine(p.w, p.pending[k], p.color)
	}
	p.pending = map[int]*record{}
}

// appendFile writes each line to the end of file (a file per write keeps
// the run free of open handles to close).
type appendFile string

func (a appendFile) Write(b []byte) (int, error) {
	f, err := os.OpenFile(string(a), os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return 0, err
	}
	n, err := f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// finishRun computes the result of a run and writes the reports the
// library writes itself.
func (l *Library) finishRun(ctx context.Context, p *formatPlan) (*Result, error) {
	l.mu.Lock()
	if l.lines != nil {
		l.lines.flush()
		l.lines = nil
	}
	planned := len(l.order)
	l.mu.Unlock()
	res := l.Result()
	if ctx.Err() != nil {
		res.markInterrupted(ctx, planned)
	}
	for _, file := range p.junit {
		if err := writeJUnitTo(file, p.out, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func writeJUnitTo(file string, out io.Writer, res *Result) error {
	if file == "" {
		return WriteJUnit(out, res)
	}
	f, err := os.Create(file)
	if err != nil {
		return fmt.Errorf("cannot write the JUnit report: %v", err)
	}
	if err := WriteJUnit(f, res); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %v", file, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("writing %s: %v", file, err)
	}
	return nil
}
