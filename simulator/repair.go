package simulator

import (
	"bytes"
	"fmt"
	"unicode/utf8"
)

// repairUTF8 makes a reply the platform reads valid UTF-8 the way the
// platform's JSON decoder does: each invalid byte sequence becomes U+FFFD.
// It returns what it did in words, or "" when the body was valid UTF-8 (and
// is left as it is). The repaired body is what the call goes on with.
func repairUTF8(r *Response) string {
	if utf8.Valid(r.Body) {
		return ""
	}
	first, n := -1, 0
	for i := 0; i < len(r.Body); {
		c, size := utf8.DecodeRune(r.Body[i:])
		if c == utf8.RuneError && size == 1 {
			if first < 0 {
				first = i
			}
			n++
		}
		i += size
	}
	r.Body = bytes.ToValidUTF8(r.Body, []byte("\uFFFD"))
	return fmt.Sprintf("the reply is not valid UTF-8 (%d invalid byte(s), the first at offset %d%s); the platform reads each invalid sequence as U+FFFD (�), and so does the simulated call: send UTF-8 (RFC 8259 §8.1)",
		n, first, near(r.Body, first))
}

// near quotes a little of the (repaired) body around offset i.
func near(b []byte, i int) string {
	from, to := max(0, i-16), min(len(b), i+16)
	for from > 0 && !utf8.RuneStart(b[from]) {
		from--
	}
	for to < len(b) && !utf8.RuneStart(b[to]) {
		to++
	}
	return fmt.Sprintf(", near %q", b[from:to])
}
