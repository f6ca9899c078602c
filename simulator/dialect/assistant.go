package dialect

import (
	"encoding/json"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// This file parses replies. Every dialect accepts every documented spelling
// (spec §8 rows 4, 5, 11, 12, 25, 26): be strict in what you send, liberal in
// what you accept. Only G1 differs: its assistant-request needs a full
// assistant object (§1.1.1).

// defaultMinMessages is the SDK's default min_messages_threshold (§7.2).
const defaultMinMessages = 2

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
	sh := ps.replyShape(top)
	ps.userMetadata(top, rep, cfg)
	d.applyShape(ps, &sh, rep, cfg)

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

// replyShape is what an assistant-request reply's top level holds.
type replyShape struct {
	errRaw      json.RawMessage
	hasErr      bool
	asst        object // the assistant object
	asstRaw     json.RawMessage
	asstKey     string
	hasAsst     bool
	override    object // assistant_override
	overrideRaw json.RawMessage
	hasOverride bool
	assistantID string
	hasID       bool // a string assistant_id
	hasIDKey    bool // an assistant_id key, whatever its value
	badShape    bool // an assistant or assistant_override that is not an object
}

// replyShape reads the top-level members that decide the reply's kind.
func (ps *parser) replyShape(top object) replyShape {
	var sh replyShape
	sh.errRaw, _, sh.hasErr = top.get("error")
	sh.asst, sh.asstRaw, sh.asstKey, sh.hasAsst = ps.obj(top, "", "assistant")
	sh.override, sh.overrideRaw, _, sh.hasOverride = ps.obj(top, "", "assistant_override")
	sh.assistantID, sh.hasID = ps.str(top, "", "assistant_id")
	sh.hasIDKey = top.has("assistant_id")
	// A present, non-null assistant or assistant_override that is not an
	// object cannot drive the call.
	for _, k := range []string{"assistant", "assistant_override"} {
		if v, ok := top.value(k); ok && !isNull(v) && rawKind(v) != '{' {
			sh.badShape = true
		}
	}
	return sh
}

// userMetadata reads the top-level userMetadata object.
func (ps *parser) userMetadata(top object, rep *simulator.AssistantReply, cfg *simulator.AssistantConfig) {
	um, _, ok := top.get("userMetadata")
	if !ok {
		return
	}
	if rawKind(um) != '{' {
		ps.problem("userMetadata must be a JSON object, got %s", kindName(rawKind(um)))
		return
	}
	rep.Metadata = compactRaw(um)
	cfg.Metadata = rep.Metadata
}

// applyShape decides the reply's kind and lays what it carries over cfg.
func (d *dialect) applyShape(ps *parser, sh *replyShape, rep *simulator.AssistantReply, cfg *simulator.AssistantConfig) {
	// G1 reads only the assistant object; every other shape fails there.
	legacyOverride := d.gen == genG1 && sh.hasAsst
	switch {
	case sh.hasErr && !legacyOverride:
		ps.applyReject(sh, rep, cfg)
	case sh.badShape:
		rep.Kind = simulator.ReplyFailed
	case sh.hasAsst:
		rep.Kind = simulator.ReplyOverride
		rep.Assistant = compactRaw(sh.asstRaw)
		if (sh.hasID || sh.hasOverride) && d.gen != genG1 {
			ps.problem("the reply has both assistant and assistant_id/assistant_override; send one shape (the simulator uses assistant)")
		}
		if md := ps.applyAssistant(cfg, sh.asst, "assistant.", false); md != nil {
			rep.Metadata = md
		}
		cfg.Echo = mergeObjects(cfg.Echo, sh.asstRaw, true)
	case sh.hasID || sh.hasOverride || sh.hasIDKey:
		ps.applyHybrid(sh, rep, cfg)
	default:
		rep.Kind = simulator.ReplyDefault
	}
}

// applyReject reads an error reply: the call is rejected with the text.
func (ps *parser) applyReject(sh *replyShape, rep *simulator.AssistantReply, cfg *simulator.AssistantConfig) {
	var text string
	if rawKind(sh.errRaw) != '"' || json.Unmarshal(sh.errRaw, &text) != nil {
		ps.problem("error must be a string (the text spoken to the caller), got %s", kindName(rawKind(sh.errRaw)))
		rep.Kind = simulator.ReplyFailed
	} else {
		rep.Kind = simulator.ReplyReject
		rep.Reject = text
	}
	if sh.hasAsst {
		ps.applyAssistant(cfg, sh.asst, sh.asstKey+".", false)
	}
}

// applyHybrid reads an assistant_id reply with an optional
// assistant_override, laid over cfg block by block.
func (ps *parser) applyHybrid(sh *replyShape, rep *simulator.AssistantReply, cfg *simulator.AssistantConfig) {
	rep.Kind = simulator.ReplyHybrid
	rep.AssistantID = sh.assistantID
	if sh.hasID {
		cfg.AssistantID = sh.assistantID
	}
	if !sh.hasOverride {
		return
	}
	rep.Assistant = compactRaw(sh.overrideRaw)
	if md := ps.applyAssistant(cfg, sh.override, "assistant_override.", true); md != nil {
		rep.Metadata = md
	}
	cfg.Echo = mergeObjects(cfg.Echo, sh.overrideRaw, false)
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
