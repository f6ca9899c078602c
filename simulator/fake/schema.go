package fake

import (
	"encoding/json"
	"errors"
	"math"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/flireo-sim/flireo-sim/simulator/internal/jsontext"
)

// jv is a JSON value that keeps the order of object keys: schemas are read
// with it so generated arguments follow the schema's property order.
type jv struct {
	kind byte // 'o' object, 'a' array, 's' string, 'n' number, 'b' boolean, 'z' null
	str  string
	num  json.Number
	b    bool
	keys []string // object keys, in document order
	vals []*jv    // object values, parallel to keys
	arr  []*jv
}

// get returns the value of an object key, or nil.
func (v *jv) get(k string) *jv {
	if v == nil || v.kind != 'o' {
		return nil
	}
	for i, key := range v.keys {
		if key == k {
			return v.vals[i]
		}
	}
	return nil
}

// parseJSON reads one JSON document keeping key order.
func parseJSON(data []byte) (*jv, error) {
	return jsontext.Parse(data, maxDepth, jvBuilder{})
}

const maxDepth = 64

// jvBuilder makes jv values for jsontext.Parse.
type jvBuilder struct{}

func (jvBuilder) Object(keys []string, vals []*jv) *jv { return &jv{kind: 'o', keys: keys, vals: vals} }
func (jvBuilder) Array(elems []*jv) *jv                { return &jv{kind: 'a', arr: elems} }
func (jvBuilder) String(s string) *jv                  { return &jv{kind: 's', str: s} }
func (jvBuilder) Number(n string) *jv                  { return &jv{kind: 'n', num: json.Number(n)} }
func (jvBuilder) Bool(b bool) *jv                      { return &jv{kind: 'b', b: b} }
func (jvBuilder) Null() *jv                            { return &jv{kind: 'z'} }

// appendJV writes v as compact JSON.
func appendJV(dst []byte, v *jv) []byte {
	switch v.kind {
	case 'o':
		dst = append(dst, '{')
		for i, k := range v.keys {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendString(dst, k)
			dst = append(dst, ':')
			dst = appendJV(dst, v.vals[i])
		}
		return append(dst, '}')
	case 'a':
		dst = append(dst, '[')
		for i, x := range v.arr {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJV(dst, x)
		}
		return append(dst, ']')
	case 's':
		return appendString(dst, v.str)
	case 'n':
		return append(dst, v.num...)
	case 'b':
		return strconv.AppendBool(dst, v.b)
	}
	return append(dst, "null"...)
}

// appendString writes s as a JSON string, escaping only what JSON requires
// (so "Knip & Zo" stays readable).
func appendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

// schema is the part of a JSON Schema the generator honours.
type schema struct {
	types      []string // "type", as a list
	props      []prop   // "properties", in document order
	required   []string
	items      *schema
	enum       []*jv
	constV     *jv
	def        *jv
	format     string
	pattern    *regexp.Regexp
	patternSrc string
	min, max   float64 // NaN when unset
	exMin      bool    // min is exclusive
	exMax      bool
	multipleOf float64 // 0 when unset
	minLen     int     // -1 when unset
	maxLen     int
	minItems   int
	maxItems   int
	anyOf      []*schema // anyOf / oneOf branches
	hasObject  bool      // properties or required present
}

type prop struct {
	name string
	s    *schema
}

// compileSchema reads a JSON Schema document.
func compileSchema(data []byte) (*schema, error) {
	v, err := parseJSON(data)
	if err != nil {
		return nil, err
	}
	if v.kind != 'o' && v.kind != 'b' {
		return nil, errors.New("a schema must be an object")
	}
	return compile(v, 0), nil
}

func compile(v *jv, depth int) *schema {
	s := &schema{min: math.NaN(), max: math.NaN(), minLen: -1, maxLen: -1, minItems: -1, maxItems: -1}
	if v == nil || v.kind != 'o' || depth > maxDepth {
		return s
	}
	for i, k := range v.keys {
		x := v.vals[i]
		if !s.compileStructure(k, x, depth) && !s.compileBound(k, x) {
			s.compileValue(k, x)
		}
	}
	return s
}

// compileStructure reads a keyword about the shape of the value (type,
// properties, items, branches); false for other keywords.
func (s *schema) compileStructure(k string, x *jv, depth int) bool {
	switch k {
	case "type":
		s.types = appendTypes(s.types, x)
	case "properties":
		s.compileProperties(x, depth)
	case "required":
		s.compileRequired(x)
	case "items":
		s.compileItems(x, depth)
	case "anyOf", "oneOf":
		if x.kind == 'a' {
			for _, b := range x.arr {
				s.anyOf = append(s.anyOf, compile(b, depth+1))
			}
		}
	case "allOf":
		// Merge the branches' properties and constraints into this node.
		if x.kind == 'a' {
			for _, b := range x.arr {
				s.merge(compile(b, depth+1))
			}
		}
	default:
		return false
	}
	return true
}

// appendTypes adds the "type" keyword's names to types: a string replaces
// them, an array adds its strings, anything else leaves them.
func appendTypes(types []string, x *jv) []string {
	switch x.kind {
	case 's':
		return []string{x.str}
	case 'a':
		for _, t := range x.arr {
			if t.kind == 's' {
				types = append(types, t.str)
			}
		}
	}
	return types
}

