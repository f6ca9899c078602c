// Command garage-webhook receives Flireo (G3, snake_case) webhooks for a car
// workshop. Payloads are decoded into typed structs; fields the structs do
// not name are ignored, as the platform adds fields without notice.
//
// The saved agent in the dashboard declares the tools, so the
// assistant-request answers {} for unknown callers and overrides only the
// greeting and the max duration for known ones.
//
//	FLIREO_WEBHOOK_SECRET=... garage-webhook --port 0 [--bug NAME]
//
// The first line on stdout is the port.
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

var bugs = map[string]string{
	"disallow-unknown":   "decoder.DisallowUnknownFields on webhook payloads",
	"html-error":         "an unknown caller gets the web shop's HTML error page",
	"json-500":           "an unknown caller gets 500 with a JSON error",
	"web-call-crash":     "dereferences customer.number, which is null on web calls",
	"report-needs-ended": "refuses a report for a call that has not ended yet with 409",
}

type envelope struct {
	Message message `json:"message"`
}

type message struct {
	Type            string          `json:"type"`
	Timestamp       string          `json:"timestamp"`
	Call            call            `json:"call"`
	PhoneNumber     *phoneNumber    `json:"phone_number"`
	Customer        *customer       `json:"customer"`
	Assistant       json.RawMessage `json:"assistant,omitempty"`
	ToolCallList    []toolCall      `json:"tool_call_list,omitempty"`
	Error           string          `json:"error,omitempty"`
	EndReason       string          `json:"end_reason,omitempty"`
	StartedAt       string          `json:"started_at,omitempty"`
	EndedAt         string          `json:"ended_at,omitempty"`
	DurationSeconds float64         `json:"duration_seconds,omitempty"`
	Summary         string          `json:"summary,omitempty"`
	Messages        []chatMessage   `json:"messages,omitempty"`
	Analysis        json.RawMessage `json:"analysis,omitempty"`
	RecordingURL    string          `json:"recording_url,omitempty"`
}

type call struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Status   string `json:"status"`
	Pipeline string `json:"pipeline,omitempty"`
}

type phoneNumber struct {
	ID     *string `json:"id"`
	Number *string `json:"number"`
	Name   *string `json:"name"`
}

type customer struct {
	Number *string `json:"number"`
}

type toolCall struct {
	ID       string `json:"id"`
	Type     string `json:"type"`
	Function struct {
		Name      string          `json:"name"`
		Arguments json.RawMessage `json:"arguments"`
	} `json:"function"`
}

type chatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

type toolResult struct {
	ToolCallID string `json:"tool_call_id"`
	Result     any    `json:"result"`
}

type server struct {
	secret string
	bug    string
	mu     sync.Mutex
	ended  map[string]bool
	report map[string]message
}

var customers = map[string]string{"+31612345678": "Jan"}

func main() {
	port := flag.Int("port", 0, "listen port (0: any free port)")
	secret := flag.String("secret", os.Getenv("FLIREO_WEBHOOK_SECRET"), "webhook secret")
	bug := flag.String("bug", "", "turn on one bug")
	flag.Parse()
	if *secret == "" {
		log.Fatal("set FLIREO_WEBHOOK_SECRET or --secret")
	}
	if _, ok := bugs[*bug]; *bug != "" && !ok {
		log.Fatalf("unknown bug %q", *bug)
	}
	s := &server{secret: *secret, bug: *bug, ended: map[string]bool{}, report: map[string]message{}}
	ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(*port))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ln.Addr().(*net.TCPAddr).Port)
	mux := http.NewServeMux()
	mux.HandleFunc("POST /webhook", s.webhook)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	log.Fatal(srv.Serve(ln))
}

