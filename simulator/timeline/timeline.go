// Package timeline renders played calls for people (a readable timeline of
// exchanges, verdicts and transcript) and for machines (JSON). The text for
// people shows what came from the server escaped for a terminal
// (termsafe); the JSON keeps it as it came.
package timeline

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/internal/termsafe"
	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// Options tune the text output.
type Options struct {
	Transcript bool // print the conversation after the timeline
	Color      bool // ANSI colours for verdicts
}

// Header writes the line that introduces a call.
func Header(w io.Writer, p *sim.CallPlan, dialect string) {
	who := "web caller"
	if p.Customer != "" {
		who = p.Customer
	}
	callee := p.PhoneName
	if p.PhoneNumber != "" {
		callee += " " + p.PhoneNumber
	}
	fmt.Fprintf(w, "call %s · %s %s · %s · %s (%s) → %s · dialect %s · seed %d #%d%s\n",
		p.ID, p.Direction, p.Intent, p.Lang, p.Persona.Name(), who, strings.TrimSpace(callee), dialect, p.RunSeed, p.Number, clockNote(p))
}

// clockNote is " · clock T": when the call was placed, for plans that say.
func clockNote(p *sim.CallPlan) string {
	if p.Anchor.IsZero() {
		return ""
	}
	return " · clock " + p.Anchor.UTC().Format(time.RFC3339Nano)
}

// Exchange writes one exchange: what was sent, the reply, what the simulator
// did with it and the failed findings.
func Exchange(w io.Writer, start time.Time, x *sim.Exchange, o Options) {
	at := x.At.Sub(start).Seconds()
	what := string(x.Event)
	switch {
	case x.Request.Probe != "":
		what += " [probe " + string(x.Request.Probe) + "]"
	case x.Event == sim.StatusUpdate:
		what += " " + string(x.Status)
	case x.Event == sim.ToolCalls:
		names := make([]string, len(x.ToolCalls))
		for i, c := range x.ToolCalls {
			names[i] = c.Name + args(c.Arguments)
		}
		what += " " + strings.Join(names, ", ")
	}
	fmt.Fprintf(w, "  %+7.1fs  %s\n", at, termsafe.Line(what))
	fmt.Fprintf(w, "            → %s\n", reply(x))
	if x.Action != "" {
		fmt.Fprintf(w, "            %s\n", termsafe.Line(x.Action))
	}
	for _, f := range x.Findings {
		if f.Verdict != sim.Fail {
			continue
		}
		mark := "✗"
		if o.Color {
			mark = "\x1b[31m✗\x1b[0m"
			if f.Severity == sim.Should {
				mark = "\x1b[33m!\x1b[0m"
			}
		} else if f.Severity == sim.Should {
			mark = "!"
		}
		fmt.Fprintf(w, "            %s %s %s: %s\n", mark, f.Severity, f.Check, termsafe.Line(f.Detail))
	}
}

func args(a json.RawMessage) string {
	if len(a) == 0 {
		return "()"
	}
	s := string(a)
	if r := []rune(s); len(r) > 70 {
		s = string(r[:70]) + "…"
	}
	return "(" + s + ")"
}

func reply(x *sim.Exchange) string {
	r := x.Response
	var b strings.Builder
	if r.Status > 0 {
		fmt.Fprintf(&b, "%d %s · %s", r.Status, http.StatusText(r.Status), size(r.Size))
	} else {
		b.WriteString("no reply")
	}
	if x.Request.Deadline > 0 {
		fmt.Fprintf(&b, " · %s of %s", Duration(r.Latency), Duration(x.Request.Deadline))
	} else {
		fmt.Fprintf(&b, " · %s", Duration(r.Latency))
	}
	if r.Failure != nil {
		fmt.Fprintf(&b, " · %s: %s", r.Failure.Kind, termsafe.Line(r.Failure.Detail))
	}
	return b.String()
}

func size(n int64) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 10<<10:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// Duration prints a latency readably (µs, ms or s with sensible precision).
func Duration(d time.Duration) string {
	switch {
	case d <= 0:
		return "0s"
	case d < time.Millisecond:
		return fmt.Sprintf("%dµs", d.Microseconds())
	case d < 10*time.Millisecond:
		return fmt.Sprintf("%.1fms", float64(d)/float64(time.Millisecond))
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	}
	return fmt.Sprintf("%.2fs", d.Seconds())
}

