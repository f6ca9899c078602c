package dialect

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/fixtures"
	"github.com/flireo-sim/flireo-sim/simulator"
)

// mustDialect returns the named dialect or fails the test.
func mustDialect(t testing.TB, name string) simulator.Dialect {
	t.Helper()
	d, err := ByName(name)
	require.NoError(t, err)
	return d
}

// documented reads a file under fixtures/documented.
func documented(t testing.TB, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(fixtures.FS, path.Join("documented", name))
	require.NoError(t, err)
	return b
}

// documentedFiles lists the JSON files under fixtures/documented/dir.
func documentedFiles(t testing.TB, dir string) []string {
	t.Helper()
	var out []string
	err := fs.WalkDir(fixtures.FS, path.Join("documented", dir), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".json") {
			out = append(out, strings.TrimPrefix(p, "documented/"))
		}
		return nil
	})
	require.NoError(t, err)
	sort.Strings(out)
	return out
}

// decode parses JSON into generic values.
func decode(t testing.TB, b []byte) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v), "%s", b)
	return v
}

// pick returns the raw JSON at a dotted path of a documented file.
func pick(t testing.TB, b []byte, dotted string) json.RawMessage {
	t.Helper()
	var v any = json.RawMessage(b)
	for _, k := range strings.Split(dotted, ".") {
		var m map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(v.(json.RawMessage), &m), dotted)
		next, ok := m[k]
		require.True(t, ok, "no %s in %s", k, dotted)
		v = next
	}
	return v.(json.RawMessage)
}

// jsonType names a decoded value's JSON type.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case float64, json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// shapeMode says how strictly a rendered payload must follow a documented one.
type shapeMode int

const (
	// exactKeys: the same keys at every level.
	exactKeys shapeMode = iota
	// g3Plus: every documented key present; extra keys only the G3+ additions.
	g3Plus
	// fragment: every documented key present; any extra keys.
	fragment
)

// g3PlusAdditions are the keys G3+ adds to the G3 examples (spec §1.2.1,
// §1.2.5, SDK types).
var g3PlusAdditions = []string{
	"message.assistant", "message.end_reason", "message.started_at", "message.ended_at",
	"message.messages", "message.recording_url", "message.phone_number.id",
}

// shapeCheck compares a documented JSON tree with a rendered one.
type shapeCheck struct {
	mode   shapeMode
	absent []string // documented paths the renderer does not send (named exemptions)
	free   []string // free-form objects: only the type is compared
	values bool     // leaf values must be equal too
	differ []string // leaf paths whose values may differ when values is set
	diffs  []string
}

// compare walks doc and got; path is dotted, array elements as "[]".
func (c *shapeCheck) compare(p string, doc, got any) {
	dt, gt := jsonType(doc), jsonType(got)
	if dt != gt {
		c.diffs = append(c.diffs, fmt.Sprintf("%s: documented %s, rendered %s", p, dt, gt))
		return
	}
	if slices.Contains(c.free, p) {
		return
	}
	switch d := doc.(type) {
	case map[string]any:
		g := got.(map[string]any)
		for k, dv := range d {
			kp := join(p, k)
			gv, ok := g[k]
			if !ok {
				if !slices.Contains(c.absent, kp) {
					c.diffs = append(c.diffs, fmt.Sprintf("%s: documented key missing from the rendered payload", kp))
				}
				continue
			}
			c.compare(kp, dv, gv)
		}
		for k := range g {
			if _, ok := d[k]; ok {
				continue
			}
			kp := join(p, k)
			switch {
			case c.mode == fragment:
			case c.mode == g3Plus && slices.Contains(g3PlusAdditions, kp):
			default:
				c.diffs = append(c.diffs, fmt.Sprintf("%s: rendered key not in the documented payload", kp))
			}
		}
	case []any:
		g := got.([]any)
		if len(d) > 0 && len(g) == 0 {
			c.diffs = append(c.diffs, fmt.Sprintf("%s: documented elements, rendered an empty array", p))
		}
		if c.values && len(d) != len(g) && !slices.Contains(c.differ, p) {
			c.diffs = append(c.diffs, fmt.Sprintf("%s: documented %d elements, rendered %d", p, len(d), len(g)))
		}
		if len(d) == 0 {
			return
		}
		for i, gv := range g {
			c.compare(p+"[]", d[min(i, len(d)-1)], gv)
		}
	default:
		if c.values && !slices.Contains(c.differ, p) && fmt.Sprint(doc) != fmt.Sprint(got) {
			c.diffs = append(c.diffs, fmt.Sprintf("%s: documented %v, rendered %v", p, doc, got))
		}
	}
}

