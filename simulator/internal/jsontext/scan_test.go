package jsontext

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestElements(t *testing.T) {
	var got []string
	for e := range Elements([]byte(` [ {"a":[1,"]"]} , "x\"y", 3 ,null,[] ] `)) {
		got = append(got, string(e))
	}
	assert.Equal(t, []string{`{"a":[1,"]"]}`, `"x\"y"`, `3`, `null`, `[]`}, got)
}

func TestMembersKeepOrderAndDuplicates(t *testing.T) {
	cases := []struct {
		name, doc string
		want      [][2]string
	}{
		{"empty", ` { } `, nil},
		{"order", `{"b":1,"a":{"c":[1,2]}}`, [][2]string{{"b", "1"}, {"a", `{"c":[1,2]}`}}},
		{"duplicates", `{"a":1,"b":2,"a":3}`, [][2]string{{"a", "1"}, {"b", "2"}, {"a", "3"}}},
		{"escaped key and space", `{ "a\u0062" : { "c" : 1 } , "d":"}", "e" :-2.5e3}`,
			[][2]string{{"ab", `{ "c" : 1 }`}, {"d", `"}"`}, {"e", "-2.5e3"}}},
		{"escaped quote in value", `{"a":"x\\","b":"\"}"}`, [][2]string{{"a", `"x\\"`}, {"b", `"\"}"`}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got [][2]string
			for k, v := range Members([]byte(c.doc)) {
				got = append(got, [2]string{k, string(v)})
			}
			assert.Equal(t, c.want, got)
		})
	}
}

func TestMembersStopsWhenAsked(t *testing.T) {
	n := 0
	for range Members([]byte(`{"a":1,"b":2,"c":3}`)) {
		n++
		if n == 2 {
			break
		}
	}
	assert.Equal(t, 2, n)
}

func TestUnquote(t *testing.T) {
	cases := map[string]string{
		`""`:             "",
		`"plain"`:        "plain",
		`"caf\u00e9"`:    "café",
		`"a\"b\\c\n"`:    "a\"b\\c\n",
		"\"\xff\"":       "\ufffd",
		`"\ud83c\udf89"`: "🎉",
	}
	for lit, want := range cases {
		assert.Equal(t, want, unquote([]byte(lit)), lit)
	}
}
