package dialect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// This file parses replies. Every dialect accepts every documented spelling
// (spec §8 rows 4, 5, 11, 12, 25, 26): be strict in what you send, liberal in
// what you accept. Only G1 differs: its assistant-request needs a full
// assistant object (§1.1.1).

// defaultMinMessages is the SDK's default min_messages_threshold (§7.2).
const defaultMinMessages = 2

// member is one key and value of a JSON object.
type member struct {
	key string
	val json.RawMessage
}

// object is a JSON object's members in document order.
type object []member

// get returns the value of the first of keys present (for a key that occurs
// twice, the last occurrence, as encoding/json would) and the key found.
// A null value counts as absent.
func (o object) get(keys ...string) (json.RawMessage, string, bool) {
	for _, k := range keys {
		for i := len(o) - 1; i >= 0; i-- {
			if o[i].key == k {
				if isNull(o[i].val) {
					break
				}
				return o[i].val, k, true
			}
		}
	}
	return nil, "", false
}

// has reports whether any of keys is present, even with a null value.
func (o object) has(keys ...string) bool {
	for _, m := range o {
		for _, k := range keys {
			if m.key == k {
				return true
			}
		}
	}
	return false
}

// parseObject splits a valid JSON object into its members.
func parseObject(raw []byte) (object, error) {
	if k := rawKind(raw); k != '{' {
		return nil, fmt.Errorf("want a JSON object, got %s", kindName(k))
	}
	if !validJSON(raw) {
		return nil, invalidObject(raw)
	}
	return splitObject(raw), nil
}

// splitObject splits an object already known to be valid JSON (a member or
// element value of a parsed object) by scanning, without decoding the values:
// the hot path of every reply parsed under load.
func splitObject(raw []byte) object {
	i := skipSpace(raw, 0) + 1
	o := make(object, 0, 8)
	for {
		i = skipSpace(raw, i)
		switch raw[i] {
		case '}':
			return o
		case ',':
			i++
			continue
		}
		end := stringEnd(raw, i)
		key := raw[i+1 : end]
		var k string
		if bytes.IndexByte(key, '\\') < 0 {
			k = string(key)
		} else {
			_ = json.Unmarshal(raw[i:end+1], &k) // a valid JSON string
		}
		i = skipSpace(raw, end+1) + 1 // past the colon
		i = skipSpace(raw, i)
		vend := valueEnd(raw, i)
		o = append(o, member{key: k, val: json.RawMessage(raw[i:vend:vend])})
		i = vend
	}
}

// invalidObject describes why raw (which starts like an object) is not
// valid JSON, in encoding/json's words.
func invalidObject(raw []byte) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	return errors.New("invalid JSON object")
}

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		return i
	}
	return i
}

// valueEnd returns the index just past the valid JSON value starting at i.
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return stringEnd(b, i) + 1
	case '{', '[':
		depth := 0
		for j := i; j < len(b); j++ {
			switch b[j] {
			case '"':
				j = stringEnd(b, j)
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					return j + 1
				}
			}
		}
		return len(b)
	}
	j := i
	for j < len(b) {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return j
		}
		j++
	}
	return j
}

// parser collects problems and unknown keys while reading a reply.
type parser struct {
	problems []string
	unknown  []string
}

func (ps *parser) problem(format string, args ...any) {
	ps.problems = append(ps.problems, fmt.Sprintf(format, args...))
}

// checkKeys reports the members of o that known does not list.
func (ps *parser) checkKeys(path string, o object, known []string) {
	for _, m := range o {
		if !isKnown(m.key, known) {
			ps.unknown = append(ps.unknown, unknownKey(path, m.key, known))
		}
	}
}

