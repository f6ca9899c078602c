package scenarios

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/flireo-sim/flireo-sim/internal/suggest"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
)

// Baseline lists known failures: they are reported, but they do not fail
// the verdict; any other failure still does.
type Baseline struct {
	Checks    map[string]bool // check IDs
	Scenarios map[string]bool // scenario names (failures no check names)
}

// ReadBaseline reads a baseline file: either a conformance report written
// as JSON (its failed checks and failed scenarios become the baseline), or
// text with one check ID per line, "scenario: NAME" for a scenario, and "#"
// comments. Its errors are *sim.OptionError for the option "Baseline".
func ReadBaseline(path string) (*Baseline, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, sim.BadOption("Baseline", path, "%v", unwrapPath(err))
	}
	base, err := ParseBaseline(b)
	if err != nil {
		return nil, sim.BadOption("Baseline", path, "%v", err)
	}
	return base, nil
}

// ParseBaseline reads a baseline (see ReadBaseline).
func ParseBaseline(data []byte) (*Baseline, error) {
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		return reportBaseline(t)
	}
	return textBaseline(data)
}

func newBaseline() *Baseline {
	return &Baseline{Checks: map[string]bool{}, Scenarios: map[string]bool{}}
}

// reportBaseline is the baseline of a report: its failed checks and its
// failed scenarios that no check names. Reports of every version load
// (older ones spell a scenario's status "failed").
func reportBaseline(data []byte) (*Baseline, error) {
	var rep Result
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("not a flireo-sim report: %v", err)
	}
	if rep.Verdict == "" && rep.Checks == nil {
		return nil, fmt.Errorf(`not a flireo-sim report (no "verdict" and no "checks"): give a conformance report written as JSON`)
	}
	base := newBaseline()
	for _, c := range rep.Checks {
		if c.Status != StatusFail {
			continue
		}
		if _, ok := check.Find(c.ID); !ok {
			return nil, fmt.Errorf("unknown check %q%s in the report", c.ID, suggest.Hint(c.ID, check.IDs()))
		}
		base.Checks[c.ID] = true
	}
	for _, s := range rep.Scenarios {
		if s.Status == StatusFail && s.Unnamed {
			base.Scenarios[s.Name] = true
		}
	}
	return base, nil
}

// textBaseline reads a baseline's lines: a check ID, "scenario: NAME", or
// nothing; "#" starts a comment.
func textBaseline(data []byte) (*Baseline, error) {
	base := newBaseline()
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line, _, _ := strings.Cut(sc.Text(), "#")
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if name, ok := strings.CutPrefix(line, "scenario:"); ok {
			base.Scenarios[strings.TrimSpace(name)] = true
			continue
		}
		if _, ok := check.Find(line); !ok {
			return nil, fmt.Errorf("line %d: unknown check %q%s (known checks: %s; a scenario is written \"scenario: NAME\")",
				n, line, suggest.Hint(line, check.IDs()), strings.Join(check.IDs(), ", "))
		}
		base.Checks[line] = true
	}
	return base, sc.Err()
}
