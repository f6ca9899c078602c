package platform

import (
	"encoding/json"
	"strings"
)

// Analysis templates (spec §6.5): a named structured-data schema an
// assistant's analysis plan refers to by id
// (analysis_plan.structured_data_plan.template_id, SDK AnalysisPlan); the
// call's end-of-call-report then carries analysis values of that schema.

func analysisTemplateKind() *kind {
	return &kind{path: "/analysis-templates", noun: "analysis template", one: "analysis_template", many: "analysis_templates",
		prefix: "at_", patch: true, view: analysisTemplateView}
}

// analysisTemplateIn is an analysis template's fields: the SDK's name,
// description and schema; the API page's system_prompt and user_prompt;
// the guide's messages and min_messages_threshold.
type analysisTemplateIn struct {
	Name         *string         `json:"name"`
	Description  *string         `json:"description"`
	Schema       json.RawMessage `json:"schema"`
	SystemPrompt *string         `json:"system_prompt"`
	UserPrompt   *string         `json:"user_prompt"`
	Messages     []struct {
		Role    string `json:"role"`
		Content string `json:"content"`
	} `json:"messages"`
	MinMessages *int `json:"min_messages_threshold"`
}

// analysisTemplate is a validated analysis template.
type analysisTemplate struct {
	in       analysisTemplateIn
	schema   json.RawMessage
	messages json.RawMessage // nil when none
}

func parseAnalysisTemplate(fields map[string]json.RawMessage) (*analysisTemplate, *requestError) {
	var a analysisTemplate
	in := &a.in
	if rerr := fieldsInto(fields, in); rerr != nil {
		return nil, rerr
	}
	if rerr := requireName(in.Name, "name"); rerr != nil {
		return nil, rerr
	}
	if len(in.Schema) == 0 || isNull(in.Schema) {
		return nil, missing("schema", "schema is required: a JSON Schema object such as {\"type\": \"object\", \"properties\": {\"sentiment\": {\"type\": \"integer\"}}}")
	}
	if rerr := checkAnalysisSchema(in.Schema); rerr != nil {
		return nil, rerr
	}
	a.schema = in.Schema
	for i, m := range in.Messages {
		if m.Role != "system" && m.Role != "user" {
			return nil, badRequest("messages", "messages[%d].role %q is not system or user", i, m.Role)
		}
	}
	if in.MinMessages != nil && *in.MinMessages < 0 {
		return nil, badRequest("min_messages_threshold", "min_messages_threshold must be 0 or more")
	}
	if in.Messages != nil {
		a.messages, _ = json.Marshal(in.Messages) // strings only: cannot fail
	}
	return &a, nil
}

// checkAnalysisSchema wants an object schema with properties: the
// analysis values are made from them.
func checkAnalysisSchema(raw json.RawMessage) *requestError {
	var s struct {
		Type       *string                    `json:"type"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if raw[0] != '{' || json.Unmarshal(raw, &s) != nil {
		return badRequest("schema", "schema must be a JSON Schema object with \"type\": \"object\" and \"properties\"")
	}
	if s.Type != nil && *s.Type != "object" {
		return badRequest("schema", "schema.type must be \"object\" (the analysis is one object), got %q", *s.Type)
	}
	if len(s.Properties) == 0 {
		return badRequest("schema", "schema.properties must name at least one field of the analysis")
	}
	for name, p := range s.Properties {
		if strings.TrimSpace(string(p))[0] != '{' {
			return badRequest("schema", "schema.properties.%s must be a schema object", name)
		}
	}
	return nil
}

func analysisTemplateView(fields map[string]json.RawMessage) (map[string]any, *requestError) {
	a, rerr := parseAnalysisTemplate(fields)
	if rerr != nil {
		return nil, rerr
	}
	in := &a.in
	v := map[string]any{"name": strings.TrimSpace(*in.Name), "schema": a.schema}
	optText(v, "description", in.Description)
	optText(v, "system_prompt", in.SystemPrompt)
	optText(v, "user_prompt", in.UserPrompt)
	if a.messages != nil {
		v["messages"] = a.messages
	}
	if in.MinMessages != nil {
		v["min_messages_threshold"] = *in.MinMessages
	}
	return v, nil
}