// str reads a string member in any of its spellings.
func (ps *parser) str(o object, path string, keys ...string) (string, bool) {
	raw, key, ok := o.get(keys...)
	if !ok {
		return "", false
	}
	// Values of a parsed object are valid JSON: a string without escapes is
	// its bytes between the quotes.
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1]), true
	}
	var s string
	if rawKind(raw) != '"' || json.Unmarshal(raw, &s) != nil {
		ps.problem("%s%s must be a string, got %s; the platform ignores it", path, key, kindName(rawKind(raw)))
		return "", false
	}
	return s, true
}

// boolean reads a boolean member.
func (ps *parser) boolean(o object, path string, keys ...string) (bool, bool) {
	raw, key, ok := o.get(keys...)
	if !ok {
		return false, false
	}
	switch string(raw) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	ps.problem("%s%s must be true or false, got %s", path, key, kindName(rawKind(raw)))
	return false, false
}

// obj reads an object member.
func (ps *parser) obj(o object, path string, keys ...string) (object, json.RawMessage, string, bool) {
	raw, key, ok := o.get(keys...)
	if !ok {
		return nil, nil, "", false
	}
	// Members of a parsed object are valid JSON already.
	if rawKind(raw) != '{' {
		ps.problem("%s%s must be a JSON object, got %s", path, key, kindName(rawKind(raw)))
		return nil, nil, "", false
	}
	return splitObject(raw), raw, key, true
}

// seconds reads a positive number of seconds as a duration.
func (ps *parser) seconds(o object, path string, keys ...string) (time.Duration, bool) {
	raw, key, ok := o.get(keys...)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if rawKind(raw) == '"' || err != nil {
		ps.problem("%s%s must be a number of seconds, got %s", path, key, kindName(rawKind(raw)))
		return 0, false
	}
	if f <= 0 || f > math.MaxInt64/float64(time.Second) {
		ps.problem("%s%s must be a positive number of seconds, got %s", path, key, raw)
		return 0, false
	}
	return time.Duration(f * float64(time.Second)), true
}

// ParseAssistantReply reads an assistant-request reply; see
// simulator.Dialect. Replies already parsed over the same default come from
// the memo.
func (d *dialect) ParseAssistantReply(body []byte, def *simulator.AssistantConfig) (*simulator.AssistantReply, *simulator.AssistantConfig) {
	if rep, cfg, ok := d.replies.get(body, def); ok {
		return rep, cfg
	}
	rep, cfg := d.parseAssistantReply(body, def)
	d.replies.put(body, def, rep, cfg)
	return rep, cfg
}

