package fake

import (
	"sync"
	"sync/atomic"
)

// schemaCache shares compiled schemas between the calls of a factory: under
// load every call declares the same tools, and a compiled schema is
// immutable. It holds at most schemaCacheMax schemas, so a server that
// personalises schemas per call cannot grow it without bound.
type schemaCache struct {
	m sync.Map // string(raw) → *schema (nil: not a valid schema)
	n atomic.Int64
}

const schemaCacheMax = 512

func (sc *schemaCache) get(raw []byte) (*schema, bool) {
	if sc == nil {
		return nil, false
	}
	v, ok := sc.m.Load(string(raw))
	if !ok {
		return nil, false
	}
	return v.(*schema), true
}

func (sc *schemaCache) put(raw []byte, s *schema) {
	if sc == nil || sc.n.Load() >= schemaCacheMax {
		return
	}
	if _, loaded := sc.m.LoadOrStore(string(raw), s); !loaded {
		sc.n.Add(1)
	}
}
