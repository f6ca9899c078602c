package scenarios

import (
	"fmt"
	"path/filepath"
	"strings"

	"github.com/cucumber/godog"

	"github.com/flireo-sim/flireo-sim/simulator/dialect"
)

// dialectRun is one dialect's pass over the suite.
type dialectRun struct {
	dialect string
	tags    string // the user's expression and the dialect's selection
	format  string // the formats, files named per dialect in a run of several
	others  int    // scenarios of the pass that are not @serial (the gate's count)
}

// runPlan is what a run plays: a pass per dialect that may be sent.
type runPlan struct {
	runs       []dialectRun
	order      map[string]int // record key → position
	skipped    []DialectSkip
	deselected []Deselected
}

// DialectSkip is a dialect of a run of several that was not played.
type DialectSkip struct {
	Dialect string `json:"dialect"`
	Reason  string `json:"reason"`
}

// Deselected counts the scenarios a dialect's selection tags left out of
// its pass (@dialect:…, @not-dialect:…).
type Deselected struct {
	Dialect   string `json:"dialect"`
	Scenarios int    `json:"scenarios"`
}

// planDialects plans a pass per dialect of the configuration: dialects that
// may not be sent with the secret are skipped with the reason; each pass
// selects its scenarios by the dialect tags. pickles lists the scenarios a
// tag expression selects; total is what the user's expression selects.
func (l *Library) planDialects(userTags, format string, total int, pickles func(tags string) ([]*godog.Scenario, error)) (*runPlan, error) {
	names := l.cfg.dialects()
	plan := &runPlan{order: map[string]int{}}
	for _, name := range names {
		d, err := dialect.ByName(name)
		if err != nil {
			return nil, &InputError{err}
		}
		if why := unsignedWithSecret(d, l.cfg.Secret); why != "" {
			plan.skipped = append(plan.skipped, DialectSkip{Dialect: name, Reason: why})
			continue
		}
		tags := dialectFilter(userTags, name)
		ps, err := pickles(tags)
		if err != nil {
			return nil, &InputError{parseError(err)}
		}
		if n := total - len(ps); n > 0 {
			plan.deselected = append(plan.deselected, Deselected{Dialect: name, Scenarios: n})
		}
		if len(ps) == 0 {
			continue
		}
		others := 0
		for _, p := range ps {
			plan.order[name+"\x00"+scenarioKey(p)] = len(plan.order)
			if countsAsOther(p) {
				others++
			}
		}
		f := format
		if len(names) > 1 {
			if f, err = checkFormats(formatPerDialect(format, name)); err != nil {
				return nil, err
			}
		}
		plan.runs = append(plan.runs, dialectRun{dialect: name, tags: tags, format: f, others: others})
	}
	if len(plan.runs) == 0 {
		if len(plan.skipped) == len(names) {
			return nil, inputf("%s", plan.skipped[0].Reason)
		}
		return nil, inputf("no scenario selected runs in the dialect(s) %s: the scenarios' @dialect and @not-dialect tags leave none", strings.Join(names, ", "))
	}
	return plan, nil
}

// formatPerDialect names the files of godog's formats after the dialect:
// cucumber:out.json becomes cucumber:out.flireo-camel.json, so that the
// passes of a run of several dialects do not overwrite each other.
func formatPerDialect(spec, name string) string {
	parts := strings.Split(spec, ",")
	for i, part := range parts {
		f, file, ok := strings.Cut(strings.TrimSpace(part), ":")
		if !ok || file == "" || f == FormatCompact || f == FormatJUnit {
			continue // written once for the whole run
		}
		ext := filepath.Ext(file)
		parts[i] = fmt.Sprintf("%s:%s.%s%s", f, strings.TrimSuffix(file, ext), name, ext)
	}
	return strings.Join(parts, ",")
}
