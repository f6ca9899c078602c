package termsafe

import (
	"bytes"
	"encoding/json"
	"testing"
)

func TestEscapes(t *testing.T) {
	cases := []struct {
		name, in, text, line string
	}{
		{"plain", "hello, wereld €", "hello, wereld €", "hello, wereld €"},
		{"empty", "", "", ""},
		{"window title", "\x1b]0;pwned\x07", `\u001b]0;pwned\u0007`, `\u001b]0;pwned\u0007`},
		{"clear screen", "\x1b[2J\x1b[H", `\u001b[2J\u001b[H`, `\u001b[2J\u001b[H`},
		{"carriage return", "ok\rFAIL", `ok\rFAIL`, `ok\rFAIL`},
		{"backspace", "pass\b\b\b\bfail", `pass\b\b\b\bfail`, `pass\b\b\b\bfail`},
		{"newline and tab", "a\n\tb", "a\n\tb", `a\n\tb`},
		{"DEL", "a\x7fb", `a\u007fb`, `a\u007fb`},
		{"C1 CSI", "a\u009b2Jb", `a\u009b2Jb`, `a\u009b2Jb`},
		{"raw 8-bit CSI", "a\x9b2J", `a\x9b2J`, `a\x9b2J`},
		{"bidi override", "abc\u202edcba", `abc\u202edcba`, `abc\u202edcba`},
		{"bidi isolate", "\u2066x\u2069", `\u2066x\u2069`, `\u2066x\u2069`},
		{"marks", "\u200e\u200f\u061c", `\u200e\u200f\u061c`, `\u200e\u200f\u061c`},
		{"line separator", "a\u2028b", `a\u2028b`, `a\u2028b`},
		{"NUL", "a\x00b", `a\u0000b`, `a\u0000b`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := Text(c.in); got != c.text {
				t.Errorf("Text(%q) = %q, want %q", c.in, got, c.text)
			}
			if got := Line(c.in); got != c.line {
				t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
			}
			if Safe(c.in) != (c.in == c.text) {
				t.Errorf("Safe(%q) = %v", c.in, Safe(c.in))
			}
			var b bytes.Buffer
			if err := Write(&b, []byte(c.in), true); err != nil || b.String() != c.text {
				t.Errorf("Write(%q) = %q, %v, want %q", c.in, b.String(), err, c.text)
			}
		})
	}
}

// An escaped JSON document is still JSON with the same data: the escapes
// are JSON's own.
func TestEscapedJSONStaysJSON(t *testing.T) {
	in := "{\"say\": \"hi\u202e\u0085\u2066 there\"}"
	out := Text(in)
	var a, b any
	if err := json.Unmarshal([]byte(in), &a); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(out), &b); err != nil {
		t.Fatalf("%s: %v", out, err)
	}
	if a.(map[string]any)["say"] != b.(map[string]any)["say"] {
		t.Errorf("%q became %q", a, b)
	}
}

func TestWriteKeepsLayoutOnlyWhenAsked(t *testing.T) {
	var b bytes.Buffer
	if err := Write(&b, []byte("a\nb\x1b"), false); err != nil {
		t.Fatal(err)
	}
	if got := b.String(); got != `a\nb\u001b` {
		t.Errorf("got %q", got)
	}
}
