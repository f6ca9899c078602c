package dialect

import (
	"bytes"
	"sync"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// rawMemo remembers large raw JSON values that were already validated and
// compacted. The assistant echo goes into every event of a call (and, under
// load, is the same for thousands of calls): it is checked once, then copied.
// Keyed by content, bounded.
type rawMemo struct {
	mu sync.RWMutex
	m  map[string][]byte
}

const (
	rawMemoMin = 512 // smaller values are cheaper to check than to look up
	rawMemoMax = 256 // distinct values kept
)

// appendObject is appendRawObject through the memo.
func (r *rawMemo) appendObject(dst []byte, raw []byte, what string) ([]byte, error) {
	if len(raw) < rawMemoMin || r.m == nil {
		return appendRawObject(dst, raw, what)
	}
	r.mu.RLock()
	done, ok := r.m[string(raw)]
	r.mu.RUnlock()
	if ok {
		return append(dst, done...), nil
	}
	start := len(dst)
	dst, err := appendRawObject(dst, raw, what)
	if err != nil {
		return dst, err
	}
	r.mu.Lock()
	if len(r.m) < rawMemoMax {
		r.m[string(raw)] = append([]byte(nil), dst[start:]...)
	}
	r.mu.Unlock()
	return dst, nil
}

// replyMemo remembers parsed assistant-request replies by content. Under
// load a server answers thousands of calls with the same configuration;
// parsing it (tools, schemas, analysis plan) once is enough. Bounded; small
// replies are parsed every time, which is as cheap as a lookup.
//
// Callers get fresh AssistantReply and AssistantConfig structs whose
// slices and raw values are shared: the engine only reads them.
type replyMemo struct {
	mu sync.RWMutex
	m  map[string][]memoReply // one per default (the caller's language, say)
}

// memoDefaults bounds the defaults remembered per reply.
const memoDefaults = 4

type memoReply struct {
	def simulator.AssistantConfig // the default the reply was resolved over
	rep simulator.AssistantReply
	cfg simulator.AssistantConfig
}

func (r *replyMemo) get(body []byte, def *simulator.AssistantConfig) (*simulator.AssistantReply, *simulator.AssistantConfig, bool) {
	if len(body) < rawMemoMin || r.m == nil {
		return nil, nil, false
	}
	r.mu.RLock()
	defer r.mu.RUnlock()
	for i := range r.m[string(body)] {
		if e := &r.m[string(body)][i]; sameDefault(&e.def, def) {
			rep, cfg := e.rep, e.cfg
			return &rep, &cfg, true
		}
	}
	return nil, nil, false
}

func (r *replyMemo) put(body []byte, def *simulator.AssistantConfig, rep *simulator.AssistantReply, cfg *simulator.AssistantConfig) {
	if len(body) < rawMemoMin || r.m == nil || def == nil || !memoizable(def) {
		return
	}
	e := memoReply{def: *def, rep: *rep, cfg: *cfg}
	// The copies share slices with what the caller got: clone the values a
	// caller could write into.
	e.cfg.Tools = append([]simulator.Tool(nil), cfg.Tools...)
	r.mu.Lock()
	if list, ok := r.m[string(body)]; ok && len(list) < memoDefaults {
		r.m[string(body)] = append(list, e)
	} else if !ok && len(r.m) < rawMemoMax {
		r.m[string(body)] = []memoReply{e}
	}
	r.mu.Unlock()
}

// memoizable: defaults without tools or an analysis plan are compared by
// value (a saved agent file with tools is parsed each time).
func memoizable(def *simulator.AssistantConfig) bool {
	return len(def.Tools) == 0 && def.Analysis == nil
}

// sameDefault compares a remembered default with def by value.
func sameDefault(a, b *simulator.AssistantConfig) bool {
	return b != nil && memoizable(b) &&
		a.AssistantID == b.AssistantID && a.FirstMessage == b.FirstMessage &&
		a.EndCallMessage == b.EndCallMessage && a.Voicemail == b.Voicemail &&
		a.MaxDuration == b.MaxDuration &&
		bytes.Equal(a.Metadata, b.Metadata) && bytes.Equal(a.Echo, b.Echo)
}
