package integrator

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Request bodies, one per dialect and event, shaped like the documentation's
// examples (spec §1.1, §1.2, Appendix A).
const (
	g3AssistantRequest = `{"message":{"type":"assistant-request","timestamp":"2025-12-13T12:00:00.000Z",
		"call":{"id":"5c4d030f-43e3-4e65-899e-8148521e660f","type":"inbound_phone_call","status":"ringing"},
		"phone_number":{"number":"+31850835037","name":"Flireo Demo"},"customer":{"number":"+31612345678"}}}`
	g3ToolCalls = `{"message":{"type":"tool-calls","timestamp":"2025-12-13T12:00:10.000Z",
		"call":{"id":"5c4d030f-43e3-4e65-899e-8148521e660f","type":"inbound_phone_call","status":"in-progress"},
		"phone_number":{"number":"+31850835037","name":"Flireo Demo"},"customer":{"number":"+31612345678"},
		"assistant":{"first_message":"Hallo Jan","metadata":{"crm_id":"CRM-10001","customer_tier":"premium"}},
		"tool_call_list":[
			{"id":"tool_abc123","type":"function","function":{"name":"lookup_contact","arguments":{"query":"Jan de Vries"}}},
			{"id":"tool_def456","type":"function","function":{"name":"check_availability","arguments":{"date":"2025-12-15"}}}]}}`
	g3StatusInProgress = `{"message":{"type":"status-update","timestamp":"2025-12-13T12:00:01.000Z",
		"call":{"id":"5c4d030f-43e3-4e65-899e-8148521e660f","type":"inbound_phone_call","status":"in-progress"},
		"phone_number":{"number":"+31850835037","name":"Flireo Demo"},"customer":{"number":"+31612345678"}}}`
	g3StatusEnded = `{"message":{"type":"status-update","timestamp":"2025-12-13T12:05:00.000Z",
		"call":{"id":"5c4d030f-43e3-4e65-899e-8148521e660f","type":"inbound_phone_call","status":"ended"},
		"phone_number":{"number":"+31850835037","name":"Flireo Demo"},"customer":{"number":"+31612345678"},
		"end_reason":"user_hangup"}}`
	g3Report = `{"message":{"type":"end-of-call-report","timestamp":"2025-12-13T12:05:30.000Z",
		"call":{"id":"5c4d030f-43e3-4e65-899e-8148521e660f","type":"inbound_phone_call","status":"ended"},
		"phone_number":{"id":"7f8a9b2c","number":"+31850835037","name":"Flireo Demo"},"customer":{"number":"+31612345678"},
		"assistant":{"metadata":{"crm_id":"CRM-10001","customer_tier":"premium"}},
		"duration_seconds":84,"end_reason":"user_hangup",
		"summary":"Klant vroeg naar openingstijden en wilde een afspraak maken.",
		"messages":[{"role":"assistant","content":"Hallo Jan!"},{"role":"user","content":"Hoi."},{"role":"assistant","content":"Tot ziens."}],
		"analysis":{"sentiment":"positive","intent":"afspraak","appointment_booked":true,"follow_up_needed":false}}}`

	g2AssistantRequest = `{"message":{"type":"assistant-request","timestamp":"2025-12-13T12:00:00.000Z",
		"call":{"id":"6d5e141f-54f4-5f76-9a59-9259632f771a","type":"inboundPhoneCall","status":"ringing"},
		"phoneNumber":{"number":"+31850835037","name":"Flireo Demo"},"customer":{"number":"+31687654321"}}}`
	g2ToolCalls = `{"message":{"type":"tool-calls","timestamp":"2025-12-13T12:00:10.000Z",
		"call":{"id":"6d5e141f-54f4-5f76-9a59-9259632f771a","type":"inboundPhoneCall","status":"in-progress"},
		"phoneNumber":{"number":"+31850835037","name":"Flireo Demo"},"customer":{"number":"+31687654321"},
		"toolCallList":[
			{"id":"tool_111","type":"function","function":{"name":"lookup_order","arguments":{"order_id":"ORD-2025-0042"}}},
			{"id":"tool_222","type":"function","function":{"name":"get_opening_hours","arguments":{}}}]}}`
	g2StatusInProgress = `{"message":{"type":"status-update","timestamp":"2025-12-13T12:00:01.000Z",
		"call":{"id":"6d5e141f-54f4-5f76-9a59-9259632f771a","type":"inboundPhoneCall","status":"in-progress"},
		"phoneNumber":{"number":"+31850835037","name":"Flireo Demo"},"customer":{"number":"+31687654321"}}}`
	g2StatusEnded = `{"message":{"type":"status-update","timestamp":"2025-12-13T12:05:00.000Z",
		"call":{"id":"6d5e141f-54f4-5f76-9a59-9259632f771a","type":"inboundPhoneCall","status":"ended-with-error"},
		"phoneNumber":{"number":"+31850835037","name":"Flireo Demo"},"customer":{"number":"+31687654321"},
		"error":"STT connection failed"}}`
	g2Report = `{"message":{"type":"end-of-call-report","timestamp":"2025-12-13T12:05:30.000Z",
		"call":{"id":"6d5e141f-54f4-5f76-9a59-9259632f771a","type":"inboundPhoneCall","status":"ended"},
		"phoneNumber":{"number":"+31850835037","name":"Flireo Demo"},"customer":{"number":"+31687654321"},
		"durationSeconds":61,"summary":"Klant vroeg naar de status van bestelling ORD-2025-0042.",
		"analysis":{"sentiment":"neutral","intent":"bestelling","appointment_booked":false,"follow_up_needed":true}}}`

	g1AssistantRequest = `{"eventType":"assistant-request","fromCaller":"+31601234567","toAssistant":"+31850123456"}`
	g1ToolCalls        = `{"eventTime":1756278882619,"callId":"875573b5-4458-45be-bac2-4d2b869f8297","eventType":"tool-calls",
		"fromCaller":"+31601234567","toAssistant":"+31850123456",
		"tasksInitiated":[
			{"taskId":"call_kLsrB3eFvT6bvo67BqTv7iXc","taskName":"book_appointment",
			 "taskPayload":{"name":"Jonas Bakker","date":"2025-09-01","time":"14:30","email":"jonas.bakker@example.nl"}},
			{"taskId":"call_kLsrD3eFvY6bko67BqTb7iXc","taskName":"get_opening_hours"}],
		"userMetadata":null}`
	g1StatusInProgress = `{"eventTimestamp":1756368117035,"eventType":"status-update","callSession":"875573b5-4458-45be-bac2-4d2b869f8297",
		"fromCaller":"+31601234567","toAssistant":"+31850123456","status":"in-progress"}`
	g1StatusEnded = `{"eventTimestamp":1756368177035,"eventType":"status-update","callSession":"875573b5-4458-45be-bac2-4d2b869f8297",
		"fromCaller":"+31601234567","toAssistant":"+31850123456","status":"ended"}`
	g1Report = `{"eventTimestamp":1756294820944,"eventType":"end-of-call-report","callId":"875573b5-4458-45be-bac2-4d2b869f8297",
		"fromCaller":"+31601234567","toAssistant":"+31850123456",
		"transcriptText":"AI: Hallo Jonas, leuk dat je belt!\nGebruiker: Ik wil een afspraak maken.\nAI: Dat is gelukt.\n",
		"summaryText":"Jonas heeft een afspraak gemaakt voor 1 september.",
		"recordings":{"linkStereo":"https://example.invalid/rec.mp3"},"callLengthSeconds":132.5,
		"userMetadata":{"candidateId":"cand_123456"},
		"analysis":{"summary":"Afspraak gemaakt.","structuredData":{"sentiment":"positive"},"successEvaluation":"true"}}`

	interactlyStatus = `{"message":{"timestamp":1772702480279,"type":"status-update",
		"call":{"id":"WC-82015760-c3bd-427d-a23b-ba9b07e4ab85","callType":"phone","direction":"inbound",
			"userNumber":"+31644412345","status":"ongoing","metadata":{"campaign":"voorjaar"}},
		"phone":{"provider":{"name":"twilio"}},"customer":{"number":"+31644412345"}}}`
	interactlyReport = `{"message":{"timestamp":1772702523935,"type":"end-of-call-report",
		"call":{"id":"WC-82015760-c3bd-427d-a23b-ba9b07e4ab85","callType":"phone","status":"finished",
			"phoneCallStatus":"completed","callEndTriggerBy":"bot","assistantCallDuration":41683,
			"analysis":{"summary":"","successEvaluation":"","guardrails":"DISABLED"},
			"cost":{"callDuration":41.676,"totalCost":0.0397529186108},"metadata":{}},
		"assistant":{"_id":"697769ef5e6d94d5ad83e01e","name":"Mary Dental - main"},
		"messages":[{"messageId":"welcome-1","role":"assistant","text":"Welkom!","timestamp":1772702480279},
			{"messageId":"user-1","role":"user","text":"Hallo.","timestamp":1772702485138}],
		"phone":{"provider":{"name":""}},"customer":{"number":"+31644412345"},
		"analysis":{"summary":"De beller wilde een afspraak maar hing op.","successEvaluation":"Fair",
			"structuredData":{"Name":""},"outcome":"Geen afspraak"}}}`
)

