// Package scenarios is the Gherkin step library of flireo-sim, the runner of
// the built-in conformance suite and its scoring.
//
// The steps speak the platform's language ("Given an inbound call from …",
// "When the platform sends the assistant-request", "Then my server answers
// within 5 seconds with an assistant configuration"); every webhook they
// send is graded by the check catalogue (simulator/check). A Library holds
// the configuration and collects the verdicts of every scenario it ran;
// Result turns them into a score, a conformance index and a verdict.
//
// Integrators can run the steps next to their own in a go test:
//
//	lib, err := scenarios.New(scenarios.Config{Target: url})
//	suite := godog.TestSuite{
//		ScenarioInitializer: func(sc *godog.ScenarioContext) { lib.Register(sc); mySteps(sc) },
//		Options:             &godog.Options{Paths: []string{"features"}, Strict: true, TestingT: t},
//	}
//
// Per-scenario state lives in the scenario's context, so scenarios may run
// concurrently.
package scenarios

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/cucumber/godog"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// Library is the step library with its configuration and the verdicts of
// the scenarios it ran. It is safe for concurrent scenarios.
type Library struct {
	cfg    Config
	checks *check.Set
	probe  *http.Client
	// Guarded by mu: lines, when set, writes the compact output's line of
	// every finished scenario; runCtx is the running run's context and
	// stopped when it ended (zero while it runs).
	lines   *linePrinter
	runCtx  context.Context
	stopped time.Time

	gate gate // @serial scenarios run alone

	mu    sync.Mutex
	kits  map[string]*kit.Kit
	recs  []*record
	order map[string]int // scenario key → position in the feature files

	skippedDialects []DialectSkip // dialects of the run not played
	deselected      []Deselected  // scenarios each dialect's tags left out
}

// New checks the configuration and returns a library.
func New(cfg Config) (*Library, error) {
	if cfg.Dialect == "" && len(cfg.Dialects) == 0 {
		cfg.Dialect = dialect.NameFlireo
	}
	first, err := checkDialects(cfg)
	if err != nil {
		return nil, err
	}
	cfg.Dialect = first
	if cfg.TimeoutScale == 0 {
		cfg.TimeoutScale = 1
	}
	checks, err := check.New()
	if err != nil {
		return nil, err
	}
	l := &Library{cfg: cfg, checks: checks, kits: map[string]*kit.Kit{}, order: map[string]int{}, gate: gate{pending: -1},
		probe: &http.Client{Timeout: probeTimeout}}
	if _, err := l.kit(cfg.Dialect); err != nil {
		return nil, err
	}
	return l, nil
}

// probeTimeout bounds one request to the server's own API; it is not a
// platform deadline, so --timeout-scale leaves it alone.
const probeTimeout = 10 * time.Second

// Config returns the library's configuration.
func (l *Library) Config() Config { return l.cfg }

// Close releases idle connections.
func (l *Library) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, k := range l.kits {
		k.Close()
	}
	l.probe.CloseIdleConnections()
}

// kit returns the wired simulator of a dialect, built once.
func (l *Library) kit(name string) (*kit.Kit, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if k, ok := l.kits[name]; ok {
		return k, nil
	}
	k, err := kit.New(l.cfg.kitOptions(name))
	if err != nil {
		return nil, err
	}
	l.kits[name] = k
	return k, nil
}

type stateKey struct{}

// Register adds the library's steps and hooks to a scenario. Call it from a
// godog ScenarioInitializer; the integrator's own steps may be registered
// next to them.
func (l *Library) Register(sc *godog.ScenarioContext) { l.register(sc, l.cfg.Dialect) }

// register adds the steps and hooks for scenarios that run in a dialect.
func (l *Library) register(sc *godog.ScenarioContext, dialectName string) {
	l.registerSerial(sc)
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		return context.WithValue(ctx, stateKey{}, l.newState(p, dialectName)), nil
	})
	sc.StepContext().After(func(ctx context.Context, step *godog.Step, status godog.StepResultStatus, err error) (context.Context, error) {
		if st := stateFrom(ctx); st != nil {
			st.afterStep(step, status, err)
		}
		return ctx, nil
	})
	sc.After(func(ctx context.Context, _ *godog.Scenario, _ error) (context.Context, error) {
		st := stateFrom(ctx)
		if st == nil {
			return ctx, nil
		}
		st.stopParts(ctx.Err() != nil) // their webhooks count: they finish first
		err := st.finish()
		l.add(st.record())
		return ctx, err
	})
	l.releaseSerial(sc)
	for _, d := range stepDefinitions() {
		sc.Step(d.re, namingDialect(d.handler))
	}
}

func stateFrom(ctx context.Context) *state {
	st, _ := ctx.Value(stateKey{}).(*state)
	return st
}

// current returns the scenario state of a step's context.
func current(ctx context.Context) (*state, error) {
	st := stateFrom(ctx)
	if st == nil {
		return nil, errors.New("no flireo-sim scenario state: register the steps with Library.Register")
	}
	return st, nil
}

// add stores a finished scenario's record.
func (l *Library) add(r *record) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if pos, ok := l.order[r.key]; ok {
		r.Pos = pos
	} else {
		r.Pos = len(l.order) + len(l.recs) + unknownPos // after the known scenarios, in arrival order
	}
	l.stopRecord(r)
	l.recs = append(l.recs, r)
	if l.lines != nil {
		l.lines.add(r)
	}
}

// InputError is a problem with what the run was asked to do (features, tag
// expression, formats, baseline, configuration) rather than with the server
// under test.
type InputError struct{ Err error }

func (e *InputError) Error() string { return e.Err.Error() }
func (e *InputError) Unwrap() error { return e.Err }

func inputf(format string, a ...any) error { return &InputError{fmt.Errorf(format, a...)} }

// used by the state to evaluate re-marked exchanges.
func (l *Library) check(x *sim.Exchange) []sim.Finding {
	f := l.checks.Check(x)
	for i := range f {
		f[i].Seq = x.Seq
	}
	return f
}
