package integrator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRoutes(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	tests := []struct {
		method, path, body string
		status             int
		want               string // JSON the body must equal; "" = any JSON with "error"
	}{
		{http.MethodGet, "/healthz", "", http.StatusOK, `{"status":"ok"}`},
		{http.MethodGet, "/calls/no-such-call", "", http.StatusNotFound, `{"error":"call not found"}`},
		{http.MethodGet, "/calls", "", http.StatusOK, `[]`},
		{http.MethodGet, "/nope", "", http.StatusNotFound, ""},
		{http.MethodPost, "/webhook/extra", g3StatusInProgress, http.StatusNotFound, ""},
		{http.MethodGet, "/webhook", "", http.StatusMethodNotAllowed, ""},
		{http.MethodPut, "/", "", http.StatusMethodNotAllowed, ""},
		{http.MethodPost, "/calls", "", http.StatusMethodNotAllowed, ""},
		{http.MethodDelete, "/calls/x", "", http.StatusMethodNotAllowed, ""},
		{http.MethodPost, "/healthz", "", http.StatusMethodNotAllowed, ""},
	}
	for _, tt := range tests {
		t.Run(tt.method+" "+tt.path, func(t *testing.T) {
			r := do(t, tt.method, ts.URL+tt.path, tt.body, nil)
			assert.Equal(t, tt.status, r.Status)
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			if tt.want != "" {
				assert.JSONEq(t, tt.want, string(r.Body))
				return
			}
			assert.NotEmpty(t, r.JSON(t)["error"])
			if tt.status == http.StatusMethodNotAllowed {
				assert.NotEmpty(t, r.Header.Get("Allow"))
			}
		})
	}
}

func TestCallListAndEviction(t *testing.T) {
	s, ts := newTestServer(t, Options{MaxCalls: 150})
	for i := range 160 {
		post(t, ts.URL+"/webhook", fmt.Sprintf(`{"message":{"type":"status-update","call":{"id":"call-%03d","status":"in-progress"}}}`, i))
	}
	r := do(t, http.MethodGet, ts.URL+"/calls", "", nil)
	require.Equal(t, http.StatusOK, r.Status)
	var list []CallRecord
	require.NoError(t, json.Unmarshal(r.Body, &list))
	require.Len(t, list, 100, "capped at 100")
	assert.Equal(t, "call-159", list[0].CallID, "most recent first")
	assert.Equal(t, "call-060", list[99].CallID)

	_, ok := s.Call("call-009")
	assert.False(t, ok, "oldest calls evicted beyond MaxCalls")
	_, ok = s.Call("call-010")
	assert.True(t, ok)
}

func TestTolerantParsing(t *testing.T) {
	tests := []struct {
		name, body, callID string
		check              func(t *testing.T, rec CallRecord, reply map[string]any)
	}{
		{
			name: "web call with null numbers",
			body: `{"message":{"type":"assistant-request","timestamp":"2025-12-13T12:00:00.000Z",
				"call":{"id":"web-1","type":"web_call","status":"ringing"},
				"phone_number":{"id":null,"number":null,"name":null},"customer":{"number":null}}}`,
			callID: "web-1",
			check: func(t *testing.T, rec CallRecord, reply map[string]any) {
				assert.Equal(t, "g3", rec.Format)
				assert.Contains(t, at(t, reply, "assistant.first_message"), "Goedendag")
			},
		},
		{
			name: "unknown extra fields",
			body: `{"message":{"type":"status-update","call":{"id":"extra-1","status":"in-progress","pipeline":"standard","future":{"x":[1,2]}},
				"phone_number":{"number":"+31850835037"},"brand_new_field":true},"envelope_extra":1}`,
			callID: "extra-1",
			check: func(t *testing.T, rec CallRecord, _ map[string]any) {
				assert.Equal(t, []string{"in-progress"}, rec.Statuses)
			},
		},
		{
			name: "dutch diacritics and emoji stored intact",
			body: `{"message":{"type":"end-of-call-report","call":{"id":"utf-1","type":"inbound_phone_call","status":"ended"},
				"duration_seconds":12,"summary":"Beller was tevreden 😀 over de privéafspraak in Súdwest-Fryslân; één vraag blijft.",
				"messages":[],"analysis":{"intent":"cafégesprek ☕"}}}`,
			callID: "utf-1",
			check: func(t *testing.T, rec CallRecord, _ map[string]any) {
				assert.Equal(t, "Beller was tevreden 😀 over de privéafspraak in Súdwest-Fryslân; één vraag blijft.", rec.Report.Summary)
				assert.JSONEq(t, `{"intent":"cafégesprek ☕"}`, string(rec.Report.Analysis))
			},
		},
		{
			name:   "minimal report without call or phone fields",
			body:   `{"message":{"type":"end-of-call-report","call":{"id":"min-1"},"duration_seconds":60,"summary":"test","messages":[]}}`,
			callID: "min-1",
			check: func(t *testing.T, rec CallRecord, _ map[string]any) {
				assert.Equal(t, 60.0, rec.Report.DurationSeconds)
				assert.Equal(t, 1, rec.Reports)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, ts := newTestServer(t, Options{})
			r := post(t, ts.URL+"/webhook", tt.body)
			require.Equal(t, http.StatusOK, r.Status, "body: %s", r.Body)
			rec, ok := s.Call(tt.callID)
			require.True(t, ok)
			tt.check(t, rec, r.JSON(t))

			got := do(t, http.MethodGet, ts.URL+"/calls/"+tt.callID, "", nil)
			assert.NotContains(t, string(got.Body), `\u`, "no escaped characters in the record")
		})
	}
}

