package platformsteps

// Steps that make assistants and templates through the platform API (spec
// §6.3–§6.5) and judge what calls with them sent: an assistant that uses a
// tool template makes the platform call that tool on the server, and one
// that uses an analysis template gets its analysis in the report.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/cucumber/godog"

	"github.com/flireo-sim/flireo-sim/scenarios"
	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// assistantSteps are the steps of the "platform API" topic that make
// assistants and templates and judge their calls.
var assistantSteps = []scenarios.Definition{
	step("platform API", `I create the tool template "NAME" through the API with: (a doc string with the template's fields)`,
		"When I create the tool template \"availability\" through the API with:\n  \"\"\"\n  {\"function_definition\": {\"name\": \"check_availability\", \"parameters\": {\"type\": \"object\", \"properties\": {\"date\": {\"type\": \"string\", \"format\": \"date\"}}}}}\n  \"\"\"",
		`^I create the tool template "([^"]*)" through the API with:$`, do2(createTemplate("/api/v1/tool-templates", "tool_template"))),
	step("platform API", `I create the analysis template "NAME" through the API with: (a doc string with the template's fields)`,
		"When I create the analysis template \"mood\" through the API with:\n  \"\"\"\n  {\"schema\": {\"type\": \"object\", \"properties\": {\"sentiment\": {\"type\": \"integer\"}}}}\n  \"\"\"",
		`^I create the analysis template "([^"]*)" through the API with:$`, do2(createTemplate("/api/v1/analysis-templates", "analysis_template"))),
	step("platform API", `I create the assistant "NAME" through the API with: (a doc string with the assistant's fields; "{template:NAME}" stands for a template's id)`,
		"When I create the assistant \"Afspraken\" through the API with:\n  \"\"\"\n  {\"llm_config\": {\"tools\": [{\"template_id\": \"{template:availability}\"}]}}\n  \"\"\"",
		`^I create the assistant "([^"]*)" through the API with:$`, do2((*state).createAssistant)),
	step("platform API", `I start an outbound call to "NUMBER" with the assistant "NAME" through the API`,
		`When I start an outbound call to "+31612345678" with the assistant "Afspraken" through the API`,
		`^I start an outbound call to "([^"]*)" with the assistant "([^"]*)" through the API$`, do2((*state).outboundWith)),
	step("platform API", `an inbound call for the assistant "NAME" is started through the API`,
		`When an inbound call for the assistant "Afspraken" is started through the API`,
		`^an inbound call for the assistant "([^"]*)" is started through the API$`, do1((*state).inboundFor)),
	step("platform API", `the platform calls the tool "NAME" on my server (waits for it, at most until the call's end)`,
		`Then the platform calls the tool "check_availability" on my server`,
		`^the platform calls the tool "([^"]*)" on my server$`, do1((*state).thenToolCalled)),
	step("platform API", `the end-of-call-report sent to my server has the analysis fields "A, B" (waits for it)`,
		`Then the end-of-call-report sent to my server has the analysis fields "sentiment"`,
		`^the end-of-call-report sent to my server has the analysis fields "([^"]*)"$`, do1((*state).thenAnalysisFields)),
}

// made is what the scenario made through the API: ids by name.
type made struct {
	templates  map[string]string
	assistants map[string]string
}

// madeKey is the key of the scenario's made objects among its parts.
type madeKey struct{}

func (m *made) Exchanges() []*sim.Exchange { return nil }
func (m *made) Stop(bool)                  {}

// Values adds no placeholders: the steps name what they made by name.
func (m *made) Values(map[string]string) {}

// made returns the scenario's made objects.
func (st *state) made() *made {
	if m, ok := st.Part(madeKey{}).(*made); ok {
		return m
	}
	m := &made{templates: map[string]string{}, assistants: map[string]string{}}
	st.SetPart(madeKey{}, m)
	return m
}

// create posts an object and returns its id from the envelope one.
func (st *state) create(ctx context.Context, path, one string, body map[string]json.RawMessage) (string, error) {
	// Nothing steers the calls of saved assistants while they are live.
	if _, err := st.platformAPIInstant(); err != nil {
		return "", err
	}
	r, err := st.request(ctx, http.MethodPost, path, body, true)
	if err != nil {
		return "", err
	}
	var got map[string]struct {
		ID string `json:"id"`
	}
	if r.Status != http.StatusCreated || json.Unmarshal(r.Body, &got) != nil || got[one].ID == "" {
		return "", fmt.Errorf("%s, expected 201 with {%q: {\"id\", …}}", r, one)
	}
	return got[one].ID, nil
}

// createTemplate makes a template of the kind under path, named by the
// step, with the doc string's fields.
func createTemplate(path, one string) func(*state, context.Context, string, *godog.DocString) error {
	return func(st *state, ctx context.Context, name string, doc *godog.DocString) error {
		f, err := fields(doc)
		if err != nil {
			return err
		}
		f["name"], _ = json.Marshal(name)
		id, err := st.create(ctx, path, one, f)
		if err != nil {
			return err
		}
		st.made().templates[name] = id
		return nil
	}
}

