package dialect

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// docCase renders an event equivalent to one documented request payload.
type docCase struct {
	file    string
	dialect string
	event   func(t *testing.T, doc []byte) *simulator.Event
	check   shapeCheck
}

func docCases() []docCase {
	ar := func(name string, at time.Time) func(*testing.T, []byte) *simulator.Event {
		return func(*testing.T, []byte) *simulator.Event {
			return &simulator.Event{Type: simulator.AssistantRequest, Plan: docPlan(name), At: at, Status: simulator.StatusRinging}
		}
	}
	apiTime := time.Date(2019, 8, 24, 14, 15, 22, 123e6, time.UTC)
	lookup := []simulator.ToolCall{{ID: "tool_abc123def456", Name: "lookup_contact", Arguments: json.RawMessage(`{"query":"Jan de Vries"}`)}}
	tc := func(name string, echo string) func(*testing.T, []byte) *simulator.Event {
		return func(t *testing.T, doc []byte) *simulator.Event {
			ev := &simulator.Event{Type: simulator.ToolCalls, Plan: docPlan(name), At: docNoon, Status: simulator.StatusInProgress, ToolCalls: lookup}
			if echo != "" {
				ev.Config = &simulator.AssistantConfig{Echo: pick(t, doc, echo)}
			}
			return ev
		}
	}
	su := func(at time.Time, st simulator.Status, errText, reason string) func(*testing.T, []byte) *simulator.Event {
		return func(*testing.T, []byte) *simulator.Event {
			return &simulator.Event{Type: simulator.StatusUpdate, Plan: docPlan("Flireo Demo"), At: at, Status: st, Error: errText, EndReason: reason}
		}
	}
	eocr := func(name string, started time.Time, echo bool, msgs []simulator.Message, recording string) func(*testing.T, []byte) *simulator.Event {
		return func(t *testing.T, doc []byte) *simulator.Event {
			var summary string
			require.NoError(t, json.Unmarshal(pick(t, doc, "message.summary"), &summary))
			r := &simulator.Report{Started: started, Ended: docReport, EndReason: simulator.EndUserHangup, Summary: summary,
				Analysis: pick(t, doc, "message.analysis"), Messages: msgs, RecordingURL: recording}
			ev := &simulator.Event{Type: simulator.EndOfCallReport, Plan: docPlan(name), At: docReport, Status: simulator.StatusEnded, EndReason: r.EndReason, Report: r}
			if echo {
				ev.Config = &simulator.AssistantConfig{Echo: pick(t, doc, "message.assistant")}
			}
			return ev
		}
	}
	started84 := docReport.Add(-84 * time.Second)
	twoMsgs := []simulator.Message{
		{Role: simulator.RoleAssistant, Content: "Hello, how can I help you?", At: started84},
		{Role: simulator.RoleUser, Content: "Hi, can you hear me?", At: started84.Add(3 * time.Second)},
	}
	g3 := shapeCheck{mode: g3Plus, values: true}
	exact := shapeCheck{mode: exactKeys, values: true}
	pipeline := func(c shapeCheck) shapeCheck { c.absent = []string{"message.call.pipeline"}; return c }

	legacyPlan := func(id, customer, phone string) *simulator.CallPlan {
		return &simulator.CallPlan{ID: id, Direction: simulator.Inbound, Customer: customer, PhoneNumber: phone}
	}
	legacySU := func(st simulator.Status, errText string) func(*testing.T, []byte) *simulator.Event {
		return func(*testing.T, []byte) *simulator.Event {
			return &simulator.Event{Type: simulator.StatusUpdate, Plan: legacyPlan("d0132d99-a7a4-4826-ad7b-72fee9f6f61f", "+31612345678", "+31850123456"),
				At: time.UnixMilli(1756368117035), Status: st, Error: errText}
		}
	}
	legacyTC := func(calls ...simulator.ToolCall) func(*testing.T, []byte) *simulator.Event {
		return func(*testing.T, []byte) *simulator.Event {
			return &simulator.Event{Type: simulator.ToolCalls, Plan: legacyPlan("875573b5-4458-45be-bac2-4d2b869f8297", "+31601234567", "+31850123456"),
				At: time.UnixMilli(1756278882619), Status: simulator.StatusInProgress, ToolCalls: calls}
		}
	}

	return []docCase{
		// flireo: G3 examples are a subset of G3+.
		{"flireo/assistant-request.json", NameFlireo, ar("Flireo Demo", docNoon), g3},
		{"flireo/assistant-request-api-reference.json", NameFlireo, ar("HMS Sovereign Demo", apiTime), pipeline(g3)},
		{"flireo/tool-calls.json", NameFlireo, tc("Flireo Demo", ""), g3},
		{"flireo/tool-calls-api-reference.json", NameFlireo, tc("HMS Sovereign Demo", "message.assistant"), g3},
		{"flireo/status-update-in-progress.json", NameFlireo, su(docNoon, simulator.StatusInProgress, "", ""), g3},
		{"flireo/status-update-ended.json", NameFlireo, su(docEnded, simulator.StatusEnded, "", simulator.EndUserHangup), g3},
		{"flireo/status-update-ended-with-error.json", NameFlireo, su(docEnded, simulator.StatusEndedWithError, "STT connection failed", simulator.EndError), g3},
		{"flireo/end-of-call-report.json", NameFlireo, eocr("HMS Sovereign Demo", started84, false, twoMsgs, "https://rec.example.com/a.mp3"), g3},
		{"flireo/end-of-call-report-composite.json", NameFlireo, eocr("HMS Sovereign Demo", started84, true, twoMsgs, "https://example.invalid/recording.mp3"), exact},
		{"flireo/end-of-call-report-voicemail.json", NameFlireo, func(t *testing.T, doc []byte) *simulator.Event {
			p := docPlan("Flireo Demo")
			p.Direction = simulator.Outbound
			r := &simulator.Report{Started: started84, Ended: docReport, EndReason: simulator.EndVoicemail,
				Summary: "Voicemail detected. Left message: Hello, this is...",
				Messages: []simulator.Message{
					{Role: simulator.RoleUser, Content: "You have reached the voicemail of...", At: started84},
					{Role: simulator.RoleAssistant, Content: "Hello, this is a message from...", At: started84.Add(5 * time.Second)},
				}}
			return &simulator.Event{Type: simulator.EndOfCallReport, Plan: p, At: docReport, Status: simulator.StatusEnded, Report: r}
		}, shapeCheck{mode: fragment, values: true}},
		{"flireo/end-of-call-report-sdk-test.json", NameFlireo, func(*testing.T, []byte) *simulator.Event {
			r := &simulator.Report{Started: docReport.Add(-time.Minute), Ended: docReport, Summary: "test"}
			return &simulator.Event{Type: simulator.EndOfCallReport, Plan: docPlan("Flireo Demo"), At: docReport, Report: r}
		}, shapeCheck{mode: fragment, values: true}},

		// flireo-camel: G2, exactly the documented keys and values.
		{"flireo-camel/assistant-request.json", NameCamel, ar("Flireo Demo", docNoon), exact},
		{"flireo-camel/assistant-request-api-reference.json", NameCamel, ar("Flireo Demo", apiTime), pipeline(exact)},
		{"flireo-camel/tool-calls.json", NameCamel, tc("Flireo Demo", ""), exact},
		{"flireo-camel/status-update-in-progress.json", NameCamel, su(docNoon, simulator.StatusInProgress, "", ""), exact},
		{"flireo-camel/status-update-ended.json", NameCamel, su(docEnded, simulator.StatusEnded, "", simulator.EndUserHangup), exact},
		{"flireo-camel/status-update-ended-with-error.json", NameCamel, su(docEnded, simulator.StatusEndedWithError, "STT connection failed", simulator.EndError), exact},
		{"flireo-camel/end-of-call-report.json", NameCamel, eocr("Flireo Demo", started84, false, twoMsgs, "https://rec.example.com/a.mp3"), exact},

		// flireo-legacy: G1, exactly the documented keys and values.
		{"flireo-legacy/assistant-request.json", NameLegacy, func(*testing.T, []byte) *simulator.Event {
			return &simulator.Event{Type: simulator.AssistantRequest, Plan: legacyPlan("c1", "+31601234567", "+31850123456"), At: docNoon}
		}, exact},
		{"flireo-legacy/tool-calls.json", NameLegacy, legacyTC(simulator.ToolCall{ID: "call_kLsrB3eFvT6bvo67BqTv7iXc", Name: "send_task",
			Arguments: json.RawMessage(`{"message": "Bericht voor het team: Jonas wil graag teruggebeld worden op telefoonnummer 06 01 23 45 67."}`)}), exact},
		{"flireo-legacy/tool-calls-without-payload.json", NameLegacy, legacyTC(simulator.ToolCall{ID: "call_kLsrD3eFvY6bko67BqTb7iXc", Name: "ask_email"}), exact},
		{"flireo-legacy/status-update-in-progress.json", NameLegacy, legacySU(simulator.StatusInProgress, ""), exact},
		{"flireo-legacy/status-update-ended.json", NameLegacy, legacySU(simulator.StatusEnded, ""), exact},
		{"flireo-legacy/status-update-ended-with-debugging.json", NameLegacy,
			legacySU(simulator.StatusEndedWithError, "Couldn't Get Assistant. Assistant Request Did Not Return One."), exact},
		{"flireo-legacy/end-of-call-report.json", NameLegacy, legacyEOCR,
			// one Report.Summary feeds both summaryText and analysis.summary; the example's differ
			shapeCheck{mode: exactKeys, values: true, differ: []string{"analysis.summary"}}},

		// interactly: key sets and types; values are checked in TestInteractlyDocumentedValues.
		{"interactly/end-of-call-report.json", NameInteractly, interactlyEOCR, shapeCheck{mode: exactKeys, free: []string{
			"message.call.assistantOverrides.dynamicVariables", "message.call.assistantOverrides.variablesValidations",
		}}},
		{"interactly/end-of-call-report-short.json", NameInteractly, interactlyEOCR, shapeCheck{mode: fragment}},
	}
}

