package contract

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Problem is one way an answer does not fit its type.
type Problem struct {
	Path string // JSON path of the value, e.g. calls[0].updated_at; "" is the body
	Msg  string
}

func (p Problem) String() string {
	if p.Path == "" {
		return "(body): " + p.Msg
	}
	return p.Path + ": " + p.Msg
}

// Checker checks JSON answers against the mirrored types.
type Checker struct {
	// Later accepts the enum values the platform documents after SDK
	// v1.0.1 (the Later methods of the enum types).
	Later bool
}

// enum is a string union; later is optional.
type enum interface{ Values() []string }
type later interface{ Later() []string }
type numberEnum interface{ NumberValues() []float64 }

var (
	enumType       = reflect.TypeFor[enum]()
	numberEnumType = reflect.TypeFor[numberEnum]()
)

// Check checks body against the type called name (see Lookup). The error
// is for a name Lookup does not know or a body that is not JSON; problems
// are the ways a JSON body does not fit.
func (c Checker) Check(name string, body []byte) ([]Problem, error) {
	t, ok := Lookup(name)
	if !ok {
		return nil, fmt.Errorf("no type %q: use one of %s", name, strings.Join(Names(), ", "))
	}
	return c.CheckType(t, body)
}

// CheckType checks body against t, a type of this package.
func (c Checker) CheckType(t reflect.Type, body []byte) ([]Problem, error) {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("the body is not JSON: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("the body has more than one JSON value")
	}
	var out []Problem
	c.value(&out, "", t, v)
	return out, nil
}

// value checks v (not null) against t.
func (c Checker) value(out *[]Problem, path string, t reflect.Type, v any) {
	bad := func(format string, a ...any) { *out = append(*out, Problem{path, fmt.Sprintf(format, a...)}) }
	if v == nil {
		bad("is null, want %s", describe(t))
		return
	}
	if t.Implements(enumType) || t.Implements(numberEnumType) {
		c.enum(bad, t, v)
		return
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Float64, reflect.Int:
		if want, ok := scalar(t.Kind(), v); !ok {
			bad("is %s, want %s", jsonKind(v), want)
		}
	case reflect.Interface:
		// unknown: anything
	case reflect.Slice:
		c.array(out, bad, path, t, v)
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			bad("is %s, want object", jsonKind(v))
			return
		}
		if t.Elem().Kind() == reflect.Interface {
			return
		}
		for _, k := range sortedKeys(obj) {
			c.value(out, join(path, k), t.Elem(), obj[k])
		}
	case reflect.Struct:
		c.object(out, bad, path, t, v)
	default:
		bad("has no JSON mirror (Go kind %s)", t.Kind())
	}
}

// scalar reports whether v is a JSON value of the kind, and the kind's
// JSON name.
func scalar(k reflect.Kind, v any) (string, bool) {
	var ok bool
	switch k {
	case reflect.String:
		_, ok = v.(string)
		return "string", ok
	case reflect.Bool:
		_, ok = v.(bool)
		return "boolean", ok
	}
	_, ok = v.(json.Number)
	return "number", ok
}

func (c Checker) array(out *[]Problem, bad func(string, ...any), path string, t reflect.Type, v any) {
	arr, ok := v.([]any)
	if !ok {
		bad("is %s, want array of %s", jsonKind(v), describe(t.Elem()))
		return
	}
	for i, e := range arr {
		c.value(out, path+"["+strconv.Itoa(i)+"]", t.Elem(), e)
	}
}

// object checks the fields of a struct mirror: required ones present,
// null only where nullable; unknown fields are allowed.
func (c Checker) object(out *[]Problem, bad func(string, ...any), path string, t reflect.Type, v any) {
	obj, ok := v.(map[string]any)
	if !ok {
		bad("is %s, want object (%s)", jsonKind(v), typeName(t))
		return
	}
	for f := range fields(t) {
		fv, present := obj[f.name]
		p := join(path, f.name)
		switch {
		case !present && !f.optional:
			*out = append(*out, Problem{p, fmt.Sprintf("missing; %s requires it (%s)", typeName(t), describe(f.typ))})
		case !present:
		case fv == nil && f.nullable:
		default:
			c.value(out, p, f.typ, fv)
		}
	}
}

// enum checks a string or number union.
func (c Checker) enum(bad func(string, ...any), t reflect.Type, v any) {
	zero := reflect.Zero(t).Interface()
	if ne, ok := zero.(numberEnum); ok {
		n, isNum := v.(json.Number)
		f, err := n.Float64()
		if !isNum || err != nil || !slices.Contains(ne.NumberValues(), f) {
			bad("is %s, want one of %v", shown(v), ne.NumberValues())
		}
		return
	}
	set := zero.(enum).Values()
	if l, ok := zero.(later); ok && c.Later {
		set = append(slices.Clone(set), l.Later()...)
	}
	s, ok := v.(string)
	if !ok {
		bad("is %s, want string (%s)", jsonKind(v), quoted(set))
		return
	}
	if slices.Contains(set, s) {
		return
	}
	msg := fmt.Sprintf("is %q, want one of %s", s, quoted(set))
	if l, ok := zero.(later); ok && !c.Later && slices.Contains(l.Later(), s) {
		msg += " (documented after SDK v1.0.1)"
	}
	bad("%s", msg)
}

// field is one field of a struct mirror.
type field struct {
	name               string
	typ                reflect.Type
	optional, nullable bool
}

// fields yields the fields of a mirror as its tags declare them.
func fields(t reflect.Type) func(func(field) bool) {
	return func(yield func(field) bool) {
		for i := range t.NumField() {
			sf := t.Field(i)
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct {
				for f := range fields(sf.Type) { // an embedded mirror: its fields are this one's
					if !yield(f) {
						return
					}
				}
				continue
			}
			if name == "" || name == "-" {
				continue
			}
			f := field{name: name, typ: sf.Type}
			for opt := range strings.SplitSeq(sf.Tag.Get("sdk"), ",") {
				f.optional = f.optional || opt == "optional"
				f.nullable = f.nullable || opt == "nullable"
			}
			if !yield(f) {
				return
			}
		}
	}
}

// typeName is a struct mirror's name; an inline one is "the object".
func typeName(t reflect.Type) string {
	if t.Name() == "" {
		return "the object"
	}
	return t.Name()
}

// describe names a mirror type as the SDK would.
func describe(t reflect.Type) string {
	switch {
	case t.Implements(enumType):
		return "string (" + quoted(reflect.Zero(t).Interface().(enum).Values()) + ")"
	case t.Implements(numberEnumType):
		return fmt.Sprint("number ", reflect.Zero(t).Interface().(numberEnum).NumberValues())
	}
	switch t.Kind() {
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Float64, reflect.Int:
		return "number"
	case reflect.Slice:
		return "array of " + describe(t.Elem())
	case reflect.Map:
		return "object"
	case reflect.Struct:
		return "object (" + typeName(t) + ")"
	}
	return "any value"
}

func quoted(set []string) string {
	q := make([]string, len(set))
	for i, s := range set {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, " | ")
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number:
		return "a number"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

func shown(v any) string {
	if n, ok := v.(json.Number); ok {
		return n.String()
	}
	return jsonKind(v)
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
