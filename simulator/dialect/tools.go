package dialect

import (
	"encoding/json"
	"fmt"

	"github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/internal/jsontext"
)

// tools parses a tool list; ok is false when the list itself is unusable.
func (ps *parser) tools(raw json.RawMessage, path string) ([]simulator.Tool, bool) {
	if rawKind(raw) != '[' {
		ps.problem("%s must be an array of tool definitions, got %s; the platform ignores it", path, kindName(rawKind(raw)))
		return nil, false
	}
	if !jsontext.Valid(raw) {
		var items []json.RawMessage
		err := json.Unmarshal(raw, &items)
		ps.problem("%s: %v", path, err)
		return nil, false
	}
	out := make([]simulator.Tool, 0, 4)
	i := -1
	for item := range jsontext.Elements(raw) {
		i++
		p := fmt.Sprintf("%s[%d]", path, i)
		if rawKind(item) != '{' {
			ps.problem("%s must be a tool object, got %s; the tool is ignored", p, kindName(rawKind(item)))
			continue
		}
		o := splitObject(item) // elements of a validated array
		if t, ok := ps.tool(o, p); ok {
			out = append(out, t)
		}
	}
	return out, true
}

// tool parses one tool definition: flat, OpenAI nested or built-in.
func (ps *parser) tool(o object, path string) (simulator.Tool, bool) {
	dot := path + "." // built once: every key below is read under it
	ps.checkKeys(trimAssistantPath(path)+".", o, toolKeys)
	var t simulator.Tool
	typ, _ := ps.str(o, dot, "type")
	builtin, ok := builtinTool(typ)
	if !ok {
		ps.problem("%s.type %q is not a documented tool type (function, endCall/end_call, transferCall/transfer_call); the tool is ignored", path, typ)
		return t, false
	}
	t.Builtin = builtin
	ps.toolFunction(&t, o, path)
	ps.toolDelivery(&t, o, path)
	if t.Builtin != "" {
		if t.Name == "" {
			t.Name = t.Builtin
		}
		return t, true
	}
	if t.Name == "" {
		ps.problem("%s has no name; the platform cannot call a tool without one, so it is ignored", path)
		return t, false
	}
	return t, true
}

// builtinTool names the built-in tool a documented type stands for ("" for
// a function); ok is false for an undocumented type.
func builtinTool(typ string) (string, bool) {
	switch typ {
	case "endCall", "end_call":
		return "end_call", true
	case "transferCall", "transfer_call":
		return "transfer_call", true
	case "", "function":
		return "", true
	}
	return "", false
}

// toolFunction reads the name, description and parameters: in the nested
// shape they live in function, else in the tool itself.
func (ps *parser) toolFunction(t *simulator.Tool, o object, path string) {
	dot := path + "."
	fn, _, _, nested := ps.obj(o, dot, "function")
	if nested {
		ps.checkKeys(trimAssistantPath(path)+".function.", fn, functionKeys)
	}
	pick := func(key string) (object, string) {
		if nested {
			if _, ok := fn.value(key); ok {
				return fn, path + ".function."
			}
		}
		return o, dot
	}
	src, p := pick("name")
	if s, ok := ps.str(src, p, "name"); ok {
		t.Name = s
	}
	src, p = pick("description")
	if s, ok := ps.str(src, p, "description"); ok {
		t.Description = s
	}
	src, p = pick("parameters")
	if _, raw, _, ok := ps.obj(src, p, "parameters"); ok {
		t.Parameters = compactRaw(raw)
	}
}

// toolDelivery reads where and how the tool is called: its URL (or
// server.url) and whether it runs async with a spoken response.
func (ps *parser) toolDelivery(t *simulator.Tool, o object, path string) {
	dot := path + "."
	if s, ok := ps.str(o, dot, "url"); ok {
		t.URL = s
	} else if srv, _, _, ok := ps.obj(o, dot, "server"); ok {
		if s, ok := ps.str(srv, path+".server.", "url"); ok {
			t.URL = s
		}
	}
	if on, ok := ps.boolean(o, dot, "async"); ok {
		t.Async = on
	}
	if s, ok := ps.str(o, dot, "async_response", "asyncResponse", "message"); ok {
		t.AsyncResponse = s
	}
}

// trimAssistantPath drops the leading "assistant." or "assistant_override."
// from a path: unknown keys are reported relative to the assistant object.
func trimAssistantPath(path string) string {
	for _, p := range []string{"assistant.", "assistant_override."} {
		if len(path) > len(p) && path[:len(p)] == p {
			return path[len(p):]
		}
	}
	return path
}
