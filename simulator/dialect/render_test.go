package dialect

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/internal/golden"

	"github.com/flireo-sim/flireo-sim/simulator"
)

func TestNamesAndByName(t *testing.T) {
	assert.Equal(t, []string{"flireo", "flireo-camel", "flireo-legacy", "interactly"}, Names())
	names := Names()
	names[0] = "changed"
	assert.Equal(t, "flireo", Names()[0], "Names returns a copy")

	tests := []struct {
		name            string
		plain, failEnds bool
		sends           []simulator.EventType
	}{
		{NameFlireo, false, false, simulator.EventTypes},
		{NameCamel, false, false, simulator.EventTypes},
		{NameLegacy, true, true, simulator.EventTypes},
		{NameInteractly, false, false, []simulator.EventType{simulator.StatusUpdate, simulator.EndOfCallReport}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustDialect(t, tt.name)
			assert.Equal(t, tt.name, d.Name())
			assert.Equal(t, tt.plain, d.Plain())
			assert.Equal(t, tt.failEnds, d.FailureEndsCall())
			for _, e := range simulator.EventTypes {
				assert.Equal(t, contains(tt.sends, e), d.Sends(e), "Sends(%s)", e)
			}
			assert.False(t, d.Sends("conversation-update"))
		})
	}

	_, err := ByName("vapi")
	require.Error(t, err)
	for _, n := range Names() {
		assert.Contains(t, err.Error(), n, "the error lists the valid names")
	}
}

func contains(xs []simulator.EventType, x simulator.EventType) bool {
	for _, e := range xs {
		if e == x {
			return true
		}
	}
	return false
}

// TestGolden renders the rich call's events in every dialect and compares them
// with fixtures/golden/dialect/<dialect>/<event>.json (indented for review;
// the comparison is on the indented form of the exact rendered bytes).
func TestGolden(t *testing.T) {
	events := richEvents()
	keys := make([]string, 0, len(events))
	for k := range events {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, name := range Names() {
		d := mustDialect(t, name)
		for _, k := range keys {
			ev := events[k]
			if !d.Sends(ev.Type) {
				continue
			}
			t.Run(name+"/"+k, func(t *testing.T) {
				out, err := d.Render(nil, ev)
				require.NoError(t, err)
				again, err := d.Render(make([]byte, 0, 16), ev)
				require.NoError(t, err)
				require.Equal(t, string(out), string(again), "rendering is deterministic")
				require.False(t, bytes.ContainsAny(out, "\n\t"), "compact output")

				golden.JSON(t, "dialect/"+name+"/"+k+".json", out)
			})
		}
	}
}

func TestRenderAppendsToDst(t *testing.T) {
	ev := richEvents()["status-update-in-progress"]
	for _, name := range Names() {
		d := mustDialect(t, name)
		alone, err := d.Render(nil, ev)
		require.NoError(t, err)
		prefix := []byte("prefix:")
		out, err := d.Render(prefix, ev)
		require.NoError(t, err)
		assert.Equal(t, "prefix:"+string(alone), string(out), name)
	}
}

func TestRenderErrors(t *testing.T) {
	rich := richEvents()
	withAnalysis := func(raw string) *simulator.Event {
		ev := *rich["end-of-call-report"]
		r := *ev.Report
		r.Analysis = json.RawMessage(raw)
		ev.Report = &r
		return &ev
	}
	withArgs := func(raw string) *simulator.Event {
		ev := *rich["tool-calls"]
		ev.ToolCalls = []simulator.ToolCall{{ID: "tool_x", Name: "x", Arguments: json.RawMessage(raw)}}
		return &ev
	}
	withEcho := func(raw string) *simulator.Event {
		ev := *rich["status-update-in-progress"]
		cfg := *ev.Config
		cfg.Echo = json.RawMessage(raw)
		ev.Config = &cfg
		return &ev
	}
	nanUsage := func() *simulator.Event {
		ev := *rich["end-of-call-report"]
		r := *ev.Report
		u := *r.Usage
		u.PhoneCost = nanFloat()
		r.Usage = &u
		ev.Report = &r
		return &ev
	}
	tests := []struct {
		name    string
		dialect string
		ev      *simulator.Event
		want    string
	}{
		{"nil event", NameFlireo, nil, "nil event"},
		{"no plan", NameFlireo, &simulator.Event{Type: simulator.StatusUpdate}, "no Plan"},
		{"no report", NameCamel, &simulator.Event{Type: simulator.EndOfCallReport, Plan: richPlan()}, "no Report"},
		{"unknown event", NameFlireo, &simulator.Event{Type: "hang", Plan: richPlan()}, `event type "hang"`},
		{"unknown event legacy", NameLegacy, &simulator.Event{Type: "hang", Plan: richPlan()}, `event type "hang"`},
		{"interactly has no tool-calls", NameInteractly, rich["tool-calls"], "no tool-calls event"},
		{"interactly has no assistant-request", NameInteractly, rich["assistant-request"], "no assistant-request event"},
		{"invalid analysis", NameFlireo, withAnalysis(`{"a":`), "not valid JSON"},
		{"analysis not an object", NameCamel, withAnalysis(`[1,2]`), "must be a JSON object, got an array"},
		{"invalid UTF-8 in analysis", NameLegacy, withAnalysis("{\"a\":\"\xff\"}"), "invalid UTF-8"},
		{"invalid arguments", NameFlireo, withArgs(`{"q":}`), `tool call "tool_x"`},
		{"arguments not an object", NameLegacy, withArgs(`"q"`), "got a string"},
		{"invalid echo", NameFlireo, withEcho(`{"first_message"`), "assistant echo"},
		{"NaN cost", NameInteractly, nanUsage(), "NaN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dst := []byte("kept")
			out, err := mustDialect(t, tt.dialect).Render(dst, tt.ev)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Equal(t, "kept", string(out), "dst is returned unchanged on error")
		})
	}
}

