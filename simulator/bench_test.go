package simulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/simtest"
)

// eocr20 is an end-of-call-report with a 20-turn (40-message) transcript.
func eocr20(b *testing.B) *sim.Event {
	f, err := fake.New(1)
	if err != nil {
		b.Fatal(err)
	}
	p, _ := f.Call(1, fake.Options{Intent: sim.BookAppointment, Lang: "nl", Start: start})
	r := &sim.Report{Started: start, Ended: start.Add(3 * time.Minute), EndReason: sim.EndUserHangup,
		Summary:  "Jan belde om een afspraak te maken; de afspraak staat op dinsdag 14 maart om 10:30.",
		Analysis: json.RawMessage(`{"sentiment":"positive","intent":"Afspraak maken","appointment_booked":true}`)}
	for i := 0; i < 20; i++ {
		at := start.Add(time.Duration(i) * 9 * time.Second)
		r.Messages = append(r.Messages,
			sim.Message{Role: sim.RoleUser, Content: fmt.Sprintf("Ik wil graag een afspraak maken, het liefst op dinsdag rond %d uur.", 9+i%8), At: at},
			sim.Message{Role: sim.RoleAssistant, Content: "Dat kan: ik heb dinsdag 14 maart om 10:30 een plek voor u. Zal ik die vastleggen?", At: at.Add(4 * time.Second)})
	}
	return &sim.Event{Type: sim.EndOfCallReport, Plan: p, At: r.Ended.Add(2 * time.Second), Status: sim.StatusEnded,
		EndReason: r.EndReason, Report: r}
}

// BenchmarkRenderSignEOCR renders and signs an end-of-call-report with a
// 20-turn transcript, as every delivery does.
func BenchmarkRenderSignEOCR(b *testing.B) {
	d, err := dialect.ByName("flireo")
	if err != nil {
		b.Fatal(err)
	}
	ev := eocr20(b)
	var buf []byte
	b.ReportAllocs()
	for b.Loop() {
		buf, err = d.Render(buf[:0], ev)
		if err != nil {
			b.Fatal(err)
		}
		_ = delivery.Sign("whsec_test_secret_12345", 1767225600, buf)
	}
	b.SetBytes(int64(len(buf)))
}

// trivial answers every event correctly with no work.
var trivial = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	_, _ = io.Copy(io.Discard, r.Body)
	switch r.Header.Get("X-Webhook-Event") {
	case "assistant-request":
		io.WriteString(w, `{"assistant":{"first_message":"Hallo!","llm_config":{"tools":[{"name":"lookup_contact","description":"contact","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}}]}}}`)
	case "tool-calls":
		io.WriteString(w, `{"result":{"name":"Jan de Vries"}}`)
	default:
		io.WriteString(w, `{}`)
	}
})

// fiveEventPlan is a call with exactly five events: assistant-request,
// in-progress, one tool call, ended, end-of-call-report.
func fiveEventPlan(f *fake.Factory, n int) (*sim.CallPlan, sim.Generator) {
	p, g := f.Call(n, fake.Options{Intent: sim.OpeningHours, Lang: "nl", Start: start})
	p.Turns = []sim.Turn{{Gap: time.Second, Caller: "Hallo, met Jan de Vries.", Need: sim.NeedContact, Reply: "Dag Jan.", Think: time.Second}}
	p.Error = ""
	return p, g
}

// BenchmarkCallLifecycle plays instant-paced five-event calls against an
// in-process trivial server and reports the engine's own time per call
// (total minus the server's time).
func BenchmarkCallLifecycle(b *testing.B) {
	d, _ := dialect.ByName("flireo")
	checks, _ := check.New()
	srv := &simtest.Sender{Handler: trivial} // the handler's own time is measured and reported apart
	e := &sim.Engine{Dialect: d, Sender: srv, Checker: checks, Target: "http://in-process/webhook", Deadlines: sim.DefaultDeadlines()}
	f, err := fake.New(1)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	n := 0
	began := time.Now()
	for b.Loop() {
		n++
		p, g := fiveEventPlan(f, n)
		res, err := e.Play(ctx, p, g, sim.CallOptions{})
		if err != nil || len(res.Exchanges) != 5 || res.Failed("") {
			b.Fatalf("call %d: %v, %d exchanges, failed %v", n, err, len(res.Exchanges), res.Findings())
		}
	}
	total := time.Since(began)
	b.ReportMetric(float64((total-srv.ServerTime()).Microseconds())/float64(n), "engine-µs/call")
}

// BenchmarkCallLifecycleHTTP is the same over real loopback HTTP, signed.
func BenchmarkCallLifecycleHTTP(b *testing.B) {
	ts := httptest.NewServer(trivial)
	defer ts.Close()
	d, _ := dialect.ByName("flireo")
	checks, _ := check.New()
	client := delivery.New(delivery.Options{Secret: "s3cret"})
	defer client.Close()
	e := &sim.Engine{Dialect: d, Sender: client, Checker: checks, Target: ts.URL, Deadlines: sim.DefaultDeadlines()}
	f, _ := fake.New(1)
	ctx := context.Background()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		n++
		p, g := fiveEventPlan(f, n)
		if res, err := e.Play(ctx, p, g, sim.CallOptions{}); err != nil || len(res.Exchanges) != 5 || res.Failed("") {
			b.Fatalf("call %d failed: %v", n, err)
		}
	}
}
