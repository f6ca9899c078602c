package simulator

import (
	"context"
	"fmt"
	"strings"
)

// toolGroup is the tools one tool-calls request carries: one destination
// URL and kind (sync or async).
type toolGroup struct {
	url   string
	async bool
	tools []Tool
}

// groupTools groups tools by destination URL and kind, in order.
func (c *call) groupTools(tools []Tool) []*toolGroup {
	var groups []*toolGroup
	for _, t := range tools {
		u := c.set.target
		if t.URL != "" {
			u = t.URL
		}
		var g *toolGroup
		for _, x := range groups {
			if x.url == u && x.async == t.Async {
				g = x
			}
		}
		if g == nil {
			g = &toolGroup{url: u, async: t.Async}
			groups = append(groups, g)
		}
		g.tools = append(g.tools, t)
	}
	return groups
}

// toolWait is the wait of a tool-calls delivery: sync tools are read within
// their deadline, async ones only acknowledged.
func (c *call) toolWait(async bool) wait {
	if async {
		return wait{c.e.Deadlines.Ack, false}
	}
	return wait{c.e.Deadlines.ToolCalls, true}
}

// useTools calls the tools a turn needs: one tool-calls request per
// destination URL and kind (sync tools together, async tools together). It
// returns the assistant's follow-up line.
func (c *call) useTools(ctx context.Context, tools []Tool) (string, bool, error) {
	var lines []string
	for _, g := range c.groupTools(tools) {
		calls := make([]ToolCall, len(g.tools))
		for i, t := range g.tools {
			calls[i] = ToolCall{ID: c.toolCallID(), Name: t.Name, Arguments: c.gen.ToolArguments(c.plan, t), Async: t.Async}
		}
		more, ended, err := c.callTools(ctx, g.url, g.tools, calls, g.async)
		if err != nil || ended {
			return "", true, err
		}
		lines = append(lines, more...)
	}
	return strings.Join(lines, " "), false, nil
}

// callTools sends one tool-calls request and returns the assistant's
// follow-up lines; ended reports that the failure policy ended the call.
func (c *call) callTools(ctx context.Context, url string, tools []Tool, calls []ToolCall, async bool) (lines []string, ended bool, err error) {
	ev := &Event{Type: ToolCalls, Plan: c.plan, At: c.now, Status: StatusInProgress, ToolCalls: calls, Config: c.cfg}
	_, err = c.send(ctx, ev, url, c.toolWait(async), func(x *Exchange) {
		lines, ended = c.toolReply(x, tools, calls, async)
	})
	return lines, ended, err
}

// toolReply reads a tool-calls reply as the platform does and returns the
// assistant's follow-up lines: an async tool's response, the lines shaped by
// the results, or apologies for a failure. ended reports that the failure
// policy ended the call. It sets x.Action. The call's timeline does not take
// the measured latency: the same seed gives the same payloads whatever the
// server's speed.
func (c *call) toolReply(x *Exchange, tools []Tool, calls []ToolCall, async bool) (lines []string, ended bool) {
	if async {
		for _, t := range tools {
			if t.AsyncResponse != "" {
				lines = append(lines, t.AsyncResponse)
			} else {
				lines = append(lines, c.gen.ToolFollowUp(c.plan, t, nil, ""))
			}
		}
		x.Action = "async tool: fire-and-forget, the reply is not used"
		return lines, false
	}
	c.interpret(x, nil)
	failure := replyProblem(&x.Response)
	if failure == "" && x.Tools != nil && len(x.Tools.Problems) > 0 {
		failure = x.Tools.Problems[0]
	}
	if failure != "" {
		return c.toolFailed(x, tools, failure)
	}
	return c.toolResults(x, tools, calls), false
}

// toolFailed handles a failed sync tool call per Policy.ToolFailure.
func (c *call) toolFailed(x *Exchange, tools []Tool, failure string) (lines []string, ended bool) {
	c.unmet = true
	x.Action = "tool call failed (" + failure + ")"
	if c.e.Policy.ToolFailure == ToolEndCall {
		x.Action += ": the call ends with an error"
		c.errMsg = "tool " + tools[0].Name + " failed: " + failure
		c.endBy(StatusEndedWithError, EndError)
		return nil, true
	}
	x.Action += ": the assistant apologises and goes on"
	for _, t := range tools {
		lines = append(lines, c.gen.ToolFollowUp(c.plan, t, nil, failure))
	}
	return lines, false
}

// toolResults shapes the assistant's lines by the results of a sync tool call.
func (c *call) toolResults(x *Exchange, tools []Tool, calls []ToolCall) []string {
	var lines, used []string
	for i, t := range tools {
		var r *ToolResult
		if x.Tools != nil {
			r = resultFor(x.Tools.Results, calls[i].ID)
		}
		if r == nil {
			c.unmet = true
			lines = append(lines, c.gen.ToolFollowUp(c.plan, t, nil, "no result for this tool call"))
			continue
		}
		if strings.TrimSpace(r.Error) != "" {
			c.unmet = true
		}
		lines = append(lines, c.gen.ToolFollowUp(c.plan, t, r, r.Error))
		used = append(used, t.Name)
	}
	if len(used) > 0 {
		x.Action = fmt.Sprintf("results (%s format) used for %s", x.Tools.Format, strings.Join(used, ", "))
	} else {
		x.Action = "no usable result: the assistant apologises"
	}
	return lines
}

func resultFor(rs []ToolResult, id string) *ToolResult {
	for i := range rs {
		if rs[i].ID == id {
			return &rs[i]
		}
	}
	return nil
}