func nanFloat() float64 {
	zero := 0.0
	return zero / zero
}

// Raw values are compacted, never re-encoded: key order and numbers survive.
func TestRenderCompactsRawValues(t *testing.T) {
	ev := *richEvents()["end-of-call-report"]
	r := *ev.Report
	r.Analysis = json.RawMessage("{\n  \"b\" : 1.50,\n  \"a\" : \"x y\\n\",\t\"c\": [ 1 , 2 ] }")
	ev.Report = &r
	cfg := *ev.Config
	cfg.Echo = json.RawMessage(" { \"first_message\" : \"Hoi\" } ")
	ev.Config = &cfg
	out, err := mustDialect(t, NameFlireo).Render(nil, &ev)
	require.NoError(t, err)
	assert.Contains(t, string(out), `"analysis":{"b":1.50,"a":"x y\n","c":[1,2]}`)
	assert.Contains(t, string(out), `"assistant":{"first_message":"Hoi"}`)
}

// trickyStrings exercise the string writer.
var trickyStrings = []string{
	`quote " and backslash \ and slash /`,
	"control \x00\x01\x07\b\f\n\r\t\x1f\x7f end",
	"line\u2028separator\u2029paragraph",
	"invalid \xff\xfe utf-8 \xc3",
	"emoji 😊👍🏽 and café, Zoë, één, ĳsje",
	"<script>alert('&')</script>",
	"",
}

func TestRenderedOutputIsAlwaysValidJSON(t *testing.T) {
	for _, s := range trickyStrings {
		p := richPlan()
		p.ID, p.Customer, p.PhoneNumber, p.PhoneName, p.PhoneID, p.Business = s, s, s, s, s, s
		p.Persona.FirstName = s
		r := richReport(p, 2)
		r.Summary, r.EndReason, r.Success, r.RecordingURL = s, s, s, s
		for i := range r.Messages {
			r.Messages[i].Content = s + r.Messages[i].Content
		}
		cfg := richConfig()
		events := []*simulator.Event{
			{Type: simulator.AssistantRequest, Plan: p, At: p.Start},
			{Type: simulator.ToolCalls, Plan: p, At: p.Start, Config: cfg, ToolCalls: []simulator.ToolCall{{ID: s, Name: s}}},
			{Type: simulator.StatusUpdate, Plan: p, At: p.Start, Status: simulator.StatusEndedWithError, Error: s, EndReason: s, Config: cfg},
			{Type: simulator.EndOfCallReport, Plan: p, At: r.Ended, Report: r, EndReason: s, Config: cfg},
		}
		for _, name := range Names() {
			d := mustDialect(t, name)
			for _, ev := range events {
				if !d.Sends(ev.Type) {
					continue
				}
				out, err := d.Render(nil, ev)
				require.NoError(t, err, "%s %s %q", name, ev.Type, s)
				require.True(t, json.Valid(out), "%s %s %q: %s", name, ev.Type, s, out)
				require.True(t, utf8.Valid(out), "%s %s %q", name, ev.Type, s)
				if utf8.ValidString(s) && s != "" {
					assert.Contains(t, decodedStrings(t, out), s, "%s %s: the string survives a round trip", name, ev.Type)
				}
			}
		}
	}
}

