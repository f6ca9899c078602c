package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/cucumber/godog"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// Step is one phrase of the step library, for people: its topic, its form
// and an example.
type Step struct {
	Topic   string
	Phrase  string
	Example string
}

// def is a step definition: the phrase for people and the handler.
type def struct {
	Step
	re      *regexp.Regexp
	handler any
}

// Topics in the order Steps lists them.
var topics = []string{"call setup", "assistant-request", "tools", "end of the call", "robustness", "signatures", "verdicts", "platform API", "your own API (probe steps)"}

// Steps lists every step phrase of the library with an example, grouped by
// topic.
func Steps() []Step {
	out := make([]Step, 0, len(definitions))
	for _, t := range topics {
		for _, d := range definitions {
			if d.Topic == t {
				out = append(out, d.Step)
			}
		}
	}
	return out
}

func step(topic, phrase, example, re string, handler any) def {
	return def{Step: Step{Topic: topic, Phrase: phrase, Example: example}, re: regexp.MustCompile(re), handler: handler}
}

// definitions is the step library. Every pattern is anchored and no two
// match the same text (strict runs fail on ambiguity). The platform API
// steps are in platform.go.
var definitions = append([]def{
	// call setup
	step("call setup", `an inbound call from "NUMBER" to "NUMBER"`, `Given an inbound call from "+31612345678" to "+31850835037"`,
		`^an inbound call from "([^"]*)" to "([^"]*)"$`, givenInboundFrom),
	step("call setup", "an inbound call", "Given an inbound call", `^an inbound call$`, givenDirection(sim.Inbound)),
	step("call setup", "an outbound call", "Given an outbound call", `^an outbound call$`, givenDirection(sim.Outbound)),
	step("call setup", "a web call (customer and phone numbers are null)", "Given a web call", `^a web call$`, givenWebCall),
	step("call setup", `the platform speaks the "DIALECT" dialect (overrides the run's --dialect for this scenario, on purpose)`, `Given the platform speaks the "flireo-camel" dialect`,
		`^the platform speaks the "([^"]*)" dialect$`, givenDialect),
	step("call setup", "the caller wants to WHAT ("+strings.Join(intentPhraseList(), ", ")+")", "Given the caller wants to book an appointment",
		`^the caller wants to (.+)$`, givenIntentPhrase),
	step("call setup", `the caller's intent is "INTENT" (any built-in intent)`, `Given the caller's intent is "wrong-number"`,
		`^the caller's intent is "([^"]*)"$`, givenIntent),
	step("call setup", "the caller speaks Dutch|English", "Given the caller speaks English", `^the caller speaks (Dutch|English)$`, givenLanguage),
	step("call setup", `the caller's name is "NAME"`, `Given the caller's name is "Daniëlle de Vries"`, `^the caller's name is "([^"]*)"$`, givenName),
	step("call setup", "the call carries Dutch diacritics and emoji (transcript and summary)", "Given the call carries Dutch diacritics and emoji",
		`^the call carries Dutch diacritics and emoji$`, givenText),
	step("call setup", "the call is long enough for a N MiB end-of-call-report", "Given the call is long enough for a 1 MiB end-of-call-report",
		`^the call is long enough for a (\d+(?:\.\d+)?) MiB end-of-call-report$`, givenLarge),

	// assistant-request
	step("assistant-request", "the platform sends the assistant-request", "When the platform sends the assistant-request",
		`^the platform sends the assistant-request$`, whenAssistantRequest),
	step("assistant-request", "my server answers within N seconds with a documented reply ({}, assistant, assistant_id, error)",
		"Then my server answers within 5 seconds with a documented reply",
		`^my server answers within (\d+(?:\.\d+)?) seconds? with a documented reply$`, thenDocumentedReply(false)),
	step("assistant-request", "my server answers within N seconds with an assistant configuration (not a rejection)",
		"Then my server answers within 5 seconds with an assistant configuration",
		`^my server answers within (\d+(?:\.\d+)?) seconds? with an assistant configuration$`, thenDocumentedReply(true)),
	step("assistant-request", `my server rejects the call saying "TEXT"`, `Then my server rejects the call saying "Dit nummer is niet in gebruik."`,
		`^my server rejects the call saying "([^"]*)"$`, thenRejects),
	step("assistant-request", `the assistant declares the tool "NAME"`, `Then the assistant declares the tool "book_appointment"`,
		`^the assistant declares the tool "([^"]*)"$`, thenDeclares),
	step("assistant-request", "the max duration is N seconds", "Then the max duration is 600 seconds",
		`^the max duration is (\d+) seconds$`, thenMaxDuration),

	// tools
	step("tools", `the assistant calls "TOOL" (arguments generated from its parameters)`, `When the assistant calls "check_availability"`,
		`^the assistant calls "([^"]*)"$`, whenCallsTool),
	step("tools", `the assistant calls "TOOL" with: (a doc string with the JSON arguments)`, "When the assistant calls \"book_appointment\" with:\n  \"\"\"\n  {\"name\": \"Jan de Vries\", \"date\": \"2026-02-05\", \"time\": \"10:30\"}\n  \"\"\"",
		`^the assistant calls "([^"]*)" with:$`, whenCallsToolWith),
	step("tools", "the assistant calls one of its sync|async tools (skips the scenario when none is declared)", "When the assistant calls one of its async tools",
		`^the assistant calls one of its (sync|async) tools$`, whenCallsKind),
	step("tools", "the assistant calls N of its tools in one request", "When the assistant calls 3 of its tools in one request",
		`^the assistant calls (\d+) of its tools in one request$`, whenCallsSeveral),
	step("tools", "every tool call gets exactly one result", "Then every tool call gets exactly one result",
		`^every tool call gets exactly one result$`, thenOneResultEach),
	step("tools", `the result for "TOOL" contains "TEXT"`, `Then the result for "book_appointment" contains "confirmed"`,
		`^the result for "([^"]*)" contains "([^"]*)"$`, thenResultContains),

	// end of the call
	step("end of the call", "the call is answered (status-update in-progress)", "When the call is answered", `^the call is answered$`, whenAnswered),
	step("end of the call", "the conversation takes place (the caller's turns, with the tool calls they need)", "When the conversation takes place",
		`^the conversation takes place$`, whenConverse),
	step("end of the call", `the call ends with reason "REASON" (status-update ended, then the end-of-call-report)`, `When the call ends with reason "user_hangup"`,
		`^the call ends with reason "([^"]*)"$`, whenEnds),
	step("end of the call", `the call ends with the platform error "TEXT" (ended-with-error)`, `When the call ends with the platform error "STT connection failed"`,
		`^the call ends with the platform error "([^"]*)"$`, whenEndsWithError),
	step("end of the call", "the call is played to the end (everything not sent yet, as the platform would)", "When the call is played to the end",
		`^the call is played to the end$`, whenPlayed),

	// robustness
	step("robustness", "the end-of-call-report is delivered again", "When the end-of-call-report is delivered again",
		`^the end-of-call-report is delivered again$`, whenRedelivered),
	step("robustness", "the end-of-call-report arrives before the status-update ended", "When the end-of-call-report arrives before the status-update ended",
		`^the end-of-call-report arrives before the status-update ended$`, whenReportFirst),
	step("robustness", "the platform sends the EVENT with fields the documentation does not list", "When the platform sends the status-update with fields the documentation does not list",
		`^the platform sends the (assistant-request|status-update|tool-calls|end-of-call-report) with fields the documentation does not list$`, whenExtraFields),
	step("robustness", "N calls arrive at the same time", "When 20 calls arrive at the same time", `^(\d+) calls arrive at the same time$`, whenConcurrent),
	step("robustness", "all N calls are handled (every webhook answered with a 2xx in time)", "Then all 20 calls are handled",
		`^all (\d+) calls are handled$`, thenAllHandled),

	// signatures
	step("signatures", "webhooks are signed with the secret (skips the scenario without a secret)", "Given webhooks are signed with the secret",
		`^webhooks are signed with the secret$`, givenSigned),
	step("signatures", "the platform re-sends it "+strings.Join(probePhraseList(), " | "), "When the platform re-sends it with a tampered body",
		`^the platform re-sends it (.+)$`, whenProbe),
	step("signatures", "my server refuses it with 401 or 403", "Then my server refuses it with 401 or 403", `^my server refuses it with 401 or 403$`, thenRefused),

	// verdicts
	step("verdicts", "my server answers within N seconds (the last webhook sent)", "Then my server answers within 10 seconds",
		`^my server answers within (\d+(?:\.\d+)?) seconds?$`, thenAnswersWithin),
	step("verdicts", "my server accepts it with a 2xx (the last webhook sent)", "Then my server accepts it with a 2xx",
		`^my server accepts it with a 2xx$`, thenAccepts),
	step("verdicts", "the EVENT is acknowledged with a 2xx (every delivery of it)", "Then the end-of-call-report is acknowledged with a 2xx",
		`^the (assistant-request|tool-calls|status-update|end-of-call-report) is acknowledged with a 2xx$`, thenEventAcknowledged),
	step("verdicts", "the EVENT is acknowledged within N seconds", "Then the status-update is acknowledged within 5 seconds",
		`^the (assistant-request|tool-calls|status-update|end-of-call-report) is acknowledged within (\d+(?:\.\d+)?) seconds?$`, thenEventWithin),
	step("verdicts", "every webhook is answered with a 2xx in time", "Then every webhook is answered with a 2xx in time",
		`^every webhook is answered with a 2xx in time$`, thenAllAnswered),
	step("verdicts", "my server's replies use only documented keys", "Then my server's replies use only documented keys",
		`^my server's replies use only documented keys$`, thenDocumentedKeys),
	step("verdicts", `the check "ID" passes (on every webhook it applies to)`, `Then the check "tool-results-once" passes`,
		`^the check "([^"]*)" passes$`, thenCheckPasses),
	step("verdicts", "every check passes", "Then every check passes", `^every check passes$`, thenEveryCheck),

	// probe steps
	step("your own API (probe steps)", `I GET "URL" ({base}, {call_id}, … are replaced)`, `When I GET "{base}/calls/{call_id}"`,
		`^I GET "([^"]*)"$`, whenGet),
	step("your own API (probe steps)", "the response status is N", "Then the response status is 200", `^the response status is (\d+)$`, thenStatus),
	step("your own API (probe steps)", `the JSON at "PATH" equals VALUE (JSON, or "text" with {placeholders})`, `Then the JSON at "reports" equals 1`,
		`^the JSON at "([^"]*)" equals (.+)$`, thenJSONEquals),
	step("your own API (probe steps)", `the JSON at "PATH" contains "TEXT"`, `Then the JSON at "report.summary" contains "afspraak"`,
		`^the JSON at "([^"]*)" contains "([^"]*)"$`, thenJSONContains),
}, platformDefinitions...)