// Call writes a whole call: header, exchanges, transcript and a summary line.
func Call(w io.Writer, res *sim.CallResult, dialect string, o Options) {
	Header(w, res.Plan, dialect)
	for _, x := range res.Exchanges {
		Exchange(w, res.Plan.Start, x, o)
	}
	if o.Transcript && res.Report != nil {
		Transcript(w, res.Plan.Start, res.Report.Messages)
	}
	Summary(w, res)
}

// Transcript writes the conversation.
func Transcript(w io.Writer, start time.Time, msgs []sim.Message) {
	fmt.Fprintln(w, "  transcript:")
	for _, m := range msgs {
		who := "caller   "
		if m.Role == sim.RoleAssistant {
			who = "assistant"
		}
		fmt.Fprintf(w, "  %+7.1fs  %s  %s\n", m.At.Sub(start).Seconds(), who, termsafe.Line(m.Content))
	}
}

// Counts tallies the findings of a call by severity and verdict.
type Counts struct {
	MustPass, MustFail, ShouldPass, ShouldFail int
}

// Count tallies findings.
func Count(fs []sim.Finding) Counts {
	var c Counts
	for _, f := range fs {
		switch {
		case f.Severity == sim.Must && f.Verdict == sim.Pass:
			c.MustPass++
		case f.Severity == sim.Must && f.Verdict == sim.Fail:
			c.MustFail++
		case f.Severity == sim.Should && f.Verdict == sim.Pass:
			c.ShouldPass++
		case f.Severity == sim.Should && f.Verdict == sim.Fail:
			c.ShouldFail++
		}
	}
	return c
}

// Summary writes one line about the call's outcome and checks.
func Summary(w io.Writer, res *sim.CallResult) {
	c := Count(res.Findings())
	verdict := "PASS"
	if c.MustFail > 0 {
		verdict = "FAIL"
	}
	dur := ""
	if res.Report != nil {
		dur = fmt.Sprintf(" · %s long", res.Report.Duration().Round(time.Second))
	}
	fmt.Fprintf(w, "  %s · %d exchanges · %s (%s)%s · must %d/%d passed · should %d/%d passed",
		verdict, len(res.Exchanges), res.Status, termsafe.Line(res.EndReason), dur,
		c.MustPass, c.MustPass+c.MustFail, c.ShouldPass, c.ShouldPass+c.ShouldFail)
	if failed := FailedChecks(res.Findings()); len(failed) > 0 {
		fmt.Fprintf(w, " · failed: %s", strings.Join(failed, ", "))
	}
	if res.Aborted != nil {
		fmt.Fprintf(w, " · interrupted")
	}
	fmt.Fprintln(w)
}

// FailedChecks lists the distinct IDs of failed findings, sorted.
func FailedChecks(fs []sim.Finding) []string {
	seen := map[string]bool{}
	var ids []string
	for _, f := range fs {
		if f.Verdict == sim.Fail && !seen[f.Check] {
			seen[f.Check] = true
			ids = append(ids, f.Check)
		}
	}
	sort.Strings(ids)
	return ids
}

// Doc is the JSON form of a played call.
type Doc struct {
	Call struct {
		ID          string `json:"id"`
		Direction   string `json:"direction"`
		Intent      string `json:"intent"`
		Lang        string `json:"lang"`
		Customer    string `json:"customer"`
		PhoneNumber string `json:"phone_number"`
		Seed        int64  `json:"seed"`
		Number      int    `json:"number"`
		Clock       string `json:"clock,omitempty"` // when the call was placed (RFC 3339): --clock replays it
	} `json:"call"`
	Dialect         string       `json:"dialect"`
	Reply           string       `json:"reply,omitempty"`
	Status          string       `json:"status"`
	EndReason       string       `json:"end_reason"`
	DurationSeconds float64      `json:"duration_seconds"`
	Verdict         string       `json:"verdict"`
	Failed          []string     `json:"failed_checks"`
	Exchanges       []DocExch    `json:"exchanges"`
	Transcript      []DocMessage `json:"transcript"`
	Interrupted     bool         `json:"interrupted,omitempty"`
}

