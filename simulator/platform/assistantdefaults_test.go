package platform

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAssistantDefaults checks that every answer carries the fields the
// SDK's Assistant requires, and that given values win.
func TestAssistantDefaults(t *testing.T) {
	e := setup(t, nil)
	cases := []struct {
		name   string
		create map[string]any
		want   map[string]any // top-level fields of the answer
	}{
		{"name only", map[string]any{"name": "Support"}, map[string]any{
			"is_active":  true,
			"stt_config": map[string]any{"provider": "deepgram", "model": "nova-3", "language": "nl"},
			"llm_config": map[string]any{"provider": "openai", "model": "gpt-4.1"},
			"tts_config": map[string]any{"provider": "elevenlabs", "voice_id": "ukiwGs47sHyibruHJ1vg"},
		}},
		{"given values win, missing keys are filled", map[string]any{
			"name": "Sales", "is_active": false,
			"stt_config": map[string]any{"provider": "gladia", "model": "solaria-1", "language": "en", "languages": []any{"en", "nl"}},
			"llm_config": map[string]any{"model": "gpt-4o-mini", "temperature": 0.3},
			"tts_config": map[string]any{"provider": "inworld", "voice_id": "Ashley", "language": "en"},
		}, map[string]any{
			"is_active":  false,
			"stt_config": map[string]any{"provider": "gladia", "model": "solaria-1", "language": "en", "languages": []any{"en", "nl"}},
			"llm_config": map[string]any{"provider": "openai", "model": "gpt-4o-mini", "temperature": 0.3},
			"tts_config": map[string]any{"provider": "inworld", "voice_id": "Ashley", "language": "en"},
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(http.MethodPost, "/api/v1/assistants", tc.create)
			require.Equal(t, http.StatusCreated, r.status, string(r.raw))
			a := r.body["assistant"].(map[string]any)
			for k, v := range tc.want {
				assert.Equal(t, v, a[k], k)
			}
			got := e.do(http.MethodGet, "/api/v1/assistants/"+a["id"].(string), nil)
			assert.Equal(t, a, got.body["assistant"], "get answers the same")
		})
	}
}
