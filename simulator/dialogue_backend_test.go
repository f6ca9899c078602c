package simulator_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"
)

// shapeBackend is a small webhook server written in one of several shapes
// (offers as a sentence, as ISO date-times, as objects; ids under other
// names). Like a strict real backend it books only a time it offered in the
// same call and, when its lookup returned a customer id, only with that id.
// It records every violation.
type shapeBackend struct {
	shape shape
	mu    sync.Mutex
	calls map[string]*backendCall
}

type backendCall struct {
	offered    map[string]bool // "2006-01-02 15:04"
	customerID string          // the id the lookup returned ("" before)
	bookings   int
	violations []string
}

// shape is how one backend speaks.
type shape struct {
	name        string
	bookParams  string                                     // JSON Schema of the booking tool
	offer       func(day time.Time, times []string) any    // availability result
	bookingAt   func(args map[string]any) (string, bool)   // "2006-01-02 15:04" the booking asks for
	lookup      func(query string) (result any, id string) // lookup result and the id it returns
	idArg       string                                     // the booking argument that carries the id
	refuseFirst bool                                       // the first booking is refused even when offered
	refuse      func(at, why string) any                   // a refusal; nil: {"success": false, "message": why}
}

var offerTimes = []string{"09:15", "11:45", "15:30"}

func isoAt(day time.Time, hhmm string) string {
	off := "+01:00"
	if m := day.Month(); m >= time.April && m <= time.October {
		off = "+02:00"
	}
	return day.Format(time.DateOnly) + "T" + hhmm + ":00" + off
}

var shapes = []shape{
	{
		name:       "sentence",
		bookParams: `{"type":"object","properties":{"naam":{"type":"string"},"klantnummer":{"type":"string"},"datum":{"type":"string","format":"date"},"tijd":{"type":"string","format":"time"}},"required":["naam","datum","tijd"]}`,
		offer: func(day time.Time, times []string) any {
			return "Vrij op " + day.Format(time.DateOnly) + ": " + strings.Join(times[:len(times)-1], ", ") + " en " + times[len(times)-1]
		},
		bookingAt: func(a map[string]any) (string, bool) { return str(a["datum"]) + " " + hhmm(str(a["tijd"])), true },
		lookup: func(q string) (any, string) {
			if !strings.Contains(q, "@") {
				return map[string]any{"found": false}, "" // found only by e-mail address
			}
			return map[string]any{"found": true, "klant": map[string]any{"klantnummer": "K-5521"}}, "K-5521"
		},
		idArg: "klantnummer",
	},
	{
		name:       "iso",
		bookParams: `{"type":"object","properties":{"customer_id":{"type":"integer"},"start":{"type":"string","format":"date-time"}},"required":["start"]}`,
		offer: func(day time.Time, times []string) any {
			var out []string
			for _, t := range times {
				out = append(out, isoAt(day, t))
			}
			return map[string]any{"available_slots": out}
		},
		bookingAt: func(a map[string]any) (string, bool) {
			t, err := time.Parse(time.RFC3339, str(a["start"]))
			return t.Format("2006-01-02 15:04"), err == nil
		},
		lookup: func(string) (any, string) { return map[string]any{"customer_id": 88123, "name": "bekend"}, "88123" },
		idArg:  "customer_id",
	},
	{
		name:       "objects",
		bookParams: `{"type":"object","properties":{"contact_id":{"type":"string"},"date":{"type":"string","format":"date"},"time":{"type":"string"}},"required":["date","time"]}`,
		offer: func(day time.Time, times []string) any {
			var out []any
			for _, t := range times {
				out = append(out, map[string]any{"date": day.Format(time.DateOnly), "time": t, "duration": 30})
			}
			return map[string]any{"options": out}
		},
		bookingAt: func(a map[string]any) (string, bool) { return str(a["date"]) + " " + hhmm(str(a["time"])), true },
		lookup: func(string) (any, string) {
			return map[string]any{"contact": map[string]any{"id": "c_77", "email": "x@example.nl"}}, "c_77"
		},
		idArg:       "contact_id",
		refuseFirst: true,
	},
	{
		name:       "spoken",
		bookParams: `{"type":"object","properties":{"name":{"type":"string"},"date":{"type":"string","format":"date"},"time":{"type":"string","format":"time"}},"required":["name","date","time"]}`,
		offer: func(day time.Time, times []string) any {
			return map[string]any{"message": "We have " + day.Format("Monday 2 January") + " at " + strings.Join(times, ", ") + "."}
		},
		bookingAt: func(a map[string]any) (string, bool) { return str(a["date"]) + " " + hhmm(str(a["time"])), true },
		lookup:    func(string) (any, string) { return "No customer found.", "" },
		refuse: func(at, why string) any {
			return map[string]any{"status": "rejected", "date": at[:10], "time": at[11:], "reason": why}
		},
	},
}

