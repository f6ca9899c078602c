package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"github.com/flireo-sim/flireo-sim/internal/termsafe"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/jsonpath"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
	"github.com/flireo-sim/flireo-sim/simulator/timeline"
)

const sendUsage = `
Usage: flireo-sim send EVENT --target URL [--set path=value ...] [--body FILE] [flags]

Sends one event, rendered in the chosen dialect from a realistic call and signed,
and prints the reply and the verdicts. EVENT is assistant-request, tool-calls,
status-update or end-of-call-report.

--set replaces the value at a dotted path of the rendered body (message.call.id,
message.tool_call_list.0.function.arguments.query); the value is JSON when it parses
as JSON (42, true, null, {"a":1}, "quoted") and a string otherwise. --body sends a
file's bytes instead of the rendered body (--set still applies). --print shows the
request that would be sent (headers, signed now, and body) and sends nothing;
--print=body shows only the body.

Examples:
  flireo-sim send assistant-request --target http://127.0.0.1:8080/webhook
  flireo-sim send status-update --status ended-with-error --target http://127.0.0.1:8080/webhook
  flireo-sim send tool-calls --target http://127.0.0.1:8080/webhook --set message.tool_call_list.0.function.arguments.query="Jan de Vries"
  flireo-sim send end-of-call-report --dialect flireo-camel --print --target http://127.0.0.1:8080/webhook`

// sampleAssistant declares the tools and analysis plan used to render
// tool-calls and end-of-call-report events for send.
const sampleAssistant = `{
  "first_message": "Goedemiddag, waarmee kan ik u helpen?",
  "llm_config": {"tools": [
    {"name": "lookup_contact", "description": "Look up contact information by name or phone number",
     "parameters": {"type": "object", "properties": {"query": {"type": "string", "description": "Name or phone number to search"}}, "required": ["query"]}},
    {"name": "check_availability", "description": "Free appointment slots on a date",
     "parameters": {"type": "object", "properties": {"date": {"type": "string", "format": "date"}}, "required": ["date"]}},
    {"name": "book_appointment", "description": "Book an appointment",
     "parameters": {"type": "object", "properties": {"name": {"type": "string"}, "date": {"type": "string", "format": "date"}, "time": {"type": "string", "format": "time"}, "email": {"type": "string", "format": "email"}}, "required": ["name", "date", "time"]}},
    {"name": "lookup_order", "description": "Order status", "parameters": {"type": "object", "properties": {"order_id": {"type": "string"}}, "required": ["order_id"]}},
    {"name": "create_ticket", "description": "Register a complaint", "parameters": {"type": "object", "properties": {"description": {"type": "string"}, "severity": {"type": "string", "enum": ["low", "medium", "high"]}}, "required": ["description"]}},
    {"name": "request_callback", "description": "Ask a colleague to call back", "async": true, "async_response": "Ik zorg dat u wordt teruggebeld.",
     "parameters": {"type": "object", "properties": {"phone": {"type": "string"}, "preferred_time": {"type": "string"}}, "required": ["phone"]}}
  ]},
  "analysis_plan": {"structured_data_plan": {"enabled": true, "schema": {"type": "object", "properties": {
    "sentiment": {"type": "string", "enum": ["positive", "neutral", "negative"]},
    "intent": {"type": "string"}, "appointment_booked": {"type": "boolean"}}}}, "min_messages_threshold": 2},
  "metadata": {"crm_id": "12345"}
}`

type setFlags []string

func (s *setFlags) String() string     { return strings.Join(*s, ", ") }
func (s *setFlags) Set(v string) error { *s = append(*s, v); return nil }

// sendFlags are the flags of the send command beyond the common ones.
type sendFlags struct {
	event    sim.EventType
	status   sim.Status
	intent   sim.Intent
	sets     setFlags
	bodyFile string
	print    printMode
}

func runSend(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	sf, k, err := parseSend(args, stdout, env)
	if err != nil {
		return err
	}
	defer k.Close()
	req, calls, err := sf.request(ctx, k)
	if err != nil {
		return err
	}
	if sf.print != printNothing {
		printRequestOf(ctx, stdout, req, k.Options, sf.print)
		return nil
	}
	if _, err := preflight(ctx, req.URL); err != nil {
		return err
	}
	x := k.Engine.Deliver(ctx, req, calls)
	fmt.Fprintf(stdout, "sent %s (%d bytes, dialect %s, %s) to %s\n", sf.event, len(req.Body), k.Dialect.Name(),
		seedLine(k.Options.Seed, k.Options.Clock), termsafe.Line(req.URL))
	printDelivery(stdout, x, env.stdoutTTY && env.getenv("NO_COLOR") == "")
	return deliveryVerdict(x)
}

