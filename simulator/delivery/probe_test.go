package delivery

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTamper(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{
			name: "free text preferred over longer ids",
			in:   `{"message":{"type":"assistant-request","call":{"id":"0d8f8a51-1c4e-4b2e-9a1f-3c5b7d9e0f12","name":"Flireo Demo"}}}`,
			want: `{"message":{"type":"assistant-request","call":{"id":"0d8f8a51-1c4e-4b2e-9a1f-3c5b7d9e0f12","name":"Flireo DemO"}}}`,
		},
		{
			name: "longest text value wins",
			in:   `{"a":"hi there","b":"a longer line of text"}`,
			want: `{"a":"hi there","b":"a longer line of texT"}`,
		},
		{
			name: "keys are never changed",
			in:   `{"a long key with spaces":"x1"}`,
			want: `{"a long key with spaces":"X1"}`,
		},
		{
			name: "without spaces the longest value with a letter",
			in:   `{"type":"tool-calls","id":"call_abc123"}`,
			want: `{"type":"tool-calls","id":"call_abC123"}`,
		},
		{
			name: "escapes are skipped",
			in:   `{"t":"a b\n\u00e9\"1"}`,
			want: `{"t":"a B\n\u00e9\"1"}`,
		},
		{
			name: "no letters: trailing space",
			in:   `{"n":"123","m":[1,2]}`,
			want: `{"n":"123","m":[1,2]} `,
		},
		{
			name: "empty object",
			in:   `{}`,
			want: `{} `,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := []byte(tt.in)
			got := tamper(in)
			assert.Equal(t, tt.want, string(got))
			assert.Equal(t, tt.in, string(in), "input modified")
			assert.True(t, json.Valid(got), "tampered body is not valid JSON")
			assert.NotEqual(t, tt.in, string(got))
		})
	}
}

func TestProbeBodyReformatted(t *testing.T) {
	got, err := probeBody("reformatted", []byte(`{"a":[1,{"b":"c"}]}`))
	require.NoError(t, err)
	assert.Equal(t, "{\n  \"a\": [\n    1,\n    {\n      \"b\": \"c\"\n    }\n  ]\n}", string(got))

	_, err = probeBody("reformatted", []byte(`not json`))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not valid JSON")
}

func TestWrongSecretDiffers(t *testing.T) {
	for _, s := range []string{"", "whsec_x", wrongSecret("")} {
		assert.NotEqual(t, s, wrongSecret(s))
	}
}
