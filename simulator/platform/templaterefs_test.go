package platform

import (
	"encoding/json"
	"net/http"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// availabilityTemplate is a tool template for the reference integrator's
// check_availability tool.
var availabilityTemplate = map[string]any{
	"name": "Beschikbaarheid", "description": "Geef de vrije tijdsloten op een datum (check availability)",
	"function_definition": map[string]any{"name": "check_availability", "parameters": map[string]any{
		"type": "object", "required": []string{"date"},
		"properties": map[string]any{"date": map[string]any{"type": "string", "format": "date"}}}},
}

// moodTemplate is an analysis template whose fields no default plan has.
var moodTemplate = map[string]any{
	"name": "Tevredenheid", "schema": map[string]any{"type": "object", "required": []string{"tevredenheid", "terugbellen"},
		"properties": map[string]any{
			"tevredenheid": map[string]any{"type": "integer", "minimum": 1, "maximum": 10},
			"terugbellen":  map[string]any{"type": "boolean"}}},
	"min_messages_threshold": 0,
}

// createObject stores an object and returns its id.
func (e *env) createObject(path, one string, body map[string]any) string {
	e.t.Helper()
	r := e.do(http.MethodPost, path, body)
	require.Equal(e.t, http.StatusCreated, r.status, string(r.raw))
	return r.body[one].(map[string]any)["id"].(string)
}

// toolNames are the names of the tools a call's tool-calls requests called.
func (e *env) toolNames(id string) []string {
	var names []string
	for _, d := range e.rec.of(id) {
		if d.event != string(sim.ToolCalls) {
			continue
		}
		var m struct {
			Message struct {
				List []struct {
					Function struct {
						Name string `json:"name"`
					} `json:"function"`
				} `json:"tool_call_list"`
			} `json:"message"`
		}
		require.NoError(e.t, json.Unmarshal(d.body, &m))
		for _, c := range m.Message.List {
			names = append(names, c.Function.Name)
		}
	}
	return names
}

// analysisKeys are the keys of the call's end-of-call-report analysis.
func (e *env) analysisKeys(id string) []string {
	for _, d := range e.rec.of(id) {
		if d.event != string(sim.EndOfCallReport) {
			continue
		}
		var m struct {
			Message struct {
				Analysis map[string]any `json:"analysis"`
			} `json:"message"`
		}
		require.NoError(e.t, json.Unmarshal(d.body, &m))
		var keys []string
		for k := range m.Message.Analysis {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return keys
	}
	e.t.Fatalf("call %s: no end-of-call-report (events %v)", id, e.events(id))
	return nil
}

// TestTemplatesDriveCalls plays an assistant that uses a tool template and
// an analysis template against the reference integrator: the platform
// calls the template's tool, the integrator answers it, and the report's
// analysis has the template's fields.
func TestTemplatesDriveCalls(t *testing.T) {
	var mu sync.Mutex
	answered := map[string]int{} // call id → tool results the integrator gave
	e := setup(t, func(o *Options) {
		o.Observe = func(x *sim.Exchange) {
			if x.Event == sim.ToolCalls && x.Tools != nil {
				mu.Lock()
				answered[x.CallID] += len(x.Tools.Results)
				mu.Unlock()
			}
		}
	})
	tool := e.createObject("/api/v1/tool-templates", "tool_template", availabilityTemplate)
	mood := e.createObject("/api/v1/analysis-templates", "analysis_template", moodTemplate)
	withTemplates := e.createAssistant(map[string]any{
		"name": "Afspraken", "first_message": "Goedendag, waarmee kan ik helpen?",
		"llm_config":    map[string]any{"provider": "openai", "model": "gpt-4o-mini", "tools": []any{map[string]any{"template_id": tool}}},
		"analysis_plan": map[string]any{"structured_data_plan": map[string]any{"enabled": true, "template_id": mood}},
	})
	without := e.createAssistant(map[string]any{"name": "Kaal", "first_message": "Goedendag."})

	cases := []struct {
		name      string
		body      map[string]any
		tools     bool
		analysis  []string
		transient bool
	}{
		{"saved assistant", map[string]any{"assistant_id": withTemplates}, true, []string{"terugbellen", "tevredenheid"}, false},
		{"hybrid: override adds the templates", map[string]any{"assistant_id": without, "assistant_override": map[string]any{
			"llm_config": map[string]any{"tools": []any{map[string]any{"template_id": tool}}}}}, true, nil, false},
		{"transient assistant", map[string]any{"assistant": map[string]any{"name": "T",
			"analysis_plan": map[string]any{"structured_data_plan": map[string]any{"enabled": true, "template_id": mood}}}}, false, []string{"terugbellen", "tevredenheid"}, true},
		{"no templates", map[string]any{"assistant_id": without}, false, nil, false},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			body := c.body
			body["destination"] = "+31612345678"
			// seed 8 plays confirmation calls that check availability first
			body["simulate"] = map[string]any{"intent": string(sim.AppointmentConfirmation), "seed": 8, "call": 20 + i}
			id := e.outbound(body)
			e.wait(id)
			names := e.toolNames(id)
			if c.tools {
				require.NotEmpty(t, names, "the template's tool is called (events %v)", e.events(id))
				assert.True(t, slices.Contains(names, "check_availability"), "%v", names)
				mu.Lock()
				assert.Positive(t, answered[id], "the integrator answered the template's tool")
				mu.Unlock()
			} else {
				assert.Empty(t, names)
			}
			keys := e.analysisKeys(id)
			if c.analysis != nil {
				assert.Equal(t, c.analysis, keys)
			} else {
				assert.NotContains(t, keys, "tevredenheid")
			}
			assert.Equal(t, "ended", e.get(id)["status"])
		})
	}
}