// begin returns the scenario state for a step that may run.
func begin(ctx context.Context) (*state, error) {
	st, err := current(ctx)
	if err != nil {
		return nil, err
	}
	return st, st.begin(ctx.Err())
}

// ---- call setup

func givenInboundFrom(ctx context.Context, from, to string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if err := st.notStarted("the call's numbers"); err != nil {
		return err
	}
	st.fo.Direction, st.customer, st.phone = sim.Inbound, &from, &to
	return nil
}

func givenDirection(d sim.Direction) func(context.Context) error {
	return func(ctx context.Context) error {
		st, err := begin(ctx)
		if err != nil {
			return err
		}
		if err := st.notStarted("the call's direction"); err != nil {
			return err
		}
		st.fo.Direction = d
		return nil
	}
}

func givenWebCall(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if err := st.notStarted("a web call"); err != nil {
		return err
	}
	st.fo.Direction, st.wide = sim.Web, sim.VariantWebCall
	return nil
}

func givenDialect(ctx context.Context, name string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if err := st.notStarted("the dialect"); err != nil {
		return err
	}
	if err := dialectName(name); err != nil {
		return err
	}
	k, err := st.l.kit(name)
	if err != nil {
		return err
	}
	if why := unsignedWithSecret(k.Dialect, st.l.cfg.Secret); why != "" {
		return skipWith("%s", why)
	}
	st.dialect = name
	return nil
}

