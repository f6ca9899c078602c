package fake

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"slices"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/fixtures"
	"github.com/flireo-sim/flireo-sim/simulator"
)

// realBanks is an in-memory copy of fixtures/phrases.
func realBanks(t *testing.T) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	sub, err := fs.Sub(fixtures.FS, "phrases")
	require.NoError(t, err)
	names, err := fs.Glob(sub, "*.json")
	require.NoError(t, err)
	for _, n := range names {
		data, err := fs.ReadFile(sub, n)
		require.NoError(t, err)
		m[n] = &fstest.MapFile{Data: data}
	}
	return m
}

// edit decodes a bank file, changes it and encodes it back.
func edit(t *testing.T, m fstest.MapFS, name string, change func(map[string]any)) {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal(m[name].Data, &v))
	change(v)
	data, err := json.Marshal(v)
	require.NoError(t, err)
	m[name] = &fstest.MapFile{Data: data}
}

func intentOf(v map[string]any, in string) map[string]any {
	return v["intents"].(map[string]any)[in].(map[string]any)
}

func firstStep(v map[string]any, in string) map[string]any {
	return intentOf(v, in)["flows"].([]any)[0].([]any)[0].(map[string]any)
}

func TestBanksComplete(t *testing.T) {
	f, err := New(1)
	require.NoError(t, err)
	for k, in := range simulator.Intents {
		weighted := k < len(mixWeights) && simulator.IntentDirection(in) == simulator.Inbound ||
			slices.ContainsFunc(outboundWeights, func(w weightedIntent) bool { return w.intent == in })
		require.True(t, weighted, "intent %s has a weight for its direction", in)
	}
	for _, lang := range []string{"nl", "en"} {
		lb := f.b.langs[lang]
		require.NotNil(t, lb, lang)
		for k, in := range simulator.Intents {
			ib := lb.intents[k]
			require.NotNil(t, ib, "%s %s", lang, in)
			assert.NotEmpty(t, ib.flows, "%s %s", lang, in)
			assert.NotEmpty(t, ib.done)
			assert.NotEmpty(t, ib.open)
		}
	}
	// Every {placeholder} written in the files is one the loader knows.
	known := map[string]bool{}
	for _, n := range placeholderNames {
		known[n] = true
	}
	re := regexp.MustCompile(`\{([^{}"]*)\}`)
	for name, file := range realBanks(t) {
		for _, m := range re.FindAllStringSubmatch(string(file.Data), -1) {
			assert.True(t, known[m[1]], "%s: unknown placeholder {%s}", name, m[1])
		}
	}
}

