package dialect

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/flireo-sim/flireo-sim/simulator/internal/jsontext"
)

// A reply is read as objects whose values stay raw JSON until they are
// needed: the hot path of every reply parsed under load.

// member is one key and value of a JSON object.
type member struct {
	key string
	val json.RawMessage
}

// object is a JSON object's members in document order.
type object []member

// get returns the value of the first of keys present (for a key that occurs
// twice, the last occurrence, as encoding/json would) and the key found.
// A null value counts as absent.
func (o object) get(keys ...string) (json.RawMessage, string, bool) {
	for _, k := range keys {
		for i := len(o) - 1; i >= 0; i-- {
			if o[i].key == k {
				if isNull(o[i].val) {
					break
				}
				return o[i].val, k, true
			}
		}
	}
	return nil, "", false
}

// has reports whether any of keys is present, even with a null value.
func (o object) has(keys ...string) bool {
	for _, m := range o {
		for _, k := range keys {
			if m.key == k {
				return true
			}
		}
	}
	return false
}

// value returns the last value of key, null included.
func (o object) value(key string) (json.RawMessage, bool) {
	for i := len(o) - 1; i >= 0; i-- {
		if o[i].key == key {
			return o[i].val, true
		}
	}
	return nil, false
}

// lastIndex is the index of key's last occurrence.
func (o object) lastIndex(key string) int {
	for i := len(o) - 1; i >= 0; i-- {
		if o[i].key == key {
			return i
		}
	}
	return -1
}

// parseObject splits a valid JSON object into its members.
func parseObject(raw []byte) (object, error) {
	if k := rawKind(raw); k != '{' {
		return nil, fmt.Errorf("want a JSON object, got %s", kindName(k))
	}
	if !jsontext.Valid(raw) {
		return nil, invalidObject(raw)
	}
	return splitObject(raw), nil
}

// splitObject splits an object already known to be valid JSON (a member or
// element value of a parsed object) by scanning, without decoding the values:
// the hot path of every reply parsed under load.
func splitObject(raw []byte) object {
	o := make(object, 0, 8)
	for k, v := range jsontext.Members(raw) {
		o = append(o, member{key: k, val: v})
	}
	return o
}

// invalidObject describes why raw (which starts like an object) is not
// valid JSON, in encoding/json's words.
func invalidObject(raw []byte) error {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return err
	}
	return errors.New("invalid JSON object")
}
