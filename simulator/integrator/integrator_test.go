package integrator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/internal/golden"
)

var catalogueNames = []any{"lookup_contact", "check_availability", "book_appointment", "lookup_order", "create_ticket", "request_callback", "get_opening_hours"}

func toolNames(t *testing.T, tools any) []any {
	t.Helper()
	list, ok := tools.([]any)
	require.True(t, ok, "tools is a %T", tools)
	out := make([]any, len(list))
	for i, x := range list {
		out[i] = at(t, x, "name")
	}
	return out
}

func toolByName(t *testing.T, tools any, name string) map[string]any {
	t.Helper()
	for _, x := range tools.([]any) {
		if m := x.(map[string]any); m["name"] == name {
			return m
		}
	}
	t.Fatalf("tool %q not declared", name)
	return nil
}

func TestAssistantRequestReplyPerDialect(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		golden string
		check  func(t *testing.T, v map[string]any)
	}{
		{
			name: "g3 snake, known caller", body: g3AssistantRequest, golden: "assistant_g3_known.json",
			check: func(t *testing.T, v map[string]any) {
				assert.EqualValues(t, 600, at(t, v, "max_duration_seconds"))
				assert.Contains(t, at(t, v, "assistant.first_message"), "Jan")
				assert.Equal(t, "openai", at(t, v, "assistant.llm_config.provider"))
				assert.NotEmpty(t, at(t, v, "assistant.llm_config.model"))
				assert.Equal(t, "system", at(t, v, "assistant.llm_config.messages.0.role"))
				assert.Contains(t, at(t, v, "assistant.llm_config.messages.0.content"), "Jan de Vries")
				tools := at(t, v, "assistant.llm_config.tools")
				assert.Equal(t, catalogueNames, toolNames(t, tools))
				cb := toolByName(t, tools, "request_callback")
				assert.Equal(t, true, cb["async"])
				assert.Equal(t, "Ik zorg dat u wordt teruggebeld.", cb["async_response"])
				assert.NotContains(t, cb, "asyncResponse")
				assert.Equal(t, true, at(t, v, "assistant.analysis_plan.structured_data_plan.enabled"))
				assert.Equal(t, []any{"positive", "neutral", "negative"}, at(t, v, "assistant.analysis_plan.structured_data_plan.schema.properties.sentiment.enum"))
				assert.Equal(t, "boolean", at(t, v, "assistant.analysis_plan.structured_data_plan.schema.properties.follow_up_needed.type"))
				assert.Equal(t, "system", at(t, v, "assistant.analysis_plan.structured_data_plan.messages.0.role"))
				assert.EqualValues(t, 2, at(t, v, "assistant.analysis_plan.min_messages_threshold"))
				assert.Equal(t, "CRM-10001", at(t, v, "assistant.metadata.crm_id"))
				assert.Equal(t, "premium", at(t, v, "assistant.metadata.customer_tier"))
				assert.NotContains(t, v["assistant"], "firstMessage")
				assert.NotContains(t, v, "maxDurationSeconds")
			},
		},
		{
			name:   "g3 snake, unknown caller",
			body:   strings.Replace(g3AssistantRequest, "+31612345678", "+31699999999", 1),
			golden: "assistant_g3_unknown.json",
			check: func(t *testing.T, v map[string]any) {
				first := at(t, v, "assistant.first_message").(string)
				assert.Contains(t, first, "Goedendag")
				assert.NotContains(t, first, "Jan")
				assert.NotContains(t, at(t, v, "assistant.metadata"), "crm_id")
				assert.Equal(t, catalogueNames, toolNames(t, at(t, v, "assistant.llm_config.tools")))
			},
		},
		{
			name: "g2 camel", body: g2AssistantRequest, golden: "assistant_g2_known.json",
			check: func(t *testing.T, v map[string]any) {
				assert.EqualValues(t, 600, at(t, v, "maxDurationSeconds"))
				assert.Contains(t, at(t, v, "assistant.firstMessage"), "Sanne")
				assert.Contains(t, at(t, v, "assistant.llm_config.messages.0.content"), "Sanne Jansen")
				tools := at(t, v, "assistant.llm_config.tools")
				assert.Equal(t, catalogueNames, toolNames(t, tools))
				cb := toolByName(t, tools, "request_callback")
				assert.Equal(t, "Ik zorg dat u wordt teruggebeld.", cb["asyncResponse"])
				assert.NotContains(t, cb, "async_response")
				assert.Equal(t, true, at(t, v, "assistant.analysisPlan.structuredDataPlan.enabled"))
				assert.EqualValues(t, 2, at(t, v, "assistant.analysisPlan.minMessagesThreshold"))
				assert.Equal(t, "basic", at(t, v, "assistant.metadata.customer_tier"))
				assert.NotContains(t, v["assistant"], "first_message")
				assert.NotContains(t, v["assistant"], "analysis_plan")
				assert.NotContains(t, v, "max_duration_seconds")
			},
		},
		{
			name: "g1 legacy", body: g1AssistantRequest, golden: "assistant_g1_known.json",
			check: func(t *testing.T, v map[string]any) {
				assert.Len(t, v, 1, "the legacy reply is only {\"assistant\": {...}}")
				assert.Contains(t, at(t, v, "assistant.firstMessage"), "Jonas")
				assert.NotEmpty(t, at(t, v, "assistant.endCallMessage"))
				assert.EqualValues(t, 600, at(t, v, "assistant.maxDurationSeconds"))
				assert.Equal(t, true, at(t, v, "assistant.analysisPlan.structuredDataPlan.enabled"))
				assert.Equal(t, "openai", at(t, v, "assistant.model.provider"))
				assert.NotEmpty(t, at(t, v, "assistant.model.model"))
				assert.Contains(t, at(t, v, "assistant.model.messages.0.content"), "Jonas Bakker")
				tools := at(t, v, "assistant.model.tools")
				assert.Equal(t, catalogueNames, toolNames(t, tools))
				assert.Equal(t, "Ik zorg dat u wordt teruggebeld.", toolByName(t, tools, "request_callback")["asyncResponse"])
				assert.NotContains(t, v["assistant"], "llm_config")
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ts := newTestServer(t, Options{})
			r := post(t, ts.URL+"/webhook", tt.body)
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			v := r.JSON(t)
			tt.check(t, v)
			golden.JSON(t, "integrator/"+tt.golden, r.Body)
		})
	}
}

