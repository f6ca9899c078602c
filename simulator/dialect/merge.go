package dialect

import (
	"encoding/json"
)

// mergeObjects lays the object over on top of base and returns the compact
// result: keys of base keep their order, keys only in over follow in theirs.
// With deep true, members that are objects on both sides merge recursively
// (partial override); otherwise each key of over replaces base's value
// (shallow merge). A base that is not an object is replaced.
func mergeObjects(base, over json.RawMessage, deep bool) json.RawMessage {
	bo, err := parseObject(base)
	if isNull(base) || err != nil {
		return compactRaw(over)
	}
	oo, err := parseObject(over)
	if err != nil {
		return compactRaw(over)
	}
	out := []byte{'{'}
	n := 0
	write := func(k string, v []byte) {
		if n > 0 {
			out = append(out, ',')
		}
		n++
		out = appendString(out, k)
		out = append(out, ':')
		out = appendCompact(out, v)
	}
	for i, m := range bo {
		if bo.lastIndex(m.key) != i {
			continue
		}
		if ov, ok := oo.value(m.key); ok {
			if deep && rawKind(ov) == '{' && rawKind(m.val) == '{' {
				write(m.key, mergeObjects(m.val, ov, true))
			} else {
				write(m.key, ov)
			}
			continue
		}
		write(m.key, m.val)
	}
	for i, m := range oo {
		if oo.lastIndex(m.key) != i {
			continue
		}
		if _, ok := bo.value(m.key); !ok {
			write(m.key, m.val)
		}
	}
	return append(out, '}')
}
