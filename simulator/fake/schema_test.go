package fake

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// docsAnalysisSchema is the call-analysis guide's example schema (spec §7.2).
const docsAnalysisSchema = `{
  "type": "object",
  "properties": {
    "sentiment": {"type": "integer", "minimum": 1, "maximum": 10},
    "primary_intent": {"type": "string", "enum": ["support", "sales", "complaint", "inquiry", "appointment", "other"]},
    "topics_discussed": {"type": "array", "items": {"type": "string"}},
    "action_items": {"type": "array", "items": {"type": "object", "properties": {
      "task": {"type": "string"},
      "assigned_to": {"type": "string", "enum": ["agent", "customer", "other"]}}, "required": ["task", "assigned_to"]}},
    "customer_satisfied": {"type": "boolean"},
    "follow_up_needed": {"type": "boolean"},
    "summary": {"type": "string"}
  },
  "required": ["sentiment", "primary_intent", "customer_satisfied", "follow_up_needed", "summary"]
}`

// formatRes are the shapes the generator promises per format.
var formatRes = map[string]*regexp.Regexp{
	"date":      regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`),
	"time":      regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d$`),
	"date-time": regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$`),
	"email":     regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[a-z]{2,}$`),
	"uuid":      reUUID4,
	"uri":       regexp.MustCompile(`^https?://[^\s]+$`),
	"phone":     regexp.MustCompile(`^\+31\d{9}$`),
	"tel":       regexp.MustCompile(`^\+31\d{9}$`),
}

// validate checks v against the schema s (both decoded JSON) for the
// keywords the generator honours; it returns every violation.
func validate(s map[string]any, v any, path string) []string {
	var errs []string
	bad := func(format string, a ...any) { errs = append(errs, path+": "+fmt.Sprintf(format, a...)) }
	if c, ok := s["const"]; ok {
		if !jsonEqual(c, v) {
			bad("want const %v, got %v", c, v)
		}
		return errs
	}
	if e, ok := s["enum"].([]any); ok {
		if !slices.ContainsFunc(e, func(x any) bool { return jsonEqual(x, v) }) {
			bad("%v is not in enum %v", v, e)
		}
	}
	var types []string
	switch t := s["type"].(type) {
	case string:
		types = []string{t}
	case []any:
		for _, x := range t {
			types = append(types, x.(string))
		}
	}
	if len(types) > 0 && !slices.ContainsFunc(types, func(t string) bool { return hasType(v, t) }) {
		bad("%v (%T) is not of type %v", v, v, types)
		return errs
	}
	switch x := v.(type) {
	case map[string]any:
		props, _ := s["properties"].(map[string]any)
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				if _, ok := x[r.(string)]; !ok {
					bad("required %q missing", r)
				}
			}
		}
		for k, val := range x {
			if ps, ok := props[k].(map[string]any); ok {
				errs = append(errs, validate(ps, val, path+"."+k)...)
			}
		}
	case []any:
		if m, ok := s["minItems"].(float64); ok && float64(len(x)) < m {
			bad("%d items < minItems %v", len(x), m)
		}
		if m, ok := s["maxItems"].(float64); ok && float64(len(x)) > m {
			bad("%d items > maxItems %v", len(x), m)
		}
		if is, ok := s["items"].(map[string]any); ok {
			for i, it := range x {
				errs = append(errs, validate(is, it, fmt.Sprintf("%s[%d]", path, i))...)
			}
		}
	case string:
		n := float64(utf8.RuneCountInString(x))
		if m, ok := s["minLength"].(float64); ok && n < m {
			bad("%q shorter than %v", x, m)
		}
		if m, ok := s["maxLength"].(float64); ok && n > m {
			bad("%q longer than %v", x, m)
		}
		if p, ok := s["pattern"].(string); ok && !regexp.MustCompile(p).MatchString(x) {
			bad("%q does not match %s", x, p)
		}
		if f, ok := s["format"].(string); ok && formatRes[f] != nil && !formatRes[f].MatchString(x) {
			bad("%q is not a %s", x, f)
		}
	case float64:
		if m, ok := s["minimum"].(float64); ok && x < m {
			bad("%v < minimum %v", x, m)
		}
		if m, ok := s["maximum"].(float64); ok && x > m {
			bad("%v > maximum %v", x, m)
		}
		if m, ok := s["exclusiveMinimum"].(float64); ok && x <= m {
			bad("%v <= exclusiveMinimum %v", x, m)
		}
		if m, ok := s["exclusiveMaximum"].(float64); ok && x >= m {
			bad("%v >= exclusiveMaximum %v", x, m)
		}
	}
	return errs
}

