package dialect

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/flireo-sim/flireo-sim/simulator/internal/jsontext"
)

// parser collects problems and unknown keys while reading a reply.
type parser struct {
	problems []string
	unknown  []string
}

func (ps *parser) problem(format string, args ...any) {
	ps.problems = append(ps.problems, fmt.Sprintf(format, args...))
}

// checkKeys reports the members of o that known does not list.
func (ps *parser) checkKeys(path string, o object, known []string) {
	for _, m := range o {
		if !isKnown(m.key, known) {
			ps.unknown = append(ps.unknown, unknownKey(path, m.key, known))
		}
	}
}

// str reads a string member in any of its spellings.
func (ps *parser) str(o object, path string, keys ...string) (string, bool) {
	raw, key, ok := o.get(keys...)
	if !ok {
		return "", false
	}
	// Values of a parsed object are valid JSON: a string without escapes is
	// its bytes between the quotes.
	if len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"' && bytes.IndexByte(raw, '\\') < 0 && utf8.Valid(raw) {
		return string(raw[1 : len(raw)-1]), true
	}
	var s string
	if rawKind(raw) != '"' || json.Unmarshal(raw, &s) != nil {
		ps.problem("%s%s must be a string, got %s; the platform ignores it", path, key, kindName(rawKind(raw)))
		return "", false
	}
	return s, true
}

// boolean reads a boolean member.
func (ps *parser) boolean(o object, path string, keys ...string) (bool, bool) {
	raw, key, ok := o.get(keys...)
	if !ok {
		return false, false
	}
	switch string(raw) {
	case "true":
		return true, true
	case "false":
		return false, true
	}
	ps.problem("%s%s must be true or false, got %s", path, key, kindName(rawKind(raw)))
	return false, false
}

// obj reads an object member.
func (ps *parser) obj(o object, path string, keys ...string) (object, json.RawMessage, string, bool) {
	raw, key, ok := o.get(keys...)
	if !ok {
		return nil, nil, "", false
	}
	// Members of a parsed object are valid JSON already.
	if rawKind(raw) != '{' {
		ps.problem("%s%s must be a JSON object, got %s", path, key, kindName(rawKind(raw)))
		return nil, nil, "", false
	}
	return splitObject(raw), raw, key, true
}

// seconds reads a positive number of seconds as a duration.
func (ps *parser) seconds(o object, path string, keys ...string) (time.Duration, bool) {
	raw, key, ok := o.get(keys...)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	if rawKind(raw) == '"' || err != nil {
		ps.problem("%s%s must be a number of seconds, got %s", path, key, kindName(rawKind(raw)))
		return 0, false
	}
	if f <= 0 || f > math.MaxInt64/float64(time.Second) {
		ps.problem("%s%s must be a positive number of seconds, got %s", path, key, raw)
		return 0, false
	}
	return time.Duration(f * float64(time.Second)), true
}

// topObject validates a reply body and splits its top-level object.
func (ps *parser) topObject(body []byte, what, want string) (object, bool) {
	if len(bytes.TrimSpace(body)) == 0 {
		ps.problem("the %s body is empty; send %s", what, want)
		return nil, false
	}
	if !jsontext.Valid(body) {
		ps.problem("the %s is not valid JSON (%.40q...); send %s", what, body, want)
		return nil, false
	}
	if rawKind(body) != '{' {
		ps.problem("the %s is %s, not a JSON object; send %s", what, kindName(rawKind(body)), want)
		return nil, false
	}
	return splitObject(body), true
}

// errorText reads an error value: a string, else the raw JSON with a problem.
func (ps *parser) errorText(raw json.RawMessage, path string) string {
	var s string
	if rawKind(raw) == '"' && json.Unmarshal(raw, &s) == nil {
		return s
	}
	ps.problem("%s must be a string describing the failure, got %s", path, kindName(rawKind(raw)))
	return string(compactRaw(raw))
}
