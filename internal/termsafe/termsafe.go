// Package termsafe makes text that came from a server safe to print on a
// terminal: control characters (ESC, BEL, CR, backspace, C1 controls),
// bidirectional overrides and bytes that are not UTF-8 are written as
// visible escapes, so that a reply can neither move the cursor, clear the
// screen, retitle the window nor reorder what the terminal shows.
//
// The escapes are those of a JSON string (\r, \b, \u001b, \u202e) and \xNN
// for a byte that is not UTF-8, so that JSON printed through termsafe stays
// JSON. Files meant for programs (JSON, JUnit, HTML reports) keep the data
// and never go through this package.
package termsafe

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// Text escapes s for a terminal and keeps its newlines and tabs: for a
// block of text laid out in lines.
func Text(s string) string { return escape(s, true) }

// Line escapes s for a terminal, newlines and tabs too: for a value shown
// within one line.
func Line(s string) string { return escape(s, false) }

// Safe reports whether s prints as it is (Text(s) == s).
func Safe(s string) bool { return safeUpTo(s, true) == len(s) }

func escape(s string, layout bool) string {
	i := safeUpTo(s, layout)
	if i == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	b.WriteString(s[:i])
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size, layout) {
			writeEscape(&b, s[i], r, size)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// safeUpTo is the length of the longest prefix of s that prints as it is.
func safeUpTo(s string, layout bool) int {
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7f {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if needsEscape(r, size, layout) {
			return i
		}
		i += size
	}
	return len(s)
}

// Write writes b to w escaped for a terminal; layout keeps newlines and
// tabs. It writes the safe runs of b as they are, without copying b.
func Write(w io.Writer, b []byte, layout bool) error {
	start := 0
	var esc strings.Builder
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if b[i] >= 0x20 && b[i] < 0x7f || !needsEscape(r, size, layout) {
			i += size
			continue
		}
		esc.Reset()
		writeEscape(&esc, b[i], r, size)
		if _, err := w.Write(b[start:i]); err != nil {
			return err
		}
		if _, err := io.WriteString(w, esc.String()); err != nil {
			return err
		}
		i += size
		start = i
	}
	_, err := w.Write(b[start:])
	return err
}

// needsEscape says whether the rune r, encoded in size bytes, must not
// reach a terminal as it is.
func needsEscape(r rune, size int, layout bool) bool {
	switch {
	case r == utf8.RuneError && size == 1:
		return true // not UTF-8: a lone byte may be an 8-bit control
	case r == '\n' || r == '\t':
		return !layout
	case r < 0x20 || r >= 0x7f && r <= 0x9f:
		return true // C0, DEL, C1
	}
	return bidiControl(r)
}

// bidiControl says whether r changes the direction of the text around it
// (marks, embeddings, overrides, isolates) or separates lines or
// paragraphs.
func bidiControl(r rune) bool {
	switch {
	case r == 0x061c, r == 0x200e, r == 0x200f:
		return true
	case r >= 0x202a && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	case r == 0x2028, r == 0x2029:
		return true
	}
	return false
}

// named are the short escapes of JSON for some control characters.
var named = map[rune]string{'\b': `\b`, '\f': `\f`, '\n': `\n`, '\r': `\r`, '\t': `\t`}

func writeEscape(b *strings.Builder, first byte, r rune, size int) {
	if r == utf8.RuneError && size == 1 {
		fmt.Fprintf(b, `\x%02x`, first)
		return
	}
	if n, ok := named[r]; ok {
		b.WriteString(n)
		return
	}
	fmt.Fprintf(b, `\u%04x`, r)
}