func (d *dialect) parseAssistantReply(body []byte, def *simulator.AssistantConfig) (*simulator.AssistantReply, *simulator.AssistantConfig) {
	cfg := cloneConfig(def)
	ps := &parser{}
	rep := &simulator.AssistantReply{Kind: simulator.ReplyFailed}
	defer func() {
		rep.Problems = ps.problems
		rep.Unknown = ps.unknown
	}()

	top, ok := ps.topObject(body, "assistant-request reply", `{} or {"assistant": {...}}`)
	if !ok {
		return rep, cfg
	}
	ps.checkMoved("", top, replyTopKeys, movedAtTop, "")

	if dur, ok := ps.seconds(top, "", "max_duration_seconds", "maxDurationSeconds"); ok {
		rep.MaxDuration = dur
	}
	errRaw, _, hasErr := top.get("error")
	asst, asstRaw, asstKey, hasAsst := ps.obj(top, "", "assistant")
	override, overrideRaw, _, hasOverride := ps.obj(top, "", "assistant_override")
	assistantID, hasID := ps.str(top, "", "assistant_id")
	// A present, non-null assistant or assistant_override that is not an
	// object cannot drive the call.
	badShape := false
	for _, k := range []string{"assistant", "assistant_override"} {
		if v, ok := top.value(k); ok && !isNull(v) && rawKind(v) != '{' {
			badShape = true
		}
	}

	if um, _, ok := top.get("userMetadata"); ok {
		if rawKind(um) == '{' {
			rep.Metadata = compactRaw(um)
			cfg.Metadata = rep.Metadata
		} else {
			ps.problem("userMetadata must be a JSON object, got %s", kindName(rawKind(um)))
		}
	}

	// G1 reads only the assistant object; every other shape fails there.
	legacyOverride := d.gen == genG1 && hasAsst
	switch {
	case hasErr && !legacyOverride:
		var text string
		if rawKind(errRaw) != '"' || json.Unmarshal(errRaw, &text) != nil {
			ps.problem("error must be a string (the text spoken to the caller), got %s", kindName(rawKind(errRaw)))
			rep.Kind = simulator.ReplyFailed
		} else {
			rep.Kind = simulator.ReplyReject
			rep.Reject = text
		}
		if hasAsst {
			ps.applyAssistant(cfg, asst, asstKey+".", false)
		}
	case badShape:
		rep.Kind = simulator.ReplyFailed
	case hasAsst:
		rep.Kind = simulator.ReplyOverride
		rep.Assistant = compactRaw(asstRaw)
		if (hasID || hasOverride) && d.gen != genG1 {
			ps.problem("the reply has both assistant and assistant_id/assistant_override; send one shape (the simulator uses assistant)")
		}
		if md := ps.applyAssistant(cfg, asst, "assistant.", false); md != nil {
			rep.Metadata = md
		}
		cfg.Echo = mergeObjects(cfg.Echo, asstRaw, true)
	case hasID || hasOverride || top.has("assistant_id"):
		rep.Kind = simulator.ReplyHybrid
		rep.AssistantID = assistantID
		if hasID {
			cfg.AssistantID = assistantID
		}
		if hasOverride {
			rep.Assistant = compactRaw(overrideRaw)
			if md := ps.applyAssistant(cfg, override, "assistant_override.", true); md != nil {
				rep.Metadata = md
			}
			cfg.Echo = mergeObjects(cfg.Echo, overrideRaw, false)
		}
	default:
		rep.Kind = simulator.ReplyDefault
	}

	if d.gen == genG1 && rep.Kind != simulator.ReplyOverride && rep.Kind != simulator.ReplyFailed {
		ps.problem("legacy assistant-request needs a full assistant configuration: reply {\"assistant\": {...}} (spec §1.1.1); G1 documents no %s reply, so the call ends with ended-with-debugging", legacyShapeName(rep.Kind))
		rep.Kind = simulator.ReplyFailed
	}
	if rep.Kind == simulator.ReplyFailed {
		// Nothing of a failed reply is used: the default agent (G2/G3) or
		// no agent at all (G1, the call ends).
		return rep, cloneConfig(def)
	}
	if rep.MaxDuration > 0 {
		cfg.MaxDuration = rep.MaxDuration
	}
	return rep, cfg
}

// legacyShapeName names a reply kind for the G1 problem text.
func legacyShapeName(k simulator.ReplyKind) string {
	switch k {
	case simulator.ReplyDefault:
		return "empty ({})"
	case simulator.ReplyReject:
		return "error"
	case simulator.ReplyHybrid:
		return "assistant_id/assistant_override"
	}
	return string(k)
}

// topObject validates a reply body and splits its top-level object.
func (ps *parser) topObject(body []byte, what, want string) (object, bool) {
	if len(bytes.TrimSpace(body)) == 0 {
		ps.problem("the %s body is empty; send %s", what, want)
		return nil, false
	}
	if !validJSON(body) {
		ps.problem("the %s is not valid JSON (%.40q...); send %s", what, body, want)
		return nil, false
	}
	if rawKind(body) != '{' {
		ps.problem("the %s is %s, not a JSON object; send %s", what, kindName(rawKind(body)), want)
		return nil, false
	}
	return splitObject(body), true
}