var intentPhrases = map[string]sim.Intent{
	"book an appointment":       sim.BookAppointment,
	"reschedule an appointment": sim.Reschedule,
	"know the opening hours":    sim.OpeningHours,
	"know where an order is":    sim.OrderStatus,
	"make a complaint":          sim.Complaint,
	"be called back":            sim.Callback,
}

func intentPhraseList() []string {
	out := make([]string, 0, len(intentPhrases))
	for p := range intentPhrases {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

func setIntent(st *state, in sim.Intent) error {
	if err := st.notStarted("the caller's intent"); err != nil {
		return err
	}
	st.fo.Intent, st.intentSet = in, true
	return nil
}

func givenIntentPhrase(ctx context.Context, what string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	in, ok := intentPhrases[what]
	if !ok {
		return fmt.Errorf("the caller wants to %q: say one of %s, or use 'the caller's intent is \"NAME\"'", what, strings.Join(intentPhraseList(), ", "))
	}
	return setIntent(st, in)
}

func givenIntent(ctx context.Context, name string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	in, ok := sim.ParseIntent(name)
	if !ok {
		names := make([]string, len(sim.Intents))
		for i, x := range sim.Intents {
			names[i] = string(x)
		}
		return fmt.Errorf("unknown intent %q: use one of %s", name, strings.Join(names, ", "))
	}
	return setIntent(st, in)
}

func givenLanguage(ctx context.Context, lang string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if err := st.notStarted("the caller's language"); err != nil {
		return err
	}
	st.fo.Lang = map[string]string{"Dutch": "nl", "English": "en"}[lang]
	return nil
}

func givenName(ctx context.Context, name string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if err := st.notStarted("the caller's name"); err != nil {
		return err
	}
	st.persona = name
	return nil
}

func givenText(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if err := st.notStarted("the text case"); err != nil {
		return err
	}
	st.text, st.wide, st.persona = true, sim.VariantText, textPersona
	return nil
}

func givenLarge(ctx context.Context, mib string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if err := st.notStarted("the report size"); err != nil {
		return err
	}
	f, err := strconv.ParseFloat(mib, 64)
	if err != nil || f <= 0 || f > 1.8 {
		return fmt.Errorf("a report of %s MiB: give a size above 0 and at most 1.8 MiB", mib)
	}
	st.largeMiB = f
	return nil
}

// ---- the call's progress

// ready sends the assistant-request when it is due and answers the call, so
// that the call is in progress; it fails when the call is over.
func (st *state) ready(ctx context.Context) (*sim.Session, error) {
	s, err := st.call()
	if err != nil {
		return nil, err
	}
	if !s.Answered() && !s.Over() && s.Reply() == "" && st.plan.Direction != sim.Outbound && st.k.Dialect.Sends(sim.AssistantRequest) {
		if _, err := s.AssistantRequest(ctx, st.opts(sim.SendOptions{})); err != nil {
			return nil, err
		}
	}
	if s.Over() {
		return nil, st.overError()
	}
	if !s.Answered() {
		if _, err := s.Answer(ctx, st.opts(sim.SendOptions{})); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// overError explains why a call that is over cannot go on.
func (st *state) overError() error {
	switch st.sess.Reply() {
	case sim.ReplyReject:
		// A documented choice of the server, not a failure: the scenario
		// needs a call that goes on.
		return skipWith("my server rejected the call in its assistant-request reply; this scenario needs a call in progress")
	case sim.ReplyFailed:
		return st.blame(fmt.Sprintf("the call is over: the assistant-request failed and the %s dialect then ends the call", st.k.Dialect.Name()))
	}
	return sim.ErrCallOver
}

// blame is the error of a step that cannot do its job because of earlier
// failures: attributed to the checks that failed so far, when any did.
func (st *state) blame(what string) error {
	var ids, why []string
	for _, f := range st.findings() {
		if f.Verdict == sim.Fail && !slices.Contains(ids, f.Check) {
			ids = append(ids, f.Check)
			why = append(why, f.Check+": "+f.Detail)
		}
	}
	if len(ids) == 0 {
		return errors.New(what)
	}
	return &checkFailure{ids: ids, msg: what + " (" + strings.Join(why, "; ") + ")"}
}

// conversed plays the conversation once, if the call is still on.
func (st *state) converse(ctx context.Context, s *sim.Session) ([]*sim.Exchange, error) {
	if s.Over() || st.conversedOnce {
		return nil, nil
	}
	st.conversedOnce = true
	xs, err := s.Converse(ctx, st.opts(sim.SendOptions{}))
	if err == sim.ErrCallOver {
		return xs, nil
	}
	return xs, err
}

func whenAssistantRequest(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	s, err := st.call()
	if err != nil {
		return err
	}
	if st.plan.Direction == sim.Outbound {
		return skipWith("the platform sends no assistant-request for outbound calls")
	}
	if !st.k.Dialect.Sends(sim.AssistantRequest) {
		return skipWith("the %s dialect sends no assistant-request", st.k.Dialect.Name())
	}
	xs, err := s.AssistantRequest(ctx, st.opts(sim.SendOptions{}))
	st.last = xs
	return err
}

// assistantExchange is the call's assistant-request exchange.
func (st *state) assistantExchange() ([]*sim.Exchange, error) {
	xs := ofEvent(st.callExchanges(), sim.AssistantRequest)
	if len(xs) == 0 {
		return nil, fmt.Errorf("no assistant-request was sent: add 'When the platform sends the assistant-request'")
	}
	return xs[:1], nil
}

func thenDocumentedReply(configured bool) func(context.Context, string) error {
	return func(ctx context.Context, secs string) error {
		st, err := begin(ctx)
		if err != nil {
			return err
		}
		ar, err := st.assistantExchange()
		if err != nil {
			return err
		}
		err = st.expect(expectation{xs: ar, what: "the assistant-request reply", ids: func(x *sim.Exchange) []string {
			return []string{statusCheck(x), check.AssistantDeadline, check.ReplyJSON, check.ReplySize, check.AssistantShape}
		}})
		if err != nil {
			return err
		}
		n, _ := strconv.ParseFloat(secs, 64)
		if err := st.within(ar, n); err != nil {
			return err
		}
		if a := ar[0].Assistant; configured && a != nil && a.Kind == sim.ReplyReject {
			return fmt.Errorf("my server rejected the call (the caller hears %q) instead of configuring an assistant", a.Reject)
		}
		return nil
	}
}

func thenRejects(ctx context.Context, text string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	ar, err := st.assistantExchange()
	if err != nil {
		return err
	}
	a := ar[0].Assistant
	switch {
	case a == nil || a.Kind == sim.ReplyFailed:
		return fmt.Errorf("the assistant-request reply could not be used: %s", describe(ar[0]))
	case a.Kind != sim.ReplyReject:
		return fmt.Errorf("my server did not reject the call: its reply is of the %s kind", a.Kind)
	case a.Reject != text:
		return fmt.Errorf("my server rejected the call saying %q, not %q", a.Reject, text)
	}
	return nil
}

func thenDeclares(ctx context.Context, name string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	s, err := st.call()
	if err != nil {
		return err
	}
	if _, ok := s.Config().Tool(name); !ok {
		return fmt.Errorf("the assistant does not declare the tool %q; it declares %s", name, toolList(s.Config()))
	}
	return nil
}

func toolList(cfg *sim.AssistantConfig) string {
	if len(cfg.Tools) == 0 {
		return "no tools"
	}
	names := make([]string, len(cfg.Tools))
	for i, t := range cfg.Tools {
		names[i] = t.Name
	}
	return strings.Join(names, ", ")
}

func thenMaxDuration(ctx context.Context, secs int) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	s, err := st.call()
	if err != nil {
		return err
	}
	if got := int(s.Config().MaxDuration.Seconds()); got != secs {
		if got == 0 {
			return fmt.Errorf("the assistant has no max duration, expected %d seconds", secs)
		}
		return fmt.Errorf("the max duration is %d seconds, expected %d", got, secs)
	}
	return nil
}

// ---- tools

func (st *state) callTools(ctx context.Context, s *sim.Session, calls []sim.ToolCall, o sim.SendOptions) error {
	x, err := s.CallTools(ctx, calls, st.opts(o))
	if x != nil {
		st.last = []*sim.Exchange{x}
	}
	return err
}

func (st *state) toolCall(t sim.Tool, args json.RawMessage) sim.ToolCall {
	if args == nil {
		args = st.gen.ToolArguments(st.plan, t)
	}
	return sim.ToolCall{ID: st.gen.ToolCallID(), Name: t.Name, Arguments: args, Async: t.Async}
}

func (st *state) declared(s *sim.Session, name string) (sim.Tool, error) {
	t, ok := s.Config().Tool(name)
	if !ok {
		return t, fmt.Errorf("the assistant does not declare the tool %q, so the platform cannot call it; it declares %s", name, toolList(s.Config()))
	}
	return t, nil
}

func whenCallsTool(ctx context.Context, name string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	s, err := st.toolReady(ctx)
	if err != nil {
		return err
	}
	t, err := st.declared(s, name)
	if err != nil {
		return err
	}
	return st.callTools(ctx, s, []sim.ToolCall{st.toolCall(t, nil)}, sim.SendOptions{})
}

func whenCallsToolWith(ctx context.Context, name string, doc *godog.DocString) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	args := json.RawMessage(strings.TrimSpace(doc.Content))
	if !json.Valid(args) || !strings.HasPrefix(string(args), "{") {
		return fmt.Errorf("the arguments of %q must be a JSON object, got %q", name, doc.Content)
	}
	s, err := st.toolReady(ctx)
	if err != nil {
		return err
	}
	t, err := st.declared(s, name)
	if err != nil {
		return err
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, args); err != nil {
		return fmt.Errorf("the arguments of %q: %v", name, err)
	}
	return st.callTools(ctx, s, []sim.ToolCall{st.toolCall(t, compact.Bytes())}, sim.SendOptions{})
}

// toolReady makes the call ready for tool calls.
func (st *state) toolReady(ctx context.Context) (*sim.Session, error) {
	if _, err := st.call(); err != nil {
		return nil, err
	}
	if !st.k.Dialect.Sends(sim.ToolCalls) {
		return nil, skipWith("the %s dialect sends no tool-calls", st.k.Dialect.Name())
	}
	return st.ready(ctx)
}

// toolsOf returns the declared function tools of a kind.
func toolsOf(cfg *sim.AssistantConfig, async bool) []sim.Tool {
	var out []sim.Tool
	for _, t := range cfg.Tools {
		if t.Builtin == "" && t.Async == async {
			out = append(out, t)
		}
	}
	return out
}

func whenCallsKind(ctx context.Context, kind string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	s, err := st.toolReady(ctx)
	if err != nil {
		return err
	}
	tools := toolsOf(s.Config(), kind == "async")
	if len(tools) == 0 {
		return skipWith("the assistant my server configured declares no %s tool (it declares %s)", kind, toolList(s.Config()))
	}
	return st.callTools(ctx, s, []sim.ToolCall{st.toolCall(tools[0], nil)}, sim.SendOptions{})
}

func whenCallsSeveral(ctx context.Context, n int) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if n < 1 || n > 20 {
		return fmt.Errorf("call between 1 and 20 tools in one request, not %d", n)
	}
	s, err := st.toolReady(ctx)
	if err != nil {
		return err
	}
	tools := toolsOf(s.Config(), false)
	if len(tools) == 0 {
		return skipWith("the assistant my server configured declares no sync tool (it declares %s)", toolList(s.Config()))
	}
	calls := make([]sim.ToolCall, n)
	for i := range calls {
		calls[i] = st.toolCall(tools[i%len(tools)], nil)
	}
	return st.callTools(ctx, s, calls, sim.SendOptions{})
}

// lastTools returns the last tool-calls exchange.
func (st *state) lastTools() (*sim.Exchange, error) {
	xs := ofEvent(st.callExchanges(), sim.ToolCalls)
	if len(xs) == 0 {
		return nil, fmt.Errorf("no tool-calls were sent: add a step such as 'When the assistant calls \"NAME\"'")
	}
	return xs[len(xs)-1], nil
}

func thenOneResultEach(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	x, err := st.lastTools()
	if err != nil {
		return err
	}
	if !x.ReplyUsed {
		return fmt.Errorf("the last tool-calls were async: the platform reads no results from their reply")
	}
	return st.expect(expectation{xs: []*sim.Exchange{x}, what: "the tool-calls reply", ids: func(x *sim.Exchange) []string {
		return []string{statusCheck(x), check.ReplyJSON, check.ToolShape, check.ToolResultsOnce, check.ToolResultsKnown}
	}})
}

func thenResultContains(ctx context.Context, name, text string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	x, err := st.lastTools()
	if err != nil {
		return err
	}
	if x.Tools == nil {
		return fmt.Errorf("the tool-calls reply could not be read: %s", describe(x))
	}
	for _, c := range x.ToolCalls {
		if c.Name != name {
			continue
		}
		for _, r := range x.Tools.Results {
			if r.ID == c.ID {
				if strings.Contains(string(r.Result), text) || strings.Contains(r.Error, text) {
					return nil
				}
				return fmt.Errorf("the result for %q is %s%s, without %q", name, r.Result, r.Error, text)
			}
		}
		return fmt.Errorf("the reply has no result for %q (tool call id %s)", name, c.ID)
	}
	return fmt.Errorf("the last tool-calls did not call %q", name)
}

// ---- end of the call

func whenAnswered(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	s, err := st.call()
	if err != nil {
		return err
	}
	if s.Over() {
		return st.overError()
	}
	xs, err := s.Answer(ctx, st.opts(sim.SendOptions{}))
	st.last = xs
	return err
}

func whenConverse(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	s, err := st.ready(ctx)
	if err != nil {
		return err
	}
	xs, err := st.converse(ctx, s)
	st.last = xs
	return err
}

// wrapUp says what the call still has to say before it ends: the text
// case's lines and the long transcript.
func (st *state) wrapUp(s *sim.Session) {
	if st.text && !st.extras {
		st.extras = true
		for _, m := range textLines {
			s.Say(m.Role, m.Content, 0)
		}
	}
	if st.largeMiB > 0 && !st.padded {
		st.padded = true
		pad(s, st.plan, st.largeMiB)
	}
}

// reportOptions marks the report of a large call.
func (st *state) reportOptions() sim.SendOptions {
	if st.padded {
		return sim.SendOptions{Variant: sim.VariantLarge, Events: []sim.EventType{sim.EndOfCallReport},
			Mutate: largeCheck(st.dialect, st.largeMiB)}
	}
	return sim.SendOptions{}
}

func (st *state) end(ctx context.Context, status sim.Status, reason, errText string) error {
	s, err := st.ready(ctx)
	if err != nil {
		return err
	}
	st.wrapUp(s)
	xs, err := s.End(ctx, status, reason, errText, st.opts(sim.SendOptions{}))
	st.last = xs
	if err != nil {
		return err
	}
	ys, err := s.SendReport(ctx, st.opts(st.reportOptions()))
	st.last = append(st.last, ys...)
	return err
}

func whenEnds(ctx context.Context, reason string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	return st.end(ctx, sim.StatusEnded, reason, "")
}

func whenEndsWithError(ctx context.Context, text string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	return st.end(ctx, sim.StatusEndedWithError, sim.EndError, text)
}

func whenPlayed(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	s, err := st.call()
	if err != nil {
		return err
	}
	n := len(s.Exchanges())
	defer func() { st.last = plain(s.Exchanges()[n:]) }()
	if s.Over() {
		return nil
	}
	if _, err := st.ready(ctx); err != nil {
		if s.Over() {
			return nil // rejected or failed: the platform already sent what follows
		}
		return err
	}
	if _, err := st.converse(ctx, s); err != nil {
		return err
	}
	st.wrapUp(s)
	_, err = s.Finish(ctx, st.opts(st.reportOptions()))
	return err
}

// ---- robustness

// lastReport is the last end-of-call-report delivery of the call.
func (st *state) lastReport() (*sim.Exchange, error) {
	xs := ofEvent(st.callExchanges(), sim.EndOfCallReport)
	if len(xs) == 0 {
		// A call that an earlier failure ended sends none: blame that.
		return nil, st.blame("no end-of-call-report was sent yet: end the call first")
	}
	return xs[len(xs)-1], nil
}

func whenRedelivered(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	x, err := st.lastReport()
	if err != nil {
		return err
	}
	st.last = []*sim.Exchange{st.sess.Redeliver(ctx, x, sim.VariantRedelivery)}
	return nil
}

func whenReportFirst(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	s, err := st.ready(ctx)
	if err != nil {
		return err
	}
	if _, err := st.converse(ctx, s); err != nil {
		return err
	}
	st.wrapUp(s)
	o := sim.SendOptions{Variant: sim.VariantOutOfOrder}
	xs, err := s.SendReport(ctx, o)
	st.last = xs
	if err != nil {
		return err
	}
	ys, err := s.End(ctx, sim.StatusEnded, st.plan.EndReason, "", o)
	st.last = append(st.last, ys...)
	return err
}

func whenExtraFields(ctx context.Context, event string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	ev := sim.EventType(event)
	o := sim.SendOptions{Variant: sim.VariantExtraFields, Mutate: addExtraFields, Events: []sim.EventType{ev}}
	s, err := st.call()
	if err != nil {
		return err
	}
	if !st.k.Dialect.Sends(ev) {
		return skipWith("the %s dialect sends no %s", st.k.Dialect.Name(), ev)
	}
	var xs []*sim.Exchange
	switch ev {
	case sim.AssistantRequest:
		if st.plan.Direction == sim.Outbound {
			return skipWith("the platform sends no assistant-request for outbound calls")
		}
		xs, err = s.AssistantRequest(ctx, st.opts(o))
	case sim.StatusUpdate:
		if s.Reply() == "" && st.plan.Direction != sim.Outbound && st.k.Dialect.Sends(sim.AssistantRequest) {
			if _, err := s.AssistantRequest(ctx, st.opts(sim.SendOptions{})); err != nil {
				return err
			}
		}
		if s.Over() {
			return st.overError()
		}
		xs, err = s.Answer(ctx, st.opts(o))
	case sim.ToolCalls:
		if s, err = st.toolReady(ctx); err != nil {
			return err
		}
		tools := append(toolsOf(s.Config(), false), toolsOf(s.Config(), true)...)
		if len(tools) == 0 {
			return skipWith("the assistant my server configured declares no tool (it declares %s)", toolList(s.Config()))
		}
		var x *sim.Exchange
		x, err = s.CallTools(ctx, []sim.ToolCall{st.toolCall(tools[0], nil)}, st.opts(o))
		if x != nil {
			xs = []*sim.Exchange{x}
		}
	case sim.EndOfCallReport:
		if s, err = st.ready(ctx); err != nil {
			return err
		}
		if _, err := st.converse(ctx, s); err != nil {
			return err
		}
		if _, err := s.End(ctx, sim.StatusEnded, st.plan.EndReason, "", st.opts(sim.SendOptions{})); err != nil {
			return err
		}
		xs, err = s.SendReport(ctx, st.opts(o))
	}
	st.last = ofEvent(xs, ev)
	return err
}

func whenConcurrent(ctx context.Context, n int) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if n < 2 || n > 200 {
		return fmt.Errorf("play between 2 and 200 calls at the same time, not %d", n)
	}
	k, err := st.l.kit(st.dialect)
	if err != nil {
		return err
	}
	fo := st.fo
	if !st.intentSet {
		fo.Intent = "" // drawn: a mix of calls
	}
	results := make([]*sim.CallResult, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		plan, gen := k.Calls.Call(st.number+1+i, fo)
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			results[i], errs[i] = k.Engine.Play(ctx, plan, gen, sim.CallOptions{})
		}()
	}
	close(start)
	wg.Wait()
	st.last = nil
	for i, r := range results {
		if errs[i] != nil {
			return errs[i]
		}
		for _, x := range r.Exchanges {
			x.Request.Variant = sim.VariantConcurrent
			x.Findings = st.l.check(x)
		}
		st.extra = append(st.extra, r.Exchanges...)
		st.last = append(st.last, r.Exchanges...)
	}
	st.concurrent = n
	return nil
}

