package realism

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"
)

// times are the moments and lengths one payload states, in any dialect's
// spelling (G3 snake_case, G2 camelCase, G1 flat, Interactly).
type times struct {
	event    time.Time // the event's own time (message.timestamp, eventTimestamp, eventTime)
	started  time.Time // started_at, startedAt, call.startAt
	ended    time.Time // ended_at, endedAt, call.endAt
	duration float64   // seconds; duration_seconds, durationSeconds, callLengthSeconds, call.assistantCallDuration (ms)
	hasDur   bool
	lines    []time.Time // transcript line times (messages[].timestamp)
	bad      []string    // time fields that do not parse, "key=value"
}

var (
	eventKeys    = []string{"timestamp", "eventTimestamp", "eventTime"}
	startedKeys  = []string{"started_at", "startedAt", "startAt"}
	endedKeys    = []string{"ended_at", "endedAt", "endAt"}
	durationKeys = []string{"duration_seconds", "durationSeconds", "callLengthSeconds"}
)

// readTimes reads the times of a request body; a body that is not a JSON
// object states none.
func readTimes(body []byte) times {
	var t times
	top := object(body)
	if top == nil {
		return t
	}
	// The levels a payload keeps its times at: the flat G1 body, the
	// message envelope and the call object inside it (Interactly).
	levels := []map[string]json.RawMessage{top}
	if m := object(top["message"]); m != nil {
		levels = append(levels, m)
		if c := object(m["call"]); c != nil {
			levels = append(levels, c)
		}
	}
	for _, l := range levels {
		t.event = t.first(l, eventKeys, t.event)
		t.started = t.first(l, startedKeys, t.started)
		t.ended = t.first(l, endedKeys, t.ended)
		t.readDuration(l)
	}
	for _, l := range levels[1:] {
		t.readLines(l["messages"])
	}
	return t
}

// first reads the first of keys present in l, unless cur is already set.
func (t *times) first(l map[string]json.RawMessage, keys []string, cur time.Time) time.Time {
	if !cur.IsZero() {
		return cur
	}
	for _, k := range keys {
		raw, ok := l[k]
		if !ok || string(raw) == "null" {
			continue
		}
		v, ok := parseTime(raw)
		if !ok {
			t.bad = append(t.bad, k+"="+string(raw))
			continue
		}
		return v
	}
	return cur
}

func (t *times) readDuration(l map[string]json.RawMessage) {
	if t.hasDur {
		return
	}
	for _, k := range durationKeys {
		if f, ok := number(l[k]); ok {
			t.duration, t.hasDur = f, true
			return
		}
	}
	if f, ok := number(l["assistantCallDuration"]); ok { // Interactly: milliseconds
		t.duration, t.hasDur = f/1000, true
	}
}

func (t *times) readLines(raw json.RawMessage) {
	var msgs []map[string]json.RawMessage
	if json.Unmarshal(raw, &msgs) != nil {
		return
	}
	for _, m := range msgs {
		raw, ok := m["timestamp"]
		if !ok {
			continue
		}
		if v, ok := parseTime(raw); ok {
			t.lines = append(t.lines, v)
		} else {
			t.bad = append(t.bad, "messages[].timestamp="+string(raw))
		}
	}
}

// parseTime reads an RFC 3339 string or a Unix time in milliseconds (G1,
// Interactly) or seconds (a number below 10^11).
func parseTime(raw json.RawMessage) (time.Time, bool) {
	if f, ok := number(raw); ok {
		if f < 1e11 {
			return time.Unix(0, int64(f*1e9)).UTC(), true
		}
		return time.UnixMilli(int64(f)).UTC(), true
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return time.Time{}, false
	}
	v, err := time.Parse(time.RFC3339Nano, s)
	return v, err == nil
}

func number(raw json.RawMessage) (float64, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || (raw[0] != '-' && (raw[0] < '0' || raw[0] > '9')) {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(raw), 64)
	return f, err == nil
}

func object(raw json.RawMessage) map[string]json.RawMessage {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return nil
	}
	return m
}