// request is the request to send: the event rendered from the sample call,
// edited by --body and --set, with the tool calls it carries.
func (sf *sendFlags) request(ctx context.Context, k *kit.Kit) (sim.Request, []sim.ToolCall, error) {
	if !k.Dialect.Sends(sf.event) {
		return sim.Request{}, nil, usagef("send: the %s dialect has no %s event", k.Dialect.Name(), sf.event)
	}
	req, calls, err := renderOne(ctx, k, sf.event, sf.status, sf.intent)
	if err != nil {
		return req, nil, err
	}
	if req.Body, err = sf.edit(req.Body); err != nil {
		return req, nil, err
	}
	if sf.event == sim.ToolCalls {
		calls = toolCallsIn(req.Body, calls)
	}
	return req, calls, nil
}

// parseSend reads the send command's event and flags and wires the kit.
func parseSend(args []string, stdout io.Writer, env environment) (sendFlags, *kit.Kit, error) {
	fs := newFlags("send", sendUsage)
	var f simFlags
	f.registerTarget(fs, true)
	f.registerSeed(fs)
	f.registerDeadlines(fs)
	var sf sendFlags
	fs.Var(&sf.sets, "set", "path=value override of the rendered body (repeatable)")
	bodyFile := fs.String("body", "", "send this file's bytes instead of the rendered body")
	status := fs.String("status", "in-progress", "status-update status: in-progress, ended or ended-with-error")
	intent := fs.String("intent", "book-appointment", "the call the event is taken from")
	fs.Var(&sf.print, "print", "print the request that would be sent (--print=body: only its body) and send nothing")
	fs.group(groupShape, "intent", "status")
	fs.group("Body", "set", "body")
	fs.group(groupOutput, "print")
	// The event name may come before or after the flags.
	var event string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		event, args = args[0], args[1:]
	}
	if err := fs.parse(args, stdout); err != nil {
		return sf, nil, err
	}
	if event == "" && fs.NArg() > 0 {
		event = fs.Arg(0)
	}
	sf.bodyFile = *bodyFile
	if err := sf.parseEvent(event, *status, *intent); err != nil {
		return sf, nil, err
	}
	if sf.print != printNothing && f.target == "" {
		f.target = printOnlyTarget
	}
	o, err := f.options(env)
	if err != nil {
		return sf, nil, err
	}
	k, err := newKit(o)
	return sf, k, err
}

// parseEvent reads the event name, --status and --intent.
func (sf *sendFlags) parseEvent(event, status, intent string) error {
	if event == "" {
		return usagef("send: name the event: assistant-request, tool-calls, status-update or end-of-call-report")
	}
	ev, ok := sim.ParseEventType(event)
	if !ok {
		return usagef("send: unknown event %q%s: use assistant-request, tool-calls, status-update or end-of-call-report", event, eventHint(event))
	}
	st := sim.Status(status)
	if st != sim.StatusInProgress && st != sim.StatusEnded && st != sim.StatusEndedWithError {
		return usagef("send: --status %q: use in-progress, ended or ended-with-error", status)
	}
	in, err := parseIntent(intent)
	sf.event, sf.status, sf.intent = ev, st, in
	return err
}

// edit applies --body and the --set overrides to a rendered body.
func (sf *sendFlags) edit(body []byte) ([]byte, error) {
	if sf.bodyFile != "" {
		b, err := os.ReadFile(sf.bodyFile)
		if err != nil {
			return nil, usagef("--body: %v", err)
		}
		if !json.Valid(b) {
			return nil, usagef("--body %s is not valid JSON; fix the file or send it with --set overrides of a rendered body", sf.bodyFile)
		}
		body = b
	}
	for _, s := range sf.sets {
		path, value, ok := strings.Cut(s, "=")
		if !ok || path == "" {
			return nil, usagef("--set %q: use path=value, e.g. --set message.call.id=abc", s)
		}
		b, err := jsonpath.Set(body, path, jsonpath.Value(value))
		if err != nil {
			return nil, usagef("--set %s: %v", path, err)
		}
		body = b
	}
	return body, nil
}

// printDelivery prints a one-off exchange: its timeline line, the reply and
// the count of verdicts.
func printDelivery(w io.Writer, x *sim.Exchange, color bool) {
	timeline.Exchange(w, x.At, x, timeline.Options{Color: color})
	printReply(w, x.Response.Body, sendReplyLimits)
	c := timeline.Count(x.Findings)
	fmt.Fprintf(w, "  must %d/%d passed · should %d/%d passed\n", c.MustPass, c.MustPass+c.MustFail, c.ShouldPass, c.ShouldPass+c.ShouldFail)
}