// applyAssistant lays an assistant object over cfg. With hybrid true each
// block present replaces the whole block of cfg (shallow merge); otherwise
// present fields inside blocks are laid over cfg's (partial override). It
// returns the metadata the object carried.
func (ps *parser) applyAssistant(cfg *simulator.AssistantConfig, a object, path string, hybrid bool) json.RawMessage {
	ps.checkMoved("", a, assistantKeys, movedInAssistant, path)
	if s, ok := ps.str(a, path, "first_message", "firstMessage"); ok {
		cfg.FirstMessage = s
	}
	if s, ok := ps.str(a, path, "end_call_message", "endCallMessage"); ok {
		cfg.EndCallMessage = s
	}
	if s, ok := ps.str(a, path, "voicemail_message", "voicemailMessage"); ok {
		cfg.Voicemail = s
	}
	if dur, ok := ps.seconds(a, path, "max_duration_seconds", "maxDurationSeconds"); ok {
		cfg.MaxDuration = dur
	}
	var meta json.RawMessage
	if _, raw, _, ok := ps.obj(a, path, "metadata", "userMetadata"); ok {
		meta = compactRaw(raw)
		cfg.Metadata = meta
	}

	// Tools: llm_config.tools (G2/G3) or model.tools (G1); llm_config wins.
	var tools []simulator.Tool
	toolsSet, blockSet := false, false
	for _, key := range []string{"model", "llm_config"} {
		raw, _, ok := a.get(key)
		if !ok {
			continue
		}
		if key == "model" && rawKind(raw) == '"' {
			ps.problem("%smodel must be an object (the G1 model block with tools); for G2/G3 put the model name in llm_config.model", path)
			continue
		}
		block, _, _, ok := ps.obj(a, path, key)
		if !ok {
			continue
		}
		blockSet = true
		ps.checkMoved(key+".", block, llmKeys, movedInLLM, path)
		if traw, _, ok := block.get("tools"); ok {
			if t, ok := ps.tools(traw, path+key+".tools"); ok {
				tools, toolsSet = t, true
			}
		}
	}
	switch {
	case toolsSet:
		cfg.Tools = tools
	case hybrid && blockSet:
		cfg.Tools = nil
	}

	// Analysis plan.
	if plan, _, key, ok := ps.obj(a, path, "analysis_plan", "analysisPlan"); ok {
		var ap simulator.AnalysisPlan
		if !hybrid && cfg.Analysis != nil {
			ap = *cfg.Analysis
		} else {
			ap.MinMessages = defaultMinMessages
		}
		ps.checkMoved(key+".", plan, analysisPlanKeys, movedInAnalysis, path)
		if sdp, _, sdpKey, ok := ps.obj(plan, path+key+".", "structured_data_plan", "structuredDataPlan"); ok {
			ps.checkKeys(key+"."+sdpKey+".", sdp, structuredDataKeys)
			schemaSet := false
			if _, raw, _, ok := ps.obj(sdp, path+key+"."+sdpKey+".", "schema"); ok {
				ap.Schema = compactRaw(raw)
				schemaSet = true
			}
			if on, ok := ps.boolean(sdp, path+key+"."+sdpKey+".", "enabled"); ok {
				ap.Enabled = on
			} else if schemaSet {
				ap.Enabled = true
			}
		}
		if raw, mkey, ok := plan.get("min_messages_threshold", "minMessagesThreshold"); ok {
			n, err := strconv.Atoi(string(raw))
			if err != nil || n < 0 {
				ps.problem("%s%s.%s must be a whole number of messages, got %s", path, key, mkey, raw)
			} else {
				ap.MinMessages = n
			}
		}
		cfg.Analysis = &ap
	}
	return meta
}

