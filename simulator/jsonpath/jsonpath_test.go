package jsonpath

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const doc = `{"message":{"type":"tool-calls","call":{"id":"abc","status":"in-progress"},"tool_call_list":[{"id":"t1","function":{"name":"x","arguments":{"q":"<Jan>"}}}]}}`

func TestSetKeepsOrderAndBytes(t *testing.T) {
	cases := []struct {
		path, value, want string
	}{
		{"message.call.id", "xyz", `{"message":{"type":"tool-calls","call":{"id":"xyz","status":"in-progress"},"tool_call_list":[{"id":"t1","function":{"name":"x","arguments":{"q":"<Jan>"}}}]}}`},
		{"message.tool_call_list.0.id", "42", `{"message":{"type":"tool-calls","call":{"id":"abc","status":"in-progress"},"tool_call_list":[{"id":42,"function":{"name":"x","arguments":{"q":"<Jan>"}}}]}}`},
		{"message.call", `{"b":1,"a":null}`, `{"message":{"type":"tool-calls","call":{"b":1,"a":null},"tool_call_list":[{"id":"t1","function":{"name":"x","arguments":{"q":"<Jan>"}}}]}}`},
		{"message.tool_call_list.0.function.arguments.q", `"café 🎉"`, `{"message":{"type":"tool-calls","call":{"id":"abc","status":"in-progress"},"tool_call_list":[{"id":"t1","function":{"name":"x","arguments":{"q":"café 🎉"}}}]}}`},
	}
	for _, c := range cases {
		got, err := Set([]byte(doc), c.path, Value(c.value))
		require.NoError(t, err, c.path)
		assert.Equal(t, c.want, string(got), c.path)
	}
}

func TestSetErrorsNameThePlace(t *testing.T) {
	cases := []struct{ path, want string }{
		{"message.custmer.number", `no key "custmer" at message (keys there: call, tool_call_list, type)`},
		{"message.tool_call_list.3", `"3" is not an index of the array at message.tool_call_list (it has 1 elements)`},
		{"message.type.x", `message.type is not an object or array, so it has no "x"`},
		{"", "empty path"},
	}
	for _, c := range cases {
		_, err := Set([]byte(doc), c.path, Value("1"))
		require.Error(t, err, c.path)
		assert.Contains(t, err.Error(), c.want)
	}
	_, err := Set([]byte(`{"a":`), "a", Value("1"))
	assert.ErrorContains(t, err, "not JSON")
}

func TestGet(t *testing.T) {
	v, err := Get([]byte(doc), "message.tool_call_list.0.function")
	require.NoError(t, err)
	assert.JSONEq(t, `{"name":"x","arguments":{"q":"<Jan>"}}`, string(v))
	v, err = Get([]byte(`{"reports":1}`), "reports")
	require.NoError(t, err)
	assert.Equal(t, "1", string(v))
}

func TestValue(t *testing.T) {
	assert.Equal(t, `42`, string(Value("42")))
	assert.Equal(t, `null`, string(Value("null")))
	assert.Equal(t, `"Jan de Vries"`, string(Value("Jan de Vries")))
	assert.Equal(t, `"a<b"`, string(Value("a<b")))
}

// A key that occurs twice keeps its first place and its last value, as
// encoding/json decodes it.
func TestDuplicateKeys(t *testing.T) {
	got, err := Set([]byte(`{"a":1,"b":2,"a":3}`), "b", Value("5"))
	require.NoError(t, err)
	assert.Equal(t, `{"a":3,"b":5}`, string(got))
	v, err := Get([]byte(`{"a":1,"b":2,"a":{"c":"\u00e9"}}`), "a")
	require.NoError(t, err)
	assert.Equal(t, `{"c":"é"}`, string(v))
}
