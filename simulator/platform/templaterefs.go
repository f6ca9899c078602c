package platform

import (
	"encoding/json"
	"fmt"
)

// An assistant uses templates by id (spec §6.4, §6.5):
//
//   - a tool template as an entry of llm_config.tools: {"template_id": ID}
//     (the documentation names no field for it: the simulator's choice,
//     after the SDK's analysis_plan.structured_data_plan.template_id); the
//     entry becomes the template's tool definition;
//   - an analysis template as analysis_plan.structured_data_plan.template_id
//     (SDK AnalysisPlan); the plan gets the template's schema (and its
//     messages and min_messages_threshold when the plan has none).
//
// References are resolved when a call starts, from the account's templates
// as they are then: a template changed since the assistant was saved
// changes its next calls; one deleted makes the call start answer 404.

// resolveTemplates lays the referenced templates into an assistant's
// fields, in place.
func (p *Platform) resolveTemplates(owner string, fields map[string]json.RawMessage) *requestError {
	if rerr := p.resolveTools(owner, fields); rerr != nil {
		return rerr
	}
	return p.resolveAnalysis(owner, fields)
}

// resolveTools replaces llm_config.tools entries that name a template.
func (p *Platform) resolveTools(owner string, fields map[string]json.RawMessage) *requestError {
	var llm map[string]json.RawMessage
	if raw, ok := fields["llm_config"]; !ok || json.Unmarshal(raw, &llm) != nil {
		return nil // absent or not an object: the assistant's own checks say so
	}
	var tools []json.RawMessage
	if raw, ok := llm["tools"]; !ok || json.Unmarshal(raw, &tools) != nil {
		return nil
	}
	changed := false
	k := toolTemplateKind()
	for i, item := range tools {
		var ref struct {
			TemplateID *string `json:"template_id"`
		}
		if json.Unmarshal(item, &ref) != nil || ref.TemplateID == nil {
			continue
		}
		param := fmt.Sprintf("llm_config.tools[%d].template_id", i)
		t, rerr := p.toolTemplate(k, owner, *ref.TemplateID, param)
		if rerr != nil {
			return rerr
		}
		tools[i], _ = json.Marshal(t.toolDefinition()) // built from JSON values: cannot fail
		changed = true
	}
	if changed {
		llm["tools"], _ = json.Marshal(tools)
		fields["llm_config"], _ = json.Marshal(llm)
	}
	return nil
}

// toolTemplate finds and parses the account's tool template.
func (p *Platform) toolTemplate(k *kind, owner, id, param string) (*toolTemplate, *requestError) {
	tf := p.ownedRecord(k, owner, id)
	if tf == nil {
		return nil, notFound(param, "Tool template not found: no tool template with id %q", id)
	}
	return parseToolTemplate(tf)
}

// resolveAnalysis fills analysis_plan.structured_data_plan from the
// template it names.
func (p *Platform) resolveAnalysis(owner string, fields map[string]json.RawMessage) *requestError {
	plan, sdp, id := structuredDataRef(fields)
	if id == "" {
		return nil
	}
	const param = "analysis_plan.structured_data_plan.template_id"
	tf := p.ownedRecord(analysisTemplateKind(), owner, id)
	if tf == nil {
		return notFound(param, "Analysis template not found: no analysis template with id %q", id)
	}
	a, rerr := parseAnalysisTemplate(tf)
	if rerr != nil {
		return rerr
	}
	sdp["schema"] = a.schema
	if _, ok := sdp["enabled"]; !ok {
		sdp["enabled"] = json.RawMessage("true")
	}
	if _, ok := sdp["messages"]; !ok && a.messages != nil {
		sdp["messages"] = a.messages
	}
	_, has := plan["min_messages_threshold"]
	if n := a.in.MinMessages; n != nil && !has {
		plan["min_messages_threshold"], _ = json.Marshal(*n)
	}
	plan["structured_data_plan"], _ = json.Marshal(sdp)
	fields["analysis_plan"], _ = json.Marshal(plan)
	return nil
}

// structuredDataRef returns an assistant's analysis_plan, its
// structured_data_plan and the template id it names ("" for none).
func structuredDataRef(fields map[string]json.RawMessage) (plan, sdp map[string]json.RawMessage, id string) {
	if raw, ok := fields["analysis_plan"]; !ok || json.Unmarshal(raw, &plan) != nil || plan == nil {
		return nil, nil, ""
	}
	if raw, ok := plan["structured_data_plan"]; !ok || json.Unmarshal(raw, &sdp) != nil || sdp == nil {
		return nil, nil, ""
	}
	if raw, ok := sdp["template_id"]; !ok || json.Unmarshal(raw, &id) != nil {
		return nil, nil, ""
	}
	return plan, sdp, id
}