func TestMalformedBodies(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	tests := []struct {
		name, body string
		status     int
	}{
		{"truncated JSON", `{"message":{"type":"status-upd`, http.StatusBadRequest},
		{"not JSON", `hello`, http.StatusBadRequest},
		{"empty body", ``, http.StatusBadRequest},
		{"JSON array", `[1,2,3]`, http.StatusBadRequest},
		{"neither envelope nor legacy", `{"type":"status-update"}`, http.StatusBadRequest},
		{"message is not an object", `{"message":"hi"}`, http.StatusBadRequest},
		{"message without type", `{"message":{"call":{"id":"x"}}}`, http.StatusBadRequest},
		{"wrong field type", `{"message":{"type":"status-update","call":{"id":42}}}`, http.StatusBadRequest},
		{"legacy with empty eventType", `{"eventType":""}`, http.StatusBadRequest},
		{"body over 2 MiB", `{"message":{"type":"status-update","summary":"` + strings.Repeat("x", 2<<20) + `"}}`, http.StatusRequestEntityTooLarge},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := post(t, ts.URL+"/webhook", tt.body)
			assert.Equal(t, tt.status, r.Status)
			assert.NotEmpty(t, r.JSON(t)["error"], "JSON error body")
		})
	}
}

func TestFormatDetection(t *testing.T) {
	tests := []struct {
		name, body string
		want       format
	}{
		{"g1 flat", g1StatusInProgress, formatG1},
		{"g2 by phoneNumber", g2StatusInProgress, formatG2},
		{"g2 by call type only", `{"message":{"type":"status-update","call":{"id":"a","type":"inboundPhoneCall","status":"ended"}}}`, formatG2},
		{"g2 by toolCallList", `{"message":{"type":"tool-calls","call":{"id":"a"},"toolCallList":[]}}`, formatG2},
		{"g2 by durationSeconds", `{"message":{"type":"end-of-call-report","call":{"id":"a"},"durationSeconds":3}}`, formatG2},
		{"g3 by phone_number", g3StatusInProgress, formatG3},
		{"g3 by tool_call_list", `{"message":{"type":"tool-calls","call":{"id":"a"},"tool_call_list":[]}}`, formatG3},
		{"g3 when nothing tells", `{"message":{"type":"status-update","call":{"id":"a","status":"ended"}}}`, formatG3},
		{"interactly by ms timestamp", `{"message":{"type":"status-update","timestamp":1772702480279,"call":{"id":"a","status":"ended"}}}`, formatInteractly},
		{"interactly by status", `{"message":{"type":"status-update","call":{"id":"a","status":"finished"}}}`, formatInteractly},
		{"interactly by phone", `{"message":{"type":"status-update","call":{"id":"a"},"phone":{"provider":{"name":""}}}}`, formatInteractly},
		{"interactly full report", interactlyReport, formatInteractly},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := parseEvent([]byte(tt.body))
			require.NoError(t, err)
			assert.Equal(t, tt.want, ev.Format)
		})
	}
}

func TestNewRejectsBadOptions(t *testing.T) {
	_, err := New(Options{Misbehave: "sulk"})
	require.Error(t, err)
	for _, m := range Modes() {
		assert.Contains(t, err.Error(), m.Name, "the error lists every mode")
	}
	_, err = New(Options{Delay: -1})
	assert.Error(t, err)
	_, err = New(Options{MaxCalls: -1})
	assert.Error(t, err)
}
