package jsontext

import (
	"strings"
	"testing"
)

// benchDoc is a reply-sized document: an assistant configuration with tools
// and an analysis schema.
var benchDoc = []byte(`{"assistant":{"first_message":"Goedemorgen, met Tandartspraktijk \u00c7elik. Waarmee kan ik u helpen?",` +
	`"llm_config":{"model":"gpt-4o","tools":[` + strings.Repeat(`{"type":"function","function":{"name":"book_appointment","description":"Book a slot",`+
	`"parameters":{"type":"object","properties":{"date":{"type":"string","format":"date"},"time":{"type":"string"},"name":{"type":"string"}},"required":["date","time"]}},`+
	`"server":{"url":"https://example.test/tools"},"async":false},`, 4) + `{"type":"endCall"}]},` +
	`"analysis_plan":{"structured_data_plan":{"enabled":true,"schema":{"type":"object","properties":{"intent":{"type":"string"},"booked":{"type":"boolean"}}}},"min_messages_threshold":2},` +
	`"metadata":{"crm_id":"12345","tier":"premium","score":-12.5e-3,"tags":[1,2,3,null,true,false]}},"max_duration_seconds":600}`)

func BenchmarkValid(b *testing.B) {
	b.SetBytes(int64(len(benchDoc)))
	for b.Loop() {
		if !Valid(benchDoc) {
			b.Fatal("not valid")
		}
	}
}

// nothing builds nothing: the reader's own cost.
type nothing struct{}

func (nothing) Object([]string, []struct{}) struct{} { return struct{}{} }
func (nothing) Array([]struct{}) struct{}            { return struct{}{} }
func (nothing) String(string) struct{}               { return struct{}{} }
func (nothing) Number(string) struct{}               { return struct{}{} }
func (nothing) Bool(bool) struct{}                   { return struct{}{} }
func (nothing) Null() struct{}                       { return struct{}{} }

func BenchmarkParse(b *testing.B) {
	b.SetBytes(int64(len(benchDoc)))
	for b.Loop() {
		if _, err := Parse(benchDoc, MaxDepth, nothing{}); err != nil {
			b.Fatal(err)
		}
	}
}