// newTestServer starts the integrator behind an httptest server.
func newTestServer(t *testing.T, o Options) (*Server, *httptest.Server) {
	t.Helper()
	s, err := New(o)
	require.NoError(t, err)
	ts := httptest.NewServer(s)
	t.Cleanup(ts.Close)
	return s, ts
}

type result struct {
	Status int
	Header http.Header
	Body   []byte
}

// JSON decodes the body as JSON.
func (r result) JSON(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal(r.Body, &v), "body: %s", r.Body)
	return v
}

func do(t *testing.T, method, url, body string, header http.Header) result {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return result{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

func post(t *testing.T, url, body string) result {
	t.Helper()
	return do(t, http.MethodPost, url, body, nil)
}

// signedHeader signs body the way the platform does (spec §3.2).
func signedHeader(secret string, at time.Time, body string, prefix bool) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "." + body))
	sig := hex.EncodeToString(mac.Sum(nil))
	if prefix {
		sig = "sha256=" + sig
	}
	h := http.Header{}
	h.Set(headerTimestamp, ts)
	h.Set(headerSignature, sig)
	return h
}

// at walks a decoded JSON value along a dotted path; numeric parts index
// arrays.
func at(t *testing.T, v any, path string) any {
	t.Helper()
	cur := v
	for _, p := range strings.Split(path, ".") {
		switch c := cur.(type) {
		case map[string]any:
			next, ok := c[p]
			require.True(t, ok, "no key %q on the way to %q in %v", p, path, keysOf(c))
			cur = next
		case []any:
			i, err := strconv.Atoi(p)
			require.NoError(t, err, "path %q indexes an array with %q", path, p)
			require.Less(t, i, len(c), "path %q: index out of range", path)
			cur = c[i]
		default:
			t.Fatalf("path %q: %q reached a %T", path, p, cur)
		}
	}
	return cur
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// compact removes the insignificant whitespace of the literal bodies.
func compact(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, json.Compact(&b, []byte(s)))
	return b.String()
}
