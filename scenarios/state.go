package scenarios

import (
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"

	"github.com/cucumber/godog"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// state is one scenario's call and what the steps learned about it.
type state struct {
	l      *Library
	name   string
	uri    string
	key    string
	tags   []string
	number int // the scenario's call number; concurrent calls follow it

	// The call being set up (Given steps) and played (When steps).
	dialect       string // the scenario's dialect: the run's unless a step names another
	fo            fake.Options
	intentSet     bool
	customer      *string
	phone         *string
	persona       string
	text          bool    // Dutch diacritics and emoji in the call
	largeMiB      float64 // pad the transcript to this many MiB before the report
	wide          sim.Variant
	k             *kit.Kit
	plan          *sim.CallPlan
	gen           sim.Generator
	sess          *sim.Session
	extras        bool // transcript lines of the text case said
	padded        bool // the report carries the long transcript
	conversedOnce bool
	concurrent    int // calls played at the same time

	last  []*sim.Exchange // the exchanges of the last action ("it")
	extra []*sim.Exchange // exchanges outside the session (concurrent calls)
	probe *probeResponse  // the last probe-API response
	parts []part          // the registered step sets' own state (extension.go)

	stored   []storedFinding // probe-API verdicts
	skip     string          // the scenario is skipped for this reason
	skipped  string          // reason a step skipped the scenario
	failErr  error
	failStep string
}

// storedFinding is a probe-API verdict for a check.
type storedFinding struct {
	sim.Finding
	probe *probeResponse
}

func (l *Library) newState(p *godog.Scenario, dialectName string) *state {
	st := &state{l: l, name: p.Name, uri: p.Uri, dialect: dialectName,
		fo: fake.Options{Intent: sim.BookAppointment, ErrorRate: 0}}
	for _, t := range p.Tags {
		st.tags = append(st.tags, strings.TrimPrefix(t.Name, "@"))
	}
	st.key = dialectName + "\x00" + scenarioKey(p)
	h := fnv.New32a()
	h.Write([]byte(scenarioKey(p) + "\x00" + dialectName)) // another dialect plays other calls

	st.number = 1000 * (1 + int(h.Sum32()%1_000_000))
	if st.tagged("probe-api") && !l.cfg.ProbeAPI {
		st.skip = "the scenario reads the server's own API (GET {base}/calls/{call_id}): run with --probe-api when the target serves it"
	}
	if k, err := l.kit(dialectName); err == nil && st.skip == "" {
		st.skip = needsSkip(k.Dialect, st.tags)
	}
	return st
}

// scenarioKey identifies a scenario (an outline row included) across
// parses of the same feature files.
func scenarioKey(p *godog.Scenario) string {
	return p.Uri + "\x00" + p.Name + "\x00" + strings.Join(p.AstNodeIds, ",")
}

func (st *state) tagged(tag string) bool { return slices.Contains(st.tags, tag) }

// severity of the scenario's own assertions: @should, else must.
func (st *state) severity() sim.Severity {
	if st.tagged("should") && !st.tagged("must") {
		return sim.Should
	}
	return sim.Must
}

// begin is called first by every step: it skips the steps of a skipped
// scenario and stops once the run was cancelled.
func (st *state) begin(ctxErr error) error {
	if st.skip != "" {
		return fmt.Errorf("%w: %s", godog.ErrSkip, st.skip)
	}
	if ctxErr != nil {
		return fmt.Errorf("the run was stopped: %w", ctxErr)
	}
	return nil
}

// skipWith skips the rest of the scenario.
func skipWith(format string, a ...any) error {
	return fmt.Errorf("%w: %s", godog.ErrSkip, fmt.Sprintf(format, a...))
}

func (st *state) afterStep(step *godog.Step, status godog.StepResultStatus, err error) {
	switch {
	case status == godog.StepSkipped && err != nil && errors.Is(err, godog.ErrSkip) && st.skipped == "":
		st.skipped = strings.TrimPrefix(strings.TrimPrefix(err.Error(), godog.ErrSkip.Error()), ": ")
	case status == godog.StepFailed || status == godog.StepUndefined || status == godog.StepAmbiguous || status == godog.StepPending:
		if st.failErr == nil {
			if err == nil {
				err = fmt.Errorf("step %s", status)
			}
			st.failErr, st.failStep = err, step.Text
		}
	}
}

// finish fails a scenario that passed its steps while a must check failed
// on one of its webhooks: the output and the score then agree.
func (st *state) finish() error {
	if st.failErr != nil || st.skipped != "" {
		return nil
	}
	var ids, why []string
	for _, f := range st.findings() {
		if f.Verdict == sim.Fail && f.Severity == sim.Must && !slices.Contains(ids, f.Check) {
			ids = append(ids, f.Check)
			why = append(why, f.Check+": "+f.Detail)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	err := &checkFailure{ids: ids, msg: withDialect("must checks failed on this scenario's webhooks: "+strings.Join(why, "; "), st.dialect)}
	st.failErr, st.failStep = err, "(after the last step)"
	return err
}

// exchanges are all exchanges of the scenario, in order.
func (st *state) exchanges() []*sim.Exchange {
	var out []*sim.Exchange
	if st.sess != nil {
		out = append(out, st.sess.Exchanges()...)
	}
	out = append(out, st.extra...)
	return append(out, st.partExchanges()...)
}

// finding is a finding with the exchange it judged (nil for probe-API
// verdicts, which carry the probe instead).
type finding struct {
	sim.Finding
	x     *sim.Exchange
	probe *probeResponse
}

func (st *state) findings() []finding {
	var out []finding
	for _, x := range st.exchanges() {
		for _, f := range x.Findings {
			out = append(out, finding{Finding: f, x: x})
		}
	}
	for _, s := range st.stored {
		out = append(out, finding{Finding: s.Finding, probe: s.probe})
	}
	return out
}

// call returns the scenario's call, creating it from what the Given steps
// set up.
func (st *state) call() (*sim.Session, error) {
	if st.sess != nil {
		return st.sess, nil
	}
	k, err := st.l.kit(st.dialect)
	if err != nil {
		return nil, err
	}
	if err := sim.IntentMismatch(st.fo.Intent, st.fo.Direction); st.intentSet && err != nil {
		return nil, err
	}
	plan, call := k.Calls.Call(st.number, st.fo)
	var gen sim.Generator = call
	if st.customer != nil {
		plan.Customer = *st.customer
	}
	if st.phone != nil {
		plan.PhoneNumber = *st.phone
	}
	if st.persona != "" {
		first, last, _ := strings.Cut(st.persona, " ")
		plan.Persona.FirstName, plan.Persona.LastName = first, last
	}
	if st.text {
		gen = textGenerator{Generator: gen}
	}
	if st.largeMiB > 0 {
		plan.Length += padLength(plan, st.largeMiB) // the call runs that much longer
	}
	st.k, st.plan, st.gen = k, plan, gen
	st.sess = k.Engine.NewSession(plan, gen, sim.CallOptions{})
	return st.sess, nil
}

// notStarted fails a Given step that comes after the call started.
func (st *state) notStarted(what string) error {
	if st.sess != nil {
		return fmt.Errorf("%s must come before the first step that sends a webhook", what)
	}
	return nil
}

// opts marks a step's deliveries with the call-wide variant (a web call,
// the text case) unless the step marks them itself.
func (st *state) opts(o sim.SendOptions) sim.SendOptions {
	if o.Variant == sim.VariantNone {
		o.Variant = st.wide
	}
	return o
}

// record is a finished scenario as the result needs it.
type record struct {
	key      string
	Pos      int
	Dialect  string // the dialect the scenario was sent in
	Name     string
	Feature  string
	Tags     []string
	Status   Status
	Error    string
	Skip     string
	Severity sim.Severity
	// Attributed: the failure is the failure of catalogue checks, which the
	// check list reports.
	Attributed bool
	stopErr    bool // the failure is the run's context ending
	findings   []finding
	exchanges  []*sim.Exchange
}

func (st *state) record() *record {
	r := &record{key: st.key, Dialect: st.dialect, Name: st.name, Feature: st.uri, Tags: st.tags, Severity: st.severity(),
		findings: st.findings(), exchanges: st.exchanges(), Status: StatusPass}
	slim(r.exchanges)
	switch {
	case st.failErr != nil:
		r.Status, r.Error = StatusFail, st.failErr.Error()
		if st.failStep != "" && st.failStep != "(after the last step)" {
			r.Error = st.failStep + ": " + r.Error
		}
		var cf *checkFailure
		r.Attributed = errors.As(st.failErr, &cf)
		r.stopErr = isStop(st.failErr)
	case st.skipped != "":
		r.Status, r.Skip = StatusSkip, st.skipped
	}
	return r
}

// checkFailure is a step failure that is the failure of catalogue checks.
type checkFailure struct {
	ids []string
	msg string
}

func (e *checkFailure) Error() string { return e.msg }

// dialectName validates a dialect named in a step.
func dialectName(name string) error {
	_, err := dialect.ByName(name)
	return err
}

// statusCheck is the check that judges the HTTP status of x.
func statusCheck(x *sim.Exchange) string {
	switch {
	case x.Request.Probe == sim.ProbeReformatted:
		return check.SignatureRawBody
	case x.Request.Probe != sim.ProbeNone:
		return check.SignatureEnforced
	}
	switch x.Request.Variant {
	case sim.VariantRedelivery:
		return check.ReportRedelivery
	case sim.VariantOutOfOrder:
		return check.ReportBeforeEnded
	case sim.VariantExtraFields:
		return check.UnknownFields
	case sim.VariantWebCall:
		return check.WebCall
	case sim.VariantLarge:
		return check.LargeReport
	case sim.VariantText:
		return check.TextPreserved
	case sim.VariantConcurrent:
		return check.ConcurrentCalls
	}
	return check.HTTP2xx
}

// deadlineCheck is the check that judges the reply time of x.
func deadlineCheck(x *sim.Exchange) string {
	switch {
	case x.Event == sim.AssistantRequest:
		return check.AssistantDeadline
	case x.Event == sim.ToolCalls && x.ReplyUsed:
		return check.ToolDeadline
	}
	return check.AckDeadline
}
