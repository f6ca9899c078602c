package scenarios

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cucumber/godog/formatters"
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

// planFormats validates a format list and makes sure its files can be
// written (godog reports neither problem itself).
func planFormats(spec string, out io.Writer) (*formatPlan, error) {
	p := &formatPlan{output: out, out: out}
	spec = strings.TrimSpace(spec)
	if spec == "" {
		spec = FormatCompact
	}
	var rest []string
	for _, part := range strings.Split(spec, ",") {
		part = strings.TrimSpace(part)
		name, file, hasFile := strings.Cut(part, ":")
		if formatters.FindFmt(name) == nil {
			return nil, inputf("unknown format %q in --format %s: use %s, each optionally with :FILE", name, spec, strings.Join(FormatNames(), ", "))
		}
		if hasFile {
			if file == "" {
				return nil, inputf("--format %s: give a file name after %s:", spec, name)
			}
			f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
			if err != nil {
				return nil, inputf("--format %s: cannot write %s: %v", spec, file, unwrapPath(err))
			}
			_ = f.Close()
		}
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
	return p, nil
}

// lines returns the printer of the compact lines, or nil.
func (p *formatPlan) lines(color bool) func(*record) {
	if len(p.compact) == 0 {
		return nil
	}
	var ws []io.Writer
	for _, file := range p.compact {
		if file == "" {
			ws = append(ws, p.out)
			continue
		}
		// The file was created by planFormats; lines are appended as
		// scenarios end.
		ws = append(ws, appendFile(file))
	}
	w := io.MultiWriter(ws...)
	return func(r *record) { writeLine(w, r, color) }
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
func (l *Library) finishRun(ctx context.Context, p *formatPlan, planned int) (*Result, error) {
	l.mu.Lock()
	l.onRecord = nil
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