func TestToolDeclarationsHaveSchemas(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	v := post(t, ts.URL+"/webhook", g3AssistantRequest).JSON(t)
	tools := at(t, v, "assistant.llm_config.tools")
	tests := []struct {
		tool     string
		required []any
		formats  map[string]string // property -> format
	}{
		{"lookup_contact", []any{"query"}, nil},
		{"check_availability", []any{"date"}, map[string]string{"date": "date"}},
		{"book_appointment", []any{"name", "date", "time"}, map[string]string{"date": "date", "time": "time", "email": "email"}},
		{"lookup_order", []any{"order_id"}, nil},
		{"create_ticket", []any{"description"}, nil},
		{"request_callback", nil, nil},
		{"get_opening_hours", nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.tool, func(t *testing.T) {
			tool := toolByName(t, tools, tt.tool)
			assert.NotEmpty(t, tool["description"])
			assert.Equal(t, "object", at(t, tool, "parameters.type"))
			assert.IsType(t, map[string]any{}, at(t, tool, "parameters.properties"))
			if tt.required != nil {
				assert.Equal(t, tt.required, at(t, tool, "parameters.required"))
			}
			for prop, f := range tt.formats {
				assert.Equal(t, f, at(t, tool, "parameters.properties."+prop+".format"), prop)
			}
			assert.Equal(t, tt.tool == "request_callback", tool["async"])
		})
	}
	assert.Equal(t, []any{"low", "medium", "high"}, at(t, toolByName(t, tools, "create_ticket"), "parameters.properties.severity.enum"))
}

