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
body that would be sent and sends nothing.

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

func runSend(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	fs := newFlags("send", sendUsage)
	var f simFlags
	f.register(fs, true)
	var sets setFlags
	fs.Var(&sets, "set", "path=value override of the rendered body (repeatable)")
	bodyFile := fs.String("body", "", "send this file's bytes instead of the rendered body")
	status := fs.String("status", "in-progress", "status-update status: in-progress, ended or ended-with-error")
	intent := fs.String("intent", "book-appointment", "the call the event is taken from")
	printOnly := fs.Bool("print", false, "print the body that would be sent and send nothing")
	// The event name may come before or after the flags.
	var event string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		event, args = args[0], args[1:]
	}
	if err := fs.parse(args, stdout); err != nil {
		return err
	}
	if event == "" && fs.NArg() > 0 {
		event = fs.Arg(0)
	}
	if event == "" {
		return usagef("send: name the event: assistant-request, tool-calls, status-update or end-of-call-report")
	}
	ev, ok := sim.ParseEventType(event)
	if !ok {
		return usagef("send: unknown event %q: use assistant-request, tool-calls, status-update or end-of-call-report", event)
	}
	st := sim.Status(*status)
	if st != sim.StatusInProgress && st != sim.StatusEnded && st != sim.StatusEndedWithError {
		return usagef("send: --status %q: use in-progress, ended or ended-with-error", *status)
	}
	in, err := parseIntent(*intent)
	if err != nil {
		return err
	}
	if *printOnly && f.target == "" {
		f.target = "http://127.0.0.1/print-only"
	}
	o, err := f.options(env)
	if err != nil {
		return err
	}
	k, err := newKit(o)
	if err != nil {
		return err
	}
	defer k.Close()
	if !k.Dialect.Sends(ev) {
		return usagef("send: the %s dialect has no %s event", k.Dialect.Name(), ev)
	}
	req, calls, err := renderOne(ctx, k, ev, st, in)
	if err != nil {
		return err
	}
	if *bodyFile != "" {
		b, err := os.ReadFile(*bodyFile)
		if err != nil {
			return usagef("--body: %v", err)
		}
		if !json.Valid(b) {
			return usagef("--body %s is not valid JSON; fix the file or send it with --set overrides of a rendered body", *bodyFile)
		}
		req.Body = b
	}
	for _, s := range sets {
		path, value, ok := strings.Cut(s, "=")
		if !ok || path == "" {
			return usagef("--set %q: use path=value, e.g. --set message.call.id=abc", s)
		}
		b, err := jsonpath.Set(req.Body, path, jsonpath.Value(value))
		if err != nil {
			return usagef("--set %s: %v", path, err)
		}
		req.Body = b
	}
	if ev == sim.ToolCalls {
		calls = toolCallsIn(req.Body, calls)
	}
	if *printOnly {
		text, _ := pretty(req.Body)
		fmt.Fprintln(stdout, text)
		return nil
	}
	if _, err := preflight(ctx, req.URL); err != nil {
		return err
	}
	x := k.Engine.Deliver(ctx, req, calls)
	fmt.Fprintf(stdout, "sent %s (%d bytes, dialect %s) to %s\n", ev, len(req.Body), k.Dialect.Name(), req.URL)
	timeline.Exchange(stdout, x.At, x, timeline.Options{Color: env.stdoutTTY && env.getenv("NO_COLOR") == ""})
	if len(x.Response.Body) > 0 {
		fmt.Fprintln(stdout, "  reply:")
		text, ok := pretty(x.Response.Body)
		if !ok {
			text = strings.ToValidUTF8(string(x.Response.Body[:min(len(x.Response.Body), 2048)]), "�")
		}
		for _, line := range strings.Split(text, "\n") {
			fmt.Fprintln(stdout, "    "+line)
		}
	}
	c := timeline.Count(x.Findings)
	fmt.Fprintf(stdout, "  must %d/%d passed · should %d/%d passed\n", c.MustPass, c.MustPass+c.MustFail, c.ShouldPass, c.ShouldPass+c.ShouldFail)
	if x.Failed(sim.Must) {
		var ids []string
		for _, f := range x.Findings {
			if f.Verdict == sim.Fail && f.Severity == sim.Must {
				ids = append(ids, f.Check)
			}
		}
		return failedError{"the server failed: " + strings.Join(ids, ", ")}
	}
	return nil
}

// pretty indents JSON for people; ok is false when b is not JSON.
func pretty(b []byte) (string, bool) {
	var buf bytes.Buffer
	if json.Indent(&buf, b, "", "  ") != nil {
		return "", false
	}
	return buf.String(), true
}

// renderOne plays the call offline (no network) and returns the first
// rendered request of the event type, with the tool calls it carries.
func renderOne(ctx context.Context, k *kit.Kit, ev sim.EventType, st sim.Status, in sim.Intent) (sim.Request, []sim.ToolCall, error) {
	def, err := kit.ParseAssistant(k.Dialect, json.RawMessage(sampleAssistant))
	if err != nil {
		return sim.Request{}, nil, err
	}
	ref, err := integrator.New(integrator.Options{})
	if err != nil {
		return sim.Request{}, nil, err
	}
	dry := *k.Engine
	dry.Sender = offline{ref}
	dry.Checker = nil
	dry.Observe = nil
	dry.Pace = 0
	dry.Default = def
	fo := fake.Options{Intent: in, ErrorRate: 0}
	for n := 1; n <= 50; n++ {
		plan, gen := k.Calls.Call(n, fo)
		if st == sim.StatusEndedWithError {
			plan.Error, plan.ErrorAfter = "STT connection failed", len(plan.Turns)/2
		}
		res, err := dry.Play(ctx, plan, gen)
		if err != nil {
			return sim.Request{}, nil, err
		}
		for _, x := range res.Exchanges {
			if x.Event == ev && (ev != sim.StatusUpdate || x.Status == st) {
				req := x.Request
				req.URL = k.Engine.Target
				return req, x.ToolCalls, nil
			}
		}
	}
	return sim.Request{}, nil, fmt.Errorf("no %s event in 50 sample calls of intent %s: try another --intent", ev, in)
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