// deliveryVerdict fails when the exchange failed a must check.
func deliveryVerdict(x *sim.Exchange) error {
	if !x.Failed(sim.Must) {
		return nil
	}
	var ids []string
	for _, f := range x.Findings {
		if f.Verdict == sim.Fail && f.Severity == sim.Must {
			ids = append(ids, f.Check)
		}
	}
	return failedError{"the server failed: " + strings.Join(ids, ", ")}
}

// renderOne plays the sample call offline (no network, against the
// reference integrator in process) up to the phase that sends the event,
// and returns that request with the tool calls it carries.
func renderOne(ctx context.Context, k *kit.Kit, ev sim.EventType, st sim.Status, in sim.Intent) (sim.Request, []sim.ToolCall, error) {
	def, err := kit.ParseAssistant(k.Dialect, json.RawMessage(sampleAssistant))
	if err != nil {
		return sim.Request{}, nil, err
	}
	ref, err := integrator.New(integrator.Options{})
	if err != nil {
		return sim.Request{}, nil, err
	}
	plan, gen := k.Calls.Call(1, fake.Options{Intent: in, ErrorRate: 0})
	if st == sim.StatusEndedWithError {
		plan.Error, plan.ErrorAfter = "STT connection failed", len(plan.Turns)/2
	}
	s := k.Engine.NewSession(plan, gen, sim.CallOptions{Sender: offline{ref}, Default: def, Observe: func(*sim.Exchange) {}})
	if _, err := s.AdvanceTo(ctx, phaseOf(ev, st), sim.SendOptions{}); err != nil {
		return sim.Request{}, nil, err
	}
	for _, x := range s.Exchanges() {
		if x.Event == ev && (ev != sim.StatusUpdate || x.Status == st) {
			req := x.Request
			req.URL = k.Engine.Target
			return req, x.ToolCalls, nil
		}
	}
	return sim.Request{}, nil, fmt.Errorf("the sample call of intent %s sends no %s event: try another --intent", in, ev)
}

// phaseOf is the phase of a call that sends the event (with the status).
func phaseOf(ev sim.EventType, st sim.Status) sim.Phase {
	switch {
	case ev == sim.AssistantRequest:
		return sim.PhaseAsked
	case ev == sim.StatusUpdate && st == sim.StatusInProgress:
		return sim.PhaseAnswered
	case ev == sim.ToolCalls:
		return sim.PhaseConversed
	case ev == sim.StatusUpdate:
		return sim.PhaseEnded
	}
	return sim.PhaseReported
}

// offline delivers to the reference integrator in process, without a
// network, so that the sample call's replies are realistic.
type offline struct{ h http.Handler }

func (o offline) Send(_ context.Context, req sim.Request) sim.Response {
	r := httptest.NewRequest(http.MethodPost, "/webhook", bytes.NewReader(req.Body))
	w := httptest.NewRecorder()
	o.h.ServeHTTP(w, r)
	body := w.Body.Bytes()
	return sim.Response{Status: w.Code, Header: w.Header(), Body: body, Size: int64(len(body)), SentBody: req.Body}
}

// toolCallsIn reads the tool calls of a (possibly edited) tool-calls body in
// any dialect, so that the verdicts judge the ids actually sent.
func toolCallsIn(body []byte, fallback []sim.ToolCall) []sim.ToolCall {
	var doc struct {
		Message struct {
			Snake []toolItem `json:"tool_call_list"`
			Camel []toolItem `json:"toolCallList"`
		} `json:"message"`
		Tasks []struct {
			ID   string `json:"taskId"`
			Name string `json:"taskName"`
		} `json:"tasksInitiated"`
	}
	if json.Unmarshal(body, &doc) != nil {
		return fallback
	}
	async := map[string]bool{}
	for _, c := range fallback {
		async[c.Name] = c.Async
	}
	var out []sim.ToolCall
	for _, it := range append(doc.Message.Snake, doc.Message.Camel...) {
		out = append(out, sim.ToolCall{ID: it.ID, Name: it.Function.Name, Arguments: it.Function.Arguments, Async: async[it.Function.Name]})
	}
	for _, t := range doc.Tasks {
		out = append(out, sim.ToolCall{ID: t.ID, Name: t.Name, Async: async[t.Name]})
	}
	if out == nil {
		return fallback
	}
	return out
}

type toolItem struct {
	ID       string `json:"id"`
	Function struct {
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
	} `json:"function"`
}
