package jsontext

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// shape writes a tree as text that shows every node kind, key order and
// duplicate keys: objects as {k=v;...}, arrays as [v,...], strings quoted.
type shape struct{}

func (shape) Object(keys []string, vals []string) string {
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + vals[i]
	}
	return "{" + strings.Join(parts, ";") + "}"
}
func (shape) Array(elems []string) string { return "[" + strings.Join(elems, ",") + "]" }
func (shape) String(s string) string      { return strconv.Quote(s) }
func (shape) Number(n string) string      { return "#" + n }
func (shape) Bool(b bool) string          { return strconv.FormatBool(b) }
func (shape) Null() string                { return "null" }

func TestParseKeepsOrderAndDuplicates(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"scalars", `[1, -2.5e3, "x", true, false, null]`, `[#1,#-2.5e3,"x",true,false,null]`},
		{"key order", `{"z":1,"a":2,"m":3}`, `{z=#1;a=#2;m=#3}`},
		{"duplicate keys", `{"a":1,"b":2,"a":3}`, `{a=#1;b=#2;a=#3}`},
		{"nested with space", " { \"a\" : [ { } , [ ] ] ,\n\"b\\u0063\" : \"\\\"}\" } ", `{a=[{},[]];bc="\"}"}`},
		{"top-level string", ` "caf\u00e9" `, `"café"`},
		{"invalid UTF-8", "\"\xff\"", "\"\ufffd\""},
		{"number text kept", `1.50E+2`, `#1.50E+2`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Parse([]byte(c.doc), 64, shape{})
			require.NoError(t, err)
			assert.Equal(t, c.want, got)
		})
	}
}

func TestParseDepthLimit(t *testing.T) {
	nested := func(n int) []byte {
		return []byte(strings.Repeat("[", n) + "1" + strings.Repeat("]", n))
	}
	_, err := Parse(nested(3), 2, shape{})
	assert.ErrorIs(t, err, ErrTooDeep, "the scalar is at depth 3")
	got, err := Parse(nested(3), 3, shape{})
	require.NoError(t, err)
	assert.Equal(t, "[[[#1]]]", got)
	_, err = Parse([]byte(`{"a":{"b":{"c":{}}}}`), 2, shape{})
	assert.ErrorIs(t, err, ErrTooDeep)
}

func TestParseInvalidInput(t *testing.T) {
	cases := []struct{ name, doc, want string }{
		{"empty", ``, "EOF"},
		{"truncated", `{"a":`, "unexpected EOF"},
		{"bad character", `{"a":x}`, "invalid character 'x'"},
		{"trailing comma", `[1,]`, "invalid character ']'"},
		{"trailing data", `{"a":1} {}`, ErrTrailing.Error()},
		{"trailing word", `123abc`, ErrTrailing.Error()},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.doc), MaxDepth, shape{})
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.want)
			assert.False(t, errors.Is(err, ErrTooDeep))
		})
	}
}
