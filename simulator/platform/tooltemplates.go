package platform

import (
	"encoding/json"
	"regexp"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// Tool templates (spec §6.4): reusable tool definitions an assistant
// refers to by id (llm_config.tools[] entries {"template_id": ID}, see
// templaterefs.go). Two documented shapes are accepted and both are
// answered: the SDK's {function_definition, server_url, server_secret,
// async} and the API page's {tool_type, tool_config}.

// Tool types (spec §6.4).
const (
	toolFunction = "function"
	toolEndCall  = "end_call"
	toolTransfer = "transfer_call"
)

// toolName is the documented function-name rule: a letter or underscore,
// then letters, digits, _ or -, at most 64 characters.
var toolName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,63}$`)

func toolTemplateKind() *kind {
	return &kind{path: "/tool-templates", noun: "tool template", one: "tool_template", many: "tool_templates",
		prefix: "tt_", patch: true, view: toolTemplateView}
}

// functionDef is a function definition (SDK ToolDefinition.function) and,
// for tool_config, its url and async.
type functionDef struct {
	Name        *string         `json:"name"`
	Description *string         `json:"description"`
	Parameters  json.RawMessage `json:"parameters"`
	URL         *string         `json:"url"`
	Async       *bool           `json:"async"`
	// transfer_call
	Destinations json.RawMessage `json:"destinations"`
}

// toolTemplateIn is a tool template's fields as stored.
type toolTemplateIn struct {
	Name               *string      `json:"name"`
	Description        *string      `json:"description"`
	ToolType           *string      `json:"tool_type"`
	ToolConfig         *functionDef `json:"tool_config"`
	FunctionDefinition *functionDef `json:"function_definition"`
	ServerURL          *string      `json:"server_url"`
	ServerSecret       *string      `json:"server_secret"`
	Async              *bool        `json:"async"`
}

// toolTemplate is a validated tool template.
type toolTemplate struct {
	name, description, typ string
	fnName, fnDescription  string
	parameters             json.RawMessage
	url                    string
	secret                 bool
	async                  bool
	destinations           json.RawMessage
}

// parseToolTemplate validates a tool template's fields.
func parseToolTemplate(fields map[string]json.RawMessage) (*toolTemplate, *requestError) {
	var in toolTemplateIn
	if rerr := fieldsInto(fields, &in); rerr != nil {
		return nil, rerr
	}
	if rerr := requireName(in.Name, "name"); rerr != nil {
		return nil, rerr
	}
	t := &toolTemplate{name: strings.TrimSpace(*in.Name), typ: toolFunction, secret: in.ServerSecret != nil && *in.ServerSecret != ""}
	if in.Description != nil {
		t.description = *in.Description
	}
	if in.ToolType != nil {
		t.typ = *in.ToolType
	}
	switch t.typ {
	case toolFunction:
		return t, t.function(&in)
	case toolEndCall:
		return t, nil
	case toolTransfer:
		if in.ToolConfig == nil {
			return nil, missing("tool_config.destinations", "a transfer_call template needs tool_config.destinations: [{\"type\": \"number\", \"number\": \"+31612345678\"}]")
		}
		return t, t.transfer(in.ToolConfig.Destinations)
	}
	return nil, badRequest("tool_type", "tool_type %q is not one of function, end_call, transfer_call", t.typ)
}

// function reads a function template: function_definition (SDK) first,
// tool_config (API page) for what it leaves out; the function's name
// defaults to the template's when that is a valid function name.
func (t *toolTemplate) function(in *toolTemplateIn) *requestError {
	param := "function_definition.name"
	if rerr := t.absorb(in.FunctionDefinition, "function_definition.", in, &param); rerr != nil {
		return rerr
	}
	if rerr := t.absorb(in.ToolConfig, "tool_config.", in, &param); rerr != nil {
		return rerr
	}
	if t.fnName == "" {
		if !toolName.MatchString(t.name) {
			return missing("function_definition.name", "function_definition.name is required: the template's name %q is not a function name (a letter or _, then letters, digits, _ or -, at most 64)", t.name)
		}
		t.fnName = t.name
	}
	if !toolName.MatchString(t.fnName) {
		return badRequest(param, "%s %q is not a function name: start with a letter or _, then letters, digits, _ or -, at most 64 characters", param, t.fnName)
	}
	if t.fnDescription == "" {
		t.fnDescription = t.description
	}
	if in.ServerURL != nil && *in.ServerURL != "" {
		if kit.CheckTarget(*in.ServerURL) != nil {
			return badRequest("server_url", "server_url %q is not an http(s) URL such as https://example.com/tools", *in.ServerURL)
		}
		t.url = *in.ServerURL
	}
	t.async = in.Async != nil && *in.Async
	return nil
}

// absorb takes from a function definition (under prefix) what is not set
// yet; param becomes the field the function's name came from.
func (t *toolTemplate) absorb(d *functionDef, prefix string, in *toolTemplateIn, param *string) *requestError {
	if d == nil {
		return nil
	}
	if d.Name != nil && t.fnName == "" {
		t.fnName, *param = *d.Name, prefix+"name"
	}
	if d.Description != nil && t.fnDescription == "" {
		t.fnDescription = *d.Description
	}
	if len(d.Parameters) > 0 && !isNull(d.Parameters) && t.parameters == nil {
		if d.Parameters[0] != '{' {
			return badRequest(prefix+"parameters", "%sparameters must be a JSON Schema object", prefix)
		}
		t.parameters = d.Parameters
	}
	if d.URL != nil && in.ServerURL == nil {
		in.ServerURL = d.URL
	}
	if d.Async != nil && in.Async == nil {
		in.Async = d.Async
	}
	return nil
}

// transfer checks a transfer_call template's destinations.
func (t *toolTemplate) transfer(raw json.RawMessage) *requestError {
	var dests []struct {
		Type        string `json:"type"`
		Number      string `json:"number"`
		Description string `json:"description"`
		Message     string `json:"message"`
	}
	if json.Unmarshal(raw, &dests) != nil || len(dests) == 0 {
		return badRequest("tool_config.destinations", "tool_config.destinations must be a non-empty array of {\"type\": \"number\", \"number\": \"+31612345678\", \"description\", \"message\"}")
	}
	for _, d := range dests {
		if d.Type != "number" || !e164.MatchString(d.Number) {
			return badRequest("tool_config.destinations", "each destination needs \"type\": \"number\" and an E.164 \"number\" such as +31612345678, got type %q number %q", d.Type, d.Number)
		}
	}
	t.destinations = raw
	return nil
}

// config is tool_config as the API page shows it.
func (t *toolTemplate) config() map[string]any {
	switch t.typ {
	case toolTransfer:
		return map[string]any{"destinations": t.destinations}
	case toolEndCall:
		return map[string]any{}
	}
	c := map[string]any{"name": t.fnName, "async": t.async}
	if t.fnDescription != "" {
		c["description"] = t.fnDescription
	}
	if t.parameters != nil {
		c["parameters"] = t.parameters
	}
	if t.url != "" {
		c["url"] = t.url
	}
	return c
}

// function is the SDK's function_definition.
func (t *toolTemplate) functionDefinition() map[string]any {
	f := map[string]any{"name": t.fnName}
	if t.fnDescription != "" {
		f["description"] = t.fnDescription
	}
	if t.parameters != nil {
		f["parameters"] = t.parameters
	}
	return f
}

func toolTemplateView(fields map[string]json.RawMessage) (map[string]any, *requestError) {
	t, rerr := parseToolTemplate(fields)
	if rerr != nil {
		return nil, rerr
	}
	v := map[string]any{"name": t.name, "tool_type": t.typ, "tool_config": t.config()}
	if t.description != "" {
		v["description"] = t.description
	}
	// The SDK requires function_definition: a built-in tool shows its type
	// as the function's name.
	v["function_definition"] = map[string]any{"name": t.typ}
	if t.typ == toolFunction {
		v["function_definition"] = t.functionDefinition()
		v["async"] = t.async
		if t.url != "" {
			v["server_url"] = t.url
		}
	}
	if t.secret {
		v["server_secret"] = maskedSecret
	}
	return v, nil
}

// toolDefinition is the template as an assistant's tool (the SDK's
// ToolDefinition, or a built-in tool). The server secret stays out: the
// resolved assistant is echoed in webhooks.
func (t *toolTemplate) toolDefinition() map[string]any {
	switch t.typ {
	case toolEndCall:
		return map[string]any{"type": toolEndCall}
	case toolTransfer:
		return map[string]any{"type": toolTransfer, "destinations": t.destinations}
	}
	d := map[string]any{"type": toolFunction, "function": t.functionDefinition(), "async": t.async}
	if t.url != "" {
		d["server"] = map[string]any{"url": t.url}
	}
	return d
}
