package scenarios

import (
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"
	messages "github.com/cucumber/messages/go/v21"
)

type godogScenario = messages.Scenario

// orderedPrettyName is the formatter a run uses for "pretty" when scenarios
// run concurrently. It is registered with godog once, and listed nowhere.
const orderedPrettyName = "flireo-ordered-pretty"

var registerOrdered sync.Once

// orderedFormat returns the godog format list of a run: with concurrent
// scenarios, "pretty" becomes the ordered pretty formatter, which prints
// every scenario whole, in the order of the feature files, as soon as the
// scenarios before it have finished. godog's own pretty formatter prints
// the scenarios of a concurrent run interleaved, under the wrong feature.
func orderedFormat(spec string, concurrency int) string {
	if concurrency <= 1 {
		return spec
	}
	parts := strings.Split(spec, ",")
	for i, p := range parts {
		name, file, hasFile := strings.Cut(strings.TrimSpace(p), ":")
		if name != "pretty" {
			continue
		}
		registerOrdered.Do(func() {
			formatters.Format(orderedPrettyName, "pretty, in feature order when scenarios run concurrently",
				func(suite string, out io.Writer) formatters.Formatter {
					return &orderedPretty{PrettyFmt: godog.NewPrettyFmt(suite, out), pickles: map[string]*pickleEvents{}}
				})
		})
		parts[i] = orderedPrettyName
		if hasFile {
			parts[i] += ":" + file
		}
	}
	return strings.Join(parts, ",")
}

// orderedPretty buffers the events of each scenario and hands them to
// godog's pretty formatter in feature order. Features come in the runner's
// order (godog announces a feature before queueing its first scenario);
// scenarios within a feature in the order of the file. A run with one
// scenario at a time passes through unchanged.
type orderedPretty struct {
	*godog.PrettyFmt // promotes SetStorage: the runner hands over its storage

	mu       sync.Mutex
	features []*featureEvents // in announcement order
	pickles  map[string]*pickleEvents
	next     int // index into features of the first feature not wholly printed
}

type featureEvents struct {
	emit    func()
	printed bool
	order   []string // pickle ids, in file order
	done    int      // pickles printed
}

type pickleEvents struct {
	steps   int // steps of the pickle
	results int // step results received
	started bool
	fns     []func()
}

func (f *orderedPretty) Feature(doc *godog.GherkinDocument, uri string, content []byte) {
	f.mu.Lock()
	defer f.mu.Unlock()
	fe := &featureEvents{emit: func() { f.PrettyFmt.Feature(doc, uri, content) }}
	if f.PrettyFmt.Storage != nil {
		ps := f.PrettyFmt.Storage.MustGetPickles(uri)
		pos := astPositions(doc)
		sort.SliceStable(ps, func(i, j int) bool { return lessPickle(pos, ps[i], ps[j]) })
		for _, p := range ps {
			fe.order = append(fe.order, p.Id)
			f.entry(p).steps = len(p.Steps)
		}
	}
	f.features = append(f.features, fe)
	f.drain()
}

func (f *orderedPretty) entry(p *godog.Scenario) *pickleEvents {
	e := f.pickles[p.Id]
	if e == nil {
		e = &pickleEvents{steps: len(p.Steps)}
		f.pickles[p.Id] = e
	}
	return e
}

// add buffers one event of a pickle; result says whether it is a step's
// result (the pickle is complete when each step has one).
func (f *orderedPretty) add(p *godog.Scenario, result bool, fn func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	e := f.entry(p)
	e.fns = append(e.fns, fn)
	e.started = true
	if result {
		e.results++
	}
	f.drain()
}