// TestTemplateReferences checks that references resolve per account and
// that a missing template refuses the call, naming the field.
func TestTemplateReferences(t *testing.T) {
	e := openAccounts(t)
	tool := e.createObject("/api/v1/tool-templates", "tool_template", availabilityTemplate)
	mood := e.createObject("/api/v1/analysis-templates", "analysis_template", moodTemplate)
	toolRef := map[string]any{"llm_config": map[string]any{"tools": []any{map[string]any{"template_id": tool}}}}
	moodRef := map[string]any{"analysis_plan": map[string]any{"structured_data_plan": map[string]any{"enabled": true, "template_id": mood}}}
	cases := []struct {
		name  string
		key   string
		asst  map[string]any
		param string
	}{
		{"another account's tool template", otherKey, toolRef, "llm_config.tools[0].template_id"},
		{"another account's analysis template", otherKey, moodRef, "analysis_plan.structured_data_plan.template_id"},
		{"unknown tool template", testKey, map[string]any{"llm_config": map[string]any{"tools": []any{
			map[string]any{"name": "eigen_tool"}, map[string]any{"template_id": "tt_nope"}}}}, "llm_config.tools[1].template_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := map[string]any{"name": "A"}
			for k, v := range c.asst {
				a[k] = v
			}
			r := e.doKey(c.key, http.MethodPost, "/api/v1/calls/outbound", map[string]any{"destination": "+31612345678", "assistant": a})
			require.Equal(t, http.StatusNotFound, r.status, string(r.raw))
			assert.Equal(t, c.param, errorOf(t, r)["param"])
		})
	}

	saved := e.createAssistant(map[string]any{"name": "S", "llm_config": toolRef["llm_config"]})
	require.Equal(t, http.StatusOK, e.do(http.MethodDelete, "/api/v1/tool-templates/"+tool, nil).status)
	for _, path := range []string{"/api/v1/calls/outbound", "/simulate/inbound"} {
		r := e.do(http.MethodPost, path, map[string]any{"destination": "+31612345678", "assistant_id": saved})
		assert.Equal(t, http.StatusNotFound, r.status, path)
		assert.Equal(t, "llm_config.tools[0].template_id", errorOf(t, r)["param"], path)
	}
}