func hasType(v any, t string) bool {
	switch t {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "number":
		_, ok := v.(float64)
		return ok
	case "integer":
		f, ok := v.(float64)
		return ok && f == math.Trunc(f)
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	}
	return false
}

func jsonEqual(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return string(x) == string(y)
}

// argsFor generates arguments for a schema on a fresh call.
func argsFor(t *testing.T, f *Factory, n int, schema string) (map[string]any, *simulator.CallPlan, *Call, json.RawMessage) {
	t.Helper()
	p, c := f.Call(n, Options{Intent: simulator.BookAppointment, Lang: "nl"})
	raw := c.ToolArguments(p, simulator.Tool{Name: "t", Parameters: json.RawMessage(schema)})
	var got map[string]any
	require.NoError(t, json.Unmarshal(raw, &got), "%s", raw)
	return got, p, c, raw
}

func TestToolArgumentsSchemas(t *testing.T) {
	tests := []struct {
		name   string
		schema string
		check  func(t *testing.T, got map[string]any, p *simulator.CallPlan, c *Call)
	}{
		{"types", `{"type":"object","properties":{
			"s":{"type":"string"},"i":{"type":"integer"},"n":{"type":"number"},"b":{"type":"boolean"},"z":{"type":"null"},
			"o":{"type":"object","properties":{"x":{"type":"integer"}},"required":["x"]},"a":{"type":"array","items":{"type":"integer"}}},
			"required":["s","i","n","b","z","o","a"]}`, nil},
		{"enum", `{"type":"object","properties":{"service":{"type":"string","enum":["controle","reiniging","vulling"]},
			"level":{"type":"integer","enum":[1,2,3]}},"required":["service","level"]}`, nil},
		{"formats", `{"type":"object","properties":{"a":{"type":"string","format":"date"},"b":{"type":"string","format":"time"},
			"c":{"type":"string","format":"date-time"},"d":{"type":"string","format":"email"},"e":{"type":"string","format":"uri"},
			"f":{"type":"string","format":"uuid"},"g":{"type":"string","format":"phone"},"h":{"type":"string","format":"tel"}},
			"required":["a","b","c","d","e","f","g","h"]}`,
			func(t *testing.T, got map[string]any, p *simulator.CallPlan, c *Call) {
				d, err := time.Parse(time.DateOnly, got["a"].(string))
				require.NoError(t, err)
				assert.True(t, d.After(p.Start), "a date after the call: %v vs %v", d, p.Start)
				assert.Equal(t, p.Persona.Email, got["d"])
				assert.Equal(t, p.Customer, got["g"])
				ts, err := time.Parse(time.RFC3339, got["c"].(string))
				require.NoError(t, err)
				assert.True(t, ts.After(p.Start))
				h := ts.In(time.FixedZone("", 3600)).Hour()
				assert.True(t, h >= 8 && h < 17, "business hours: %v", ts)
			}},
		{"nested and arrays", `{"type":"object","properties":{
			"customer":{"type":"object","properties":{"first_name":{"type":"string"},"address":{"type":"object",
				"properties":{"street":{"type":"string"},"city":{"type":"string"},"postcode":{"type":"string"}},"required":["street","city","postcode"]}},
				"required":["first_name","address"]},
			"items":{"type":"array","minItems":2,"maxItems":2,"items":{"type":"object","properties":{"sku":{"type":"string"},"quantity":{"type":"integer","minimum":1}},"required":["sku","quantity"]}}},
			"required":["customer","items"]}`,
			func(t *testing.T, got map[string]any, p *simulator.CallPlan, c *Call) {
				cust := got["customer"].(map[string]any)
				assert.Equal(t, p.Persona.FirstName, cust["first_name"])
				addr := cust["address"].(map[string]any)
				assert.Equal(t, p.Persona.City, addr["city"])
				assert.Regexp(t, `^[1-9]\d{3} [A-Z]{2}$`, addr["postcode"])
				assert.Regexp(t, `^\D+ \d+$`, addr["street"])
				assert.Len(t, got["items"], 2)
			}},
		{"by name", `{"type":"object","properties":{
			"name":{"type":"string"},"naam":{"type":"string"},"first_name":{"type":"string"},"lastName":{"type":"string"},
			"email":{"type":"string"},"phone":{"type":"string"},"telefoonnummer":{"type":"string"},"date":{"type":"string"},
			"datum":{"type":"string"},"time":{"type":"string"},"tijd":{"type":"string"},"city":{"type":"string"},"plaats":{"type":"string"},
			"address":{"type":"string"},"postcode":{"type":"string"},"zip":{"type":"string"},"order_id":{"type":"string"},
			"ordernummer":{"type":"string"},"reason":{"type":"string"},"message":{"type":"string"},"query":{"type":"string"},
			"company":{"type":"string"},"bedrijf":{"type":"string"},"amount":{"type":"number"},"quantity":{"type":"integer"},
			"customer_id":{"type":"string"},"language":{"type":"string"}},
			"required":["name","naam","first_name","lastName","email","phone","telefoonnummer","date","datum","time","tijd","city","plaats",
			"address","postcode","zip","order_id","ordernummer","reason","message","query","company","bedrijf","amount","quantity","customer_id","language"]}`,
			func(t *testing.T, got map[string]any, p *simulator.CallPlan, c *Call) {
				per := p.Persona
				assert.Equal(t, per.Name(), got["name"])
				assert.Equal(t, per.Name(), got["naam"])
				assert.Equal(t, per.FirstName, got["first_name"])
				assert.Equal(t, per.LastName, got["lastName"])
				assert.Equal(t, per.Email, got["email"])
				assert.Equal(t, p.Customer, got["phone"])
				assert.Equal(t, p.Customer, got["telefoonnummer"])
				assert.Equal(t, got["date"], got["datum"])
				assert.Regexp(t, formatRes["date"], got["date"])
				assert.Regexp(t, formatRes["time"], got["time"])
				assert.Equal(t, got["time"], got["tijd"])
				assert.Equal(t, per.City, got["city"])
				assert.Equal(t, per.City, got["plaats"])
				assert.Regexp(t, `^[1-9]\d{3} [A-Z]{2}$`, got["postcode"])
				assert.Equal(t, got["postcode"], got["zip"])
				assert.Regexp(t, `^NL-\d{8}$`, got["order_id"])
				assert.Equal(t, got["order_id"], got["ordernummer"])
				assert.Contains(t, []any{per.Name(), p.Customer}, got["query"])
				assert.Equal(t, per.Company, got["company"])
				assert.Equal(t, per.Company, got["bedrijf"])
				assert.Regexp(t, reUUID4, got["customer_id"])
				assert.Equal(t, "nl", got["language"])
				assert.Greater(t, len(strings.Fields(got["reason"].(string))), 1, "a sentence")
				q := got["quantity"].(float64)
				assert.True(t, q >= 1 && q <= 4)
				a := got["amount"].(float64)
				assert.True(t, a >= 10 && a <= 250)
				// The appointment in the arguments is the one the caller mentions.
				var said strings.Builder
				for _, tr := range p.Turns {
					said.WriteString(tr.Caller + " " + tr.Reply)
				}
				assert.Contains(t, said.String(), got["time"].(string))
			}},
		{"min and max", `{"type":"object","properties":{
			"a":{"type":"integer","minimum":5,"maximum":7},"b":{"type":"integer","exclusiveMinimum":0,"exclusiveMaximum":3},
			"c":{"type":"number","minimum":0.5,"maximum":0.6},"quantity":{"type":"integer","minimum":10,"maximum":12},
			"d":{"type":"integer","minimum":1000},"e":{"type":"integer","multipleOf":5,"minimum":0,"maximum":20},
			"s":{"type":"string","minLength":30},"t":{"type":"string","maxLength":3},"reason":{"type":"string","minLength":2,"maxLength":10}},
			"required":["a","b","c","quantity","d","e","s","t","reason"]}`,
			func(t *testing.T, got map[string]any, p *simulator.CallPlan, c *Call) {
				assert.Zero(t, math.Mod(got["e"].(float64), 5))
			}},
		{"pattern", `{"type":"object","properties":{"code":{"type":"string","pattern":"^[A-Z]{3}-\\d{4}$"},
			"order_id":{"type":"string","pattern":"^NL-[0-9]{8}$"},"ref":{"type":"string","pattern":"^REF[0-9]{6}$"}},"required":["code","order_id","ref"]}`,
			func(t *testing.T, got map[string]any, p *simulator.CallPlan, c *Call) {
				assert.Equal(t, c.order, got["order_id"], "the call's order number already fits")
			}},
		{"const and default", `{"type":"object","properties":{"kind":{"const":"appointment"},"v":{"type":"integer","const":2},
			"channel":{"type":"string","default":"phone"}},"required":["kind","v","channel"]}`, nil},
		{"type lists and anyOf", `{"type":"object","properties":{"x":{"type":["string","null"]},"y":{"anyOf":[{"type":"integer"},{"type":"boolean"}]},
			"z":{"oneOf":[{"type":"string","format":"date"},{"type":"string","format":"time"}]}},"required":["x","y","z"]}`, nil},
		{"allOf", `{"type":"object","allOf":[{"properties":{"a":{"type":"string"}},"required":["a"]},{"properties":{"b":{"type":"integer"}},"required":["b"]}]}`,
			func(t *testing.T, got map[string]any, p *simulator.CallPlan, c *Call) {
				assert.Contains(t, got, "a")
				assert.Contains(t, got, "b")
			}},
		{"required without a schema", `{"type":"object","required":["name","email"]}`,
			func(t *testing.T, got map[string]any, p *simulator.CallPlan, c *Call) {
				assert.Equal(t, p.Persona.Name(), got["name"])
				assert.Equal(t, p.Persona.Email, got["email"])
			}},
		{"the documented lookup_contact", `{"type":"object","properties":{"query":{"type":"string","description":"Name or phone number to search"}},"required":["query"]}`,
			func(t *testing.T, got map[string]any, p *simulator.CallPlan, c *Call) {
				assert.Contains(t, []any{p.Persona.Name(), p.Customer}, got["query"])
			}},
	}
	f := newFactory(t, 21)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var s map[string]any
			require.NoError(t, json.Unmarshal([]byte(tt.schema), &s))
			for n := range 40 {
				got, p, c, raw := argsFor(t, f, n, tt.schema)
				require.Empty(t, validate(s, got, "$"), "%s", raw)
				if tt.check != nil {
					tt.check(t, got, p, c)
				}
			}
		})
	}
}