func join(p, k string) string {
	if p == "" {
		return k
	}
	return p + "." + k
}

// Times of the documented G2/G3 examples.
var (
	docNoon   = time.Date(2025, 12, 13, 12, 0, 0, 0, time.UTC)
	docEnded  = time.Date(2025, 12, 13, 12, 5, 0, 0, time.UTC)
	docReport = time.Date(2025, 12, 13, 12, 5, 30, 0, time.UTC)
)

// docPlan is the call of the G2/G3 examples.
func docPlan(name string) *simulator.CallPlan {
	return &simulator.CallPlan{
		ID:          "5c4d030f-43e3-4e65-899e-8148521e660f",
		Direction:   simulator.Inbound,
		Customer:    "+31612345678",
		PhoneNumber: "+31850835037",
		PhoneName:   name,
		PhoneID:     "7f8a9b2c-3d4e-5f6g-7h8i-9j0k1l2m3n4o",
		Lang:        "nl",
		Start:       docNoon,
	}
}

// richPlan is a realistic Dutch inbound call used for the golden files.
func richPlan() *simulator.CallPlan {
	return &simulator.CallPlan{
		RunSeed:     42,
		Number:      7,
		ID:          "0b6f3a52-8d1e-4c7a-9a51-3f2e9c1d7b40",
		Direction:   simulator.Inbound,
		Customer:    "+31612345678",
		PhoneNumber: "+31850835037",
		PhoneName:   "Tandartspraktijk Çelik",
		PhoneID:     "num_6f1d2c",
		Lang:        "nl",
		Intent:      simulator.BookAppointment,
		Persona:     simulator.Persona{FirstName: "Anouk", LastName: "de Vries", City: "Zoë-dorp"},
		Business:    "Tandartspraktijk Çelik",
		Start:       time.Date(2026, 2, 3, 9, 15, 0, 0, time.UTC),
		Ring:        1500 * time.Millisecond,
		Recording:   "https://rec.example.com/calls/0b6f3a52.mp3",
	}
}

// richConfig is the resolved assistant config of the rich call.
func richConfig() *simulator.AssistantConfig {
	return &simulator.AssistantConfig{
		FirstMessage: "Goedemorgen, met Tandartspraktijk Çelik. Waarmee kan ik u helpen?",
		Tools:        []simulator.Tool{{Name: "check_availability"}, {Name: "book_appointment"}},
		Analysis:     &simulator.AnalysisPlan{Enabled: true, Schema: json.RawMessage(`{"type":"object"}`), MinMessages: 2},
		Metadata:     json.RawMessage(`{"crm_id":"12345","tier":"premium"}`),
		Echo:         json.RawMessage(`{"first_message":"Goedemorgen, met Tandartspraktijk Çelik. Waarmee kan ik u helpen?","llm_config":{"provider":"openai","model":"gpt-4.1"},"metadata":{"crm_id":"12345","tier":"premium"}}`),
	}
}

// richMessages is a conversation of n caller turns, starting at start.
func richMessages(start time.Time, n int) []simulator.Message {
	at := start
	msgs := []simulator.Message{{Role: simulator.RoleAssistant, Content: "Goedemorgen, met Tandartspraktijk Çelik. Waarmee kan ik u helpen?", At: at, Took: 3200 * time.Millisecond}}
	at = at.Add(3200 * time.Millisecond)
	for i := range n {
		at = at.Add(time.Duration(600+37*i) * time.Millisecond)
		user := simulator.Message{Role: simulator.RoleUser, Content: fmt.Sprintf("Ik wil graag een afspraak maken, liefst donderdag 😊 (vraag %d)", i+1), At: at, Took: time.Duration(2100+113*i) * time.Millisecond}
		at = at.Add(user.Took + time.Duration(700+41*i)*time.Millisecond)
		bot := simulator.Message{Role: simulator.RoleAssistant, Content: fmt.Sprintf("Dat kan. Donderdag om %d:30 is er plek bij de tandarts, zal ik die voor u reserveren?", 9+i%8), At: at, Took: time.Duration(2800+97*i) * time.Millisecond}
		at = at.Add(bot.Took)
		msgs = append(msgs, user, bot)
	}
	return msgs
}

