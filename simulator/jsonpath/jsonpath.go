// Package jsonpath reads and sets values in JSON documents by dotted path
// ("message.call.id", "results.0.result"), keeping key order.
package jsonpath

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator/internal/jsontext"
)

// node is a JSON value that keeps object key order.
type node struct {
	keys []string
	obj  map[string]*node
	arr  []*node
	raw  json.RawMessage // scalars
	kind byte            // '{', '[' or 0 for scalars
}

// parse reads a document; a key that occurs twice keeps its first place
// and its last value, as encoding/json would decode it.
func parse(data []byte) (*node, error) {
	return jsontext.Parse(data, jsontext.MaxDepth, builder{})
}

// builder makes nodes for jsontext.Parse.
type builder struct{}

func (builder) Object(keys []string, vals []*node) *node {
	n := &node{kind: '{', obj: make(map[string]*node, len(keys))}
	for i, k := range keys {
		if _, dup := n.obj[k]; !dup {
			n.keys = append(n.keys, k)
		}
		n.obj[k] = vals[i]
	}
	return n
}

func (builder) Array(elems []*node) *node { return &node{kind: '[', arr: elems} }
func (builder) String(s string) *node     { return &node{raw: marshal(s)} }
func (builder) Number(n string) *node     { return &node{raw: json.RawMessage(n)} }
func (builder) Bool(b bool) *node         { return &node{raw: marshal(b)} }
func (builder) Null() *node               { return &node{raw: json.RawMessage("null")} }

func (n *node) write(b *bytes.Buffer) {
	switch n.kind {
	case '{':
		b.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				b.WriteByte(',')
			}
			b.Write(marshal(k))
			b.WriteByte(':')
			n.obj[k].write(b)
		}
		b.WriteByte('}')
	case '[':
		b.WriteByte('[')
		for i, v := range n.arr {
			if i > 0 {
				b.WriteByte(',')
			}
			v.write(b)
		}
		b.WriteByte(']')
	default:
		b.Write(n.raw)
	}
}

// walk follows path and returns the node, or an error naming where it stopped.
func (n *node) walk(parts []string) (*node, error) {
	cur := n
	for i, p := range parts {
		where := strings.Join(parts[:i], ".")
		if where == "" {
			where = "the top level"
		}
		switch cur.kind {
		case '{':
			next, ok := cur.obj[p]
			if !ok {
				keys := append([]string(nil), cur.keys...)
				sort.Strings(keys)
				return nil, fmt.Errorf("no key %q at %s (keys there: %s)", p, where, strings.Join(keys, ", "))
			}
			cur = next
		case '[':
			idx, err := strconv.Atoi(p)
			if err != nil || idx < 0 || idx >= len(cur.arr) {
				return nil, fmt.Errorf("%q is not an index of the array at %s (it has %d elements)", p, where, len(cur.arr))
			}
			cur = cur.arr[idx]
		default:
			return nil, fmt.Errorf("%s is not an object or array, so it has no %q", where, p)
		}
	}
	return cur, nil
}

func split(path string) []string {
	if path == "" || path == "." {
		return nil
	}
	return strings.Split(path, ".")
}

// Get returns the compact JSON value at path.
func Get(doc []byte, path string) (json.RawMessage, error) {
	root, err := parse(doc)
	if err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	n, err := root.walk(split(path))
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	n.write(&b)
	return b.Bytes(), nil
}

// Set replaces the value at an existing path with value (JSON) and returns
// the compact document, keys in their original order.
func Set(doc []byte, path string, value json.RawMessage) ([]byte, error) {
	root, err := parse(doc)
	if err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	parts := split(path)
	if len(parts) == 0 {
		return nil, fmt.Errorf("empty path: name a key such as message.call.id")
	}
	target, err := root.walk(parts)
	if err != nil {
		return nil, err
	}
	v, err := parse(value)
	if err != nil {
		return nil, fmt.Errorf("value for %s is not JSON: %v", path, err)
	}
	*target = *v
	var b bytes.Buffer
	root.write(&b)
	return b.Bytes(), nil
}

// Value turns a command-line value into JSON: valid JSON stays as it is
// (numbers, true, null, objects, quoted strings), anything else is a string.
func Value(s string) json.RawMessage {
	if jsontext.Valid([]byte(s)) {
		return json.RawMessage(s)
	}
	return marshal(s)
}

// marshal encodes a scalar without HTML escaping.
func marshal(v any) []byte {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
	return bytes.TrimRight(b.Bytes(), "\n")
}