func thenAllHandled(ctx context.Context, n int) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if st.concurrent != n {
		return fmt.Errorf("%d calls were played at the same time, not %d", st.concurrent, n)
	}
	return st.expect(expectation{xs: st.extra, what: "the simultaneous calls", ids: answered})
}

// ---- signatures

// signable says why the scenario's deliveries carry no signature, or "".
func (st *state) unsigned() string {
	if st.l.cfg.Secret == "" {
		return "no webhook secret: give --secret (or FLIREO_WEBHOOK_SECRET) to test signatures"
	}
	k, err := st.l.kit(st.dialect)
	if err == nil && k.Dialect.Plain() {
		return fmt.Sprintf("the %s dialect sends no signatures (G1 documents none)", st.dialect)
	}
	return ""
}

func givenSigned(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if why := st.unsigned(); why != "" {
		return skipWith("%s", why)
	}
	return nil
}

var probePhrases = map[string]sim.Probe{
	"without a signature":               sim.ProbeUnsigned,
	"with a tampered body":              sim.ProbeTampered,
	"signed with a wrong secret":        sim.ProbeWrongSecret,
	"with a timestamp 10 minutes old":   sim.ProbeStale,
	"with a timestamp 10 minutes ahead": sim.ProbeFuture,
	"correctly signed as indented JSON": sim.ProbeReformatted,
}

