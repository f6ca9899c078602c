package termsafe

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"
)

func TestIndentJSON(t *testing.T) {
	cases := []struct {
		name, in string
		lim      Limits
		want     string
	}{
		{"object", `{"a":1,"b":[true,null],"c":{}}`, Limits{},
			"{\n  \"a\": 1,\n  \"b\": [\n    true,\n    null\n  ],\n  \"c\": {}\n}\n"},
		{"scalar", ` "x" `, Limits{}, "\"x\"\n"},
		{"empty array with spaces", `[ ]`, Limits{}, "[]\n"},
		{"string with brackets and escapes", `["a,{\"b\"}:]"]`, Limits{},
			"[\n  \"a,{\\\"b\\\"}:]\"\n]\n"},
		{"hostile string", "[\"\u202eevil\u0085\"]", Limits{},
			"[\n  \"\\u202eevil\\u0085\"\n]\n"},
		{"depth cap", `{"a":{"b":[1, 2,{"c" : 3}]}}`, Limits{MaxDepth: 2},
			"{\n  \"a\": {\n    \"b\": «deeper than 2 levels, not indented» [1,2,{\"c\":3}]\n  }\n}\n"},
		{"byte cap", `[1,2,3,4,5,6]`, Limits{MaxBytes: 10},
			"[\n  1,\n  2\n… (cut: 5 of 13 bytes shown)\n"},
		{"line cap", `[1,2,3,4,5,6]`, Limits{MaxLines: 3},
			"[\n  1,\n  2,\n… (cut: 5 of 13 bytes shown)\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := IndentJSON(&b, []byte(c.in), "", c.lim); err != nil {
				t.Fatal(err)
			}
			if b.String() != c.want {
				t.Errorf("got\n%s\nwant\n%s", b.String(), c.want)
			}
		})
	}
}

// Without limits, IndentJSON prints what json.Indent prints.
func TestIndentJSONMatchesTheStandardLibrary(t *testing.T) {
	in := `{"results":[{"toolCallId":"c1","result":"{\"ok\":true}"}],"n":-1.5e3,"e":[],"o":{"k":[{}]}}`
	var want bytes.Buffer
	if err := json.Indent(&want, []byte(in), "    ", "  "); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := IndentJSON(&got, []byte(in), "    ", Limits{}); err != nil {
		t.Fatal(err)
	}
	if got.String() != "    "+want.String()+"\n" {
		t.Errorf("got\n%s\nwant\n    %s", got.String(), want.String())
	}
}

func TestIndentJSONPrefixesEveryLine(t *testing.T) {
	var b bytes.Buffer
	if err := IndentJSON(&b, []byte(`{"a":[1]}`), "> ", Limits{}); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		if !strings.HasPrefix(line, "> ") {
			t.Errorf("line without prefix: %q", line)
		}
	}
}

// nested is a JSON document of about size bytes: objects nested depth deep
// around an array of numbers.
func nested(depth, size int) []byte {
	var b bytes.Buffer
	for range depth {
		b.WriteString(`{"k":`)
	}
	b.WriteString("[0")
	for b.Len() < size-depth-2 {
		b.WriteString(",12345")
	}
	b.WriteString("]")
	b.WriteString(strings.Repeat("}", depth))
	return b.Bytes()
}

// A 1 MB reply nested thousands of levels deep, which json.Indent turns
// into hundreds of MiB, prints within a few MiB and a few KiB of output.
func TestIndentJSONBoundsMemory(t *testing.T) {
	body := nested(9000, 1<<20)
	if !json.Valid(body) {
		t.Fatal("the test document is not JSON")
	}
	var out countWriter
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	err := IndentJSON(&out, body, "    ", Limits{MaxDepth: 32, MaxBytes: 64 << 10})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 4<<20 {
		t.Errorf("IndentJSON allocated %d bytes for a 1 MB reply", alloc)
	}
	if out.n > 65<<10 {
		t.Errorf("IndentJSON wrote %d bytes past a 64 KiB cap", out.n)
	}
}

type countWriter struct{ n int }

func (c *countWriter) Write(b []byte) (int, error) { c.n += len(b); return len(b), nil }
