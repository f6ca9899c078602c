package scenarios

import (
	"bytes"
	"testing"
)

// A compact line quotes the server's text escaped, on one line (a CR is
// whitespace, a space like a newline).
func TestCompactLineEscapesTheCause(t *testing.T) {
	r := &record{Name: "a reply", Status: StatusFail, Error: "reply was \x1b]0;pwned\x07\x1b[2J\r\u202eevil\nnext"}
	var b bytes.Buffer
	writeLine(&b, r, false)
	want := "✗ a reply (reply was \\u001b]0;pwned\\u0007\\u001b[2J \\u202eevil next)\n"
	if b.String() != want {
		t.Errorf("got %q, want %q", b.String(), want)
	}
}