// tools parses a tool list; ok is false when the list itself is unusable.
func (ps *parser) tools(raw json.RawMessage, path string) ([]simulator.Tool, bool) {
	if rawKind(raw) != '[' {
		ps.problem("%s must be an array of tool definitions, got %s; the platform ignores it", path, kindName(rawKind(raw)))
		return nil, false
	}
	if !validJSON(raw) {
		var items []json.RawMessage
		err := json.Unmarshal(raw, &items)
		ps.problem("%s: %v", path, err)
		return nil, false
	}
	items := splitArray(raw)
	out := make([]simulator.Tool, 0, len(items))
	for i, item := range items {
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
	switch typ {
	case "endCall", "end_call":
		t.Builtin = "end_call"
	case "transferCall", "transfer_call":
		t.Builtin = "transfer_call"
	case "", "function":
	default:
		ps.problem("%s.type %q is not a documented tool type (function, endCall/end_call, transferCall/transfer_call); the tool is ignored", path, typ)
		return t, false
	}
	fn, _, _, nested := ps.obj(o, dot, "function")
	if nested {
		ps.checkKeys(trimAssistantPath(path)+".function.", fn, functionKeys)
	}
	// In the nested shape name, description and parameters live in function.
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

// cloneConfig copies def so the reply's changes never touch it.
func cloneConfig(def *simulator.AssistantConfig) *simulator.AssistantConfig {
	if def == nil {
		return &simulator.AssistantConfig{}
	}
	c := *def
	c.Tools = append([]simulator.Tool(nil), def.Tools...)
	if def.Analysis != nil {
		a := *def.Analysis
		c.Analysis = &a
	}
	c.Metadata = cloneRaw(def.Metadata)
	c.Echo = cloneRaw(def.Echo)
	return &c
}

func cloneRaw(r json.RawMessage) json.RawMessage {
	if r == nil {
		return nil
	}
	return append(json.RawMessage(nil), r...)
}

// mergeObjects lays the object over on top of base and returns the compact
// result: keys of base keep their order, keys only in over follow in theirs.
// With deep true, members that are objects on both sides merge recursively
// (partial override); otherwise each key of over replaces base's value
// (shallow merge). A base that is not an object is replaced.
func mergeObjects(base, over json.RawMessage, deep bool) json.RawMessage {
	bo, err := parseObject(base)
	if isNull(base) || err != nil {
		return compactRaw(over)
	}
	oo, err := parseObject(over)
	if err != nil {
		return compactRaw(over)
	}
	out := []byte{'{'}
	n := 0
	write := func(k string, v []byte) {
		if n > 0 {
			out = append(out, ',')
		}
		n++
		out = appendString(out, k)
		out = append(out, ':')
		out = appendCompact(out, v)
	}
	for i, m := range bo {
		if bo.lastIndex(m.key) != i {
			continue
		}
		if ov, ok := oo.value(m.key); ok {
			if deep && rawKind(ov) == '{' && rawKind(m.val) == '{' {
				write(m.key, mergeObjects(m.val, ov, true))
			} else {
				write(m.key, ov)
			}
			continue
		}
		write(m.key, m.val)
	}
	for i, m := range oo {
		if oo.lastIndex(m.key) != i {
			continue
		}
		if _, ok := bo.value(m.key); !ok {
			write(m.key, m.val)
		}
	}
	return append(out, '}')
}

// value returns the last value of key, null included.
func (o object) value(key string) (json.RawMessage, bool) {
	for i := len(o) - 1; i >= 0; i-- {
		if o[i].key == key {
			return o[i].val, true
		}
	}
	return nil, false
}

// lastIndex is the index of key's last occurrence.
func (o object) lastIndex(key string) int {
	for i := len(o) - 1; i >= 0; i-- {
		if o[i].key == key {
			return i
		}
	}
	return -1
}

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

// errorText reads an error value: a string, else the raw JSON with a problem.
func (ps *parser) errorText(raw json.RawMessage, path string) string {
	var s string
	if rawKind(raw) == '"' && json.Unmarshal(raw, &s) == nil {
		return s
	}
	ps.problem("%s must be a string describing the failure, got %s", path, kindName(rawKind(raw)))
	return string(compactRaw(raw))
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
