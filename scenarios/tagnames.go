package scenarios

import (
	"maps"
	"slices"
	"strings"

	"github.com/cucumber/godog"
	"github.com/flireo-sim/flireo-sim/internal/suggest"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
)

// checkTagNames fails when the tag expression names a tag that no scenario
// of the features carries but that is near one they do: a likely typo,
// which would silently select nothing or deselect nothing.
func (m suiteMaker) checkTagNames(expr, format string, init func(*godog.ScenarioContext)) error {
	if strings.TrimSpace(expr) == "" {
		return nil
	}
	feats, err := m.suite("", format, "flireo-sim", init).RetrieveFeatures()
	if err != nil {
		return nil // the filtered retrieval reports it
	}
	var pickles []*godog.Scenario
	for _, f := range feats {
		pickles = append(pickles, f.Pickles...)
	}
	return tagTypo(expr, pickles)
}

// tagTypo is the error for the first tag of expr that no pickle carries,
// is no check ID, and is near a tag that some pickle carries; nil when
// there is none.
func tagTypo(expr string, pickles []*godog.Scenario) error {
	carried := carriedTags(pickles)
	for _, tag := range exprTags(expr) {
		if carried[tag] {
			continue
		}
		if _, isCheck := check.Find(strings.TrimPrefix(tag, "@")); isCheck {
			continue
		}
		if near, ok := suggest.Nearest(tag, slices.Sorted(maps.Keys(carried))); ok {
			return &InputError{sim.BadOption("Tags", expr, "no scenario is tagged %s (did you mean %s?)", tag, near)}
		}
	}
	return nil
}

// exprTags are the tags an expression in godog's syntax names, each with
// its '@' and without '~'.
func exprTags(expr string) []string {
	var out []string
	for _, and := range strings.Split(expr, "&&") {
		for _, item := range strings.Split(and, ",") {
			item = strings.TrimPrefix(strings.TrimSpace(item), "~")
			if item != "" {
				out = append(out, "@"+strings.TrimPrefix(item, "@"))
			}
		}
	}
	return out
}

// carriedTags is the set of tags the pickles carry.
func carriedTags(pickles []*godog.Scenario) map[string]bool {
	out := map[string]bool{}
	for _, p := range pickles {
		for _, t := range p.Tags {
			out[t.Name] = true
		}
	}
	return out
}