// createAssistant makes an assistant with the doc string's fields, where
// "{template:NAME}" stands for the id of a template the scenario made.
func (st *state) createAssistant(ctx context.Context, name string, doc *godog.DocString) error {
	m := st.made()
	text := doc.Content
	for tname, id := range m.templates {
		text = strings.ReplaceAll(text, "{template:"+tname+"}", id)
	}
	if i := strings.Index(text, "{template:"); i >= 0 {
		rest, _, _ := strings.Cut(text[i+len("{template:"):], "}")
		return fmt.Errorf("no template %q was made in this scenario: add a step such as 'When I create the tool template %q through the API with:'", rest, rest)
	}
	f, err := fields(&godog.DocString{Content: text})
	if err != nil {
		return err
	}
	f["name"], _ = json.Marshal(name)
	id, err := st.create(ctx, "/api/v1/assistants", "assistant", f)
	if err != nil {
		return err
	}
	m.assistants[name] = id
	return nil
}

// assistantID is the id of an assistant the scenario made.
func (st *state) assistantID(name string) (string, error) {
	id, ok := st.made().assistants[name]
	if !ok {
		return "", fmt.Errorf("no assistant %q was made in this scenario: add a step such as 'When I create the assistant %q through the API with:'", name, name)
	}
	return id, nil
}

func (st *state) outboundWith(ctx context.Context, number, name string) error {
	id, err := st.assistantID(name)
	if err != nil {
		return err
	}
	// An appointment confirmation: every flow of that intent books, so a
	// booking tool of the assistant is called whatever the seed draws.
	doc := fmt.Sprintf(`{"assistant_id": %q, "assistant": null, "simulate": {"intent": %q}}`, id, sim.AppointmentConfirmation)
	return st.outbound(ctx, number, &godog.DocString{Content: doc})
}

func (st *state) inboundFor(ctx context.Context, name string) error {
	id, err := st.assistantID(name)
	if err != nil {
		return err
	}
	return st.inbound(ctx, &godog.DocString{Content: fmt.Sprintf(`{"assistant_id": %q}`, id)})
}

func (st *state) thenToolCalled(ctx context.Context, tool string) error {
	k, err := st.Kit()
	if err != nil {
		return err
	}
	if !k.Dialect.Sends(sim.ToolCalls) {
		return scenarios.Skip("the %s dialect sends no tool-calls", st.Dialect())
	}
	id, err := st.apiCall()
	if err != nil {
		return err
	}
	// called lists the tools the call's tool-calls requests named so far.
	called := func() []string {
		var names []string
		for _, x := range st.api.exchanges() {
			if x.CallID != id || x.Event != sim.ToolCalls {
				continue
			}
			for _, tc := range x.ToolCalls {
				names = append(names, tc.Name)
			}
		}
		return names
	}
	c, err := st.await(ctx, id, "calling "+tool, func(c apiCallObject) bool {
		return slices.Contains(called(), tool) || c.over()
	})
	if err != nil {
		return err
	}
	names := called()
	switch {
	case slices.Contains(names, tool):
		return nil
	case len(names) == 0:
		return st.apiFailure("the call %s (%s, end reason %s) sent no tool-calls to the server; its messages: %s", id, c.Status, reason(c), transcript(c))
	}
	return st.apiFailure("the call %s called %s on the server, not %q", id, strings.Join(names, ", "), tool)
}

func (st *state) thenAnalysisFields(ctx context.Context, list string) error {
	var want []string
	for _, f := range strings.Split(list, ",") {
		if f = strings.TrimSpace(f); f != "" {
			want = append(want, f)
		}
	}
	if len(want) == 0 {
		return fmt.Errorf("name the analysis fields, comma-separated, e.g. \"sentiment, follow_up_needed\"")
	}
	id, err := st.apiCall()
	if err != nil {
		return err
	}
	x, err := st.apiReport(ctx, id)
	if err != nil {
		return err
	}
	if analysisHas(x.Request.Body, want) {
		return nil
	}
	r, err := st.request(ctx, http.MethodGet, "/api/v1/calls/"+url.PathEscape(id), nil, false)
	if err != nil {
		return err
	}
	var obj struct {
		Analysis json.RawMessage `json:"analysis_result"`
	}
	_ = json.Unmarshal(r.Body, &obj) // not a call object: no analysis to show
	if analysisHas(r.Body, want) {
		return scenarios.Skip("the %s dialect's end-of-call-report carries no analysis", st.Dialect())
	}
	return st.apiFailure("the end-of-call-report sent for the call %s has no analysis with the fields %s; the call's analysis_result: %s",
		id, strings.Join(want, ", "), orNone(obj.Analysis))
}

// analysisHas reports whether the JSON body has an "analysis" (or
// "analysis_result") object with all these keys, flat (G2/G3) or under
// structuredData (G1). The schema echoed with the assistant does not count.
func analysisHas(body []byte, keys []string) bool {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return false
	}
	hasAll := func(v any) bool {
		m, ok := v.(map[string]any)
		return ok && !slices.ContainsFunc(keys, func(k string) bool { _, ok := m[k]; return !ok })
	}
	var walk func(any) bool
	walk = func(v any) bool {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				if k == "analysis" || k == "analysis_result" {
					if sub, _ := e.(map[string]any); hasAll(e) || hasAll(sub["structuredData"]) {
						return true
					}
				}
				if walk(e) {
					return true
				}
			}
		case []any:
			return slices.ContainsFunc(x, walk)
		}
		return false
	}
	return walk(v)
}

func orNone(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "(none)"
	}
	return string(raw)
}