func probePhraseList() []string {
	var out []string
	for _, p := range kit.Probes() {
		for k, v := range probePhrases {
			if v == p {
				out = append(out, k)
			}
		}
	}
	return out
}

func whenProbe(ctx context.Context, how string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	p, ok := probePhrases[how]
	if !ok {
		return fmt.Errorf("re-send it %q: say %s", how, strings.Join(probePhraseList(), ", "))
	}
	if why := st.unsigned(); why != "" {
		return skipWith("%s", why)
	}
	base := plain(st.last)
	if len(base) == 0 {
		return fmt.Errorf("nothing to re-send: a When step must send a webhook first")
	}
	st.last = []*sim.Exchange{st.sess.Probe(ctx, base[len(base)-1], p)}
	return nil
}

func thenRefused(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	xs, err := st.lastAction()
	if err != nil {
		return err
	}
	if xs[len(xs)-1].Request.Probe == sim.ProbeNone || xs[len(xs)-1].Request.Probe == sim.ProbeReformatted {
		return fmt.Errorf("the last webhook was correctly signed: re-send it with a bad signature first")
	}
	return st.expect(expectation{xs: xs[len(xs)-1:], what: "the re-sent webhook", ids: func(*sim.Exchange) []string {
		return []string{check.SignatureEnforced}
	}})
}