func (s *schema) compileProperties(x *jv, depth int) {
	if x.kind != 'o' {
		return
	}
	s.hasObject = true
	for j, name := range x.keys {
		s.props = append(s.props, prop{name: name, s: compile(x.vals[j], depth+1)})
	}
}

func (s *schema) compileRequired(x *jv) {
	if x.kind != 'a' {
		return
	}
	s.hasObject = true
	for _, r := range x.arr {
		if r.kind == 's' {
			s.required = append(s.required, r.str)
		}
	}
}

func (s *schema) compileItems(x *jv, depth int) {
	switch x.kind {
	case 'o':
		s.items = compile(x, depth+1)
	case 'a': // tuple form: the first item's schema stands for all
		if len(x.arr) > 0 {
			s.items = compile(x.arr[0], depth+1)
		}
	}
}

// compileBound reads a numeric, length or item-count limit; false for other
// keywords.
func (s *schema) compileBound(k string, x *jv) bool {
	switch k {
	case "minimum":
		s.min = num(x, s.min)
	case "maximum":
		s.max = num(x, s.max)
	case "exclusiveMinimum":
		s.min, s.exMin = exclusive(x, s.min, s.exMin)
	case "exclusiveMaximum":
		s.max, s.exMax = exclusive(x, s.max, s.exMax)
	case "multipleOf":
		if m := num(x, 0); m > 0 {
			s.multipleOf = m
		}
	case "minLength":
		s.minLen = int(num(x, -1))
	case "maxLength":
		s.maxLen = int(num(x, -1))
	case "minItems":
		s.minItems = int(num(x, -1))
	case "maxItems":
		s.maxItems = int(num(x, -1))
	default:
		return false
	}
	return true
}

// exclusive reads exclusiveMinimum or exclusiveMaximum: a flag on the bound
// (draft 4) or the bound itself.
func exclusive(x *jv, bound float64, ex bool) (float64, bool) {
	switch x.kind {
	case 'b':
		return bound, x.b
	case 'n':
		return num(x, bound), true
	}
	return bound, ex
}

// compileValue reads a keyword about the value itself (enum, const, default,
// format, pattern); other keywords are ignored.
func (s *schema) compileValue(k string, x *jv) {
	switch k {
	case "enum":
		if x.kind == 'a' && len(x.arr) > 0 {
			s.enum = x.arr
		}
	case "const":
		s.constV = x
	case "default":
		s.def = x
	case "format":
		s.format = x.str
	case "pattern":
		if x.kind == 's' {
			if re, err := regexp.Compile(x.str); err == nil {
				s.pattern, s.patternSrc = re, x.str
			}
		}
	}
}

// merge lays an allOf branch over s (the branch fills what s leaves unset).
func (s *schema) merge(b *schema) {
	if len(s.types) == 0 {
		s.types = b.types
	}
	s.props = append(s.props, b.props...)
	s.required = append(s.required, b.required...)
	s.hasObject = s.hasObject || b.hasObject
	if s.items == nil {
		s.items = b.items
	}
	if s.enum == nil {
		s.enum = b.enum
	}
	if s.constV == nil {
		s.constV = b.constV
	}
	if s.format == "" {
		s.format = b.format
	}
	if s.pattern == nil {
		s.pattern, s.patternSrc = b.pattern, b.patternSrc
	}
	if math.IsNaN(s.min) {
		s.min, s.exMin = b.min, b.exMin
	}
	if math.IsNaN(s.max) {
		s.max, s.exMax = b.max, b.exMax
	}
	if s.minLen < 0 {
		s.minLen = b.minLen
	}
	if s.maxLen < 0 {
		s.maxLen = b.maxLen
	}
	if s.minItems < 0 {
		s.minItems = b.minItems
	}
	if s.maxItems < 0 {
		s.maxItems = b.maxItems
	}
}

func num(v *jv, def float64) float64 {
	if v == nil || v.kind != 'n' {
		return def
	}
	f, err := v.num.Float64()
	if err != nil {
		return def
	}
	return f
}

// typ is the JSON type to generate: the declared type (the first that is
// not null when there are several), else inferred from the keywords.
func (s *schema) typ() string {
	for _, t := range s.types {
		if t != "null" {
			return t
		}
	}
	if len(s.types) > 0 {
		return "null"
	}
	switch {
	case s.constV != nil:
		return jvType(s.constV)
	case len(s.enum) > 0:
		return jvType(s.enum[0])
	case s.hasObject:
		return "object"
	case s.items != nil || s.minItems >= 0 || s.maxItems >= 0:
		return "array"
	case !math.IsNaN(s.min) || !math.IsNaN(s.max):
		return "number"
	}
	return "string"
}

func jvType(v *jv) string {
	switch v.kind {
	case 'o':
		return "object"
	case 'a':
		return "array"
	case 'n':
		return "number"
	case 'b':
		return "boolean"
	case 'z':
		return "null"
	}
	return "string"
}

// isRequired reports whether the property name is required.
func (s *schema) isRequired(name string) bool {
	for _, r := range s.required {
		if r == name {
			return true
		}
	}
	return false
}