func TestToolArgumentsOptional(t *testing.T) {
	schema := `{"type":"object","properties":{"must":{"type":"string"},"maybe":{"type":"string"}},"required":["must"]}`
	with := 0
	f := newFactory(t, 21)
	for n := range 200 {
		got, _, _, _ := argsFor(t, f, n, schema)
		require.Contains(t, got, "must")
		if _, ok := got["maybe"]; ok {
			with++
		}
	}
	assert.InDelta(t, 100, with, 30, "optional properties about half the time")
}

func TestToolArgumentsEdgeCases(t *testing.T) {
	f := newFactory(t, 22)
	p, c := f.Call(1, Options{})
	args := func(params string) string {
		var raw json.RawMessage
		if params != "" {
			raw = json.RawMessage(params)
		}
		return string(c.ToolArguments(p, simulator.Tool{Name: "t", Parameters: raw}))
	}
	assert.Equal(t, "", args(""), "no parameters: no arguments")
	assert.Equal(t, "", args("null"))
	assert.Equal(t, "{}", args("{}"), "empty schema")
	assert.Equal(t, "{}", args(`{"type":"object"}`))
	assert.Equal(t, "{}", args(`{"type":"object","properties":{`), "invalid JSON")
	assert.Equal(t, "{}", args(`not json`))
	assert.Equal(t, "{}", args(`{"type":"string"}`), "arguments are always an object")
	assert.Equal(t, "{}", args(`[1,2]`))
	assert.NotPanics(t, func() {
		args(`{"type":"object","properties":{"x":{"type":"object","properties":{"y":{"items":{"items":{}}}}}},"required":["x"]}`)
	})

	// Absurd limits do not hang the generator.
	raw := args(`{"type":"object","properties":{"s":{"type":"string","minLength":1000000000},"a":{"type":"array","minItems":1000000000}},"required":["s","a"]}`)
	assert.Less(t, len(raw), 100_000)

	// Keys come out in the schema's property order.
	raw = args(`{"type":"object","properties":{"zeta":{"type":"string"},"alpha":{"type":"string"},"mid":{"type":"integer"}},"required":["zeta","alpha","mid"]}`)
	iz, ia, im := strings.Index(raw, `"zeta"`), strings.Index(raw, `"alpha"`), strings.Index(raw, `"mid"`)
	assert.True(t, iz >= 0 && iz < ia && ia < im, raw)

	// "&" and "<" stay readable.
	p.Business = "Kapsalon Knip & Zo"
	p.Persona.Company = "A & B <bv>"
	raw = args(`{"type":"object","properties":{"company":{"type":"string"}},"required":["company"]}`)
	assert.Equal(t, `{"company":"A & B <bv>"}`, raw)
}