// ---- verdicts

func thenAnswersWithin(ctx context.Context, secs string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	xs, err := st.lastAction()
	if err != nil {
		return err
	}
	if err := st.expect(expectation{xs: xs, what: "the last webhook", ids: answered}); err != nil {
		return err
	}
	n, _ := strconv.ParseFloat(secs, 64)
	return st.within(xs, n)
}

func thenAccepts(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	xs, err := st.lastAction()
	if err != nil {
		return err
	}
	return st.expect(expectation{xs: xs, what: "the last webhook", ids: func(x *sim.Exchange) []string { return []string{statusCheck(x)} }})
}

func (st *state) deliveries(event string) ([]*sim.Exchange, error) {
	xs := ofEvent(st.exchanges(), sim.EventType(event))
	if len(xs) == 0 {
		return nil, st.blame(fmt.Sprintf("no %s was sent in this scenario", event))
	}
	return xs, nil
}

func thenEventAcknowledged(ctx context.Context, event string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	xs, err := st.deliveries(event)
	if err != nil {
		return err
	}
	return st.expect(expectation{xs: xs, what: "the " + event, ids: func(x *sim.Exchange) []string { return []string{statusCheck(x)} }})
}

func thenEventWithin(ctx context.Context, event, secs string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	xs, err := st.deliveries(event)
	if err != nil {
		return err
	}
	if err := st.expect(expectation{xs: xs, what: "the " + event, ids: answered}); err != nil {
		return err
	}
	n, _ := strconv.ParseFloat(secs, 64)
	return st.within(xs, n)
}