func TestToolCallsReplyPerDialect(t *testing.T) {
	tests := []struct {
		name   string
		body   string
		idKey  string
		ids    []any
		golden string
		check  func(t *testing.T, results []any)
	}{
		{
			name: "g3", body: g3ToolCalls, idKey: "tool_call_id", ids: []any{"tool_abc123", "tool_def456"}, golden: "tools_g3.json",
			check: func(t *testing.T, results []any) {
				assert.Equal(t, true, at(t, results, "0.result.found"))
				assert.Equal(t, "jan.devries@example.nl", at(t, results, "0.result.email"))
				assert.Equal(t, "2025-12-15", at(t, results, "1.result.date"))
				assert.NotEmpty(t, at(t, results, "1.result.slots"))
			},
		},
		{
			name: "g2", body: g2ToolCalls, idKey: "toolCallId", ids: []any{"tool_111", "tool_222"}, golden: "tools_g2.json",
			check: func(t *testing.T, results []any) {
				assert.Equal(t, "ORD-2025-0042", at(t, results, "0.result.order_id"))
				assert.NotEmpty(t, at(t, results, "0.result.status"))
				assert.NotEmpty(t, at(t, results, "0.result.eta"))
				assert.Contains(t, at(t, results, "1.result.text"), "zondag gesloten")
			},
		},
		{
			name: "g1", body: g1ToolCalls, idKey: "toolCallId", ids: []any{"call_kLsrB3eFvT6bvo67BqTv7iXc", "call_kLsrD3eFvY6bko67BqTb7iXc"}, golden: "tools_g1.json",
			check: func(t *testing.T, results []any) {
				booking, ok := at(t, results, "0.result").(string)
				require.True(t, ok, "legacy results are strings")
				assert.Regexp(t, `AFS-\d{5}`, booking)
				assert.Contains(t, booking, "2025-09-01")
				assert.IsType(t, "", at(t, results, "1.result"))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ts := newTestServer(t, Options{})
			r := post(t, ts.URL+"/webhook", tt.body)
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			v := r.JSON(t)
			results, ok := v["results"].([]any)
			require.True(t, ok, "reply has results[]: %s", r.Body)
			ids := make([]any, len(results))
			for i := range results {
				ids[i] = at(t, results, fmt.Sprintf("%d.%s", i, tt.idKey))
			}
			assert.Equal(t, tt.ids, ids, "exactly the asked ids, in order")
			tt.check(t, results)
			golden.JSON(t, "integrator/"+tt.golden, r.Body)
		})
	}
}

func TestToolCallsUnknownToolAndBadArguments(t *testing.T) {
	body := `{"message":{"type":"tool-calls","call":{"id":"c-unknown-tool","type":"inbound_phone_call","status":"in-progress"},
		"phone_number":{"number":"+31850835037"},"customer":{"number":"+31612345678"},
		"tool_call_list":[
			{"id":"t1","type":"function","function":{"name":"transfer_to_mars","arguments":{}}},
			{"id":"t2","type":"function","function":{"name":"check_availability","arguments":{"date":"morgen"}}},
			{"id":"t3","type":"function","function":{"name":"lookup_contact","arguments":"{\"query\":\"Daniëlle\"}"}},
			{"id":"t4","type":"function","function":{"name":"create_ticket","arguments":{"description":"Pakket kwijt","severity":"critical"}}}]}}`
	_, ts := newTestServer(t, Options{})
	v := post(t, ts.URL+"/webhook", body).JSON(t)
	results := v["results"].([]any)
	require.Len(t, results, 4, "one entry per id, errors included")
	assert.Equal(t, "t1", at(t, results, "0.tool_call_id"))
	assert.Contains(t, at(t, results, "0.error"), `unknown tool "transfer_to_mars"`)
	assert.NotContains(t, results[0], "result")
	assert.Contains(t, at(t, results, "1.error"), "YYYY-MM-DD")
	assert.Equal(t, "Daniëlle van den Berg", at(t, results, "2.result.name"), "arguments sent as a JSON string are unwrapped")
	assert.Contains(t, at(t, results, "3.error"), "low, medium, high")

	legacy := `{"eventType":"tool-calls","callId":"c-legacy-unknown","tasksInitiated":[{"taskId":"call_1","taskName":"nope"}]}`
	v = post(t, ts.URL+"/webhook", legacy).JSON(t)
	assert.Equal(t, "call_1", at(t, v, "results.0.toolCallId"))
	assert.Contains(t, at(t, v, "results.0.result"), "unknown tool")
}