func (s *server) verify(r *http.Request, body []byte) error {
	ts := r.Header.Get("X-Webhook-Timestamp")
	sig := strings.TrimPrefix(r.Header.Get("X-Webhook-Signature"), "sha256=")
	if ts == "" || sig == "" {
		return errors.New("missing signature")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || math.Abs(float64(time.Now().Unix()-sec)) > 300 {
		return errors.New("stale timestamp")
	}
	mac := hmac.New(sha256.New, []byte(s.secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	want := hex.EncodeToString(mac.Sum(nil))
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return errors.New("bad signature")
	}
	return nil
}

func (s *server) webhook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 16<<20))
	if err != nil {
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	if err := s.verify(r, body); err != nil {
		http.Error(w, err.Error(), http.StatusUnauthorized)
		return
	}
	var env envelope
	dec := json.NewDecoder(strings.NewReader(string(body)))
	if s.bug == "disallow-unknown" {
		dec.DisallowUnknownFields()
	}
	if err := dec.Decode(&env); err != nil {
		http.Error(w, "bad payload: "+err.Error(), http.StatusBadRequest)
		return
	}
	m := env.Message
	switch m.Type {
	case "assistant-request":
		s.assistantRequest(w, m)
	case "tool-calls":
		s.toolCalls(w, m)
	case "status-update":
		s.mu.Lock()
		if m.Call.Status != "in-progress" {
			s.ended[m.Call.ID] = true // ended, ended-with-error or any later final status
		}
		s.mu.Unlock()
		w.WriteHeader(http.StatusOK)
	case "end-of-call-report":
		s.mu.Lock()
		if s.bug == "report-needs-ended" && !s.ended[m.Call.ID] {
			s.mu.Unlock()
			http.Error(w, "call has not ended", http.StatusConflict)
			return
		}
		s.report[m.Call.ID] = m
		s.mu.Unlock()
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusAccepted)
		io.WriteString(w, "accepted\n")
	default:
		w.WriteHeader(http.StatusOK)
	}
}

func (s *server) assistantRequest(w http.ResponseWriter, m message) {
	var number string
	if s.bug == "web-call-crash" {
		number = *m.Customer.Number
	} else if m.Customer != nil && m.Customer.Number != nil {
		number = *m.Customer.Number
	}
	name, known := customers[number]
	if !known {
		switch s.bug {
		case "html-error":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, "<!DOCTYPE html><html><head><title>Garage Van Dijk</title></head><body><h1>Oeps!</h1><p>Klant niet gevonden.</p></body></html>")
			return
		case "json-500":
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": "customer not found"})
			return
		}
		writeJSON(w, http.StatusOK, struct{}{})
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"assistant":            map[string]any{"first_message": "Goedemiddag " + name + ", met Garage Van Dijk. Waarmee kan ik helpen?"},
		"max_duration_seconds": 600,
	})
}

func (s *server) toolCalls(w http.ResponseWriter, m message) {
	results := make([]toolResult, 0, len(m.ToolCallList))
	for _, tc := range m.ToolCallList {
		results = append(results, toolResult{ToolCallID: tc.ID, Result: runTool(tc.Function.Name, tc.Function.Arguments)})
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
}

func runTool(name string, raw json.RawMessage) any {
	switch name {
	case "order_status":
		var a struct {
			OrderNumber string `json:"order_number"`
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			return map[string]string{"error": "invalid arguments"}
		}
		return map[string]string{"order_number": a.OrderNumber, "status": "onderdelen besteld", "ready": "donderdag"}
	case "check_availability":
		var a struct {
			Date string `json:"date"`
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			return map[string]string{"error": "invalid arguments"}
		}
		return map[string]any{"date": a.Date, "slots": []string{"08:30", "10:00", "15:30"}}
	case "book_appointment":
		var a struct {
			Name string `json:"name"`
			Date string `json:"date"`
			Time string `json:"time"`
		}
		if err := json.Unmarshal(raw, &a); err != nil {
			return map[string]string{"error": "invalid arguments"}
		}
		return map[string]any{"booked": true, "name": a.Name, "date": a.Date, "time": a.Time}
	case "request_callback":
		return map[string]bool{"queued": true}
	}
	return map[string]string{"error": "unknown tool " + name}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("write reply: %v", err)
	}
}
