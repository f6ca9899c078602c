// Package check is the catalogue of conformance checks: each turns an
// exchange into a finding with an ID, a severity and the spec section it
// enforces.
package check

import (
	"fmt"
	"sort"
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// Check is one entry of the catalogue.
type Check struct {
	ID       string
	Severity sim.Severity
	Title    string // one line: what a conforming server does
	Spec     string // the spec section it enforces
	// Eval returns the verdict on x and, for failures, the detail in words.
	// It returns Skip when the check does not apply to x.
	Eval func(x *sim.Exchange) (sim.Verdict, string)
	// Stored, when set, says what the server's own API must show for this
	// check (probe steps such as 'Then the JSON at "reports" equals 1'
	// judge it in scenarios tagged with the check's ID); "" when only
	// webhook exchanges judge the check.
	Stored string
}

// Check IDs. They are a contract: reports, baselines and scenarios name them.
const (
	AssistantDeadline = "assistant-request-deadline"
	ToolDeadline      = "tool-calls-deadline"
	AckDeadline       = "ack-deadline"
	HTTP2xx           = "http-2xx"
	ReplyComplete     = "reply-complete"
	ReplyJSON         = "reply-json"
	ReplyUTF8         = "reply-utf8"
	ReplySize         = "reply-size"
	AssistantShape    = "assistant-reply-shape"
	ToolShape         = "tool-reply-shape"
	ToolResultsOnce   = "tool-results-once"
	ToolResultsKnown  = "tool-results-known-ids"
	UnknownReplyKeys  = "reply-unknown-keys"
	SignatureEnforced = "signature-enforced"
	SignatureRawBody  = "signature-raw-body"
	ReportRedelivery  = "report-redelivery"
	ReportBeforeEnded = "report-before-ended"
	UnknownFields     = "unknown-fields"
	WebCall           = "web-call"
	LargeReport       = "large-report"
	TextPreserved     = "text-preserved"
	ConcurrentCalls   = "concurrent-calls"
)

// Catalogue returns every check, in report order.
func Catalogue() []Check {
	return []Check{
		{AssistantDeadline, sim.Must, "assistant-request is answered within its deadline (5 s)", "§1.2.2, §1.3", deadline(sim.AssistantRequest, false), ""},
		{ToolDeadline, sim.Must, "sync tool-calls are answered within their deadline (10 s)", "§1.2.3, §1.3", deadline(sim.ToolCalls, false), ""},
		{AckDeadline, sim.Should, "status-update, end-of-call-report and async tool-calls are acknowledged quickly (configurable, default 5 s)", "§4, §9", deadline("", true), ""},
		{HTTP2xx, sim.Must, "every webhook is answered with a 2xx status", "§1.2.4, §1.2.5, §4", status2xx, ""},
		{ReplyComplete, sim.Must, "every reply arrives whole: headers within 1 MiB, the whole body (its Content-Length, well-formed chunks), no reset or close mid-reply", "§1.3, §4", replyComplete, ""},
		{ReplyJSON, sim.Must, "replies the platform reads (assistant-request, sync tool-calls) are JSON", "§1.2.2, §1.2.3", replyJSON, ""},
		{ReplyUTF8, sim.Must, "replies the platform reads are UTF-8 (the platform reads invalid bytes as U+FFFD; the call goes on with that text)", "§1.0, RFC 8259 §8.1", replyUTF8, ""},
		{ReplySize, sim.Must, "replies the platform reads fit in the read cap (1 MiB)", "§1.3", replySize, ""},
		{AssistantShape, sim.Must, "the assistant-request reply has a documented shape ({}, assistant, assistant_id + assistant_override, error, max duration)", "§1.2.2, §1.1.1", assistantShape, ""},
		{ToolShape, sim.Must, "the tool-calls reply has a documented format (results[], result, direct object, error)", "§1.2.3, §1.1.2", toolShape, ""},
		{ToolResultsOnce, sim.Must, "every tool call id gets exactly one result", "§1.1.2, §1.2.3", resultsOnce, ""},
		{ToolResultsKnown, sim.Must, "no result names a tool call id that was not asked", "§1.1.2, §1.2.3", resultsKnown, ""},
		{UnknownReplyKeys, sim.Should, "reply keys are documented spellings (the platform silently ignores others)", "§8 rows 4, 5, 12", unknownKeys, ""},
		{SignatureEnforced, sim.Must, "webhooks with a missing, tampered, wrong-secret, stale or future-dated signature are refused with 401 or 403", "§3.2, §3.3", signatureEnforced, ""},
		{SignatureRawBody, sim.Must, "a correctly signed body that is valid but not compact JSON is accepted (verify the raw bytes)", "§3.2, §3.4", signatureRawBody, ""},
		{ReportRedelivery, sim.Must, "an end-of-call-report delivered a second time is acknowledged with a 2xx and stored once", "§4, §1.2.5",
			variantAck(sim.VariantRedelivery, "delivered a second time", "acknowledge every delivery and store reports idempotently by call id"),
			"the report is stored once (GET /calls/{call_id}: reports is 1)"},
		{ReportBeforeEnded, sim.Must, "an end-of-call-report that arrives before the status-update ended, and that status-update, are acknowledged with a 2xx", "§4",
			variantAck(sim.VariantOutOfOrder, "sent before the status-update ended", "delivery order is not guaranteed: accept a report for a call that has not ended yet"), ""},
		{UnknownFields, sim.Must, "a webhook with fields the documentation does not list is accepted like the documented one", "§1.2.1, §8",
			variantAck(sim.VariantExtraFields, "with extra fields", "ignore fields you do not know: the platform adds fields without notice"), ""},
		{WebCall, sim.Must, "a web call, whose customer and phone numbers are null, is handled like a phone call", "§2.3, §8 row 30",
			variantAck(sim.VariantWebCall, "of a web call (null customer and phone numbers)", "web calls have no phone numbers: treat the numbers as optional"), ""},
		{LargeReport, sim.Should, "an end-of-call-report of 1 MiB (a long call's transcript) is acknowledged", "§1.2.5",
			variantAck(sim.VariantLarge, "of 1 MiB", "allow webhook bodies of a few MiB (many frameworks stop at 100 KiB or 1 MiB by default)"), ""},
		{TextPreserved, sim.Should, "text with Dutch diacritics and emoji is accepted and kept exactly as sent (UTF-8)", "§1.0, §3.2",
			variantAck(sim.VariantText, "with Dutch diacritics and emoji", "read the body as UTF-8"),
			"the stored summary equals the one sent (GET /calls/{call_id}: report.summary)"},
		{ConcurrentCalls, sim.Must, "every webhook of 20 calls played at the same time is answered with a 2xx", "§4",
			variantAck(sim.VariantConcurrent, "during 20 simultaneous calls", "handle webhooks concurrently; the platform does not wait for one call before the next"), ""},
	}
}

// Set evaluates a list of checks; it implements simulator.Checker.
type Set struct {
	checks []Check
}

// New returns a Set of the whole catalogue, or of the named checks.
func New(ids ...string) (*Set, error) {
	all := Catalogue()
	if len(ids) == 0 {
		return &Set{checks: all}, nil
	}
	var s Set
	for _, id := range ids {
		c, ok := Find(id)
		if !ok {
			return nil, fmt.Errorf("unknown check %q: known checks are %s", id, strings.Join(IDs(), ", "))
		}
		s.checks = append(s.checks, c)
	}
	return &s, nil
}

// Find returns the check with this ID.
func Find(id string) (Check, bool) {
	for _, c := range Catalogue() {
		if c.ID == id {
			return c, true
		}
	}
	return Check{}, false
}

// IDs lists every check ID.
func IDs() []string {
	cs := Catalogue()
	ids := make([]string, len(cs))
	for i, c := range cs {
		ids[i] = c.ID
	}
	return ids
}

// Check returns one finding per applicable check.
func (s *Set) Check(x *sim.Exchange) []sim.Finding {
	var out []sim.Finding
	for _, c := range s.checks {
		v, detail := c.Eval(x)
		if v == sim.Skip {
			continue
		}
		out = append(out, sim.Finding{Check: c.ID, Severity: c.Severity, Verdict: v, Detail: detail, Seq: x.Seq})
	}
	return out
}

func pass() (sim.Verdict, string)                   { return sim.Pass, "" }
func skip() (sim.Verdict, string)                   { return sim.Skip, "" }
func fail(f string, a ...any) (sim.Verdict, string) { return sim.Fail, fmt.Sprintf(f, a...) }

// deadline checks one event type (ack: the acknowledged events instead).
func deadline(ev sim.EventType, ack bool) func(x *sim.Exchange) (sim.Verdict, string) {
	return func(x *sim.Exchange) (sim.Verdict, string) {
		if x.Request.Probe != "" || x.Request.Deadline <= 0 {
			return skip()
		}
		isAck := x.Event == sim.StatusUpdate || x.Event == sim.EndOfCallReport || (x.Event == sim.ToolCalls && !x.ReplyUsed)
		if ack != isAck || (!ack && x.Event != ev) {
			return skip()
		}
		r := x.Response
		if r.Failure != nil && r.Failure.Kind == sim.FailTimeout {
			return fail("%s: no complete reply within %s", x.Event, round(x.Request.Deadline))
		}
		if r.Status == 0 {
			return skip() // no reply for another reason: http-2xx reports it
		}
		if r.Latency > x.Request.Deadline {
			return fail("%s answered in %s, deadline %s", x.Event, round(r.Latency), round(x.Request.Deadline))
		}
		return pass()
	}
}

func status2xx(x *sim.Exchange) (sim.Verdict, string) {
	if x.Request.Probe != "" || x.Request.Variant != sim.VariantNone {
		return skip() // the variant's own check judges its status
	}
	r := x.Response
	if r.Failure != nil && r.Failure.Kind == sim.FailTimeout {
		return skip() // the deadline checks report timeouts
	}
	if r.Failure != nil && r.Failure.Kind == sim.FailIncomplete && r.Status == 0 {
		return skip() // reply-complete reports headers that never ended
	}
	if r.Status == 0 {
		return fail("%s: no HTTP reply (%s)", x.Event, failureText(r))
	}
	if r.Status < 200 || r.Status > 299 {
		return fail("%s answered HTTP %d%s", x.Event, r.Status, bodyHint(r))
	}
	return pass()
}

// usedReply reports whether x carries a 2xx reply that the platform reads.
func usedReply(x *sim.Exchange) bool {
	r := x.Response
	if x.Request.Probe != "" || !x.ReplyUsed || r.Status < 200 || r.Status > 299 {
		return false
	}
	return r.Failure == nil || r.Failure.Kind == sim.FailNonJSON || r.Failure.Kind == sim.FailOversized
}

// replyComplete fails a reply that did not arrive whole, whatever its
// status: a 200 cut short is not an answer.
func replyComplete(x *sim.Exchange) (sim.Verdict, string) {
	r := x.Response
	if r.Failure != nil && r.Failure.Kind == sim.FailIncomplete {
		what := string(x.Event)
		if x.Request.Probe != "" {
			what += " (" + string(x.Request.Probe) + " signature probe)"
		}
		return fail("%s: the reply did not arrive whole: %s", what, r.Failure.Detail)
	}
	if r.Status == 0 {
		return skip() // no reply at all: http-2xx or the deadline checks report it
	}
	return pass()
}

func replyJSON(x *sim.Exchange) (sim.Verdict, string) {
	if !usedReply(x) {
		return skip()
	}
	if f := x.Response.Failure; f != nil && f.Kind == sim.FailNonJSON {
		ct := x.Response.Header.Get("Content-Type")
		if ct != "" {
			return fail("%s reply is not JSON (Content-Type %s): %s", x.Event, ct, f.Detail)
		}
		return fail("%s reply is not JSON: %s", x.Event, f.Detail)
	}
	if f := x.Response.Failure; f != nil && f.Kind == sim.FailOversized {
		return skip()
	}
	return pass()
}

// replyUTF8 fails a used reply that had to be repaired: invalid UTF-8
// becomes U+FFFD in what the call says.
func replyUTF8(x *sim.Exchange) (sim.Verdict, string) {
	if !usedReply(x) || x.Response.Failure != nil {
		return skip()
	}
	if x.Repaired != "" {
		return fail("%s: %s", x.Event, x.Repaired)
	}
	return pass()
}

func replySize(x *sim.Exchange) (sim.Verdict, string) {
	if !usedReply(x) {
		return skip()
	}
	if f := x.Response.Failure; f != nil && f.Kind == sim.FailOversized {
		return fail("%s: %s", x.Event, f.Detail)
	}
	return pass()
}

func assistantShape(x *sim.Exchange) (sim.Verdict, string) {
	if x.Event != sim.AssistantRequest || x.Assistant == nil || !usedReply(x) || x.Response.Failure != nil {
		return skip()
	}
	if len(x.Assistant.Problems) > 0 {
		return fail("assistant-request reply: %s", strings.Join(x.Assistant.Problems, "; "))
	}
	return pass()
}

func toolShape(x *sim.Exchange) (sim.Verdict, string) {
	if x.Event != sim.ToolCalls || x.Tools == nil || !usedReply(x) {
		return skip()
	}
	if len(x.Tools.Problems) > 0 {
		return fail("tool-calls reply: %s", strings.Join(x.Tools.Problems, "; "))
	}
	return pass()
}

func resultsOnce(x *sim.Exchange) (sim.Verdict, string) {
	if x.Event != sim.ToolCalls || x.Tools == nil || !usedReply(x) {
		return skip()
	}
	count := map[string]int{}
	for _, r := range x.Tools.Results {
		count[r.ID]++
	}
	var missing, twice []string
	for _, c := range x.ToolCalls {
		switch n := count[c.ID]; {
		case n == 0:
			missing = append(missing, c.ID+" ("+c.Name+")")
		case n > 1:
			twice = append(twice, fmt.Sprintf("%s (%d results)", c.ID, n))
		}
	}
	var why []string
	if len(missing) > 0 {
		why = append(why, "no result for "+strings.Join(missing, ", "))
	}
	if len(twice) > 0 {
		why = append(why, "more than one result for "+strings.Join(twice, ", "))
	}
	if len(why) > 0 {
		return fail("%s", strings.Join(why, "; "))
	}
	return pass()
}

func resultsKnown(x *sim.Exchange) (sim.Verdict, string) {
	if x.Event != sim.ToolCalls || x.Tools == nil || !usedReply(x) {
		return skip()
	}
	asked := map[string]bool{}
	for _, c := range x.ToolCalls {
		asked[c.ID] = true
	}
	var unknown []string
	for _, r := range x.Tools.Results {
		if r.ID != "" && !asked[r.ID] {
			unknown = append(unknown, r.ID)
		}
	}
	if len(unknown) > 0 {
		ids := make([]string, 0, len(x.ToolCalls))
		for _, c := range x.ToolCalls {
			ids = append(ids, c.ID)
		}
		return fail("results for ids that were not asked: %s (asked: %s)", strings.Join(unknown, ", "), strings.Join(ids, ", "))
	}
	return pass()
}

func unknownKeys(x *sim.Exchange) (sim.Verdict, string) {
	var keys []string
	if x.Response.Failure != nil {
		return skip()
	}
	switch {
	case x.Assistant != nil && usedReply(x):
		keys = x.Assistant.Unknown
	case x.Tools != nil && usedReply(x):
		keys = x.Tools.Unknown
	default:
		return skip()
	}
	if len(keys) > 0 {
		sorted := append([]string(nil), keys...)
		sort.Strings(sorted)
		return fail("%s reply has keys the platform ignores: %s", x.Event, strings.Join(sorted, "; "))
	}
	return pass()
}

// refusingProbes are the probes a verifying server must refuse.
var refusingProbes = map[sim.Probe]string{
	sim.ProbeUnsigned:    "without a signature",
	sim.ProbeTampered:    "with a tampered body",
	sim.ProbeWrongSecret: "signed with a wrong secret",
	sim.ProbeStale:       "with a timestamp 10 minutes old",
	sim.ProbeFuture:      "with a timestamp 10 minutes ahead",
}

func signatureEnforced(x *sim.Exchange) (sim.Verdict, string) {
	what, ok := refusingProbes[x.Request.Probe]
	if !ok {
		return skip()
	}
	r := x.Response
	switch {
	case r.Status == 401 || r.Status == 403:
		return pass()
	case r.Status == 0:
		return fail("%s %s: no reply (%s); expected 401 or 403", x.Event, what, failureText(r))
	default:
		return fail("%s %s was answered HTTP %d; expected 401 or 403", x.Event, what, r.Status)
	}
}

func signatureRawBody(x *sim.Exchange) (sim.Verdict, string) {
	if x.Request.Probe != sim.ProbeReformatted {
		return skip()
	}
	r := x.Response
	if r.Status >= 200 && r.Status <= 299 {
		return pass()
	}
	if r.Failure != nil && r.Failure.Kind == sim.FailTimeout {
		// Acceptance cannot be told from a late reply; the deadline check of
		// the re-sent event reports the slowness, as for http-2xx.
		return skip()
	}
	if r.Status == 0 {
		return fail("%s with a valid signature over indented JSON: no reply (%s)", x.Event, failureText(r))
	}
	return fail("%s with a valid signature over indented JSON was answered HTTP %d: verify the signature over the raw body bytes, before parsing", x.Event, r.Status)
}

func failureText(r sim.Response) string {
	if r.Failure != nil {
		return r.Failure.Detail
	}
	return "unknown failure"
}

func bodyHint(r sim.Response) string {
	s := strings.Join(strings.Fields(string(r.Body)), " ")
	if s == "" {
		return ""
	}
	if r := []rune(s); len(r) > 80 {
		s = string(r[:80]) + "…"
	}
	return ": " + s
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	}
	return d
}

// variantAck judges the deliveries of one robustness variant: each must be
// answered with a 2xx. Timeouts are left to the deadline checks. what
// describes the delivery, advice says what to do about a failure.
func variantAck(v sim.Variant, what, advice string) func(x *sim.Exchange) (sim.Verdict, string) {
	return func(x *sim.Exchange) (sim.Verdict, string) {
		if x.Request.Variant != v || x.Request.Probe != "" {
			return skip()
		}
		r := x.Response
		switch {
		case r.Failure != nil && r.Failure.Kind == sim.FailTimeout:
			return skip()
		case r.Failure != nil && r.Failure.Kind == sim.FailIncomplete && r.Status == 0:
			return skip() // reply-complete reports it
		case r.Status == 0:
			return fail("%s %s: no HTTP reply (%s)", x.Event, what, failureText(r))
		case r.Status < 200 || r.Status > 299:
			return fail("%s %s was answered HTTP %d%s; %s", x.Event, what, r.Status, bodyHint(r), advice)
		}
		return pass()
	}
}
