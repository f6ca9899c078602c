package scenarios

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/flireo-sim/flireo-sim/internal/termsafe"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v21"
)

func init() {
	godog.Format(FormatCompact, "one line per scenario: ✓ passed, ✗ failed with its first cause, - skipped with the reason", newCompact)
}

// maxLineCause is the longest cause a compact line shows.
const maxLineCause = 240

// writeLine writes a finished scenario as one line: ✓ passed, ✗ failed
// with its first cause (the check ID and the dialect when a check failed),
// - skipped with the reason.
func writeLine(w io.Writer, r *record, color bool) {
	paint := painter(color)
	switch r.Status {
	case StatusPass:
		fmt.Fprintf(w, "%s %s\n", paint("32", "✓"), r.Name)
	case StatusSkip:
		fmt.Fprintf(w, "%s %s (skipped: %s)\n", paint("2", "-"), r.Name, shorten(r.Skip))
	default:
		fmt.Fprintf(w, "%s %s (%s)\n", paint("31", "✗"), r.Name, shorten(firstCause(r)))
	}
}

// firstCause is a failed scenario's first cause: its first failed must
// check, else its first failed check, else its own assertion.
func firstCause(r *record) string {
	var first *finding
	for i := range r.findings {
		f := &r.findings[i]
		if f.Verdict != "fail" {
			continue
		}
		if first == nil || (first.Severity != "must" && f.Severity == "must") {
			first = f
		}
	}
	if first == nil || !r.Attributed && r.Error != "" {
		return r.Error
	}
	where := ""
	if r.Dialect != "" {
		where = ", dialect " + r.Dialect
	}
	return fmt.Sprintf("%s%s: %s", first.Check, where, first.Detail)
}

// shorten puts a cause on one line of at most maxLineCause characters,
// escaped for the terminal (a cause may quote the server).
func shorten(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > maxLineCause {
		s = string(r[:maxLineCause-1]) + "…"
	}
	return termsafe.Line(s)
}

// compact is the godog side of the compact format, for suites that run the
// steps with godog directly: it prints the lines when the run ends, from
// what godog knows (a flireo-sim run prints richer lines as scenarios end).
type compact struct {
	w     io.Writer
	mu    sync.Mutex
	order []string
	byID  map[string]*compactScenario
}

type compactScenario struct {
	name   string
	status Status
	cause  string
}

func newCompact(_ string, w io.Writer) formatters.Formatter {
	return &compact{w: w, byID: map[string]*compactScenario{}}
}

func (c *compact) scenario(p *messages.Pickle) *compactScenario {
	s := c.byID[p.Id]
	if s == nil {
		s = &compactScenario{name: p.Name, status: StatusPass}
		c.byID[p.Id] = s
		c.order = append(c.order, p.Id)
	}
	return s
}

func (c *compact) mark(p *messages.Pickle, status Status, cause string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.scenario(p)
	if s.status == StatusPass && status != StatusPass {
		s.status, s.cause = status, cause
	}
}

func (c *compact) TestRunStarted()                                                            {}
func (c *compact) Feature(*messages.GherkinDocument, string, []byte)                          {}
func (c *compact) Defined(*messages.Pickle, *messages.PickleStep, *formatters.StepDefinition) {}
func (c *compact) Pickle(p *messages.Pickle) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.scenario(p)
}
func (c *compact) Passed(p *messages.Pickle, _ *messages.PickleStep, _ *formatters.StepDefinition) {
	c.mark(p, StatusPass, "")
}
func (c *compact) Failed(p *messages.Pickle, s *messages.PickleStep, _ *formatters.StepDefinition, err error) {
	c.mark(p, StatusFail, s.Text+": "+errText(err))
}
func (c *compact) Skipped(p *messages.Pickle, s *messages.PickleStep, _ *formatters.StepDefinition) {
	c.mark(p, StatusSkip, "at step: "+s.Text)
}
func (c *compact) Undefined(p *messages.Pickle, s *messages.PickleStep, _ *formatters.StepDefinition) {
	c.mark(p, StatusFail, "undefined step: "+s.Text)
}
func (c *compact) Pending(p *messages.Pickle, s *messages.PickleStep, _ *formatters.StepDefinition) {
	c.mark(p, StatusFail, "pending step: "+s.Text)
}
func (c *compact) Ambiguous(p *messages.Pickle, s *messages.PickleStep, _ *formatters.StepDefinition, err error) {
	c.mark(p, StatusFail, s.Text+": "+errText(err))
}

// Summary prints one line per scenario, in the order they started.
func (c *compact) Summary() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, id := range c.order {
		s := c.byID[id]
		r := &record{Name: s.name, Status: s.status, Error: s.cause, Skip: s.cause}
		writeLine(c.w, r, false)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	if errors.Is(err, godog.ErrSkip) {
		return strings.TrimPrefix(strings.TrimPrefix(err.Error(), godog.ErrSkip.Error()), ": ")
	}
	return err.Error()
}