// decodedStrings collects every string value of a JSON document.
func decodedStrings(t *testing.T, b []byte) []string {
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case string:
			out = append(out, x)
		case []any:
			for _, e := range x {
				walk(e)
			}
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		}
	}
	walk(decode(t, b))
	return out
}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	extra := []string{"a\u2028", "\u0080", "\xed\xa0\x80 surrogate", "\xf4\x90\x80\x80 beyond", "tab\there", strings.Repeat("é", 100)}
	for b := 0; b < 0x80; b++ {
		extra = append(extra, string(rune(b)))
	}
	// every special byte at every position of a longer plain run
	for _, c := range []string{`"`, `\`, "\n", "\x01", "\x1f", "é", "\u2028", "\xff"} {
		for p := 0; p < 17; p++ {
			extra = append(extra, strings.Repeat("a", p)+c+strings.Repeat("b", 17-p))
		}
	}
	for _, s := range append(trickyStrings, extra...) {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		require.NoError(t, enc.Encode(s))
		assert.Equal(t, strings.TrimSuffix(buf.String(), "\n"), string(appendString(nil, s)), "%q", s)
	}
	// The non-ASCII text stays UTF-8, not \u escapes.
	assert.Equal(t, `"café 😊"`, string(appendString(nil, "café 😊")))
}

func TestAppendFloatMatchesEncodingJSON(t *testing.T) {
	for _, f := range []float64{0, 1, -1, 0.1, 132.5, 41.676, 0.0397529186108, 1e-7, 1.5e-9, 123456789, 1e20, 1e21, 1.7976931348623157e308, 5e-324, -0.000001} {
		want, err := json.Marshal(f)
		require.NoError(t, err)
		got, err := appendFloat(nil, f)
		require.NoError(t, err)
		assert.Equal(t, string(want), string(got), "%v", f)
	}
	_, err := appendFloat(nil, nanFloat())
	assert.Error(t, err)
}

func TestWebCallsRenderNulls(t *testing.T) {
	ev := richEvents()["end-of-call-report-web"]
	tests := []struct {
		dialect string
		want    []string
	}{
		{NameFlireo, []string{`"type":"web_call"`, `"phone_number":{"id":null,"number":null,"name":"Tandartspraktijk Çelik"}`, `"customer":{"number":null}`}},
		{NameCamel, []string{`"type":"webCall"`, `"phoneNumber":{"number":null,"name":"Tandartspraktijk Çelik"}`, `"customer":{"number":null}`}},
		{NameInteractly, []string{`"callType":"web"`, `"userNumber":"web-Anouk de Vries"`, `"id":"WC-`, `"callEndTriggerBy":"bot"`}},
	}
	for _, tt := range tests {
		out, err := mustDialect(t, tt.dialect).Render(nil, ev)
		require.NoError(t, err)
		for _, w := range tt.want {
			assert.Contains(t, string(out), w, tt.dialect)
		}
	}
	out, err := mustDialect(t, NameInteractly).Render(nil, ev)
	require.NoError(t, err)
	assert.NotContains(t, string(out), `"recording"`, "no recording object without a recording")
}

