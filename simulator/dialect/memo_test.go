package dialect

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRawMemo(t *testing.T) {
	m := rawMemo{m: map[string][]byte{}}
	big := `{ "first_message" : "` + strings.Repeat("héé ", 200) + `" , "metadata": {"crm_id": "1"} }`
	want, err := appendRawObject(nil, json.RawMessage(big), "echo")
	require.NoError(t, err)
	for i := 0; i < 3; i++ {
		got, err := m.appendObject([]byte("x"), []byte(big), "echo")
		require.NoError(t, err)
		assert.Equal(t, "x"+string(want), string(got), "the memo gives the checked, compacted value")
	}
	assert.Len(t, m.m, 1)

	bad := `{"first_message": "` + strings.Repeat("a", 600) + `"`
	for i := 0; i < 2; i++ {
		_, err := m.appendObject(nil, []byte(bad), "echo")
		assert.Error(t, err, "an invalid value is refused every time, never remembered")
	}
	assert.Len(t, m.m, 1)

	for i := 0; i < rawMemoMax+10; i++ {
		v := fmt.Sprintf(`{"n":%d,"pad":%q}`, i, strings.Repeat("p", rawMemoMin))
		_, err := m.appendObject(nil, []byte(v), "echo")
		require.NoError(t, err)
	}
	assert.Len(t, m.m, rawMemoMax, "the memo is bounded")
}