func TestLoaderRejectsMalformedBanks(t *testing.T) {
	tests := []struct {
		name   string
		change func(t *testing.T, m fstest.MapFS)
		want   []string // all must appear in the error
	}{
		{"not JSON", func(t *testing.T, m fstest.MapFS) {
			m["nl.json"] = &fstest.MapFile{Data: []byte(`{"lang": "nl",`)}
		}, []string{"nl.json", "not valid"}},
		{"unknown key", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "en.json", func(v map[string]any) { v["greetigns"] = []any{"Hi"} })
		}, []string{"en.json", "greetigns"}},
		{"unknown placeholder", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "nl.json", func(v map[string]any) {
				firstStep(v, "complaint")["caller"] = []any{"Hallo, met {naam}."}
			})
		}, []string{"nl.json", "intents.complaint.flows[0][0].caller[0]", "unknown placeholder {naam}"}},
		{"placeholder in the wrong place", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "en.json", func(v map[string]any) {
				firstStep(v, "callback")["reply"] = []any{"The status is {status}."}
			})
		}, []string{"en.json", "unknown placeholder {status}"}},
		{"unclosed brace", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "nl.json", func(v map[string]any) { intentOf(v, "reschedule")["goodbye"] = []any{"Dag {first_name"} })
		}, []string{"nl.json", "intents.reschedule.goodbye[0]", "without a closing"}},
		{"missing intent", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "en.json", func(v map[string]any) { delete(v["intents"].(map[string]any), "silent") })
		}, []string{"en.json", `intent "silent" is missing`}},
		{"unknown intent", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "nl.json", func(v map[string]any) { v["intents"].(map[string]any)["smalltalk"] = intentOf(v, "complaint") })
		}, []string{"nl.json", `unknown intent "smalltalk"`}},
		{"unknown need", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "nl.json", func(v map[string]any) { firstStep(v, "book-appointment")["need"] = "appointment" })
		}, []string{"nl.json", "intents.book-appointment.flows[0][0].need", `unknown need "appointment"`}},
		{"step without caller", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "en.json", func(v map[string]any) { delete(firstStep(v, "order-status"), "caller") })
		}, []string{"en.json", "intents.order-status.flows[0][0].caller", "empty"}},
		{"silent caller speaks", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "nl.json", func(v map[string]any) { firstStep(v, "silent")["caller"] = []any{"Hallo?"} })
		}, []string{"nl.json", "intents.silent.flows[0][0].caller", "silent caller says nothing"}},
		{"bad chance", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "nl.json", func(v map[string]any) { firstStep(v, "callback")["chance"] = 1.5 })
		}, []string{"nl.json", "chance"}},
		{"paired lists of different lengths", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "en.json", func(v map[string]any) {
				st := intentOf(v, "opening-hours")["flows"].([]any)[0].([]any)[1].(map[string]any)
				require.Equal(t, true, st["paired"])
				st["reply"] = st["reply"].([]any)[:1]
			})
		}, []string{"en.json", "intents.opening-hours.flows[0][1]", "paired, but 3 caller lines and 1 replies"}},
		{"eleven months", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "nl.json", func(v map[string]any) { v["months"] = v["months"].([]any)[:11] })
		}, []string{"nl.json", "months", "11 entries, want 12"}},
		{"lang does not match the file", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "en.json", func(v map[string]any) { v["lang"] = "nl" })
		}, []string{"en.json", `"lang" is "nl", want "en"`}},
		{"missing language", func(t *testing.T, m fstest.MapFS) { delete(m, "en.json") }, []string{"en.json is missing"}},
		{"missing common", func(t *testing.T, m fstest.MapFS) { delete(m, "common.json") }, []string{"common.json"}},
		{"no businesses", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "common.json", func(v map[string]any) { v["businesses"] = []any{} })
		}, []string{"common.json", "businesses"}},
		{"no business for an intent", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "common.json", func(v map[string]any) {
				v["intent_kinds"].(map[string]any)["complaint"] = []any{"spaceships"}
			})
		}, []string{"common.json", `intent "complaint"`}},
		{"empty follow-up list", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "en.json", func(v map[string]any) { v["follow_up"].(map[string]any)["sorry"] = []any{} })
		}, []string{"en.json", "follow_up.sorry", "empty"}},
		{"goodbye on a voicemail", func(t *testing.T, m fstest.MapFS) {
			edit(t, m, "nl.json", func(v map[string]any) { intentOf(v, "voicemail")["goodbye"] = []any{"Dag!"} })
		}, []string{"nl.json", "goodbye", "voicemail"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := realBanks(t)
			tt.change(t, m)
			_, err := NewFromFS(1, m)
			require.Error(t, err)
			for _, w := range tt.want {
				assert.ErrorContains(t, err, w)
			}
		})
	}
	t.Run("the unchanged copy loads", func(t *testing.T) {
		_, err := NewFromFS(1, realBanks(t))
		require.NoError(t, err)
	})
}

func TestParseTmpl(t *testing.T) {
	tm, err := parseTmpl("Dag {first_name}, tot {date} om {time}.", planPlaceholders)
	require.NoError(t, err)
	var v vals
	v[phFirstName], v[phDate], v[phTime] = "Zoë", "dinsdag 3 maart", "10:30"
	assert.Equal(t, "Dag Zoë, tot dinsdag 3 maart om 10:30.", tm.fill(&v))
	plain, err := parseTmpl("Geen placeholders.", planPlaceholders)
	require.NoError(t, err)
	assert.Equal(t, "Geen placeholders.", plain.fill(&v))
	for _, bad := range []string{"a } b", "{", "{nope}", "{value}"} {
		_, err := parseTmpl(bad, planPlaceholders)
		assert.Error(t, err, bad)
	}
}