// legacyEOCR rebuilds seed 000's call: the transcript lines become messages.
func legacyEOCR(t *testing.T, doc []byte) *simulator.Event {
	var d struct {
		TranscriptText    string
		SummaryText       string
		CallLengthSeconds float64
		Recordings        struct{ LinkStereo string }
	}
	require.NoError(t, json.Unmarshal(doc, &d))
	start := time.UnixMilli(1756294820944).Add(-132500 * time.Millisecond)
	var msgs []simulator.Message
	for i, line := range strings.Split(d.TranscriptText, "\n") {
		m := simulator.Message{At: start.Add(time.Duration(i) * 10 * time.Second)}
		switch {
		case strings.HasPrefix(line, legacyAI):
			m.Role, m.Content = simulator.RoleAssistant, strings.TrimPrefix(line, legacyAI)
		case strings.HasPrefix(line, legacyUser):
			m.Role, m.Content = simulator.RoleUser, strings.TrimPrefix(line, legacyUser)
		default:
			t.Fatalf("transcript line without a documented prefix: %q", line)
		}
		msgs = append(msgs, m)
	}
	// A system message is not spoken and must not reach the transcript.
	msgs = append([]simulator.Message{{Role: simulator.RoleSystem, Content: "Je bent Julia.", At: start}}, msgs...)
	r := &simulator.Report{Started: start, Ended: start.Add(132500 * time.Millisecond), EndReason: simulator.EndUserHangup,
		Summary: d.SummaryText, Analysis: pick(t, doc, "analysis.structuredData"), Success: "Excellent", Messages: msgs,
		RecordingURL: d.Recordings.LinkStereo}
	return &simulator.Event{
		Type:   simulator.EndOfCallReport,
		Plan:   &simulator.CallPlan{ID: "cc1abf4a-d005-44a8-825f-702334e8d4c8", Direction: simulator.Inbound, Customer: "+31623731537", PhoneNumber: "+31850835003"},
		At:     time.UnixMilli(1756294820944),
		Status: simulator.StatusEnded, Report: r,
		Config: &simulator.AssistantConfig{Metadata: pick(t, doc, "userMetadata")},
	}
}

