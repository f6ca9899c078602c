package dialect

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/flireo-sim/flireo-sim/simulator/internal/jsontext"
)

// This file is the package's append-based JSON writer. Rendering appends to a
// caller's buffer without reflection so that an end-of-call-report costs a few
// microseconds and almost no allocations.

const hexDigits = "0123456789abcdef"

// safeASCII marks the bytes appendString copies as they are: printable
// ASCII other than '"' and '\\'.
var safeASCII = func() (t [256]bool) {
	for b := 0x20; b < utf8.RuneSelf; b++ {
		t[b] = b != '"' && b != '\\'
	}
	return t
}()

// appendString appends s as a JSON string: quotes, backslashes and control
// characters are escaped (RFC 8259), invalid UTF-8 becomes \ufffd, U+2028 and
// U+2029 are escaped for JavaScript consumers, and everything else (Dutch
// diacritics, emoji, '<', '&') is written as UTF-8. The output equals
// encoding/json's with HTML escaping off.
func appendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if safeASCII[b] {
			i++
			continue
		}
		if b < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch b {
			case '"', '\\':
				dst = append(dst, '\\', b)
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendStringOrNull appends s, or null when s is empty.
func appendStringOrNull(dst []byte, s string) []byte {
	if s == "" {
		return append(dst, "null"...)
	}
	return appendString(dst, s)
}

// appendFloat appends f in the shortest representation that round-trips, in
// the same format encoding/json uses. NaN and infinities are not JSON.
func appendFloat(dst []byte, f float64) ([]byte, error) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return dst, fmt.Errorf("cannot render %v: JSON has no NaN or infinity; check the generated usage figures", f)
	}
	abs := math.Abs(f)
	format := byte('f')
	if abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	n := len(dst)
	dst = strconv.AppendFloat(dst, f, format, -1, 64)
	if format == 'e' {
		// clean up e-09 to e-9, as encoding/json does
		m := len(dst) - n
		if m >= 4 && dst[len(dst)-4] == 'e' && dst[len(dst)-3] == '-' && dst[len(dst)-2] == '0' {
			dst[len(dst)-2] = dst[len(dst)-1]
			dst = dst[:len(dst)-1]
		}
	}
	return dst, nil
}

// isoLayout is the G2/G3 timestamp format: ISO-8601 UTC with milliseconds.
const isoLayout = "2006-01-02T15:04:05.000Z"

// appendISO appends t as a JSON string in UTC with milliseconds.
func appendISO(dst []byte, t time.Time) []byte {
	dst = append(dst, '"')
	dst = t.UTC().AppendFormat(dst, isoLayout)
	return append(dst, '"')
}

// appendMillis appends t as a Unix epoch in milliseconds (G1, Interactly).
func appendMillis(dst []byte, t time.Time) []byte {
	return strconv.AppendInt(dst, t.UnixMilli(), 10)
}

// errInvalidRaw says a json.RawMessage handed to the renderer is not JSON.
var errInvalidRaw = errors.New("not valid JSON")

// rawKind is the first significant byte of a raw JSON value, 0 if none.
func rawKind(raw []byte) byte {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		return c
	}
	return 0
}

// isNull reports whether raw is absent or the JSON literal null.
func isNull(raw []byte) bool {
	return len(raw) == 0 || string(bytes.TrimSpace(raw)) == "null"
}

// appendRaw appends a raw JSON value after checking that it is valid UTF-8
// JSON, compacting it when it carries insignificant white space. what names
// the value in the error. Invalid input is never written.
func appendRaw(dst []byte, raw json.RawMessage, what string) ([]byte, error) {
	if !jsontext.Valid(raw) {
		return dst, fmt.Errorf("%s is %w: %.60q; fix the value handed to the renderer", what, errInvalidRaw, raw)
	}
	if !utf8.Valid(raw) {
		return dst, fmt.Errorf("%s contains invalid UTF-8; JSON text must be UTF-8", what)
	}
	return appendCompact(dst, raw), nil
}

// appendRawObject is appendRaw for values that must be JSON objects.
func appendRawObject(dst []byte, raw json.RawMessage, what string) ([]byte, error) {
	if k := rawKind(raw); k != '{' {
		return dst, fmt.Errorf("%s must be a JSON object, got %s", what, kindName(k))
	}
	return appendRaw(dst, raw, what)
}

// appendCompact appends valid JSON with the white space outside strings
// removed. String literals are copied in one piece.
func appendCompact(dst, src []byte) []byte {
	start := 0
	for i := 0; i < len(src); i++ {
		switch src[i] {
		case '"':
			i = jsontext.StringEnd(src, i)
		case ' ', '\t', '\n', '\r':
			dst = append(dst, src[start:i]...)
			start = i + 1
		}
	}
	return append(dst, src[start:]...)
}

// compactRaw returns a compact copy of valid JSON.
func compactRaw(raw []byte) json.RawMessage {
	return json.RawMessage(appendCompact(make([]byte, 0, len(raw)), raw))
}

// kindName names a JSON value by its first byte, for error messages.
func kindName(k byte) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case 0:
		return "nothing"
	default:
		return "a number"
	}
}