func TestRenderDetails(t *testing.T) {
	rich := richEvents()
	render := func(name string, ev *simulator.Event) string {
		out, err := mustDialect(t, name).Render(nil, ev)
		require.NoError(t, err)
		return string(out)
	}
	outbound := *rich["tool-calls"]
	op := *outbound.Plan
	op.Direction = simulator.Outbound
	outbound.Plan = &op

	noRecording := *rich["end-of-call-report"]
	nr := *noRecording.Report
	nr.RecordingURL, nr.Analysis = "", nil
	noRecording.Report = &nr

	transferred := *rich["status-update-ended"]
	transferred.Status = simulator.StatusTransferred

	tests := []struct {
		name     string
		dialect  string
		ev       *simulator.Event
		want     []string
		dontWant []string
	}{
		{"assistant-request has no echo and is ringing", NameFlireo, rich["assistant-request"],
			[]string{`"status":"ringing"`}, []string{`"assistant"`}},
		{"echo on tool-calls", NameFlireo, rich["tool-calls"],
			[]string{`"assistant":{"first_message":"Goedemorgen`, `"arguments":{"date":"2026-02-05","note":"liefst 's ochtends"}`, `"arguments":{}`}, nil},
		{"no echo in G2", NameCamel, rich["end-of-call-report"], []string{`"durationSeconds":`},
			[]string{`"assistant"`, `"end_reason"`, `"messages"`, `"started_at"`, `"recording_url"`, `"endReason"`}},
		{"no end_reason in G2 status-update", NameCamel, rich["status-update-ended"], nil, []string{"end_reason", "endReason"}},
		{"outbound G3", NameFlireo, &outbound, []string{`"type":"outbound_phone_call"`}, nil},
		{"outbound G2", NameCamel, &outbound, []string{`"type":"outboundPhoneCall"`}, nil},
		{"error only when ended-with-error", NameFlireo, rich["status-update-ended"], []string{`"end_reason":"user_hangup"`}, []string{`"error"`}},
		{"no end_reason while in progress", NameFlireo, rich["status-update-in-progress"], nil, []string{`"end_reason"`, `"error"`}},
		{"optional EOCR keys omitted", NameFlireo, &noRecording, nil, []string{`"recording_url"`, `"analysis"`}},
		{"legacy omits recordings without a recording", NameLegacy, &noRecording, []string{`"structuredData":{}`}, []string{`"recordings"`}},
		{"legacy success Good is true", NameLegacy, rich["end-of-call-report"], []string{`"successEvaluation":"true"`, `"userMetadata":{"crm_id":"12345","tier":"premium"}`}, nil},
		{"legacy transferred is ended", NameLegacy, &transferred, []string{`"status":"ended"`}, []string{"debugging"}},
		{"legacy tool-calls echo metadata", NameLegacy, rich["tool-calls"], []string{`"userMetadata":{"crm_id":"12345","tier":"premium"}`, `{"taskId":"tool_1a2b3c4d5e6f","taskName":"get_opening_hours"}`}, nil},
		{"legacy error status", NameLegacy, rich["status-update-ended-with-error"], []string{`"status":"ended-with-debugging","debugging-artifact":"STT connection failed"`}, nil},
		{"interactly statuses", NameInteractly, rich["status-update-in-progress"], []string{`"status":"ongoing"`, `"phoneCallStatus":"in-progress"`, `"messages":[]`},
			[]string{`"cost"`, `"metrics"`, `"endAt"`, `"callEndTriggerBy"`, `"assistantCallDuration"`}},
		{"interactly transferred", NameInteractly, &transferred, []string{`"status":"forwarded"`, `"phoneCallStatus":"completed"`}, nil},
		{"interactly error", NameInteractly, rich["status-update-ended-with-error"], []string{`"status":"finished"`}, nil},
		{"interactly user hangup", NameInteractly, rich["end-of-call-report"], []string{`"callEndTriggerBy":"user"`, `"successEvaluation":"Good"`, `"metadata":{"crm_id":"12345","tier":"premium"}`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := render(tt.dialect, tt.ev)
			for _, w := range tt.want {
				assert.Contains(t, out, w)
			}
			for _, w := range tt.dontWant {
				assert.NotContains(t, out, w)
			}
		})
	}
}

func TestLegacySuccessAndSeconds(t *testing.T) {
	for s, want := range map[string]bool{"Excellent": true, "good": true, "true": true, "Fair": false, "Poor": false, "false": false, "": false} {
		assert.Equal(t, want, legacySuccess(s), s)
	}
	assert.Equal(t, 132.5, legacySeconds(132500*time.Millisecond+400*time.Microsecond))
	assert.Equal(t, 0.0, legacySeconds(-time.Second))
	assert.Equal(t, int64(85), wholeSeconds(84500*time.Millisecond))
	assert.Equal(t, int64(84), wholeSeconds(84499*time.Millisecond))
}

func TestAppendCompactMatchesEncodingJSON(t *testing.T) {
	for _, src := range []string{
		`{}`,
		` { "a" : 1 } `,
		"{\n\t\"a b\": \"c d\",\r\n \"e\": [ 1, 2 , { \"f\" : null } ]\n}",
		`{"a\"b" : "c\\" , "d" : [ "\\\"" , " x " ], "e\\\\" : " \" "}`,
		`"  spaced string  "`,
		`[ "\u0022 ", "\\", "" , "\"\"" ]`,
		`{"emoji 😊" : "café , ok" }`,
	} {
		var want bytes.Buffer
		require.NoError(t, json.Compact(&want, []byte(src)), src)
		assert.Equal(t, want.String(), string(appendCompact(nil, []byte(src))), src)
	}
}