func TestAnalysisDocsSchema(t *testing.T) {
	var s map[string]any
	require.NoError(t, json.Unmarshal([]byte(docsAnalysisSchema), &s))
	f := newFactory(t, 23)
	wantIntent := map[simulator.Intent]string{
		simulator.BookAppointment: "appointment", simulator.Reschedule: "appointment", simulator.Complaint: "complaint",
		simulator.OpeningHours: "inquiry", simulator.OrderStatus: "support", simulator.Callback: "support",
		simulator.WrongNumber: "other", simulator.Silent: "other", simulator.Voicemail: "other",
		simulator.AppointmentReminder: "appointment", simulator.AppointmentConfirmation: "appointment",
		simulator.TicketFollowUp: "support", simulator.RequestedCallback: "support",
	}
	for _, in := range simulator.Intents {
		for n := range 10 {
			p, c := f.Call(n, Options{Intent: in})
			msgs := transcript(p)
			raw := c.Analysis(p, json.RawMessage(docsAnalysisSchema), msgs, p.EndReason)
			var got map[string]any
			require.NoError(t, json.Unmarshal(raw, &got))
			require.Empty(t, validate(s, got, "$"), "%s", raw)
			for k := range s["properties"].(map[string]any) {
				require.Contains(t, got, k, "an analysis fills every property")
			}
			assert.Equal(t, wantIntent[in], got["primary_intent"], "%s", in)
			assert.Equal(t, c.Summary(p, msgs, p.EndReason), got["summary"])
			if in == simulator.Complaint || in == simulator.Callback {
				assert.Equal(t, true, got["follow_up_needed"])
				assert.NotEmpty(t, got["action_items"])
			}
			if in == simulator.Silent || in == simulator.WrongNumber {
				assert.Equal(t, false, got["customer_satisfied"], "%s", in)
				assert.LessOrEqual(t, got["sentiment"].(float64), 6.0)
			}
		}
	}
}

