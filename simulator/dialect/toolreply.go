package dialect

import (
	"encoding/json"
	"fmt"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// ParseToolReply reads a tool-calls reply; see simulator.Dialect.
func (d *dialect) ParseToolReply(body []byte, calls []simulator.ToolCall) *simulator.ToolReply {
	ps := &parser{}
	rep := &simulator.ToolReply{}
	defer func() {
		rep.Problems = ps.problems
		rep.Unknown = ps.unknown
	}()
	top, ok := ps.topObject(body, "tool-calls reply", `{"results": [{"tool_call_id": "...", "result": ...}]}`)
	if !ok {
		return rep
	}

	if raw, _, ok := top.get("results"); ok {
		rep.Format = "results"
		ps.checkMoved("", top, toolReplyTopKeys, movedInToolReply, "")
		ps.results(rep, raw)
		return rep
	}
	if top.has("results") {
		rep.Format = "results"
		ps.problem("results is null; send an array with one entry per tool call")
		return rep
	}
	answerAll := func(r simulator.ToolResult) {
		if len(calls) == 0 {
			rep.Results = []simulator.ToolResult{r}
			return
		}
		rep.Results = make([]simulator.ToolResult, len(calls))
		for i := range calls {
			rep.Results[i] = r
			rep.Results[i].ID = calls[i].ID
		}
	}
	if raw, ok := top.value("result"); ok {
		rep.Format = "simple"
		ps.checkMoved("", top, toolReplyTopKeys, movedInToolReply, "")
		answerAll(simulator.ToolResult{Result: compactRaw(raw)})
		return rep
	}
	if raw, ok := top.value("error"); ok {
		rep.Format = "error"
		ps.checkMoved("", top, toolReplyTopKeys, movedInToolReply, "")
		answerAll(simulator.ToolResult{Error: ps.errorText(raw, "error")})
		return rep
	}
	rep.Format = "direct"
	answerAll(simulator.ToolResult{Result: compactRaw(body)})
	return rep
}

// results parses the results format's entries.
func (ps *parser) results(rep *simulator.ToolReply, raw json.RawMessage) {
	if rawKind(raw) != '[' {
		ps.problem("results must be an array with one entry per tool call, got %s", kindName(rawKind(raw)))
		return
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		ps.problem("results: %v", err)
		return
	}
	rep.Results = make([]simulator.ToolResult, 0, len(items))
	for i, item := range items {
		path := fmt.Sprintf("results[%d]", i)
		o, err := parseObject(item)
		if err != nil {
			ps.problem("%s must be an object {\"tool_call_id\", \"result\"}, got %s", path, kindName(rawKind(item)))
			continue
		}
		ps.checkKeys(path+".", o, toolResultKeys)
		var r simulator.ToolResult
		if id, ok := ps.str(o, path+".", "tool_call_id", "toolCallId"); ok {
			r.ID = id
		} else if !o.has("tool_call_id", "toolCallId") {
			ps.problem("%s has no tool_call_id (or toolCallId); the platform cannot tell which tool call it answers", path)
		}
		res, hasRes := o.value("result")
		if hasRes {
			r.Result = compactRaw(res)
		}
		errRaw, hasErr := o.value("error")
		if hasErr && !isNull(errRaw) {
			r.Error = ps.errorText(errRaw, path+".error")
		}
		if !hasRes && !hasErr {
			ps.problem("%s has neither result nor error", path)
		}
		rep.Results = append(rep.Results, r)
	}
}
