package jsontext

import (
	"bytes"
	"encoding/json"
	"errors"
)

// Builder makes one consumer's tree nodes while Parse reads a document, so
// every tree shape is read by the same reader.
type Builder[T any] interface {
	// Object gets the keys in document order, duplicates included, and
	// their values, parallel to keys.
	Object(keys []string, vals []T) T
	Array(elems []T) T
	String(s string) T
	// Number gets the number's text as it is written.
	Number(n string) T
	Bool(b bool) T
	Null() T
}

// ErrTooDeep is returned for a document nested deeper than Parse allows.
var ErrTooDeep = errors.New("JSON nested too deeply")

// ErrTrailing is returned for a JSON value followed by more than space.
var ErrTrailing = errors.New("unexpected data after the JSON value")

// Parse reads one JSON document into a tree made by b. A value nested
// deeper than maxDepth (the top level is 0) is ErrTooDeep; a document that
// is not valid JSON gets encoding/json's description of what is wrong.
func Parse[T any](data []byte, maxDepth int, b Builder[T]) (T, error) {
	if !Valid(data) {
		var zero T
		return zero, invalid(data)
	}
	r := reader[T]{data: data, max: maxDepth, b: b}
	v, _, err := r.value(skipSpace(data, 0), 0)
	return v, err
}

// invalid describes why data is not one valid JSON value.
func invalid(data []byte) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v any
	if err := dec.Decode(&v); err != nil {
		return err
	}
	return ErrTrailing
}

// reader builds a tree from a document already known to be valid.
type reader[T any] struct {
	data []byte
	max  int
	b    Builder[T]
}

// value reads the value at data[i] and returns the index after it.
func (r *reader[T]) value(i, depth int) (T, int, error) {
	if depth > r.max {
		var zero T
		return zero, i, ErrTooDeep
	}
	d := r.data
	switch d[i] {
	case '{':
		return r.object(i, depth)
	case '[':
		return r.array(i, depth)
	case '"':
		end := StringEnd(d, i) + 1
		return r.b.String(unquote(d[i:end])), end, nil
	case 't':
		return r.b.Bool(true), i + len("true"), nil
	case 'f':
		return r.b.Bool(false), i + len("false"), nil
	case 'n':
		return r.b.Null(), i + len("null"), nil
	}
	end := scalarEnd(d, i)
	return r.b.Number(string(d[i:end])), end, nil
}

// object reads the object opening at data[i].
func (r *reader[T]) object(i, depth int) (T, int, error) {
	d := r.data
	var keys []string
	var vals []T
	for i = skipSpace(d, i+1); d[i] != '}'; i = skipSpace(d, i) {
		if d[i] == ',' {
			i = skipSpace(d, i+1)
		}
		end := StringEnd(d, i)
		keys = append(keys, unquote(d[i:end+1]))
		v, next, err := r.value(skipSpace(d, skipSpace(d, end+1)+1), depth+1)
		if err != nil {
			return v, next, err
		}
		vals = append(vals, v)
		i = next
	}
	return r.b.Object(keys, vals), i + 1, nil
}

// array reads the array opening at data[i].
func (r *reader[T]) array(i, depth int) (T, int, error) {
	d := r.data
	var elems []T
	for i = skipSpace(d, i+1); d[i] != ']'; i = skipSpace(d, i) {
		if d[i] == ',' {
			i = skipSpace(d, i+1)
		}
		v, next, err := r.value(i, depth+1)
		if err != nil {
			return v, next, err
		}
		elems = append(elems, v)
		i = next
	}
	return r.b.Array(elems), i + 1, nil
}