// drain prints, in order, every event that may be printed now: the head
// feature's header, then its pickles, a pickle's buffered events as soon as
// it is the head (so a sequential run prints live), moving on when it is
// complete.
func (f *orderedPretty) drain() {
	for f.next < len(f.features) {
		fe := f.features[f.next]
		if !fe.printed {
			fe.emit()
			fe.printed = true
		}
		for fe.done < len(fe.order) {
			e := f.pickles[fe.order[fe.done]]
			for _, fn := range e.fns {
				fn()
			}
			e.fns = nil
			if !e.started || e.results < e.steps {
				return
			}
			fe.done++
		}
		f.next++
	}
}

// flushAll prints whatever is left, in order (a run that ended early).
func (f *orderedPretty) flushAll() {
	for _, fe := range f.features[f.next:] {
		if !fe.printed {
			fe.emit()
			fe.printed = true
		}
		for _, id := range fe.order[fe.done:] {
			for _, fn := range f.pickles[id].fns {
				fn()
			}
			f.pickles[id].fns = nil
		}
		fe.done = len(fe.order)
	}
	f.next = len(f.features)
}

func (f *orderedPretty) Pickle(p *godog.Scenario) {
	f.add(p, false, func() { f.PrettyFmt.Pickle(p) })
}

func (f *orderedPretty) Defined(p *godog.Scenario, s *godog.Step, d *formatters.StepDefinition) {
	f.add(p, false, func() { f.PrettyFmt.Defined(p, s, d) })
}

func (f *orderedPretty) Passed(p *godog.Scenario, s *godog.Step, d *formatters.StepDefinition) {
	f.add(p, true, func() { f.PrettyFmt.Passed(p, s, d) })
}

func (f *orderedPretty) Skipped(p *godog.Scenario, s *godog.Step, d *formatters.StepDefinition) {
	f.add(p, true, func() { f.PrettyFmt.Skipped(p, s, d) })
}

func (f *orderedPretty) Undefined(p *godog.Scenario, s *godog.Step, d *formatters.StepDefinition) {
	f.add(p, true, func() { f.PrettyFmt.Undefined(p, s, d) })
}

func (f *orderedPretty) Failed(p *godog.Scenario, s *godog.Step, d *formatters.StepDefinition, err error) {
	f.add(p, true, func() { f.PrettyFmt.Failed(p, s, d, err) })
}

func (f *orderedPretty) Pending(p *godog.Scenario, s *godog.Step, d *formatters.StepDefinition) {
	f.add(p, true, func() { f.PrettyFmt.Pending(p, s, d) })
}

func (f *orderedPretty) Ambiguous(p *godog.Scenario, s *godog.Step, d *formatters.StepDefinition, err error) {
	f.add(p, true, func() { f.PrettyFmt.Ambiguous(p, s, d, err) })
}

func (f *orderedPretty) Summary() {
	f.mu.Lock()
	f.flushAll()
	f.mu.Unlock()
	f.PrettyFmt.Summary()
}

// astPositions maps the ids of a feature's scenarios and example rows to
// their line.
func astPositions(doc *godog.GherkinDocument) map[string]int64 {
	out := map[string]int64{}
	if doc == nil || doc.Feature == nil {
		return out
	}
	for _, c := range doc.Feature.Children {
		scs := []*godogScenario{c.Scenario}
		if c.Rule != nil {
			for _, rc := range c.Rule.Children {
				scs = append(scs, rc.Scenario)
			}
		}
		for _, sc := range scs {
			if sc == nil {
				continue
			}
			out[sc.Id] = sc.Location.Line
			for _, ex := range sc.Examples {
				for _, row := range ex.TableBody {
					out[row.Id] = row.Location.Line
				}
			}
		}
	}
	return out
}

// lessPickle orders pickles by the line of their scenario, then of their
// example row.
func lessPickle(pos map[string]int64, a, b *godog.Scenario) bool {
	for i := 0; i < len(a.AstNodeIds) && i < len(b.AstNodeIds); i++ {
		if x, y := pos[a.AstNodeIds[i]], pos[b.AstNodeIds[i]]; x != y {
			return x < y
		}
	}
	return len(a.AstNodeIds) < len(b.AstNodeIds)
}