// interactlyEOCR rebuilds seed 001's web call from its messages.
func interactlyEOCR(t *testing.T, _ []byte) *simulator.Event {
	doc := documented(t, "interactly/end-of-call-report.json")
	var d struct {
		Message struct {
			Messages []struct {
				Role, Text string
				Timestamp  int64
			}
			Analysis struct{ Summary, SuccessEvaluation string }
		}
	}
	require.NoError(t, json.Unmarshal(doc, &d))
	var msgs []simulator.Message
	for i, m := range d.Message.Messages {
		took := 1500 * time.Millisecond
		if i+1 < len(d.Message.Messages) {
			took = min(took, time.UnixMilli(d.Message.Messages[i+1].Timestamp).Sub(time.UnixMilli(m.Timestamp))-200*time.Millisecond)
		}
		msgs = append(msgs, simulator.Message{Role: simulator.Role(m.Role), Content: m.Text, At: time.UnixMilli(m.Timestamp), Took: took})
	}
	started := time.Date(2026, 3, 5, 9, 21, 20, 63e6, time.UTC)
	r := &simulator.Report{
		Started: started, Ended: time.Date(2026, 3, 5, 9, 22, 1, 739e6, time.UTC),
		EndReason: simulator.EndAssistantHangup, Summary: d.Message.Analysis.Summary, Success: d.Message.Analysis.SuccessEvaluation,
		Analysis: pick(t, doc, "message.analysis.structuredData"), Messages: msgs,
		RecordingURL: "https://interactly-qa-us-recordings.s3.amazonaws.com/call.mp3",
		Usage: &simulator.Usage{InputTokens: 485, OutputTokens: 32, TTSChars: 118,
			PlatformCost: 0.006946, PhoneCost: 0.0165, TTSCost: 0.010620000000000001, STTCost: 0.005348418610800001, LLMCost: 0.0003385,
			LLMLatencyMS: []float64{2557.396173477173, 1800.5}, TTSLatencyMS: []float64{6, 321.5, 6, 321.5},
			STTLatencyMS: []float64{120, 95.5, 300, 88}, STTConfidence: []float64{0.95, 0.71, 0.05, 0.88}},
	}
	return &simulator.Event{
		Type: simulator.EndOfCallReport,
		Plan: &simulator.CallPlan{ID: "82015760-c3bd-427d-a23b-ba9b07e4ab85", Direction: simulator.Web,
			Persona: simulator.Persona{FirstName: "Ramesh", LastName: "Naik"}, Business: "Mary Dental", Start: started.Add(-time.Second), Ring: time.Second},
		At:     time.UnixMilli(1772702523935),
		Status: simulator.StatusEnded, EndReason: r.EndReason, Report: r,
	}
}

