package scenarios

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/cucumber/godog"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
)

// toolSteps are the steps of the "tools" topic.
var toolSteps = []def{
	step("tools", `the assistant calls "TOOL" (arguments generated from its parameters)`, `When the assistant calls "check_availability"`,
		`^the assistant calls "([^"]*)"$`, do1((*state).callsTool)),
	step("tools", `the assistant calls "TOOL" with: (a doc string with the JSON arguments)`, "When the assistant calls \"book_appointment\" with:\n  \"\"\"\n  {\"name\": \"Jan de Vries\", \"date\": \"2030-02-04\", \"time\": \"10:30\"}\n  \"\"\"",
		`^the assistant calls "([^"]*)" with:$`, do2((*state).callsToolWith)),
	step("tools", "the assistant calls one of its sync|async tools (skips the scenario when none is declared)", "When the assistant calls one of its async tools",
		`^the assistant calls one of its (sync|async) tools$`, do1((*state).callsKind)),
	step("tools", "the assistant calls N of its tools in one request", "When the assistant calls 3 of its tools in one request",
		`^the assistant calls (\d+) of its tools in one request$`, do1((*state).callsSeveral)),
	step("tools", "every tool call gets exactly one result", "Then every tool call gets exactly one result",
		`^every tool call gets exactly one result$`, do((*state).oneResultEach)),
	step("tools", `the result for "TOOL" contains "TEXT"`, `Then the result for "book_appointment" contains "confirmed"`,
		`^the result for "([^"]*)" contains "([^"]*)"$`, do2((*state).resultContains)),
}

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

// callNamed calls the declared tool name with args (nil: generated).
func (st *state) callNamed(ctx context.Context, name string, args json.RawMessage) error {
	s, err := st.toolReady(ctx)
	if err != nil {
		return err
	}
	t, err := st.declared(s, name)
	if err != nil {
		return err
	}
	return st.callTools(ctx, s, []sim.ToolCall{st.toolCall(t, args)}, sim.SendOptions{})
}

func (st *state) callsTool(ctx context.Context, name string) error {
	return st.callNamed(ctx, name, nil)
}

func (st *state) callsToolWith(ctx context.Context, name string, doc *godog.DocString) error {
	args, err := toolArguments(name, doc.Content)
	if err != nil {
		return err
	}
	return st.callNamed(ctx, name, args)
}

// toolArguments reads the JSON object of a tool's arguments, compacted.
func toolArguments(name, text string) (json.RawMessage, error) {
	args := []byte(strings.TrimSpace(text))
	if !json.Valid(args) || !strings.HasPrefix(string(args), "{") {
		return nil, fmt.Errorf("the arguments of %q must be a JSON object, got %q", name, text)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, args); err != nil {
		return nil, fmt.Errorf("the arguments of %q: %v", name, err)
	}
	return compact.Bytes(), nil
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

// toolsOfKind makes the call ready and returns its declared tools of a
// kind; it skips the scenario when there are none.
func (st *state) toolsOfKind(ctx context.Context, kind string) (*sim.Session, []sim.Tool, error) {
	s, err := st.toolReady(ctx)
	if err != nil {
		return nil, nil, err
	}
	tools := toolsOf(s.Config(), kind == "async")
	if len(tools) == 0 {
		return nil, nil, skipWith("the assistant my server configured declares no %s tool (it declares %s)", kind, toolList(s.Config()))
	}
	return s, tools, nil
}

func (st *state) callsKind(ctx context.Context, kind string) error {
	s, tools, err := st.toolsOfKind(ctx, kind)
	if err != nil {
		return err
	}
	return st.callTools(ctx, s, []sim.ToolCall{st.toolCall(tools[0], nil)}, sim.SendOptions{})
}

// maxToolsAtOnce bounds the tool calls of one request.
const maxToolsAtOnce = 20

func (st *state) callsSeveral(ctx context.Context, n int) error {
	if n < 1 || n > maxToolsAtOnce {
		return fmt.Errorf("call between 1 and 20 tools in one request, not %d", n)
	}
	s, tools, err := st.toolsOfKind(ctx, "sync")
	if err != nil {
		return err
	}
	calls := make([]sim.ToolCall, n)
	for i := range calls {
		calls[i] = st.toolCall(tools[i%len(tools)], nil)
	}
	return st.callTools(ctx, s, calls, sim.SendOptions{})
}

// lastTools returns the last tool-calls exchange.
func (st *state) lastTools() (*sim.Exchange, error) {
	return st.lastOf(sim.ToolCalls, func() error {
		return fmt.Errorf("no tool-calls were sent: add a step such as 'When the assistant calls \"NAME\"'")
	})
}

// lastOf is the call's last delivery of an event; missing is the error
// when there is none.
func (st *state) lastOf(ev sim.EventType, missing func() error) (*sim.Exchange, error) {
	xs := ofEvent(st.callExchanges(), ev)
	if len(xs) == 0 {
		return nil, missing()
	}
	return xs[len(xs)-1], nil
}

func (st *state) oneResultEach(context.Context) error {
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

func (st *state) resultContains(_ context.Context, name, text string) error {
	x, err := st.lastTools()
	if err != nil {
		return err
	}
	return toolResultContains(x, name, text)
}

// toolResultContains says why the reply to the tool-calls x has no result
// for the tool name that contains text; nil when it has.
func toolResultContains(x *sim.Exchange, name, text string) error {
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