func TestToolHandlersAreDeterministic(t *testing.T) {
	ev := &event{Caller: "+31655501234"}
	tests := []struct {
		tool    string
		args    string
		want    map[string]any // subset of the result value
		wantErr string
	}{
		{"lookup_contact", `{"query":"jan de vries"}`, map[string]any{"found": true, "crm_id": "CRM-10001"}, ""},
		{"lookup_contact", `{"query":"06 87 65 43 21"}`, map[string]any{"found": true, "name": "Sanne Jansen"}, ""},
		{"lookup_contact", `{"query":"danielle"}`, map[string]any{"found": true, "name": "Daniëlle van den Berg"}, ""},
		{"lookup_contact", `{"query":"Pietje Puk"}`, map[string]any{"found": false}, ""},
		{"lookup_contact", `{}`, nil, `"query" is required`},
		{"check_availability", `{"date":"2025-12-14"}`, map[string]any{"available": false, "slots": []string{}}, ""},
		{"check_availability", `{"date":"2025-12-13"}`, map[string]any{"available": true, "slots": []string{"10:00", "11:30"}}, ""},
		{"check_availability", `{"date":"2025-12-15"}`, map[string]any{"available": true}, ""},
		{"check_availability", `{"date":"15-12-2025"}`, nil, "YYYY-MM-DD"},
		{"book_appointment", `{"name":"Jan de Vries","date":"2025-12-15","time":"10:30:00"}`, map[string]any{"confirmed": true, "date": "2025-12-15", "time": "10:30"}, ""},
		{"book_appointment", `{"date":"2025-12-15","time":"10:30"}`, nil, `"name" is required`},
		{"book_appointment", `{"name":"Jan","date":"2025-12-15","time":"half elf"}`, nil, "HH:MM"},
		{"lookup_order", `{"order_id":"A-1"}`, map[string]any{"found": true, "order_id": "A-1"}, ""},
		{"lookup_order", `{"order_id":42}`, nil, "do not match"},
		{"create_ticket", `{"description":"Lekkage"}`, map[string]any{"severity": "medium", "status": "open"}, ""},
		{"create_ticket", `{"description":"Lekkage","severity":"high"}`, map[string]any{"severity": "high"}, ""},
		{"request_callback", `{"preferred_time":"morgen 10:00"}`, map[string]any{"scheduled": true, "phone": "+31655501234", "preferred_time": "morgen 10:00"}, ""},
		{"get_opening_hours", ``, map[string]any{"text": "Maandag tot en met vrijdag 09:00-17:30, zaterdag 10:00-16:00, zondag gesloten."}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.tool+" "+tt.args, func(t *testing.T) {
			spec, ok := findTool(tt.tool)
			require.True(t, ok)
			var args json.RawMessage
			if tt.args != "" {
				args = json.RawMessage(tt.args)
			}
			out, err := spec.Handle(args, ev)
			if tt.wantErr != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.wantErr)
				return
			}
			require.NoError(t, err)
			for k, want := range tt.want {
				assert.Equal(t, want, out.Value[k], k)
			}
			assert.NotEmpty(t, out.Text)
			again, err := spec.Handle(args, ev)
			require.NoError(t, err)
			assert.Equal(t, out, again, "same arguments, same result")
		})
	}

	book, _ := findTool("book_appointment")
	a, err := book.Handle(json.RawMessage(`{"name":"Jan de Vries","date":"2025-12-15","time":"10:30"}`), ev)
	require.NoError(t, err)
	b, err := book.Handle(json.RawMessage(`{"name":"Jan de Vries","date":"2025-12-16","time":"10:30"}`), ev)
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`^AFS-\d{5}$`), a.Value["confirmation"])
	assert.NotEqual(t, a.Value["confirmation"], b.Value["confirmation"], "the confirmation depends on the booking")
	weekday, _ := checkAvailability(json.RawMessage(`{"date":"2025-12-15"}`), ev)
	assert.Len(t, weekday.Value["slots"], 4)
}

