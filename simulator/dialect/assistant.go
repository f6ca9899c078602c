package dialect

import (
	"encoding/json"
	"strconv"

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
