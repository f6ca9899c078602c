package scenarios

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
	"github.com/flireo-sim/flireo-sim/simulator/diagnose"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// Result is the outcome of a run: the report file's content. Its JSON form
// is a contract that CI scripts parse.
type Result struct {
	Verdict   Status           `json:"verdict"` // pass or fail
	Reason    string           `json:"reason"`  // the verdict in words
	Score     Score            `json:"score"`
	Index     float64          `json:"index"`     // share of the catalogue exercised, 0 to 1
	Exercised int              `json:"exercised"` // checks evaluated at least once
	Catalogue int              `json:"catalogue"` // checks in the catalogue
	Seed      int64            `json:"seed"`
	Clock     string           `json:"clock"`   // the run's fixed clock (RFC 3339), or "now"
	Replay    string           `json:"replay"`  // the flags that play the run again: --seed, --clock (fixed, or when the run started)
	Dialect   string           `json:"dialect"` // the dialects played, comma-separated
	Target    string           `json:"target"`
	Checks    []CheckResult    `json:"checks"`
	Scenarios []ScenarioResult `json:"scenarios"`
	// Unreachable says why no webhook got an HTTP reply, when none did.
	Unreachable string `json:"unreachable,omitempty"`
	// Hints name the likely cause behind many failures at once (a secret
	// that differs from the server's, a missing one).
	Hints []string `json:"hints,omitempty"`
	// Interrupted: the run was stopped (Ctrl-C, SIGTERM, a cancelled
	// context) before every scenario ran; InterruptedReason says why.
	Interrupted       bool   `json:"interrupted,omitempty"`
	InterruptedReason string `json:"interrupted_reason,omitempty"`
	// Fixed lists the baselined checks and scenarios that passed this time:
	// they can leave the baseline.
	Fixed []string `json:"fixed,omitempty"`
	// Dialects are the dialects the run played, in order.
	Dialects []string `json:"dialects"`
	// SkippedDialects are dialects of the run that were not played, with
	// why (an unsigned dialect while a secret is set).
	SkippedDialects []DialectSkip `json:"skipped_dialects,omitempty"`
	// Deselected counts, per dialect, the scenarios its selection tags
	// (@dialect:…, @not-dialect:…) left out.
	Deselected []Deselected `json:"deselected,omitempty"`
}

// Score counts the evaluated checks per severity.
type Score struct {
	Must   Tally `json:"must"`
	Should Tally `json:"should"`
	// ScenarioFailures counts failed scenarios whose failure no check of
	// the catalogue names (an assertion of the feature file itself).
	ScenarioFailures int `json:"scenario_failures"`
}

// Tally is passed out of total.
type Tally struct {
	Passed int `json:"passed"`
	Failed int `json:"failed"`
	Total  int `json:"total"`
}

// CheckResult is one check of the catalogue in the run.
type CheckResult struct {
	ID       string `json:"id"`
	Severity string `json:"severity"` // must or should
	Status   Status `json:"status"`   // pass, fail or skip (not exercised)
	Title    string `json:"title"`
	Spec     string `json:"spec"`
	// Detail is the first failure's detail (fail) or why the check was not
	// exercised (skip).
	Detail string `json:"detail"`
	// Scenario is the scenario of the first failure, or of the first
	// evaluation; Dialect the dialect it was sent in.
	Scenario string `json:"scenario"`
	Dialect  string `json:"dialect,omitempty"`
	// Reproduce is a curl command that replays the first failing request
	// (signed afresh when a secret is set).
	Reproduce string `json:"reproduce"`
	// Request is the first failing request as sent, for 'flireo-sim
	// replay' (absent when the failure was not a webhook's).
	Request     *StoredRequest `json:"request,omitempty"`
	Evaluations int            `json:"evaluations"`
	Failures    int            `json:"failures"`
	// Causes groups the failures by cause (same check, same detail up to
	// numbers and ids), the most frequent first.
	Causes    []diagnose.Cause `json:"causes,omitempty"`
	Baselined bool             `json:"baselined,omitempty"`
	// FailedDialects are the dialects it failed in, in a run of several.
	FailedDialects []string `json:"failed_dialects,omitempty"`
}

// ScenarioResult is one scenario of the run.
type ScenarioResult struct {
	Name     string   `json:"name"`
	Dialect  string   `json:"dialect"` // the dialect it was sent in
	Feature  string   `json:"feature"`
	Tags     []string `json:"tags"`
	Status   Status   `json:"status"` // pass, fail or skip
	Error    string   `json:"error,omitempty"`
	Skip     string   `json:"skip,omitempty"`
	Checks   []string `json:"checks"`                 // the catalogue checks it evaluated
	Failed   []string `json:"failed,omitempty"`       // those that failed
	Webhooks int      `json:"webhooks"`               // deliveries it made
	Unnamed  bool     `json:"unattributed,omitempty"` // failed on an assertion no check names
	Baseline bool     `json:"baselined,omitempty"`
	// Failures are the first failure of each check that failed in it.
	Failures []ScenarioFailure `json:"failures,omitempty"`
}

