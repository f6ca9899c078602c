package dialect

import (
	"testing"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// benchEvent is an end-of-call-report with a 20-turn transcript (40 messages
// plus the greeting), an analysis result and the G3+ assistant echo.
func benchEvent() *simulator.Event {
	p := richPlan()
	r := richReport(p, 20)
	r.Messages = r.Messages[1:] // 40 messages: 20 caller turns and 20 answers
	return &simulator.Event{Type: simulator.EndOfCallReport, Plan: p, At: r.Ended, Status: simulator.StatusEnded,
		EndReason: r.EndReason, Report: r, Config: richConfig()}
}

// BenchmarkRenderEOCR renders the report in the flireo dialect into a reused
// buffer.
func BenchmarkRenderEOCR(b *testing.B) {
	d, err := ByName(NameFlireo)
	if err != nil {
		b.Fatal(err)
	}
	ev := benchEvent()
	if n := len(ev.Report.Messages); n != 40 {
		b.Fatalf("want 40 messages, got %d", n)
	}
	buf, err := d.Render(nil, ev)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		if buf, err = d.Render(buf[:0], ev); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRenderEOCRDialects renders the same report in every dialect.
func BenchmarkRenderEOCRDialects(b *testing.B) {
	ev := benchEvent()
	for _, name := range Names() {
		d, err := ByName(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			buf, err := d.Render(nil, ev)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			for b.Loop() {
				if buf, err = d.Render(buf[:0], ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkParseAssistantReply parses the G2 API-reference reply.
func BenchmarkParseAssistantReply(b *testing.B) {
	d, err := ByName(NameFlireo)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"assistant":{"firstMessage":"Hallo Jan, hoe kan ik je helpen vandaag?","stt_config":{"provider":"deepgram","model":"nova-3-general","language":"nl"},"llm_config":{"provider":"openai","model":"gpt-4o-mini","temperature":0.7,"messages":[{"role":"system","content":"string"}],"tools":[{"name":"lookup_contact","description":"d","parameters":{"type":"object"}}]},"analysisPlan":{"structuredDataPlan":{"enabled":true,"schema":{"type":"object"}},"minMessagesThreshold":2}},"maxDurationSeconds":300}`)
	def := richConfig()
	b.ReportAllocs()
	for b.Loop() {
		d.ParseAssistantReply(body, def)
	}
}

// BenchmarkParseAssistantReplyRemembered: the same reply over the same
// default, as under load, comes from the memo.
func BenchmarkParseAssistantReplyRemembered(b *testing.B) {
	d, err := ByName(NameFlireo)
	if err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"assistant":{"first_message":"Goedendag, waarmee kan ik u helpen?","llm_config":{"provider":"openai","model":"gpt-4o-mini","tools":[` +
		`{"name":"check_availability","description":"free slots on a date","parameters":{"type":"object","properties":{"date":{"type":"string","format":"date"}},"required":["date"]}},` +
		`{"name":"book_appointment","description":"book an appointment","parameters":{"type":"object","properties":{"name":{"type":"string"},"date":{"type":"string","format":"date"},"time":{"type":"string","format":"time"}},"required":["name","date","time"]}}` +
		`]},"analysis_plan":{"structured_data_plan":{"enabled":true,"schema":{"type":"object","properties":{"resolved":{"type":"boolean"}}}}}},"max_duration_seconds":600}`)
	def := simulator.DefaultAssistant("nl")
	b.ReportAllocs()
	for b.Loop() {
		d.ParseAssistantReply(body, def)
	}
}