func TestRenderMatchesDocumentedPayloads(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range docCases() {
		covered[tc.file] = true
		t.Run(tc.file, func(t *testing.T) {
			doc := documented(t, tc.file)
			d := mustDialect(t, tc.dialect)
			out, err := d.Render(nil, tc.event(t, doc))
			require.NoError(t, err)
			require.True(t, json.Valid(out), "%s", out)
			c := tc.check
			c.compare("", decode(t, doc), decode(t, out))
			assert.Empty(t, c.diffs, "rendered: %s", out)
		})
	}
	for _, dir := range []string{NameFlireo, NameCamel, NameLegacy, NameInteractly} {
		for _, f := range documentedFiles(t, dir) {
			assert.True(t, covered[f], "documented payload %s has no test case", f)
		}
	}
}

// The shape comparison must be able to fail: a renamed, a missing, a retyped
// and an extra key are all reported.
func TestShapeCheckDetectsDifferences(t *testing.T) {
	doc := decode(t, []byte(`{"message":{"type":"x","call":{"id":"a","status":"b"},"list":[{"n":1}]}}`))
	tests := []struct {
		name string
		mode shapeMode
		got  string
		want string
	}{
		{"missing key", exactKeys, `{"message":{"type":"x","call":{"id":"a"},"list":[{"n":1}]}}`, "message.call.status: documented key missing"},
		{"retyped", exactKeys, `{"message":{"type":"x","call":{"id":"a","status":3},"list":[{"n":1}]}}`, "message.call.status: documented string, rendered number"},
		{"extra key", exactKeys, `{"message":{"type":"x","call":{"id":"a","status":"b","x":1},"list":[{"n":1}]}}`, "message.call.x: rendered key not in"},
		{"extra not a G3+ addition", g3Plus, `{"message":{"type":"x","call":{"id":"a","status":"b"},"list":[{"n":1}],"extra":1}}`, "message.extra"},
		{"array element shape", fragment, `{"message":{"type":"x","call":{"id":"a","status":"b"},"list":[{"n":"1"}]}}`, "message.list[].n: documented number"},
		{"empty array", fragment, `{"message":{"type":"x","call":{"id":"a","status":"b"},"list":[]}}`, "message.list: documented elements"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := shapeCheck{mode: tt.mode}
			c.compare("", doc, decode(t, []byte(tt.got)))
			require.NotEmpty(t, c.diffs)
			assert.Contains(t, strings.Join(c.diffs, "\n"), tt.want)
		})
	}
	c := shapeCheck{mode: g3Plus}
	c.compare("", doc, decode(t, []byte(`{"message":{"type":"y","call":{"id":"a","status":"b"},"list":[{"n":1}],"end_reason":"z"}}`)))
	assert.Empty(t, c.diffs, "a G3+ addition is allowed")
	c = shapeCheck{mode: g3Plus, values: true}
	c.compare("", doc, decode(t, []byte(`{"message":{"type":"y","call":{"id":"a","status":"b"},"list":[{"n":1}]}}`)))
	assert.Equal(t, []string{"message.type: documented x, rendered y"}, c.diffs)
}