// Result computes the score of the scenarios run so far.
func (l *Library) Result() *Result {
	l.mu.Lock()
	recs := slices.Clone(l.recs)
	skipped, deselected := slices.Clone(l.skippedDialects), slices.Clone(l.deselected)
	l.mu.Unlock()
	sort.SliceStable(recs, func(i, j int) bool { return recs[i].Pos < recs[j].Pos })

	sc := l.newScoring(skipped, deselected)
	for _, r := range recs {
		sc.addScenario(r)
	}
	for _, c := range check.Catalogue() {
		sc.addCheck(c, recs)
	}
	sc.addFixedScenarios()
	res := sc.res
	if res.Catalogue > 0 {
		res.Index = float64(res.Exercised) / float64(res.Catalogue)
	}
	res.Unreachable = unreachable(recs)
	res.Hints = hints(recs, l.cfg.Secret != "")
	sc.judge()
	return res
}

// checkTally is what the findings of a run say of one check.
type checkTally struct {
	evals, fails int
	details      []string // the failures' details
	first        *finding
	firstRec     string
	firstDialect string
	anyRec       string
	anyDialect   string
	failedIn     []string
}

// scoring builds a Result from the records of a run.
type scoring struct {
	l            *Library
	base         *Baseline
	now          time.Time
	res          *Result
	per          map[string]*checkTally
	mustFailed   []string // failed must checks not baselined, for the reason
	shouldFailed []string
}

func (l *Library) newScoring(skipped []DialectSkip, deselected []Deselected) *scoring {
	base := l.cfg.Baseline
	if base == nil {
		base = &Baseline{}
	}
	now := time.Now()
	res := &Result{Seed: l.cfg.Seed, Target: l.cfg.Target, Catalogue: len(check.Catalogue()), SkippedDialects: skipped, Deselected: deselected}
	res.Clock, res.Replay = kit.RunClock(l.cfg.Seed, l.cfg.Clock, now)
	res.Dialects = playedDialects(l.cfg, skipped)
	res.Dialect = strings.Join(res.Dialects, ",")
	return &scoring{l: l, base: base, now: now, res: res, per: map[string]*checkTally{}}
}

// addScenario adds a scenario and tallies its findings.
func (sc *scoring) addScenario(r *record) {
	sr := ScenarioResult{Name: r.Name, Dialect: r.Dialect, Feature: r.Feature, Tags: r.Tags, Status: r.Status, Error: r.Error, Skip: r.Skip,
		Webhooks: len(r.exchanges), Checks: []string{}}
	for i := range r.findings {
		f := &r.findings[i]
		sc.tally(f, r)
		if !slices.Contains(sr.Checks, f.Check) {
			sr.Checks = append(sr.Checks, f.Check)
		}
		if f.Verdict == sim.Fail && !slices.Contains(sr.Failed, f.Check) {
			sr.Failed = append(sr.Failed, f.Check)
			sr.Failures = append(sr.Failures, sc.l.scenarioFailure(f, sc.now))
		}
	}
	if r.Status == StatusFail && !r.Attributed {
		sr.Unnamed = true
		if sc.base.Scenarios[r.Name] {
			sr.Baseline = true
		} else if r.Severity == sim.Must {
			sc.res.Score.ScenarioFailures++
		}
	}
	sc.res.Scenarios = append(sc.res.Scenarios, sr)
}

// tally counts a finding of the scenario r for its check.
func (sc *scoring) tally(f *finding, r *record) {
	a := sc.per[f.Check]
	if a == nil {
		a = &checkTally{}
		sc.per[f.Check] = a
	}
	a.evals++
	if a.anyRec == "" {
		a.anyRec, a.anyDialect = r.Name, r.Dialect
	}
	if f.Verdict != sim.Fail {
		return
	}
	a.fails++
	if !slices.Contains(a.failedIn, r.Dialect) {
		a.failedIn = append(a.failedIn, r.Dialect)
	}
	a.details = append(a.details, f.Detail)
	if a.first == nil {
		a.first, a.firstRec, a.firstDialect = f, r.Name, r.Dialect
	}
}

// addCheck adds a check of the catalogue with its verdict.
func (sc *scoring) addCheck(c check.Check, recs []*record) {
	res := sc.res
	cr := CheckResult{ID: c.ID, Severity: string(c.Severity), Title: c.Title, Spec: c.Spec, Status: StatusSkip}
	a := sc.per[c.ID]
	t := &res.Score.Must
	if c.Severity == sim.Should {
		t = &res.Score.Should
	}
	switch {
	case a == nil:
		cr.Detail = sc.l.notExercised(c, recs)
	case a.fails > 0:
		sc.failedCheck(&cr, c, a)
		res.Exercised++
		t.Total++
		t.Failed++
	default:
		cr.Status, cr.Evaluations, cr.Scenario, cr.Dialect = StatusPass, a.evals, a.anyRec, a.anyDialect
		res.Exercised++
		t.Total++
		t.Passed++
		if sc.base.Checks[c.ID] {
			res.Fixed = append(res.Fixed, c.ID)
		}
	}
	res.Checks = append(res.Checks, cr)
}