// lifecycle delivers one call's events and checks GET /calls/{id}.
func TestCallLifecyclePerDialect(t *testing.T) {
	tests := []struct {
		name   string
		events []string
		callID string
		want   CallRecord
	}{
		{
			name:   "g3",
			events: []string{g3AssistantRequest, g3StatusInProgress, g3ToolCalls, g3StatusEnded, g3Report, g3Report},
			callID: "5c4d030f-43e3-4e65-899e-8148521e660f",
			want: CallRecord{
				CallID: "5c4d030f-43e3-4e65-899e-8148521e660f", Format: "g3",
				Events:   map[string]int{"assistant-request": 1, "status-update": 2, "tool-calls": 1, "end-of-call-report": 2},
				Statuses: []string{"in-progress", "ended"}, ToolCalls: 2, Reports: 1,
				Report: &Report{
					Summary: "Klant vroeg naar openingstijden en wilde een afspraak maken.", DurationSeconds: 84, EndReason: "user_hangup",
					Analysis: json.RawMessage(`{"sentiment":"positive","intent":"afspraak","appointment_booked":true,"follow_up_needed":false}`), Messages: 3,
				},
				Metadata: map[string]json.RawMessage{"crm_id": json.RawMessage(`"CRM-10001"`), "customer_tier": json.RawMessage(`"premium"`)},
			},
		},
		{
			name:   "g2",
			events: []string{g2AssistantRequest, g2StatusInProgress, g2ToolCalls, g2ToolCalls, g2StatusEnded, g2Report, g2Report},
			callID: "6d5e141f-54f4-5f76-9a59-9259632f771a",
			want: CallRecord{
				CallID: "6d5e141f-54f4-5f76-9a59-9259632f771a", Format: "g2",
				Events:   map[string]int{"assistant-request": 1, "status-update": 2, "tool-calls": 2, "end-of-call-report": 2},
				Statuses: []string{"in-progress", "ended-with-error"}, ToolCalls: 2, Reports: 1,
				Report: &Report{
					Summary: "Klant vroeg naar de status van bestelling ORD-2025-0042.", DurationSeconds: 61,
					Analysis: json.RawMessage(`{"sentiment":"neutral","intent":"bestelling","appointment_booked":false,"follow_up_needed":true}`),
				},
				Metadata: map[string]json.RawMessage{},
			},
		},
		{
			name:   "g1, assistant-request counted under the caller until the call id appears",
			events: []string{g1AssistantRequest, g1StatusInProgress, g1ToolCalls, g1StatusEnded, g1Report, g1Report},
			callID: "875573b5-4458-45be-bac2-4d2b869f8297",
			want: CallRecord{
				CallID: "875573b5-4458-45be-bac2-4d2b869f8297", Format: "g1",
				Events:   map[string]int{"assistant-request": 1, "status-update": 2, "tool-calls": 1, "end-of-call-report": 2},
				Statuses: []string{"in-progress", "ended"}, ToolCalls: 2, Reports: 1,
				Report: &Report{
					Summary: "Jonas heeft een afspraak gemaakt voor 1 september.", DurationSeconds: 132.5,
					Analysis: json.RawMessage(`{"summary":"Afspraak gemaakt.","structuredData":{"sentiment":"positive"},"successEvaluation":"true"}`), Messages: 3,
				},
				Metadata: map[string]json.RawMessage{"candidateId": json.RawMessage(`"cand_123456"`)},
			},
		},
		{
			name:   "interactly",
			events: []string{interactlyStatus, interactlyReport, interactlyReport},
			callID: "WC-82015760-c3bd-427d-a23b-ba9b07e4ab85",
			want: CallRecord{
				CallID: "WC-82015760-c3bd-427d-a23b-ba9b07e4ab85", Format: "interactly",
				Events:   map[string]int{"assistant-request": 0, "status-update": 1, "tool-calls": 0, "end-of-call-report": 2},
				Statuses: []string{"ongoing"}, Reports: 1,
				Report: &Report{
					Summary: "De beller wilde een afspraak maar hing op.", DurationSeconds: 41.683, EndReason: "bot",
					Analysis: json.RawMessage(`{"summary":"De beller wilde een afspraak maar hing op.","successEvaluation":"Fair","structuredData":{"Name":""},"outcome":"Geen afspraak"}`),
					Messages: 2,
				},
				Metadata: map[string]json.RawMessage{"campaign": json.RawMessage(`"voorjaar"`)},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{})
			for i, body := range tt.events {
				r := post(t, ts.URL+"/webhook", body)
				require.Equal(t, http.StatusOK, r.Status, "event %d: %s", i, r.Body)
			}
			r := do(t, http.MethodGet, ts.URL+"/calls/"+tt.callID, "", nil)
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			var got CallRecord
			require.NoError(t, json.Unmarshal(r.Body, &got))
			compactReport(t, &got)
			assert.Equal(t, tt.want, got)

			direct, ok := s.Call(tt.callID)
			require.True(t, ok)
			compactReport(t, &direct)
			assert.Equal(t, got, direct, "Call returns what GET /calls/{id} returns")
		})
	}
}

func compactReport(t *testing.T, r *CallRecord) {
	t.Helper()
	if r.Report != nil && r.Report.Analysis != nil {
		r.Report.Analysis = json.RawMessage(compact(t, string(r.Report.Analysis)))
	}
}

func TestStatusAndReportAcknowledged(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	for _, body := range []string{g3StatusInProgress, g3Report, g2StatusEnded, g1StatusInProgress, g1Report, interactlyStatus, interactlyReport} {
		r := post(t, ts.URL+"/", body)
		require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
		assert.JSONEq(t, `{"received":true}`, string(r.Body))
	}
}

func TestCallRecordIsACopy(t *testing.T) {
	s, ts := newTestServer(t, Options{})
	post(t, ts.URL+"/webhook", g3StatusInProgress)
	rec, ok := s.Call("5c4d030f-43e3-4e65-899e-8148521e660f")
	require.True(t, ok)
	rec.Events["status-update"] = 99
	rec.Statuses[0] = "changed"
	again, _ := s.Call("5c4d030f-43e3-4e65-899e-8148521e660f")
	assert.Equal(t, 1, again.Events["status-update"])
	assert.Equal(t, []string{"in-progress"}, again.Statuses)
}
