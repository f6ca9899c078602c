package jsontext

import (
	"bytes"
	"encoding/json"
	"iter"
	"unicode/utf8"
)

// The functions below read JSON already known to be valid (see Valid):
// they find where values end without checking them again.

// StringEnd returns the index of the quote that closes the string literal
// opening at b[open].
func StringEnd(b []byte, open int) int {
	for i := open + 1; ; {
		k := bytes.IndexByte(b[i:], '"')
		if k < 0 {
			return len(b) - 1
		}
		i += k
		// the quote is escaped when an odd number of backslashes precede it
		n := 0
		for j := i - 1; j > open && b[j] == '\\'; j-- {
			n++
		}
		if n%2 == 0 {
			return i
		}
		i++
	}
}

// valueEnd returns the index just past the valid JSON value starting at i.
func valueEnd(b []byte, i int) int {
	switch b[i] {
	case '"':
		return StringEnd(b, i) + 1
	case '{', '[':
		return containerEnd(b, i)
	}
	return scalarEnd(b, i)
}

// containerEnd returns the index just past the object or array at b[i].
func containerEnd(b []byte, i int) int {
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '"':
			j = StringEnd(b, j)
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(b)
}

// scalarEnd returns the index just past the number or literal at b[i].
func scalarEnd(b []byte, i int) int {
	j := i
	for j < len(b) {
		switch b[j] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return j
		}
		j++
	}
	return j
}

// Members yields the keys and raw values of the valid JSON object raw in
// document order, duplicate keys included. A key without escapes is its
// bytes as they are.
func Members(raw []byte) iter.Seq2[string, []byte] {
	return func(yield func(string, []byte) bool) {
		i := skipSpace(raw, 0) + 1
		for {
			i = skipSpace(raw, i)
			switch raw[i] {
			case '}':
				return
			case ',':
				i++
				continue
			}
			end := StringEnd(raw, i)
			key := objectKey(raw[i : end+1])
			i = skipSpace(raw, skipSpace(raw, end+1)+1) // past the colon
			vend := valueEnd(raw, i)
			if !yield(key, raw[i:vend:vend]) {
				return
			}
			i = vend
		}
	}
}

// Elements yields the raw elements of the valid JSON array raw in order.
func Elements(raw []byte) iter.Seq[[]byte] {
	return func(yield func([]byte) bool) {
		i := skipSpace(raw, 0) + 1
		for {
			i = skipSpace(raw, i)
			if i >= len(raw) || raw[i] == ']' {
				return
			}
			if raw[i] == ',' {
				i++
				continue
			}
			end := valueEnd(raw, i)
			if !yield(raw[i:end:end]) {
				return
			}
			i = end
		}
	}
}

// objectKey decodes a key literal; without escapes it is its bytes.
func objectKey(lit []byte) string {
	if bytes.IndexByte(lit, '\\') < 0 {
		return string(lit[1 : len(lit)-1])
	}
	return unquote(lit)
}

// unquote decodes the valid JSON string literal lit (quotes included).
// Invalid UTF-8 becomes U+FFFD, as encoding/json decodes it.
func unquote(lit []byte) string {
	body := lit[1 : len(lit)-1]
	if bytes.IndexByte(body, '\\') < 0 && utf8.Valid(body) {
		return string(body)
	}
	var s string
	_ = json.Unmarshal(lit, &s) // a valid JSON string
	return s
}