func str(v any) string {
	if v == nil {
		return ""
	}
	if s, ok := v.(string); ok {
		return s
	}
	return fmt.Sprint(v)
}

func hhmm(s string) string {
	if len(s) >= 5 {
		return s[:5]
	}
	return s
}

func newShapeBackend(s shape) *shapeBackend {
	return &shapeBackend{shape: s, calls: map[string]*backendCall{}}
}

// assistant is the assistant-request reply: the four tools in this shape.
func (b *shapeBackend) assistant() string {
	return `{"assistant":{"first_message":"Goedendag, waarmee kan ik helpen?","llm_config":{"tools":[
	 {"name":"lookup_contact","description":"find a customer","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}},
	 {"name":"check_availability","description":"free slots","parameters":{"type":"object","properties":{"date":{"type":"string","format":"date"}},"required":["date"]}},
	 {"name":"book_appointment","description":"book an appointment","parameters":` + b.shape.bookParams + `},
	 {"name":"request_callback","description":"a colleague calls back","parameters":{"type":"object","properties":{"phone":{"type":"string"}}}}]}}}`
}

func (b *shapeBackend) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var in struct {
		Message struct {
			Type string `json:"type"`
			Call struct {
				ID string `json:"id"`
			} `json:"call"`
			List []struct {
				ID       string `json:"id"`
				Function struct {
					Name      string          `json:"name"`
					Arguments json.RawMessage `json:"arguments"`
				} `json:"function"`
			} `json:"tool_call_list"`
		} `json:"message"`
	}
	_ = json.Unmarshal(body, &in)
	w.Header().Set("Content-Type", "application/json")
	switch in.Message.Type {
	case "assistant-request":
		_, _ = io.WriteString(w, b.assistant())
	case "tool-calls":
		var results []map[string]any
		for _, tc := range in.Message.List {
			var args map[string]any
			_ = json.Unmarshal(tc.Function.Arguments, &args)
			results = append(results, map[string]any{"tool_call_id": tc.ID, "result": b.tool(in.Message.Call.ID, tc.Function.Name, args)})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"results": results})
	default:
		_, _ = io.WriteString(w, `{}`)
	}
}

func (b *shapeBackend) call(id string) *backendCall {
	c := b.calls[id]
	if c == nil {
		c = &backendCall{offered: map[string]bool{}}
		b.calls[id] = c
	}
	return c
}

// tool answers one tool call of the call id.
func (b *shapeBackend) tool(callID, name string, args map[string]any) any {
	b.mu.Lock()
	defer b.mu.Unlock()
	c := b.call(callID)
	switch name {
	case "lookup_contact":
		res, id := b.shape.lookup(str(args["query"]))
		if id != "" {
			c.customerID = id
		}
		return res
	case "check_availability":
		day, err := time.Parse(time.DateOnly, str(args["date"]))
		if err != nil {
			return map[string]any{"error": "date must be YYYY-MM-DD"}
		}
		for _, t := range offerTimes {
			c.offered[day.Format(time.DateOnly)+" "+t] = true
		}
		return b.shape.offer(day, offerTimes)
	case "book_appointment":
		return b.book(c, args)
	case "request_callback":
		return map[string]any{"scheduled": true}
	}
	return map[string]any{"error": "unknown tool " + name}
}

// book takes a booking at an offered time with the right id; anything else
// is refused with the offered times, and recorded as a violation when
// times had been offered.
func (b *shapeBackend) book(c *backendCall, args map[string]any) any {
	at, ok := b.shape.bookingAt(args)
	c.bookings++
	if !ok || !c.offered[at] {
		if len(c.offered) > 0 {
			c.violations = append(c.violations, "booking at "+at+", which was not offered")
		}
		return b.refusal(at, "time "+at+" is not available")
	}
	if b.shape.idArg != "" && c.customerID != "" && str(args[b.shape.idArg]) != c.customerID {
		c.violations = append(c.violations, fmt.Sprintf("booking with %s=%v, the lookup returned %s", b.shape.idArg, args[b.shape.idArg], c.customerID))
	}
	if b.shape.refuseFirst && c.bookings == 1 {
		delete(c.offered, at)
		return b.refusal(at, "that time was just taken")
	}
	return map[string]any{"success": true, "booking_id": "B-" + strings.ReplaceAll(at, " ", "-"), "date": at[:10], "time": at[11:]}
}

func (b *shapeBackend) refusal(at, why string) any {
	if b.shape.refuse != nil {
		return b.shape.refuse(at, why)
	}
	return map[string]any{"success": false, "message": why}
}

// violations are every call's violations.
func (b *shapeBackend) violations() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for id, c := range b.calls {
		for _, v := range c.violations {
			out = append(out, id[:8]+": "+v)
		}
	}
	return out
}
