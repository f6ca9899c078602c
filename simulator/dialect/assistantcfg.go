package dialect

import (
	"encoding/json"
	"strconv"

	"github.com/flireo-sim/flireo-sim/simulator"
)

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
	ps.applyTools(cfg, a, path, hybrid)
	if plan, _, key, ok := ps.obj(a, path, "analysis_plan", "analysisPlan"); ok {
		cfg.Analysis = ps.analysisPlan(cfg.Analysis, plan, path, key, hybrid)
	}
	return meta
}

// applyTools reads the tools: llm_config.tools (G2/G3) or model.tools (G1);
// llm_config wins. In a hybrid reply a block without tools clears them.
func (ps *parser) applyTools(cfg *simulator.AssistantConfig, a object, path string, hybrid bool) {
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
}

// analysisPlan reads the analysis plan found under key. A partial override
// lays it over the current plan; a hybrid one starts from the defaults.
func (ps *parser) analysisPlan(cur *simulator.AnalysisPlan, plan object, path, key string, hybrid bool) *simulator.AnalysisPlan {
	var ap simulator.AnalysisPlan
	if !hybrid && cur != nil {
		ap = *cur
	} else {
		ap.MinMessages = defaultMinMessages
	}
	ps.checkMoved(key+".", plan, analysisPlanKeys, movedInAnalysis, path)
	if sdp, _, sdpKey, ok := ps.obj(plan, path+key+".", "structured_data_plan", "structuredDataPlan"); ok {
		ps.structuredDataPlan(&ap, sdp, path, key+"."+sdpKey+".")
	}
	if raw, mkey, ok := plan.get("min_messages_threshold", "minMessagesThreshold"); ok {
		n, err := strconv.Atoi(string(raw))
		if err != nil || n < 0 {
			ps.problem("%s%s.%s must be a whole number of messages, got %s", path, key, mkey, raw)
		} else {
			ap.MinMessages = n
		}
	}
	return &ap
}

// structuredDataPlan reads the structured data plan at sub (relative to the
// assistant at path): a schema enables it unless enabled says otherwise.
func (ps *parser) structuredDataPlan(ap *simulator.AnalysisPlan, sdp object, path, sub string) {
	ps.checkKeys(sub, sdp, structuredDataKeys)
	schemaSet := false
	if _, raw, _, ok := ps.obj(sdp, path+sub, "schema"); ok {
		ap.Schema = compactRaw(raw)
		schemaSet = true
	}
	if on, ok := ps.boolean(sdp, path+sub, "enabled"); ok {
		ap.Enabled = on
	} else if schemaSet {
		ap.Enabled = true
	}
}
