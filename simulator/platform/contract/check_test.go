package contract

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const goodCall = `{"id":"call-_+31612345678_abc123","caller_phone":"+31612345678","assistant_phone":"+31850835037",
"status":"ended","direction":"inbound","end_reason":null,"duration_seconds":84,"analysis_result":null,
"messages":[{"role":"assistant","content":"Hallo"},{"role":"user","content":"Hoi"}],
"created_at":"2025-12-13T09:59:55.000Z","updated_at":"2025-12-13T10:01:24.000Z","extra":{"any":"thing"}}`

// with replaces the first occurrence of old in goodCall.
func with(old, repl string) string {
	if !strings.Contains(goodCall, old) {
		panic("no " + old)
	}
	return strings.Replace(goodCall, old, repl, 1)
}

const eocr = `{"message":{"type":"end-of-call-report","timestamp":"2025-12-13T12:05:30.000Z",
"call":{"id":"c1","type":"inbound_phone_call","status":"ended"},"phone_number":{"number":"+31850835037","name":"Demo"},
"customer":{"number":"+31612345678"},"duration_seconds":84,"summary":"s",
"messages":[{"role":"assistant","content":"Hallo"},{"role":"user","content":"Hoi"}],"analysis":{"sentiment":8}}}`

func TestChecker(t *testing.T) {
	assistant := `{"id":"a1","name":"Support","is_active":true,"webhook_events":null,
"stt_config":{"provider":"deepgram","model":"nova-3","language":"nl"},
"llm_config":{"provider":"openai","model":"gpt-4.1","tools":[{"type":"function","function":{"name":"lookup"}}]},
"tts_config":{"provider":"elevenlabs","voice_id":"v1"},"created_at":"x","updated_at":"y"}`
	cases := []struct {
		name  string
		typ   string
		later bool
		body  string
		want  []string // problems, "path: fragment"
	}{
		{"a documented call fits", "Call", false, goodCall, nil},
		{"missing required field", "Call", false, with(`,"updated_at":"2025-12-13T10:01:24.000Z"`, ""), []string{"updated_at: missing; Call requires it"}},
		{"wrong type", "Call", false, with(`"duration_seconds":84`, `"duration_seconds":"84"`), []string{"duration_seconds: is a string, want number"}},
		{"null where the SDK has no null", "Call", false, with(`"caller_phone":"+31612345678"`, `"caller_phone":null`), []string{"caller_phone: is null, want string"}},
		{"null where the SDK allows it", "Call", false, with(`"end_reason":null`, `"end_reason":null,"summary":null`), nil},
		{"value outside the enum", "Call", true, with(`"status":"ended"`, `"status":"finished"`), []string{`status: is "finished", want one of "connecting" | "in-progress" | "ended" | "failed" | "ringing"`}},
		{"later value, strict", "Call", false, with(`"status":"ended"`, `"status":"transferred"`), []string{`status: is "transferred", want one of "connecting" | "in-progress" | "ended" | "failed" (documented after SDK v1.0.1)`}},
		{"later value, allowed", "Call", true, with(`"status":"ended"`, `"status":"transferred"`), nil},
		{"role outside CallMessage", "Call", true, with(`{"role":"user","content":"Hoi"}`, `{"role":"system","content":"CRM"}`), []string{`messages[1].role: is "system", want one of "user" | "assistant"`}},
		{"enum of the wrong type", "Call", false, with(`"direction":"inbound"`, `"direction":1`), []string{"direction: is a number, want string"}},
		{"path inside a page", "CallPage", false, `{"calls":[` + goodCall + `,{"id":"x"}],"pagination":{"total":2,"limit":50,"offset":"0"}}`, []string{
			"calls[1].caller_phone: missing", "calls[1].assistant_phone: missing", "calls[1].status: missing",
			"calls[1].created_at: missing", "calls[1].updated_at: missing", "pagination.offset: is a string, want number"}},
		{"the nested error body is no ApiError", "ApiError", false, `{"error":{"code":"not_found","message":"m"}}`, []string{"error: is an object, want string"}},
		{"the flat error body is", "ApiError", false, `{"error":"not_found","message":"m","param":"id","type":"not_found_error"}`, nil},
		{"an assistant fits", "AssistantEnvelope", false, `{"assistant":` + assistant + `}`, nil},
		{"an assistant without is_active and configs", "Assistant", false, `{"id":"a1","name":"n","created_at":"x","updated_at":"y"}`, []string{
			"is_active: missing", "stt_config: missing", "llm_config: missing", "tts_config: missing"}},
		{"nested enum and literal", "LLMConfig", false, `{"provider":"anthropic","model":"m","tools":[{"type":"fn","function":{}}]}`, []string{
			`provider: is "anthropic"`, `tools[0].type: is "fn", want one of "function"`, "tools[0].function.name: missing"}},
		{"number union", "STTConfig", false, `{"provider":"elevenlabs","model":"m","language":"nl","sample_rate":44100}`, []string{"sample_rate: is 44100, want one of [16000 8000]"}},
		{"record of strings", "CampaignLead", false, `{"id":"l","campaign_id":"c","phone_number":"+31","status":"pending","variables":{"a":"b","n":1},"created_at":"x","updated_at":"y"}`, []string{"variables.n: is a number, want string"}},
		{"top-level array", "Records", false, `[{"id":"d"},3]`, []string{"[1]: is a number, want object"}},
		{"not an object", "Success", false, `[]`, []string{"(body): is an array, want object (Success)"}},
		{"a report fits", "EndOfCallReportPayload", false, eocr, nil},
		{"a report with a system message", "EndOfCallReportPayload", false,
			strings.Replace(eocr, `"role":"user"`, `"role":"system"`, 1), []string{`message.messages[1].role: is "system", want one of "user" | "assistant"`}},
		{"embedded fields are required too", "EndOfCallReportPayload", false,
			strings.Replace(eocr, `"customer":{"number":"+31612345678"},`, ``, 1), []string{"message.customer: missing; the object requires it"}},
		{"a report of the wrong event", "EndOfCallReportPayload", false,
			strings.Replace(eocr, `"type":"end-of-call-report"`, `"type":"status-update"`, 1), []string{`message.type: is "status-update", want one of "end-of-call-report"`}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Checker{Later: tc.later}.Check(tc.typ, []byte(tc.body))
			require.NoError(t, err)
			require.Len(t, got, len(tc.want), "%v", got)
			for i, w := range tc.want {
				assert.Contains(t, got[i].String(), w)
			}
		})
	}
}