// DocExch is one exchange in a Doc.
type DocExch struct {
	Seq        int               `json:"seq"`
	Event      string            `json:"event"`
	CallStatus string            `json:"call_status"`
	AtSeconds  float64           `json:"at_seconds"`
	URL        string            `json:"url"`
	Probe      string            `json:"probe,omitempty"`
	Headers    map[string]string `json:"request_headers"`
	Request    json.RawMessage   `json:"request"`
	StatusCode int               `json:"status_code"`
	LatencyMS  float64           `json:"latency_ms"`
	DeadlineMS float64           `json:"deadline_ms"`
	ReplyBytes int64             `json:"reply_bytes"`
	Reply      any               `json:"reply"`
	Failure    *sim.Failure      `json:"failure,omitempty"`
	Action     string            `json:"action,omitempty"`
	Findings   []DocFinding      `json:"findings"`
}

// DocFinding is one finding in a Doc.
type DocFinding struct {
	Check    string `json:"check"`
	Severity string `json:"severity"`
	Verdict  string `json:"verdict"`
	Detail   string `json:"detail,omitempty"`
}

// DocMessage is one transcript line in a Doc.
type DocMessage struct {
	Role      string  `json:"role"`
	Content   string  `json:"content"`
	AtSeconds float64 `json:"at_seconds"`
}

// JSON builds the JSON form of a call.
func JSON(res *sim.CallResult, dialect string) Doc {
	p := res.Plan
	var d Doc
	d.Call.ID, d.Call.Direction, d.Call.Intent, d.Call.Lang = p.ID, string(p.Direction), string(p.Intent), p.Lang
	d.Call.Customer, d.Call.PhoneNumber, d.Call.Seed, d.Call.Number = p.Customer, p.PhoneNumber, p.RunSeed, p.Number
	if !p.Anchor.IsZero() {
		d.Call.Clock = p.Anchor.UTC().Format(time.RFC3339Nano)
	}
	d.Dialect, d.Reply, d.Status, d.EndReason = dialect, string(res.Reply), string(res.Status), res.EndReason
	d.Verdict = "pass"
	if res.Failed(sim.Must) {
		d.Verdict = "fail"
	}
	d.Failed = FailedChecks(res.Findings())
	if d.Failed == nil {
		d.Failed = []string{}
	}
	d.Interrupted = res.Aborted != nil
	for _, x := range res.Exchanges {
		e := DocExch{
			Seq: x.Seq, Event: string(x.Event), CallStatus: string(x.Status), AtSeconds: x.At.Sub(p.Start).Seconds(),
			URL: x.Request.URL, Probe: string(x.Request.Probe), Headers: map[string]string{},
			StatusCode: x.Response.Status, LatencyMS: ms(x.Response.Latency), DeadlineMS: ms(x.Request.Deadline),
			ReplyBytes: x.Response.Size, Failure: x.Response.Failure, Action: x.Action, Findings: []DocFinding{},
		}
		for k := range x.Response.SentHeader {
			e.Headers[k] = x.Response.SentHeader.Get(k)
		}
		body := x.Response.SentBody
		if body == nil {
			body = x.Request.Body
		}
		if json.Valid(body) {
			e.Request = body
		} else {
			e.Request, _ = json.Marshal(string(body))
		}
		if json.Valid(x.Response.Body) {
			e.Reply = json.RawMessage(x.Response.Body)
		} else if len(x.Response.Body) > 0 {
			s := string(x.Response.Body)
			if len(s) > 4096 {
				s = s[:4096]
			}
			e.Reply = strings.ToValidUTF8(s, "�")
		}
		for _, f := range x.Findings {
			e.Findings = append(e.Findings, DocFinding{f.Check, string(f.Severity), string(f.Verdict), f.Detail})
		}
		d.Exchanges = append(d.Exchanges, e)
	}
	if res.Report != nil {
		d.DurationSeconds = res.Report.Duration().Seconds()
		for _, m := range res.Report.Messages {
			d.Transcript = append(d.Transcript, DocMessage{string(m.Role), m.Content, m.At.Sub(p.Start).Seconds()})
		}
	}
	return d
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