// richReport is the end-of-call-report of the rich call.
func richReport(p *simulator.CallPlan, turns int) *simulator.Report {
	started := p.Start.Add(p.Ring)
	msgs := richMessages(started, turns)
	last := msgs[len(msgs)-1]
	usage := &simulator.Usage{InputTokens: 1830, OutputTokens: 214, TTSChars: 612,
		PlatformCost: 0.006946, PhoneCost: 0.0165, TTSCost: 0.010620000000000001, STTCost: 0.005348418610800001, LLMCost: 0.0003385}
	for i, m := range msgs {
		switch m.Role {
		case simulator.RoleUser:
			usage.STTLatencyMS = append(usage.STTLatencyMS, 180+float64(i)*13.25)
			usage.STTConfidence = append(usage.STTConfidence, 0.62+float64(i%5)*0.07)
			usage.LLMLatencyMS = append(usage.LLMLatencyMS, 640+float64(i)*71.5)
		case simulator.RoleAssistant:
			usage.TTSLatencyMS = append(usage.TTSLatencyMS, 95+float64(i)*23.5)
		}
	}
	return &simulator.Report{
		Started:      started,
		Ended:        last.At.Add(last.Took + 800*time.Millisecond),
		EndReason:    simulator.EndUserHangup,
		Summary:      "De beller wilde een afspraak maken voor donderdag; de assistent heeft een tijd voorgesteld.",
		Analysis:     json.RawMessage(`{"intent":"afspraak maken","sentiment":"positive","appointment_booked":true}`),
		Success:      "Good",
		Messages:     msgs,
		RecordingURL: p.Recording,
		Usage:        usage,
	}
}

// richEvents are the rich call's events by golden name.
func richEvents() map[string]*simulator.Event {
	p := richPlan()
	cfg := richConfig()
	r := richReport(p, 3)
	web := richPlan()
	web.Direction, web.Customer, web.PhoneNumber, web.PhoneID = simulator.Web, "", "", ""
	webReport := richReport(web, 2)
	webReport.EndReason = simulator.EndAssistantHangup
	webReport.RecordingURL = ""
	return map[string]*simulator.Event{
		"assistant-request": {Type: simulator.AssistantRequest, Plan: p, At: p.Start, Status: simulator.StatusRinging},
		"tool-calls": {Type: simulator.ToolCalls, Plan: p, At: p.Start.Add(14 * time.Second), Status: simulator.StatusInProgress, Config: cfg,
			ToolCalls: []simulator.ToolCall{
				{ID: "tool_9f8e7d6c5b4a", Name: "check_availability", Arguments: json.RawMessage(`{ "date": "2026-02-05", "note": "liefst 's ochtends" }`)},
				{ID: "tool_1a2b3c4d5e6f", Name: "get_opening_hours"},
			}},
		"status-update-in-progress": {Type: simulator.StatusUpdate, Plan: p, At: r.Started, Status: simulator.StatusInProgress, Config: cfg},
		"status-update-ended":       {Type: simulator.StatusUpdate, Plan: p, At: r.Ended, Status: simulator.StatusEnded, EndReason: simulator.EndUserHangup, Config: cfg},
		"status-update-ended-with-error": {Type: simulator.StatusUpdate, Plan: p, At: r.Ended, Status: simulator.StatusEndedWithError,
			Error: "STT connection failed", EndReason: simulator.EndError, Config: cfg},
		"end-of-call-report":     {Type: simulator.EndOfCallReport, Plan: p, At: r.Ended.Add(2 * time.Second), Status: simulator.StatusEnded, EndReason: r.EndReason, Report: r, Config: cfg},
		"end-of-call-report-web": {Type: simulator.EndOfCallReport, Plan: web, At: webReport.Ended.Add(time.Second), Status: simulator.StatusEnded, EndReason: webReport.EndReason, Report: webReport},
		"status-update-web":      {Type: simulator.StatusUpdate, Plan: web, At: webReport.Started, Status: simulator.StatusInProgress},
	}
}