func TestInteractlyDocumentedValues(t *testing.T) {
	doc := documented(t, "interactly/end-of-call-report.json")
	out, err := mustDialect(t, NameInteractly).Render(nil, interactlyEOCR(t, doc))
	require.NoError(t, err)
	var got, want struct {
		Message struct {
			Timestamp int64
			Type      string
			Call      struct {
				ID, CallType, Direction, StartAt, EndAt, UserNumber, Status, PhoneCallStatus, CallEndTriggerBy string
				Cost                                                                                           map[string]any
			}
			Messages []map[string]any
			Customer map[string]any
			Analysis struct {
				Summary, SuccessEvaluation string
				StructuredData             map[string]any
			}
		}
	}
	require.NoError(t, json.Unmarshal(out, &got))
	require.NoError(t, json.Unmarshal(doc, &want))
	g, w := got.Message, want.Message
	assert.Equal(t, w.Timestamp, g.Timestamp)
	assert.Equal(t, w.Type, g.Type)
	assert.Equal(t, w.Call.ID, g.Call.ID, "web call ids are WC-<uuid>")
	assert.Equal(t, w.Call.CallType, g.Call.CallType)
	assert.Equal(t, w.Call.Direction, g.Call.Direction)
	assert.Equal(t, w.Call.StartAt, g.Call.StartAt)
	assert.Equal(t, w.Call.EndAt, g.Call.EndAt)
	assert.Equal(t, w.Call.UserNumber, g.Call.UserNumber)
	assert.Equal(t, w.Call.Status, g.Call.Status)
	assert.Equal(t, w.Call.PhoneCallStatus, g.Call.PhoneCallStatus)
	assert.Equal(t, w.Call.CallEndTriggerBy, g.Call.CallEndTriggerBy)
	for _, k := range []string{"interactlyCost", "phoneCost", "ttsVendorCost", "sttVendorCost", "llmVendorCost", "totalCost"} {
		// The documented payload carries float noise (0.010620000000000001):
		// the simulator prints costs to 1e-10 without it.
		assert.InDelta(t, w.Call.Cost[k], g.Call.Cost[k], 1e-10, k)
	}
	for _, k := range []string{"ttsGenCharsTotal", "inputTokensTotal", "outputTokensTotal"} {
		assert.Equal(t, w.Call.Cost[k], g.Call.Cost[k], k)
	}
	require.Len(t, g.Messages, len(w.Messages))
	for i := range w.Messages {
		for _, k := range []string{"role", "text", "timestamp"} {
			assert.Equal(t, w.Messages[i][k], g.Messages[i][k], "message %d %s", i, k)
		}
	}
	assert.Equal(t, []any{"welcome-1", "user-1", "user-2", "user-3", "user-3-response-1772702495958", "user-4", "user-4-response-1772702521303"},
		[]any{g.Messages[0]["messageId"], g.Messages[1]["messageId"], g.Messages[2]["messageId"], g.Messages[3]["messageId"],
			g.Messages[4]["messageId"], g.Messages[5]["messageId"], g.Messages[6]["messageId"]})
	assert.Equal(t, w.Customer, g.Customer)
	assert.Equal(t, w.Analysis, g.Analysis)
}