func TestCheckerRefuses(t *testing.T) {
	_, err := Checker{}.Check("Cal", []byte(`{}`))
	assert.ErrorContains(t, err, `no type "Cal"`)
	_, err = Checker{}.Check("Call", []byte(`{"id":`))
	assert.ErrorContains(t, err, "not JSON")
	_, err = Checker{}.Check("Call", []byte(`{} {}`))
	assert.ErrorContains(t, err, "more than one")
}

// TestMirrorsResolve checks that every type is known under its name and
// every struct field has a JSON name and a known sdk tag.
func TestMirrorsResolve(t *testing.T) {
	for _, n := range Names() {
		typ, ok := Lookup(n)
		require.True(t, ok, n)
		assert.Equal(t, n, typ.Name())
	}
	_, ok := Lookup("ApiError")
	assert.True(t, ok, "the SDK's spelling")
}

// TestOperations checks the operation list: 57 methods, each answer a
// known type.
func TestOperations(t *testing.T) {
	ops := Operations()
	assert.Len(t, ops, 57)
	seen := map[string]bool{}
	for _, op := range ops {
		assert.False(t, seen[op.SDK], "twice: %s", op.SDK)
		seen[op.SDK] = true
		_, ok := Lookup(op.Answer)
		assert.True(t, ok, "%s answers %s", op.SDK, op.Answer)
	}
}
