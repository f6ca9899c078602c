package dialect

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestParseObject(t *testing.T) {
	o, err := parseObject([]byte(`{ "a\u0062" : { "c" : 1 } , "d":"}", "e" :-2.5e3}`))
	assert.NoError(t, err)
	assert.Equal(t, object{{"ab", json.RawMessage(`{ "c" : 1 }`)}, {"d", json.RawMessage(`"}"`)}, {"e", json.RawMessage(`-2.5e3`)}}, o)
	_, err = parseObject([]byte(`{"a":}`))
	assert.Error(t, err)
}
