// Package jsontext scans JSON text: validity with encoding/json's verdict,
// raw members and elements of a valid document, and one reader that builds
// an order-preserving tree (key order and duplicate keys kept).
package jsontext

// Valid reports whether b is exactly one valid JSON value (RFC 8259),
// with the same verdict as encoding/json.Valid, in a single pass several
// times faster: replies and echoed configurations are validated at every
// nesting level they are read, on the hot path of load runs.
func Valid(b []byte) bool {
	i, ok := scanValue(b, skipSpace(b, 0), 0)
	return ok && skipSpace(b, i) == len(b)
}

// MaxDepth bounds nesting like encoding/json does (it refuses deeper input).
const MaxDepth = 10000

// scanValue checks the value at b[i:] and returns the index after it.
func scanValue(b []byte, i, depth int) (int, bool) {
	if i >= len(b) || depth > MaxDepth {
		return i, false
	}
	switch c := b[i]; {
	case c == '{':
		return scanObject(b, i, depth)
	case c == '[':
		return scanArray(b, i, depth)
	case c == '"':
		return scanString(b, i)
	case c == 't':
		return literal(b, i, "true")
	case c == 'f':
		return literal(b, i, "false")
	case c == 'n':
		return literal(b, i, "null")
	case c == '-' || c >= '0' && c <= '9':
		return scanNumber(b, i)
	}
	return i, false
}

// scanObject checks the object opening at b[i].
func scanObject(b []byte, i, depth int) (int, bool) {
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == '}' {
		return i + 1, true
	}
	for {
		if i >= len(b) || b[i] != '"' {
			return i, false
		}
		var ok bool
		if i, ok = scanString(b, i); !ok {
			return i, false
		}
		i = skipSpace(b, i)
		if i >= len(b) || b[i] != ':' {
			return i, false
		}
		if i, ok = scanValue(b, skipSpace(b, i+1), depth+1); !ok {
			return i, false
		}
		var more bool
		if i, more, ok = separator(b, i, '}'); !more {
			return i, ok
		}
	}
}

// scanArray checks the array opening at b[i].
func scanArray(b []byte, i, depth int) (int, bool) {
	i = skipSpace(b, i+1)
	if i < len(b) && b[i] == ']' {
		return i + 1, true
	}
	for {
		var ok, more bool
		if i, ok = scanValue(b, i, depth+1); !ok {
			return i, false
		}
		if i, more, ok = separator(b, i, ']'); !more {
			return i, ok
		}
	}
}

// separator reads what follows a member or element: a comma (more true,
// i past it and its space) or the closing byte (more false, ok true).
func separator(b []byte, i int, closing byte) (next int, more, ok bool) {
	i = skipSpace(b, i)
	switch {
	case i >= len(b):
		return i, false, false
	case b[i] == closing:
		return i + 1, false, true
	case b[i] != ',':
		return i, false, false
	}
	return skipSpace(b, i+1), true, true
}

func literal(b []byte, i int, lit string) (int, bool) {
	if len(b)-i >= len(lit) && string(b[i:i+len(lit)]) == lit {
		return i + len(lit), true
	}
	return i, false
}

// scanString checks the string starting at the quote b[i].
func scanString(b []byte, i int) (int, bool) {
	i++
	for {
		// Plain runs are skipped in a tight loop; only quotes, escapes and
		// control characters need a closer look.
		for i < len(b) {
			c := b[i]
			if c == '"' || c == '\\' || c < 0x20 {
				break
			}
			i++
		}
		if i >= len(b) || b[i] < 0x20 {
			return i, false
		}
		if b[i] == '"' {
			return i + 1, true
		}
		var ok bool
		if i, ok = scanEscape(b, i); !ok {
			return i, false
		}
	}
}

// scanEscape checks the escape sequence at the backslash b[i].
func scanEscape(b []byte, i int) (int, bool) {
	if i+1 >= len(b) {
		return i, false
	}
	switch b[i+1] {
	case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
		return i + 2, true
	case 'u':
		if i+6 > len(b) {
			return i, false
		}
		for _, h := range b[i+2 : i+6] {
			if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
				return i, false
			}
		}
		return i + 6, true
	}
	return i, false
}

// scanNumber checks the number starting at b[i].
func scanNumber(b []byte, i int) (int, bool) {
	if b[i] == '-' {
		i++
	}
	if i >= len(b) {
		return i, false
	}
	var ok bool
	if b[i] == '0' {
		i++
	} else if i, ok = digits(b, i); !ok {
		return i, false
	}
	if i < len(b) && b[i] == '.' {
		if i, ok = digits(b, i+1); !ok {
			return i, false
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		return digits(b, i)
	}
	return i, true
}

// digits skips a run of decimal digits; ok is false when there is none.
func digits(b []byte, i int) (int, bool) {
	s := i
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i, i > s
}

// skipSpace returns the index of the first non-space byte at or after i.
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
			continue
		}
		return i
	}
	return i
}
