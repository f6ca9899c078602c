package scenarios

import (
	"bytes"
	"testing"
)

func TestTerminalWriter(t *testing.T) {
	const step = "    Given a caller rings \x1b[1;30m# library.go:147 -> *state.callerRings\x1b[0m\n"
	cases := []struct {
		name             string
		color, locations bool
		in, want         string
	}{
		{"location left out", true, false, step, "    Given a caller rings\n"},
		{"location kept when asked", true, true, step, step},
		{"plain location left out", false, false, "    Then it passes # steps_end.go:12 -> *state.passes\n", "    Then it passes\n"},
		{"feature locations stay", false, false, "  Scenario: x # features/tools.feature:12\n", "  Scenario: x # features/tools.feature:12\n"},
		{"server text escaped", false, false, "      Error: reply \x1b]0;pwned\x07\r\u202e\n", "      Error: reply \\u001b]0;pwned\\u0007\\r\\u202e\n"},
		{"colours kept, the rest escaped", true, false, "\x1b[31mError: \x1b[2J\u009b\x1b[0m\n", "\x1b[31mError: \\u001b[2J\\u009b\x1b[0m\n"},
		{"progress mark", false, false, ".", "."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			w := forTerminal(&b, c.color, c.locations)
			n, err := w.Write([]byte(c.in))
			if err != nil || n != len(c.in) {
				t.Fatalf("Write = %d, %v", n, err)
			}
			if b.String() != c.want {
				t.Errorf("got %q, want %q", b.String(), c.want)
			}
			if c.color {
				return
			}
			// godog without colour writes a rune at a time.
			b.Reset()
			w = forTerminal(&b, c.color, c.locations)
			for _, r := range c.in {
				w.Write([]byte(string(r)))
			}
			if b.String() != c.want {
				t.Errorf("rune by rune: got %q, want %q", b.String(), c.want)
			}
		})
	}
}