func TestAnalysisFields(t *testing.T) {
	schema := `{"type":"object","properties":{
		"appointment_booked":{"type":"boolean"},"sentiment":{"type":"string","enum":["positive","neutral","negative"]},
		"hoofdonderwerp":{"type":"string"},"vraag_beantwoord":{"type":"boolean"},"gesprek_kwaliteit":{"type":"string"},
		"conversation_quality":{"type":"string","enum":["Excellent","Good","Fair","Poor"]},"score":{"type":"number","minimum":0,"maximum":1},
		"topics":{"type":"array","items":{"type":"string"},"maxItems":2},"end_reason":{"type":"string"},"duration_seconds":{"type":"integer"}},
		"required":["appointment_booked"]}`
	var s map[string]any
	require.NoError(t, json.Unmarshal([]byte(schema), &s))
	f := newFactory(t, 24)
	run := func(in simulator.Intent, end string, fail bool) map[string]any {
		p, c := f.Call(3, Options{Intent: in, Lang: "nl"})
		msgs := transcript(p)
		if fail {
			c.ToolFollowUp(p, simulator.Tool{Name: "book_appointment"}, nil, "HTTP 500")
		}
		raw := c.Analysis(p, json.RawMessage(schema), msgs, end)
		var got map[string]any
		require.NoError(t, json.Unmarshal(raw, &got))
		require.Empty(t, validate(s, got, "$"), "%s", raw)
		assert.Equal(t, end, got["end_reason"])
		last := msgs[len(msgs)-1]
		assert.InDelta(t, last.At.Add(last.Took).Sub(msgs[0].At).Seconds(), got["duration_seconds"], 0.51)
		assert.Equal(t, c.Success(p, msgs, end), got["conversation_quality"])
		return got
	}
	booked := run(simulator.BookAppointment, simulator.EndUserHangup, false)
	assert.Equal(t, true, booked["appointment_booked"])
	assert.Equal(t, true, booked["vraag_beantwoord"])
	assert.Equal(t, "positive", booked["sentiment"])
	assert.Equal(t, "Afspraak maken", booked["hoofdonderwerp"])
	assert.Contains(t, []any{"Uitstekend", "Goed"}, booked["gesprek_kwaliteit"])

	moved := run(simulator.Reschedule, simulator.EndAssistantHangup, false)
	assert.Equal(t, true, moved["appointment_booked"])

	failed := run(simulator.BookAppointment, simulator.EndUserHangup, true)
	assert.Equal(t, false, failed["appointment_booked"], "the booking tool failed")

	cut := run(simulator.BookAppointment, simulator.EndError, false)
	assert.Equal(t, false, cut["appointment_booked"])
	assert.Equal(t, "Poor", cut["conversation_quality"])
	assert.Equal(t, "negative", cut["sentiment"])

	hours := run(simulator.OpeningHours, simulator.EndUserHangup, false)
	assert.Equal(t, false, hours["appointment_booked"])
	wrong := run(simulator.WrongNumber, simulator.EndUserHangup, false)
	assert.Equal(t, false, wrong["appointment_booked"])
	assert.Equal(t, "Fair", wrong["conversation_quality"])

	f2 := newFactory(t, 25)
	p, c := f2.Call(1, Options{})
	assert.Equal(t, "{}", string(c.Analysis(p, json.RawMessage(`{"type":`), nil, simulator.EndUserHangup)))
	assert.Equal(t, "{}", string(c.Analysis(p, nil, nil, simulator.EndUserHangup)))
}

// FuzzToolArguments: any parameters give nil or a valid JSON object, never a panic.
func FuzzToolArguments(f *testing.F) {
	for _, s := range []string{docsAnalysisSchema, `{}`, `{"type":"object","properties":{"a":{"anyOf":[{"type":"string","pattern":"^(a|b)+$"}]}}}`,
		`{"type":"object","properties":{"x":{"type":["integer","null"],"minimum":3,"exclusiveMaximum":4}},"required":["x","y"]}`,
		`{"type":"object","properties":{"q":{"type":"string","format":"date-time","maxLength":0}}}`, `[`, `{"properties":{"":{}}}`} {
		f.Add(s)
	}
	fac, err := New(1)
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, params string) {
		p, c := fac.Call(len(params), Options{})
		out := c.ToolArguments(p, simulator.Tool{Name: "t", Parameters: json.RawMessage(params)})
		if out != nil {
			var v map[string]any
			require.NoError(t, json.Unmarshal(out, &v), "%s -> %s", params, out)
		}
		an := c.Analysis(p, json.RawMessage(params), transcript(p), p.EndReason)
		var v map[string]any
		require.NoError(t, json.Unmarshal(an, &v), "%s -> %s", params, an)
	})
}