func thenAllAnswered(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	return st.expect(expectation{xs: plain(st.exchanges()), what: "the webhooks of this scenario", ids: answered})
}

func thenDocumentedKeys(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	var xs []*sim.Exchange
	for _, x := range plain(st.exchanges()) {
		if x.ReplyUsed {
			xs = append(xs, x)
		}
	}
	if len(xs) == 0 {
		return fmt.Errorf("no webhook whose reply the platform reads (assistant-request, sync tool-calls) was sent")
	}
	return st.expect(expectation{xs: xs, what: "the replies", ids: func(*sim.Exchange) []string { return []string{check.UnknownReplyKeys} }})
}

func thenCheckPasses(ctx context.Context, id string) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	if _, ok := check.Find(id); !ok {
		return fmt.Errorf("unknown check %q: known checks are %s", id, strings.Join(check.IDs(), ", "))
	}
	applies := false
	for _, x := range st.exchanges() {
		for _, f := range x.Findings {
			applies = applies || f.Check == id
		}
	}
	if !applies {
		return fmt.Errorf("the check %s did not apply to any webhook of this scenario", id)
	}
	return st.expect(expectation{xs: st.exchanges(), what: "the webhooks of this scenario", ids: func(*sim.Exchange) []string { return []string{id} }})
}

func thenEveryCheck(ctx context.Context) error {
	st, err := begin(ctx)
	if err != nil {
		return err
	}
	xs := st.exchanges()
	return st.expect(expectation{xs: xs, what: "the webhooks of this scenario", ids: func(x *sim.Exchange) []string {
		ids := make([]string, 0, len(x.Findings))
		for _, f := range x.Findings {
			if !slices.Contains(ids, f.Check) {
				ids = append(ids, f.Check)
			}
		}
		return ids
	}})
}