// failedCheck fills in the result of a check that failed and notes it for
// the verdict unless the baseline knows it.
func (sc *scoring) failedCheck(cr *CheckResult, c check.Check, a *checkTally) {
	cr.Status, cr.Evaluations, cr.Failures = StatusFail, a.evals, a.fails
	cr.Detail, cr.Scenario, cr.Dialect = withDialect(a.first.Detail, a.firstDialect), a.firstRec, a.firstDialect
	cr.Reproduce = sc.l.reproduce(a.first, sc.now)
	cr.Request = storeRequest(a.first.x, a.firstDialect)
	cr.Causes = diagnose.Group(c.ID, a.details, maxCauses)
	cr.Baselined = sc.base.Checks[c.ID]
	if len(sc.res.Dialects) > 1 {
		cr.FailedDialects = a.failedIn
	}
	if cr.Baselined {
		return
	}
	if c.Severity == sim.Must {
		sc.mustFailed = append(sc.mustFailed, c.ID+inDialects(a.failedIn, sc.res.Dialects))
	} else {
		sc.shouldFailed = append(sc.shouldFailed, c.ID+inDialects(a.failedIn, sc.res.Dialects))
	}
}

// addFixedScenarios lists the baselined scenarios that passed.
func (sc *scoring) addFixedScenarios() {
	for name := range sc.base.Scenarios {
		for _, s := range sc.res.Scenarios {
			if s.Name == name && s.Status == StatusPass {
				sc.res.Fixed = append(sc.res.Fixed, "scenario: "+name)
			}
		}
	}
}

// judge sets the verdict and its reason.
func (sc *scoring) judge() {
	res := sc.res
	var why []string
	if len(sc.mustFailed) > 0 {
		why = append(why, fmt.Sprintf("%d must check(s) failed: %s", len(sc.mustFailed), strings.Join(sc.mustFailed, ", ")))
	}
	if n := res.Score.ScenarioFailures; n > 0 {
		why = append(why, fmt.Sprintf("%d scenario(s) failed an assertion of the feature file", n))
	}
	if res.Exercised == 0 {
		why = append(why, "no check was evaluated: every scenario was skipped or sent nothing")
	}
	switch {
	case res.Unreachable != "" && len(why) > 0:
		res.Verdict, res.Reason = StatusFail, "the target could not be reached ("+res.Unreachable+"); "+strings.Join(why, "; ")
	case len(why) > 0:
		res.Verdict, res.Reason = StatusFail, strings.Join(why, "; ")
	default:
		res.Verdict = StatusPass
		res.Reason = "no must check failed"
		if len(sc.shouldFailed) > 0 {
			res.Reason += fmt.Sprintf("; %d should check(s) failed: %s", len(sc.shouldFailed), strings.Join(sc.shouldFailed, ", "))
		}
	}
}

// notExercised says why a check has no verdict.
func (l *Library) notExercised(c check.Check, recs []*record) string {
	for _, r := range recs {
		if r.Status == StatusSkip && slices.Contains(r.Tags, c.ID) {
			return "not exercised: its scenario was skipped (" + r.Skip + ")"
		}
	}
	if (c.ID == check.SignatureEnforced || c.ID == check.SignatureRawBody) && l.cfg.Secret == "" {
		return "not exercised: webhooks were not signed (give --secret or FLIREO_WEBHOOK_SECRET)"
	}
	return "not exercised by the scenarios that ran"
}

// reproduce is the command that replays a finding's request.
func (l *Library) reproduce(f *finding, now time.Time) string {
	switch {
	case f.x != nil:
		return delivery.Curl(f.x.Request, f.x.Response, l.cfg.Secret, now)
	case f.probe != nil:
		return "curl -sS -i " + shellQuote(f.probe.URL)
	}
	return ""
}

func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// unreachable returns why no delivery got an HTTP reply, when none did.
func unreachable(recs []*record) string {
	var first string
	n := 0
	for _, r := range recs {
		for _, x := range r.exchanges {
			n++
			if x.Response.Status > 0 {
				return ""
			}
			if f := x.Response.Failure; first == "" && f != nil && f.Kind != sim.FailTimeout {
				first = f.Detail
			}
		}
	}
	if n == 0 {
		return ""
	}
	if first == "" {
		return "no webhook was answered within its deadline"
	}
	return first
}

// playedDialects are the dialects of the configuration that were not
// skipped.
func playedDialects(cfg Config, skipped []DialectSkip) []string {
	var out []string
	for _, n := range cfg.dialects() {
		if !slices.ContainsFunc(skipped, func(s DialectSkip) bool { return s.Dialect == n }) {
			out = append(out, n)
		}
	}
	return out
}

// inDialects names, in a run of several dialects, the dialects a check
// failed in: " (in flireo, flireo-camel)".
func inDialects(failed, played []string) string {
	if len(played) < 2 || len(failed) == 0 {
		return ""
	}
	return " (in " + strings.Join(failed, ", ") + ")"
}
