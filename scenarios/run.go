package scenarios

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/cucumber/godog"
	"github.com/cucumber/godog/formatters"

	"github.com/flireo-sim/flireo-sim/features"
	"github.com/flireo-sim/flireo-sim/internal/suggest"
	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// RunOptions choose what a run plays and how it reports.
type RunOptions struct {
	// Features is a directory (or a file) of *.feature files; "" runs the
	// built-in suite.
	Features string
	// Tags filters scenarios, in godog's syntax: "@must && ~@probe-api",
	// "@a,@b" for either.
	Tags string
	// Format lists formats, comma-separated, each optionally with :FILE
	// ("compact,junit:report.xml,cucumber:report.json"): compact and junit
	// are flireo-sim's, the others godog's; "" is compact.
	Format string
	// Output receives the formatters that write no file.
	Output io.Writer
	Color  bool
	// StepLocations keeps, in godog's formats, the Go location of each
	// step's definition ("# library.go:147 -> …"); left out otherwise.
	StepLocations bool
	// Concurrency is how many scenarios run at once; 0 is
	// DefaultConcurrency. Scenarios tagged @serial run alone.
	Concurrency int
	// Preflight, when set, runs once the features, tags and formats are
	// known to be good and before any scenario plays; its error ends the
	// run and is returned as is (kit.Reach checks the target).
	Preflight func(context.Context) error
}

// Run plays the scenarios with the library's steps, writes the formats and
// returns the result. Errors are InputErrors (features, tags, formats)
// except when the runner itself fails; a server that fails checks is a
// result, not an error.
func (l *Library) Run(ctx context.Context, o RunOptions) (*Result, error) {
	format, err := l.runFormat(o.Format)
	if err != nil {
		return nil, err
	}
	if err := checkTags(o.Tags); err != nil {
		return nil, err
	}
	out := o.Output
	if out == nil {
		out = io.Discard
	}
	fplan := splitFormats(format, out)
	defer l.startRun(ctx, fplan.lines(o.Color))()
	src, err := featureSource(o.Features)
	if err != nil {
		return nil, err
	}
	suites := suiteMaker{ctx: ctx, src: src, conc: concurrency(o.Concurrency), output: forTerminal(fplan.output, o.Color, o.StepLocations), color: o.Color}
	feats, err := suites.suite(strings.TrimSpace(o.Tags), format, "flireo-sim", l.Register).RetrieveFeatures()
	if err != nil {
		return nil, &InputError{parseError(err)}
	}
	if err := suites.checkTagNames(o.Tags, format, l.Register); err != nil {
		return nil, err
	}
	parsed := make([]parsedFeature, len(feats))
	for i, f := range feats {
		parsed[i] = parsedFeature{doc: f.GherkinDocument, pickles: f.Pickles}
	}
	total, err := checkFeatures(parsed, o.Tags, src.where)
	if err != nil {
		return nil, err
	}
	plans, err := l.planDialects(o.Tags, fplan.godog, total, func(tags string) ([]*godog.Scenario, error) {
		feats, err := suites.suite(tags, format, "flireo-sim", l.Register).RetrieveFeatures()
		var out []*godog.Scenario
		for _, f := range feats {
			out = append(out, f.Pickles...)
		}
		return out, err
	})
	if err != nil {
		return nil, err
	}
	if o.Preflight != nil {
		if err := o.Preflight(ctx); err != nil {
			return nil, err
		}
	}
	if err := l.play(ctx, suites, plans, out); err != nil {
		return nil, err
	}
	return l.finishRun(ctx, fplan)
}

// runFormat is the format list of a run, validated. A run of several
// dialects writes each pass's godog files under names of their own
// (formatPerDialect); the compact lines and the JUnit report cover the
// whole run, under the names given.
func (l *Library) runFormat(given string) (string, error) {
	several := len(l.cfg.dialects()) > 1
	spec := given
	if several {
		spec = formatPerDialect(spec, l.cfg.dialects()[0])
	}
	format, err := checkFormats(spec)
	if err != nil {
		return "", err
	}
	if given := strings.TrimSpace(given); several && given != "" {
		return given, nil // planDialects names godog's files per pass
	}
	return format, nil
}

// source is where a run's feature files come from.
type source struct {
	where string // for people
	paths []string
	fsys  fs.FS // nil: the file system
}

