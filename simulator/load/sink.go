package load

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
	"time"
)

// SinkOptions configure the sink.
type SinkOptions struct {
	// Delay holds every reply this long after the request body was read (to
	// measure the simulator's accuracy against a known latency).
	Delay time.Duration
	// Hang never answers: every request is held until the client gives up
	// (to measure how precisely deadlines fire).
	Hang bool
}

// sinkAssistant is the sink's assistant-request reply: a documented
// override with tools for every conversation need and an analysis plan, so
// that calls take their full course (tool-calls included) in every dialect.
const sinkAssistant = `{"assistant":{"first_message":"Goedendag, waarmee kan ik u helpen?",` +
	`"end_call_message":"Bedankt voor het bellen, tot ziens.",` +
	`"llm_config":{"provider":"openai","model":"gpt-4o-mini","tools":[` +
	`{"name":"lookup_contact","description":"look up a contact","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}},` +
	`{"name":"check_availability","description":"free slots on a date","parameters":{"type":"object","properties":{"date":{"type":"string","format":"date"}},"required":["date"]}},` +
	`{"name":"book_appointment","description":"book an appointment","parameters":{"type":"object","properties":{"name":{"type":"string"},"date":{"type":"string","format":"date"},"time":{"type":"string","format":"time"}},"required":["name","date","time"]}},` +
	`{"name":"reschedule_appointment","description":"move an appointment","parameters":{"type":"object","properties":{"date":{"type":"string","format":"date"},"time":{"type":"string","format":"time"}},"required":["date","time"]}},` +
	`{"name":"lookup_order","description":"order status","parameters":{"type":"object","properties":{"order_id":{"type":"string"}},"required":["order_id"]}},` +
	`{"name":"create_ticket","description":"register a complaint","parameters":{"type":"object","properties":{"description":{"type":"string"}},"required":["description"]}},` +
	`{"name":"request_callback","description":"request a callback","async":true,"async_response":"Ik zorg dat u wordt teruggebeld.","parameters":{"type":"object","properties":{"phone":{"type":"string"}}}},` +
	`{"name":"get_opening_hours","description":"opening hours","parameters":{"type":"object","properties":{}}},` +
	`{"name":"ask_email","description":"collect an e-mail address","parameters":{"type":"object","properties":{"email":{"type":"string","format":"email"}},"required":["email"]}}` +
	`]},"analysis_plan":{"structured_data_plan":{"enabled":true,"schema":{"type":"object","properties":{"sentiment":{"type":"string","enum":["positive","neutral","negative"]},"resolved":{"type":"boolean"}},"required":["sentiment","resolved"]}},"min_messages_threshold":2}},` +
	`"max_duration_seconds":600}`

// Replies of the sink: a tool-calls reply in the simple format answers
// every tool call of the request (spec §1.2.3); acknowledgements are {}.
var (
	sinkAssistantBody = []byte(sinkAssistant)
	sinkToolBody      = []byte(`{"result":"ok"}`)
	sinkAckBody       = []byte(`{}`)
	jsonType          = []string{"application/json"}
	eventTypeKey      = []byte(`"eventType":"`)
)

// NewSink returns the sink: a minimal, fast and correct webhook receiver
// for measuring the simulator itself. It answers every event of every
// dialect validly without doing any work: it does not verify signatures,
// parse bodies or keep state. The event is read from X-Webhook-Event, or
// for the unsigned legacy format from the body's eventType.
func NewSink(o SinkOptions) http.Handler {
	return &sink{o: o, replies: map[string]sinkReply{
		"assistant-request": {sinkAssistantBody, []string{strconv.Itoa(len(sinkAssistantBody))}},
		"tool-calls":        {sinkToolBody, []string{strconv.Itoa(len(sinkToolBody))}},
	}, ack: sinkReply{sinkAckBody, []string{strconv.Itoa(len(sinkAckBody))}}}
}

type sinkReply struct {
	body   []byte
	length []string
}

type sink struct {
	o       SinkOptions
	replies map[string]sinkReply
	ack     sinkReply
}

func (s *sink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "webhooks are POSTed", http.StatusMethodNotAllowed)
		return
	}
	ev := r.Header.Get("X-Webhook-Event")
	if ev == "" {
		// Legacy G1: the event name is within the first bytes of the body.
		var head [256]byte
		n, _ := io.ReadFull(r.Body, head[:])
		if i := bytes.Index(head[:n], eventTypeKey); i >= 0 {
			rest := head[i+len(eventTypeKey) : n]
			if j := bytes.IndexByte(rest, '"'); j >= 0 {
				ev = string(rest[:j])
			}
		}
	}
	_, _ = io.Copy(io.Discard, r.Body)
	if s.o.Hang {
		<-r.Context().Done()
		return
	}
	if s.o.Delay > 0 {
		t := time.NewTimer(s.o.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
	}
	rep, ok := s.replies[ev]
	if !ok {
		rep = s.ack
	}
	h := w.Header()
	h["Content-Type"] = jsonType
	h["Content-Length"] = rep.length
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(rep.body)
}
