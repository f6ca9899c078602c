package dialect

import (
	"encoding/json"
	"path"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// expectedTool is a tool as replies/expected.json states it.
type expectedTool struct {
	Name          string          `json:"name"`
	Description   string          `json:"description,omitempty"`
	URL           string          `json:"url,omitempty"`
	Async         bool            `json:"async,omitempty"`
	AsyncResponse string          `json:"async_response,omitempty"`
	Parameters    json.RawMessage `json:"parameters,omitempty"`
	Builtin       string          `json:"builtin,omitempty"`
}

// expectedAssistant is one assistant reply's expected outcome.
type expectedAssistant struct {
	Kind             string          `json:"kind"`
	FirstMessage     string          `json:"first_message"`
	EndCallMessage   string          `json:"end_call_message"`
	VoicemailMessage string          `json:"voicemail_message"`
	Tools            []expectedTool  `json:"tools"`
	MaxDuration      float64         `json:"max_duration_seconds"`
	ReplyMaxDuration float64         `json:"reply_max_duration_seconds"`
	Reject           string          `json:"reject"`
	AssistantID      string          `json:"assistant_id"`
	Metadata         json.RawMessage `json:"metadata"`
	Analysis         *struct {
		Enabled     bool            `json:"enabled"`
		MinMessages int             `json:"min_messages"`
		Schema      json.RawMessage `json:"schema"`
	} `json:"analysis"`
	Problems int      `json:"problems"`
	Unknown  []string `json:"unknown"`
	Legacy   *struct {
		Kind     string `json:"kind"`
		Problems int    `json:"problems"`
	} `json:"legacy"`
}

type expectedFile struct {
	DefaultAgent struct {
		FirstMessage string         `json:"first_message"`
		Tools        []expectedTool `json:"tools"`
	} `json:"default_agent"`
	ToolCalls []string                     `json:"tool_calls"`
	Assistant map[string]expectedAssistant `json:"assistant"`
	Tools     map[string]struct {
		Format  string `json:"format"`
		Results []struct {
			ID     string          `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  string          `json:"error"`
		} `json:"results"`
		Problems int `json:"problems"`
	} `json:"tools"`
}

func loadExpected(t *testing.T) expectedFile {
	var e expectedFile
	require.NoError(t, json.Unmarshal(documented(t, "replies/expected.json"), &e))
	return e
}

// defaultAgent is the saved agent the replies are laid over.
func defaultAgent(e expectedFile) *simulator.AssistantConfig {
	def := &simulator.AssistantConfig{AssistantID: "saved-agent", FirstMessage: e.DefaultAgent.FirstMessage,
		Echo: json.RawMessage(`{"first_message":"Default greeting","llm_config":{"provider":"openai","model":"gpt-4.1"}}`)}
	for _, tl := range e.DefaultAgent.Tools {
		def.Tools = append(def.Tools, simulator.Tool{Name: tl.Name})
	}
	return def
}

func toolsOf(ts []simulator.Tool) []expectedTool {
	out := []expectedTool{}
	for _, tl := range ts {
		out = append(out, expectedTool{Name: tl.Name, Description: tl.Description, URL: tl.URL, Async: tl.Async,
			AsyncResponse: tl.AsyncResponse, Parameters: tl.Parameters, Builtin: tl.Builtin})
	}
	return out
}

func TestDocumentedAssistantReplies(t *testing.T) {
	e := loadExpected(t)
	files := documentedFiles(t, "replies/assistant")
	require.Len(t, e.Assistant, len(files), "every reply file has an expected outcome and vice versa")
	for _, f := range files {
		want, ok := e.Assistant[path.Base(f)]
		require.True(t, ok, "no expected outcome for %s", f)
		body := documented(t, f)
		for _, name := range Names() {
			t.Run(path.Base(f)+"/"+name, func(t *testing.T) {
				def := defaultAgent(e)
				rep, cfg := mustDialect(t, name).ParseAssistantReply(body, def)
				require.NotNil(t, rep)
				require.NotNil(t, cfg)
				assert.Equal(t, "Default greeting", def.FirstMessage, "def is never modified")
				assert.Len(t, def.Tools, 1, "def is never modified")
				assert.Empty(t, rep.Unknown, "documented keys are never reported")

				kind, problems := want.Kind, want.Problems
				if name == NameLegacy && want.Legacy != nil {
					kind, problems = want.Legacy.Kind, want.Legacy.Problems
				}
				assert.Equal(t, kind, string(rep.Kind))
				assert.Len(t, rep.Problems, problems, "problems: %q", rep.Problems)
				if name == NameLegacy && kind == string(simulator.ReplyFailed) {
					require.NotEmpty(t, rep.Problems)
					assert.Contains(t, rep.Problems[len(rep.Problems)-1], "legacy assistant-request needs a full assistant configuration")
					return
				}
				assert.Equal(t, want.FirstMessage, cfg.FirstMessage)
				assert.Equal(t, want.EndCallMessage, cfg.EndCallMessage)
				assert.Equal(t, want.VoicemailMessage, cfg.Voicemail)
				if kind == string(simulator.ReplyReject) {
					assert.Equal(t, want.Reject, rep.Reject)
				} else {
					assert.Empty(t, rep.Reject)
				}
				assert.Equal(t, time.Duration(want.ReplyMaxDuration*float64(time.Second)), rep.MaxDuration)
				assert.Equal(t, time.Duration(want.MaxDuration*float64(time.Second)), cfg.MaxDuration)
				gotTools, _ := json.Marshal(toolsOf(cfg.Tools))
				wantTools, _ := json.Marshal(want.Tools)
				assert.JSONEq(t, string(wantTools), string(gotTools))
				if want.AssistantID != "" {
					assert.Equal(t, want.AssistantID, rep.AssistantID)
					assert.Equal(t, want.AssistantID, cfg.AssistantID)
				}
				if want.Metadata != nil {
					assert.JSONEq(t, string(want.Metadata), string(cfg.Metadata))
					assert.JSONEq(t, string(want.Metadata), string(rep.Metadata))
				} else {
					assert.Nil(t, cfg.Metadata)
				}
				if want.Analysis == nil {
					assert.Nil(t, cfg.Analysis)
				} else {
					require.NotNil(t, cfg.Analysis)
					assert.Equal(t, want.Analysis.Enabled, cfg.Analysis.Enabled)
					assert.Equal(t, want.Analysis.MinMessages, cfg.Analysis.MinMessages)
					if want.Analysis.Schema != nil {
						assert.JSONEq(t, string(want.Analysis.Schema), string(cfg.Analysis.Schema))
					}
				}
				switch rep.Kind {
				case simulator.ReplyOverride, simulator.ReplyHybrid:
					assert.True(t, json.Valid(cfg.Echo), "echo is JSON: %s", cfg.Echo)
					assert.Contains(t, string(cfg.Echo), `"llm_config"`, "the echo keeps the saved agent's blocks")
				case simulator.ReplyDefault:
					assert.Equal(t, string(def.Echo), string(cfg.Echo))
				}
			})
		}
	}
}

func TestDocumentedToolReplies(t *testing.T) {
	e := loadExpected(t)
	files := documentedFiles(t, "replies/tools")
	require.Len(t, e.Tools, len(files))
	var calls []simulator.ToolCall
	for _, id := range e.ToolCalls {
		calls = append(calls, simulator.ToolCall{ID: id, Name: "lookup_contact"})
	}
	for _, f := range files {
		want, ok := e.Tools[path.Base(f)]
		require.True(t, ok, "no expected outcome for %s", f)
		body := documented(t, f)
		for _, name := range Names() {
			t.Run(path.Base(f)+"/"+name, func(t *testing.T) {
				rep := mustDialect(t, name).ParseToolReply(body, calls)
				assert.Equal(t, want.Format, rep.Format)
				assert.Len(t, rep.Problems, want.Problems, "%q", rep.Problems)
				assert.Empty(t, rep.Unknown)
				require.Len(t, rep.Results, len(want.Results))
				for i, w := range want.Results {
					g := rep.Results[i]
					assert.Equal(t, w.ID, g.ID)
					assert.Equal(t, w.Error, g.Error)
					if w.Result != nil {
						assert.JSONEq(t, string(w.Result), string(g.Result))
					} else {
						assert.Nil(t, g.Result)
					}
				}
			})
		}
	}
}

// parseA parses an assistant reply in the flireo dialect against a default
// agent with one tool and an analysis plan.
func parseA(t *testing.T, dialect, body string) (*simulator.AssistantReply, *simulator.AssistantConfig) {
	t.Helper()
	def := &simulator.AssistantConfig{
		AssistantID:  "saved",
		FirstMessage: "Default greeting",
		Voicemail:    "Default voicemail",
		Tools:        []simulator.Tool{{Name: "default_tool", URL: "https://default.example.com"}},
		Analysis:     &simulator.AnalysisPlan{Enabled: true, Schema: json.RawMessage(`{"type":"object"}`), MinMessages: 4},
		MaxDuration:  10 * time.Minute,
		Metadata:     json.RawMessage(`{"crm_id":"1"}`),
		Echo:         json.RawMessage(`{"first_message":"Default greeting","llm_config":{"provider":"openai","model":"gpt-4.1","tools":[{"name":"default_tool"}]},"analysis_plan":{"structured_data_plan":{"enabled":true,"schema":{"type":"object"}},"min_messages_threshold":4},"metadata":{"crm_id":"1"}}`),
	}
	return mustDialect(t, dialect).ParseAssistantReply([]byte(body), def)
}

func TestUnknownKeys(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []string
	}{
		{"camel llmConfig", `{"assistant":{"llmConfig":{"tools":[]}}}`, []string{"llmConfig (documented: llm_config)"}},
		{"both spellings suggested", `{"assistant":{"FirstMessage":"x"}}`, []string{"FirstMessage (documented: first_message, firstMessage)"}},
		{"hyphenated", `{"assistant":{"first-message":"x"}}`, []string{"first-message (documented: first_message, firstMessage)"}},
		{"not documented", `{"assistant":{"salutation":"x"}}`, []string{"salutation (not documented)"}},
		{"top level", `{"assistantId":"x","max_duration":5,"assistant":{}}`, []string{"assistantId (documented: assistant_id)", "max_duration (ignored by the platform; max_duration belongs in max_duration_seconds)"}},
		{"tools in the assistant", `{"assistant":{"first_message":"x","tools":[{"name":"book_appointment"}]}}`,
			[]string{"tools (ignored by the platform; tools belong in assistant.llm_config.tools)"}},
		{"tools at the top", `{"assistant":{"first_message":"x"},"tools":[{"name":"book_appointment"}]}`,
			[]string{"tools (ignored by the platform; tools belong in assistant.llm_config.tools)"}},
		{"tools in an override", `{"assistant_id":"a","assistant_override":{"functions":[]}}`,
			[]string{"functions (ignored by the platform; functions belong in assistant_override.llm_config.tools)"}},
		{"first message spelt otherwise", `{"assistant":{"greeting":"x","welcome_message":"y","firstMsg":"z"}}`,
			[]string{"greeting (ignored by the platform; greeting belongs in assistant.first_message)", "welcome_message (ignored by the platform; welcome_message belongs in assistant.first_message)", "firstMsg (ignored by the platform; firstMsg belongs in assistant.first_message)"}},
		{"first message at the top", `{"firstMessage":"x"}`,
			[]string{"firstMessage (ignored by the platform; firstMessage belongs in assistant.first_message)"}},
		{"analysis plan misplaced", `{"assistant":{"llm_config":{"analysis_plan":{}},"structuredDataPlan":{}},"analysisPlan":{}}`,
			[]string{"analysisPlan (ignored by the platform; analysisPlan belongs in assistant.analysis_plan)", "structuredDataPlan (ignored by the platform; structuredDataPlan belongs in assistant.analysis_plan.structured_data_plan)", "llm_config.analysis_plan (ignored by the platform; analysis_plan belongs in assistant.analysis_plan)"}},
		{"schema straight in the analysis plan", `{"assistant":{"analysis_plan":{"schema":{}}}}`,
			[]string{"analysis_plan.schema (ignored by the platform; schema belongs in assistant.analysis_plan.structured_data_plan.schema)"}},
		{"override block", `{"assistant_id":"a","assistant_override":{"firstmessage":"x"}}`, []string{"firstmessage (documented: first_message, firstMessage)"}},
		{"inside llm_config", `{"assistant":{"llm_config":{"Tools":[],"max_tokens":5}}}`, []string{"llm_config.Tools (documented: tools)", "llm_config.max_tokens (documented: maxTokens)"}},
		{"inside analysis_plan", `{"assistant":{"analysis_plan":{"structured_data_plan":{"enabled":true,"Schema":{}},"minMessages":2}}}`,
			[]string{"analysis_plan.minMessages (not documented)", "analysis_plan.structured_data_plan.Schema (documented: schema)"}},
		{"inside a tool", `{"assistant":{"llm_config":{"tools":[{"name":"t","asyncresponse":"x","function":{"name":"t","strict":true}}]}}}`,
			[]string{"llm_config.tools[0].asyncresponse (documented: async_response, asyncResponse)", "llm_config.tools[0].function.strict (not documented)"}},
		{"every documented spelling is quiet", `{"assistant":{"first_message":"a","firstMessage":"b","end_call_message":"c","endCallMessage":"d","voicemail_message":"e","voicemailMessage":"f","max_duration_seconds":1,"maxDurationSeconds":2,"analysis_plan":{},"analysisPlan":{},"model":{"tools":[]},"llm_config":{"tools":[]},"metadata":{},"userMetadata":{},"tts_config":{},"stt_config":{},"webhook_url":"u","transcriber":{},"voice":{}},"max_duration_seconds":3,"maxDurationSeconds":4,"userMetadata":{}}`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, _ := parseA(t, NameFlireo, tt.body)
			assert.ElementsMatch(t, tt.want, rep.Unknown)
		})
	}
}

func TestMaxDurationPrecedence(t *testing.T) {
	tests := []struct {
		name      string
		body      string
		reply     time.Duration
		cfg       time.Duration
		problems  int
		dialectOK bool
	}{
		{"top-level snake", `{"max_duration_seconds":300}`, 300 * time.Second, 300 * time.Second, 0, true},
		{"top-level camel", `{"maxDurationSeconds":120}`, 120 * time.Second, 120 * time.Second, 0, true},
		{"nested snake", `{"assistant":{"max_duration_seconds":240}}`, 0, 240 * time.Second, 0, true},
		{"nested camel", `{"assistant":{"maxDurationSeconds":90.5}}`, 0, 90500 * time.Millisecond, 0, true},
		{"top-level wins over nested", `{"max_duration_seconds":300,"assistant":{"max_duration_seconds":60}}`, 300 * time.Second, 300 * time.Second, 0, true},
		{"top-level camel wins over nested snake", `{"assistant":{"max_duration_seconds":60},"maxDurationSeconds":30}`, 30 * time.Second, 30 * time.Second, 0, true},
		{"hybrid override", `{"assistant_id":"a","assistant_override":{"max_duration_seconds":45}}`, 0, 45 * time.Second, 0, true},
		{"absent keeps the default", `{"assistant":{}}`, 0, 10 * time.Minute, 0, true},
		{"string is a problem", `{"max_duration_seconds":"300"}`, 0, 10 * time.Minute, 1, true},
		{"negative is a problem", `{"assistant":{"max_duration_seconds":-5}}`, 0, 10 * time.Minute, 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, cfg := parseA(t, NameFlireo, tt.body)
			assert.Equal(t, tt.reply, rep.MaxDuration)
			assert.Equal(t, tt.cfg, cfg.MaxDuration)
			assert.Len(t, rep.Problems, tt.problems, "%q", rep.Problems)
			assert.NotEqual(t, simulator.ReplyFailed, rep.Kind)
		})
	}
}

// Override lays present fields over the default (inside blocks too); hybrid
// replaces every block the override names.
func TestOverrideVersusHybridMerge(t *testing.T) {
	t.Run("override keeps tools when llm_config has none", func(t *testing.T) {
		rep, cfg := parseA(t, NameFlireo, `{"assistant":{"llm_config":{"model":"gpt-4o"},"analysis_plan":{"min_messages_threshold":7}}}`)
		assert.Equal(t, simulator.ReplyOverride, rep.Kind)
		require.Len(t, cfg.Tools, 1)
		assert.Equal(t, "default_tool", cfg.Tools[0].Name)
		require.NotNil(t, cfg.Analysis)
		assert.True(t, cfg.Analysis.Enabled, "schema and enabled survive a partial analysis_plan")
		assert.JSONEq(t, `{"type":"object"}`, string(cfg.Analysis.Schema))
		assert.Equal(t, 7, cfg.Analysis.MinMessages)
		assert.Equal(t, "Default greeting", cfg.FirstMessage)
		assert.Equal(t, "saved", cfg.AssistantID)
		assert.JSONEq(t, `{"crm_id":"1"}`, string(cfg.Metadata))
		assert.JSONEq(t, `{"first_message":"Default greeting","llm_config":{"provider":"openai","model":"gpt-4o","tools":[{"name":"default_tool"}]},"analysis_plan":{"structured_data_plan":{"enabled":true,"schema":{"type":"object"}},"min_messages_threshold":7},"metadata":{"crm_id":"1"}}`, string(cfg.Echo))
	})
	t.Run("hybrid replaces whole blocks", func(t *testing.T) {
		rep, cfg := parseA(t, NameFlireo, `{"assistant_id":"agent-2","assistant_override":{"llm_config":{"model":"gpt-4o"},"analysis_plan":{"min_messages_threshold":7},"metadata":{"x":1}}}`)
		assert.Equal(t, simulator.ReplyHybrid, rep.Kind)
		assert.Equal(t, "agent-2", rep.AssistantID)
		assert.Equal(t, "agent-2", cfg.AssistantID)
		assert.Empty(t, cfg.Tools, "llm_config without tools replaces the tools too")
		require.NotNil(t, cfg.Analysis)
		assert.False(t, cfg.Analysis.Enabled, "analysis_plan without structured_data_plan replaces the plan")
		assert.Nil(t, cfg.Analysis.Schema)
		assert.Equal(t, 7, cfg.Analysis.MinMessages)
		assert.Equal(t, "Default greeting", cfg.FirstMessage, "blocks not named stay")
		assert.JSONEq(t, `{"x":1}`, string(cfg.Metadata))
		assert.JSONEq(t, `{"llm_config":{"model":"gpt-4o"},"analysis_plan":{"min_messages_threshold":7},"metadata":{"x":1}}`, string(rep.Assistant))
		assert.JSONEq(t, `{"first_message":"Default greeting","llm_config":{"model":"gpt-4o"},"analysis_plan":{"min_messages_threshold":7},"metadata":{"x":1}}`, string(cfg.Echo))
	})
	t.Run("hybrid without override", func(t *testing.T) {
		rep, cfg := parseA(t, NameFlireo, `{"assistant_id":"agent-2"}`)
		assert.Equal(t, simulator.ReplyHybrid, rep.Kind)
		assert.Equal(t, "agent-2", cfg.AssistantID)
		assert.Nil(t, rep.Assistant)
		assert.Len(t, cfg.Tools, 1)
	})
	t.Run("hybrid tools", func(t *testing.T) {
		_, cfg := parseA(t, NameFlireo, `{"assistant_id":"a","assistant_override":{"llm_config":{"tools":[{"name":"new_tool"}]}}}`)
		require.Len(t, cfg.Tools, 1)
		assert.Equal(t, "new_tool", cfg.Tools[0].Name)
	})
	t.Run("default echoes the saved agent", func(t *testing.T) {
		rep, cfg := parseA(t, NameFlireo, `{}`)
		assert.Equal(t, simulator.ReplyDefault, rep.Kind)
		assert.Contains(t, string(cfg.Echo), `"first_message":"Default greeting"`)
		assert.Equal(t, 10*time.Minute, cfg.MaxDuration)
	})
	t.Run("override with no saved echo", func(t *testing.T) {
		rep, cfg := mustDialect(t, NameFlireo).ParseAssistantReply([]byte(`{"assistant": {"first_message": "Hoi", "metadata": {"a": 1}}}`), nil)
		assert.Equal(t, simulator.ReplyOverride, rep.Kind)
		assert.Equal(t, `{"first_message":"Hoi","metadata":{"a":1}}`, string(cfg.Echo))
	})
}

func TestTypeErrors(t *testing.T) {
	tests := []struct {
		name    string
		dialect string
		body    string
		kind    simulator.ReplyKind
		problem string
	}{
		{"not JSON", NameFlireo, `{"assistant":`, simulator.ReplyFailed, "not valid JSON"},
		{"empty body", NameFlireo, ``, simulator.ReplyFailed, "body is empty"},
		{"array", NameFlireo, `[{"assistant":{}}]`, simulator.ReplyFailed, "an array, not a JSON object"},
		{"string", NameCamel, `"ok"`, simulator.ReplyFailed, "a string, not a JSON object"},
		{"assistant string", NameFlireo, `{"assistant":"x"}`, simulator.ReplyFailed, "assistant must be a JSON object, got a string"},
		{"override array", NameFlireo, `{"assistant_id":"a","assistant_override":[1]}`, simulator.ReplyFailed, "assistant_override must be a JSON object, got an array"},
		{"error number", NameFlireo, `{"error":5}`, simulator.ReplyFailed, "error must be a string"},
		{"first_message number", NameFlireo, `{"assistant":{"first_message":3}}`, simulator.ReplyOverride, "assistant.first_message must be a string, got a number"},
		{"firstMessage object", NameCamel, `{"assistant":{"firstMessage":{}}}`, simulator.ReplyOverride, "assistant.firstMessage must be a string, got an object"},
		{"tools object", NameFlireo, `{"assistant":{"llm_config":{"tools":{}}}}`, simulator.ReplyOverride, "assistant.llm_config.tools must be an array"},
		{"tool without name", NameFlireo, `{"assistant":{"llm_config":{"tools":[{"description":"x"}]}}}`, simulator.ReplyOverride, "assistant.llm_config.tools[0] has no name"},
		{"tool not an object", NameFlireo, `{"assistant":{"llm_config":{"tools":["lookup"]}}}`, simulator.ReplyOverride, "tools[0] must be a tool object"},
		{"unknown tool type", NameFlireo, `{"assistant":{"llm_config":{"tools":[{"type":"mcp","name":"x"}]}}}`, simulator.ReplyOverride, `type "mcp" is not a documented tool type`},
		{"async not a boolean", NameFlireo, `{"assistant":{"llm_config":{"tools":[{"name":"x","async":"yes"}]}}}`, simulator.ReplyOverride, "tools[0].async must be true or false"},
		{"model string", NameFlireo, `{"assistant":{"model":"gpt-4o"}}`, simulator.ReplyOverride, "model must be an object"},
		{"metadata array", NameFlireo, `{"assistant":{"metadata":[1]}}`, simulator.ReplyOverride, "assistant.metadata must be a JSON object"},
		{"enabled string", NameFlireo, `{"assistant":{"analysis_plan":{"structured_data_plan":{"enabled":"yes"}}}}`, simulator.ReplyOverride, "structured_data_plan.enabled must be true or false"},
		{"threshold fraction", NameFlireo, `{"assistant":{"analysis_plan":{"min_messages_threshold":2.5}}}`, simulator.ReplyOverride, "min_messages_threshold must be a whole number"},
		{"both shapes", NameFlireo, `{"assistant":{},"assistant_id":"a"}`, simulator.ReplyOverride, "both assistant and assistant_id"},
		{"legacy empty", NameLegacy, `{}`, simulator.ReplyFailed, "legacy assistant-request needs a full assistant configuration"},
		{"legacy error", NameLegacy, `{"error":"gesloten"}`, simulator.ReplyFailed, "no error reply"},
		{"legacy hybrid", NameLegacy, `{"assistant_id":"a","assistant_override":{"first_message":"x","max_duration_seconds":5}}`, simulator.ReplyFailed, "legacy assistant-request needs"},
		{"legacy max duration only", NameLegacy, `{"max_duration_seconds":300}`, simulator.ReplyFailed, "G1 documents no empty ({}) reply"},
		{"legacy not JSON", NameLegacy, `nope`, simulator.ReplyFailed, "not valid JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep, cfg := parseA(t, tt.dialect, tt.body)
			require.NotNil(t, cfg)
			assert.Equal(t, tt.kind, rep.Kind)
			require.NotEmpty(t, rep.Problems)
			assert.Contains(t, strings.Join(rep.Problems, "\n"), tt.problem)
			// An ignored value leaves the default; a failed reply uses nothing.
			assert.Equal(t, "Default greeting", cfg.FirstMessage)
			if tt.kind == simulator.ReplyFailed {
				assert.Equal(t, 10*time.Minute, cfg.MaxDuration)
				assert.Len(t, cfg.Tools, 1)
			}
		})
	}
}

func TestParseAssistantReplyDetails(t *testing.T) {
	t.Run("reject keeps the text", func(t *testing.T) {
		rep, _ := parseA(t, NameCamel, `{"error":"Sorry, we zijn gesloten."}`)
		assert.Equal(t, simulator.ReplyReject, rep.Kind)
		assert.Equal(t, "Sorry, we zijn gesloten.", rep.Reject)
	})
	t.Run("legacy reads the assistant and ignores error", func(t *testing.T) {
		rep, cfg := parseA(t, NameLegacy, `{"assistant":{"firstMessage":"Hoi"},"error":"x"}`)
		assert.Equal(t, simulator.ReplyOverride, rep.Kind)
		assert.Equal(t, "Hoi", cfg.FirstMessage)
	})
	t.Run("legacy userMetadata at the top", func(t *testing.T) {
		rep, cfg := parseA(t, NameLegacy, `{"assistant":{"firstMessage":"Hoi"},"userMetadata":{"candidateId":"c1"}}`)
		assert.Equal(t, simulator.ReplyOverride, rep.Kind)
		assert.JSONEq(t, `{"candidateId":"c1"}`, string(cfg.Metadata))
		assert.JSONEq(t, `{"candidateId":"c1"}`, string(rep.Metadata))
	})
	t.Run("assistant metadata wins over top-level userMetadata", func(t *testing.T) {
		_, cfg := parseA(t, NameLegacy, `{"assistant":{"metadata":{"a":1}},"userMetadata":{"b":2}}`)
		assert.JSONEq(t, `{"a":1}`, string(cfg.Metadata))
	})
	t.Run("G1 model.tools in the OpenAI shape", func(t *testing.T) {
		rep, cfg := parseA(t, NameLegacy, `{"assistant":{"model":{"tools":[{"type":"function","async":true,"function":{"name":"send_task","description":"d","parameters":{"type":"object"}},"server":{"url":"https://x.example.com"}}]}}}`)
		assert.Empty(t, rep.Problems)
		require.Len(t, cfg.Tools, 1)
		assert.Equal(t, simulator.Tool{Name: "send_task", Description: "d", URL: "https://x.example.com", Async: true, Parameters: json.RawMessage(`{"type":"object"}`)}, cfg.Tools[0])
	})
	t.Run("llm_config wins over model", func(t *testing.T) {
		_, cfg := parseA(t, NameFlireo, `{"assistant":{"model":{"tools":[{"name":"a"}]},"llm_config":{"tools":[{"name":"b"}]}}}`)
		require.Len(t, cfg.Tools, 1)
		assert.Equal(t, "b", cfg.Tools[0].Name)
	})
	t.Run("schema without enabled turns the plan on", func(t *testing.T) {
		_, cfg := mustDialect(t, NameFlireo).ParseAssistantReply([]byte(`{"assistant":{"analysisPlan":{"structuredDataPlan":{"schema":{"type":"object"}}}}}`), nil)
		require.NotNil(t, cfg.Analysis)
		assert.True(t, cfg.Analysis.Enabled)
		assert.Equal(t, defaultMinMessages, cfg.Analysis.MinMessages)
	})
	t.Run("null values count as absent", func(t *testing.T) {
		rep, cfg := parseA(t, NameFlireo, `{"assistant":{"first_message":null},"error":null,"max_duration_seconds":null}`)
		assert.Equal(t, simulator.ReplyOverride, rep.Kind)
		assert.Empty(t, rep.Problems)
		assert.Equal(t, "Default greeting", cfg.FirstMessage)
	})
	t.Run("duplicate keys: the last wins", func(t *testing.T) {
		_, cfg := parseA(t, NameFlireo, `{"assistant":{"first_message":"a","first_message":"b"}}`)
		assert.Equal(t, "b", cfg.FirstMessage)
	})
	t.Run("white space around the body", func(t *testing.T) {
		rep, _ := parseA(t, NameFlireo, " \n {} \n")
		assert.Equal(t, simulator.ReplyDefault, rep.Kind)
	})
}

func TestParseToolReply(t *testing.T) {
	calls := []simulator.ToolCall{{ID: "tool_1", Name: "a"}, {ID: "tool_2", Name: "b"}}
	tests := []struct {
		name     string
		body     string
		calls    []simulator.ToolCall
		format   string
		results  []simulator.ToolResult
		problems []string
		unknown  []string
	}{
		{"results snake", `{"results":[{"tool_call_id":"tool_1","result":"ok"},{"tool_call_id":"tool_2","result":{"a": 1}}]}`, calls, "results",
			[]simulator.ToolResult{{ID: "tool_1", Result: json.RawMessage(`"ok"`)}, {ID: "tool_2", Result: json.RawMessage(`{"a":1}`)}}, nil, nil},
		{"duplicates and unknown ids are reported as they are", `{"results":[{"toolCallId":"tool_1","result":1},{"toolCallId":"tool_1","result":2},{"toolCallId":"nope","result":3}]}`, calls, "results",
			[]simulator.ToolResult{{ID: "tool_1", Result: json.RawMessage(`1`)}, {ID: "tool_1", Result: json.RawMessage(`2`)}, {ID: "nope", Result: json.RawMessage(`3`)}}, nil, nil},
		{"entry error", `{"results":[{"tool_call_id":"tool_1","error":"niet gevonden"}]}`, calls, "results",
			[]simulator.ToolResult{{ID: "tool_1", Error: "niet gevonden"}}, nil, nil},
		{"missing id", `{"results":[{"result":"ok"}]}`, calls, "results",
			[]simulator.ToolResult{{Result: json.RawMessage(`"ok"`)}}, []string{"results[0] has no tool_call_id (or toolCallId)"}, nil},
		{"id not a string", `{"results":[{"tool_call_id":7,"result":"ok"}]}`, calls, "results",
			[]simulator.ToolResult{{Result: json.RawMessage(`"ok"`)}}, []string{"results[0].tool_call_id must be a string"}, nil},
		{"neither result nor error", `{"results":[{"tool_call_id":"tool_1"}]}`, calls, "results",
			[]simulator.ToolResult{{ID: "tool_1"}}, []string{"results[0] has neither result nor error"}, nil},
		{"entry not an object", `{"results":["ok"]}`, calls, "results", []simulator.ToolResult{}, []string{"results[0] must be an object"}, nil},
		{"results not an array", `{"results":{"tool_call_id":"tool_1"}}`, calls, "results", nil, []string{"results must be an array"}, nil},
		{"unknown keys", `{"results":[{"toolcallid":"tool_1","result":"x","toolName":"a"}],"status":"ok"}`, calls, "results",
			[]simulator.ToolResult{{Result: json.RawMessage(`"x"`)}}, []string{"results[0] has no tool_call_id"},
			[]string{"status (not documented)", "results[0].toolcallid (documented: tool_call_id, toolCallId)", "results[0].toolName (not documented)"}},
		{"simple answers every call", `{"result": "klaar"}`, calls, "simple",
			[]simulator.ToolResult{{ID: "tool_1", Result: json.RawMessage(`"klaar"`)}, {ID: "tool_2", Result: json.RawMessage(`"klaar"`)}}, nil, nil},
		{"simple null result", `{"result": null}`, calls[:1], "simple", []simulator.ToolResult{{ID: "tool_1", Result: json.RawMessage(`null`)}}, nil, nil},
		{"simple with an extra key", `{"result": 1, "note": "x"}`, calls[:1], "simple", []simulator.ToolResult{{ID: "tool_1", Result: json.RawMessage(`1`)}}, nil, []string{"note (not documented)"}},
		{"direct", `{"slots": ["09:00", "10:30"], "ok": true}`, calls[:1], "direct",
			[]simulator.ToolResult{{ID: "tool_1", Result: json.RawMessage(`{"slots":["09:00","10:30"],"ok":true}`)}}, nil, nil},
		{"direct without calls", `{"ok": true}`, nil, "direct", []simulator.ToolResult{{Result: json.RawMessage(`{"ok":true}`)}}, nil, nil},
		{"error", `{"error": "Contact niet gevonden"}`, calls, "error",
			[]simulator.ToolResult{{ID: "tool_1", Error: "Contact niet gevonden"}, {ID: "tool_2", Error: "Contact niet gevonden"}}, nil, nil},
		{"error not a string", `{"error": {"code": 404}}`, calls[:1], "error",
			[]simulator.ToolResult{{ID: "tool_1", Error: `{"code":404}`}}, []string{"error must be a string"}, nil},
		{"array body", `[{"tool_call_id":"tool_1"}]`, calls, "", nil, []string{"an array, not a JSON object"}, nil},
		{"string body", `"ok"`, calls, "", nil, []string{"a string, not a JSON object"}, nil},
		{"not JSON", `ok`, calls, "", nil, []string{"not valid JSON"}, nil},
		{"empty", ``, calls, "", nil, []string{"body is empty"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, name := range Names() {
				rep := mustDialect(t, name).ParseToolReply([]byte(tt.body), tt.calls)
				assert.Equal(t, tt.format, rep.Format, name)
				assert.Equal(t, tt.results, rep.Results, name)
				require.Len(t, rep.Problems, len(tt.problems), "%s %q", name, rep.Problems)
				for i, p := range tt.problems {
					assert.Contains(t, rep.Problems[i], p, name)
				}
				assert.ElementsMatch(t, tt.unknown, rep.Unknown, name)
			}
		})
	}
}

func TestUnknownKeySuggestion(t *testing.T) {
	known := []string{"first_message", "firstMessage", "llm_config"}
	assert.Equal(t, "llmConfig (documented: llm_config)", unknownKey("", "llmConfig", known))
	assert.Equal(t, "FIRST-MESSAGE (documented: first_message, firstMessage)", unknownKey("", "FIRST-MESSAGE", known))
	assert.Equal(t, "a.b (not documented)", unknownKey("a.", "b", known))
	assert.Equal(t, "llm_confg (not documented; did you mean llm_config?)", unknownKey("", "llm_confg", assistantKeys))
	assert.Equal(t, "llmConfg (not documented; did you mean llm_config?)", unknownKey("", "llmConfg", assistantKeys))
	assert.Equal(t, "firstMesage (not documented; did you mean first_message?)", unknownKey("", "firstMesage", assistantKeys))
	assert.Equal(t, "salutation (not documented)", unknownKey("", "salutation", assistantKeys))
}