// featureSource is the built-in suite, or the feature files at path.
func featureSource(path string) (source, error) {
	if path == "" {
		return source{where: "the built-in suite", paths: []string{"."}, fsys: features.FS}, nil
	}
	if _, err := os.Stat(path); err != nil {
		return source{}, &InputError{sim.BadOption("Features", path, "%v", unwrapPath(err))}
	}
	return source{where: path, paths: []string{path}}, nil
}

// suiteMaker builds the godog suites of a run.
type suiteMaker struct {
	ctx    context.Context
	src    source
	conc   int
	output io.Writer
	color  bool
}

func (m suiteMaker) suite(tags, format, name string, init func(*godog.ScenarioContext)) godog.TestSuite {
	opts := &godog.Options{Format: format, Tags: tags, Strict: true, Concurrency: m.conc,
		Output: m.output, NoColors: !m.color, DefaultContext: m.ctx, FS: m.src.fsys, Paths: m.src.paths}
	return godog.TestSuite{Name: name, ScenarioInitializer: init, Options: opts}
}

// parsedFeature is a parsed feature file and its scenarios.
type parsedFeature struct {
	doc     *godog.GherkinDocument
	pickles []*godog.Scenario
}

// checkFeatures counts the scenarios of the selected features and fails
// when there are none or when steps are undefined or ambiguous or dialect
// tags malformed.
func checkFeatures(feats []parsedFeature, tags, where string) (int, error) {
	var problems []string
	total := 0
	for _, f := range feats {
		total += len(f.pickles)
		problems = append(problems, featureProblems(f)...)
	}
	if total == 0 {
		if tags != "" {
			return 0, &InputError{sim.BadOption("Tags", tags, "no scenario in %s matches", where)}
		}
		return 0, inputf("no scenario in %s: give a directory of *.feature files", where)
	}
	if len(problems) > 0 {
		sort.Strings(problems)
		problems = slices.Compact(problems)
		if len(problems) > 5 {
			problems = append(problems[:5], fmt.Sprintf("and %d more", len(problems)-5))
		}
		return 0, inputf("%s (run 'flireo-sim steps' for the step list)", strings.Join(problems, "; "))
	}
	return total, nil
}

// featureProblems are a feature's malformed dialect tags and undefined or
// ambiguous steps, each with where it is.
func featureProblems(f parsedFeature) []string {
	var problems []string
	lines := stepLines(f.doc)
	for _, p := range f.pickles {
		for _, why := range dialectTagProblems(p) {
			problems = append(problems, fmt.Sprintf("%s: scenario %q: %s", f.doc.Uri, p.Name, why))
		}
		for _, s := range p.Steps {
			if why := matchProblem(s.Text); why != "" {
				problems = append(problems, fmt.Sprintf("%s:%d: %s", f.doc.Uri, lines[s.AstNodeIds[0]], why))
			}
		}
	}
	return problems
}

// play runs the planned passes, one per dialect; a run starts afresh: the
// result covers this run's scenarios only.
func (l *Library) play(ctx context.Context, suites suiteMaker, plans *runPlan, out io.Writer) error {
	l.mu.Lock()
	l.recs, l.order, l.skippedDialects, l.deselected = nil, plans.order, plans.skipped, plans.deselected
	l.mu.Unlock()
	for _, p := range plans.runs {
		suiteName := "flireo-sim"
		if len(plans.runs) > 1 {
			fmt.Fprintf(out, "\n── dialect %s ──\n", p.dialect)
			suiteName += " " + p.dialect
		}
		name := p.dialect
		init := func(sc *godog.ScenarioContext) { l.register(sc, name) }
		l.gate.reset(p.others, suites.conc)
		status := suites.suite(p.tags, orderedFormat(p.format, suites.conc), suiteName, init).Run()
		l.gate.reset(-1, 0)
		if status == 2 {
			return errors.New("the scenario runner could not start (see the messages above)")
		}
		if ctx.Err() != nil {
			break
		}
	}
	return nil
}

// matchProblem says why step text is undefined or ambiguous, or "".
func matchProblem(text string) string {
	var hits []string
	for _, d := range stepDefinitions() {
		if d.re.MatchString(text) {
			hits = append(hits, d.Phrase)
		}
	}
	switch len(hits) {
	case 0:
		if near, ok := nearestPhrase(text); ok {
			return fmt.Sprintf("undefined step %q (nearest step: %q)", text, near)
		}
		return fmt.Sprintf("undefined step %q", text)
	case 1:
		return ""
	}
	return fmt.Sprintf("ambiguous step %q matches %s", text, strings.Join(hits, " and "))
}

