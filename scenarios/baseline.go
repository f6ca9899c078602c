package scenarios

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator/check"
)

// Baseline lists known failures: they are reported, but they do not fail
// the verdict; any other failure still does.
type Baseline struct {
	Checks    map[string]bool // check IDs
	Scenarios map[string]bool // scenario names (failures no check names)
}

// ReadBaseline reads a baseline file: either a report written by --report
// (its failed checks and failed scenarios become the baseline), or text
// with one check ID per line, "scenario: NAME" for a scenario, and "#"
// comments.
func ReadBaseline(path string) (*Baseline, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--baseline: %v", err)
	}
	base, err := ParseBaseline(b)
	if err != nil {
		return nil, fmt.Errorf("--baseline %s: %v", path, err)
	}
	return base, nil
}

// ParseBaseline reads a baseline (see ReadBaseline).
func ParseBaseline(data []byte) (*Baseline, error) {
	base := &Baseline{Checks: map[string]bool{}, Scenarios: map[string]bool{}}
	if t := bytes.TrimSpace(data); len(t) > 0 && t[0] == '{' {
		var rep Result
		if err := json.Unmarshal(t, &rep); err != nil {
			return nil, fmt.Errorf("not a flireo-sim report: %v", err)
		}
		if rep.Verdict == "" && rep.Checks == nil {
			return nil, fmt.Errorf(`not a flireo-sim report (no "verdict" and no "checks"): write one with --report`)
		}
		for _, c := range rep.Checks {
			if c.Status == "fail" {
				if _, ok := check.Find(c.ID); !ok {
					return nil, fmt.Errorf("unknown check %q in the report", c.ID)
				}
				base.Checks[c.ID] = true
			}
		}
		for _, s := range rep.Scenarios {
			if s.Status == "failed" && s.Unnamed {
				base.Scenarios[s.Name] = true
			}
		}
		return base, nil
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if i := strings.Index(line, "#"); i >= 0 {
			line = strings.TrimSpace(line[:i])
		}
		if line == "" {
			continue
		}
		if name, ok := strings.CutPrefix(line, "scenario:"); ok {
			base.Scenarios[strings.TrimSpace(name)] = true
			continue
		}
		if _, ok := check.Find(line); !ok {
			return nil, fmt.Errorf("line %d: unknown check %q (known checks: %s; a scenario is written \"scenario: NAME\")",
				n, line, strings.Join(check.IDs(), ", "))
		}
		base.Checks[line] = true
	}
	return base, sc.Err()
}