// stepLines maps step ids to their line in the feature file.
func stepLines(doc *godog.GherkinDocument) map[string]int64 {
	out := map[string]int64{}
	if doc == nil || doc.Feature == nil {
		return out
	}
	for _, c := range doc.Feature.Children {
		if c.Background != nil {
			for _, s := range c.Background.Steps {
				out[s.Id] = s.Location.Line
			}
		}
		if c.Scenario != nil {
			for _, s := range c.Scenario.Steps {
				out[s.Id] = s.Location.Line
			}
		}
		if c.Rule != nil {
			for _, rc := range c.Rule.Children {
				if rc.Background != nil {
					for _, s := range rc.Background.Steps {
						out[s.Id] = s.Location.Line
					}
				}
				if rc.Scenario != nil {
					for _, s := range rc.Scenario.Steps {
						out[s.Id] = s.Location.Line
					}
				}
			}
		}
	}
	return out
}

var gherkinError = regexp.MustCompile(`\((\d+):(\d+)\): (.*)`)

// parseError rewrites a feature parse error as "file:line:column: problem".
func parseError(err error) error {
	msg := err.Error()
	file, rest, ok := strings.Cut(msg, " - ")
	if !ok {
		return fmt.Errorf("reading the feature files: %s", strings.Join(strings.Fields(msg), " "))
	}
	var parts []string
	for _, m := range gherkinError.FindAllStringSubmatch(rest, -1) {
		parts = append(parts, fmt.Sprintf("%s:%s:%s: %s", file, m[1], m[2], m[3]))
	}
	if len(parts) == 0 {
		return fmt.Errorf("%s: %s", file, strings.Join(strings.Fields(rest), " "))
	}
	return fmt.Errorf("malformed feature file: %s", strings.Join(parts, "; "))
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %v", pe.Path, pe.Err)
	}
	return err
}

// FormatNames lists the formats a run can write.
func FormatNames() []string {
	var out []string
	for name := range formatters.AvailableFormatters() {
		if name == orderedPrettyName {
			continue
		}
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// checkFormats validates a format list and makes sure its files can be
// written (godog reports neither problem itself).
func checkFormats(spec string) (string, error) {
	spec = strings.TrimSpace(spec)
	if spec == "" {
		return FormatCompact, nil
	}
	for _, part := range strings.Split(spec, ",") {
		name, file, hasFile := strings.Cut(strings.TrimSpace(part), ":")
		if formatters.FindFmt(name) == nil {
			return "", &InputError{sim.BadOption("Format", spec, "unknown format %q%s: use %s, each optionally with :FILE", name, suggest.Hint(name, FormatNames()), strings.Join(FormatNames(), ", "))}
		}
		if !hasFile {
			continue
		}
		if file == "" {
			return "", &InputError{sim.BadOption("Format", spec, "give a file name after %s:", name)}
		}
		f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
		if err != nil {
			return "", &InputError{sim.BadOption("Format", spec, "cannot write %s: %v", file, unwrapPath(err))}
		}
		_ = f.Close()
	}
	return spec, nil
}

var (
	tagItem     = regexp.MustCompile(`^~?@?[\p{L}\p{N}_][\p{L}\p{N}_.:/-]*$`)
	cucumberish = regexp.MustCompile(`(?i)(^|\s)(and|or|not)(\s|$)|[()!|]`)
)

// checkTags validates a tag expression in godog's syntax: terms joined by
// "&&" (all) of alternatives joined by "," (any), each "@tag" or "~@tag"
// (not).
func checkTags(expr string) error {
	if strings.TrimSpace(expr) == "" {
		return nil
	}
	if cucumberish.MatchString(strings.ReplaceAll(expr, "&&", " ")) {
		return &InputError{sim.BadOption("Tags", expr, "write the expression in godog's syntax: '@must && ~@probe-api' (and, not), '@a,@b' (either)")}
	}
	for _, and := range strings.Split(expr, "&&") {
		for _, item := range strings.Split(and, ",") {
			item = strings.TrimSpace(item)
			if item == "" {
				return &InputError{sim.BadOption("Tags", expr, "an empty term: write e.g. '@must && ~@probe-api'")}
			}
			if !tagItem.MatchString(item) {
				return &InputError{sim.BadOption("Tags", expr, "%q is not a tag (write @name or ~@name)", item)}
			}
		}
	}
	return nil
}
