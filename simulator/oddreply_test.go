package simulator_test

import (
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/simtest"
)

// oddAssistant is a valid assistant-request reply that uses every part of
// the configuration the call reads: first and end messages, tools with
// descriptions and parameters, metadata and an analysis plan.
const oddAssistant = `{"assistant":{"first_message":"Goedemiddag, Café De Gouden Leeuw!","end_call_message":"Tot ziens.",` +
	`"llm_config":{"provider":"openai","model":"gpt-4o","tools":[` +
	`{"type":"function","name":"lookup_contact","description":"Zoek de klant op","parameters":{"type":"object","properties":{"phone":{"type":"string","description":"Telefoonnummer"}},"required":["phone"]}},` +
	`{"type":"function","function":{"name":"check_availability","description":"Vrije tijden","parameters":{"type":"object","properties":{"date":{"type":"string","format":"date"},"dienst":{"type":"string","enum":["knippen","verven"]}}}}},` +
	`{"type":"function","name":"book_appointment","description":"Boek een afspraak","async":false,"parameters":{"type":"object","properties":{"name":{"type":"string"},"time":{"type":"string"},"aantal":{"type":"integer","minimum":1}}}}]},` +
	`"metadata":{"crm_id":"CRM-1","tags":["vip","één"]},` +
	`"analysis_plan":{"structured_data_plan":{"enabled":true,"schema":{"type":"object","properties":{"intent":{"type":"string"},"tevreden":{"type":"boolean"},"score":{"type":"number"}}}}}}}`

// oddResult is a valid tool result object.
const oddResult = `{"status":"bevestigd","date":"2026-03-03","time":"10:30","naam":"Daniëlle","note":"Tot morgen ☕"}`

var toolCallIDs = regexp.MustCompile(`"((?:tool|call)_[a-z0-9]+)"`)

// oddServer answers: assistant-request with the assistant reply, tool-calls
// with results for every id the request carries (the result is mutated per
// call), every other event with {}.
type oddServer struct {
	assistant []byte
	result    func() []byte
}

func (s *oddServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	w.Header().Set("Content-Type", "application/json")
	switch sim.EventType(r.Header.Get(delivery.HeaderEvent)) {
	case sim.AssistantRequest:
		_, _ = w.Write(s.assistant)
	case sim.ToolCalls:
		var parts []string
		seen := map[string]bool{}
		for _, m := range toolCallIDs.FindAllSubmatch(body, -1) {
			if id := string(m[1]); !seen[id] {
				seen[id] = true
				parts = append(parts, `{"tool_call_id":"`+id+`","result":`+string(s.result())+`}`)
			}
		}
		_, _ = io.WriteString(w, `{"results":[`+strings.Join(parts, ",")+`]}`)
	default:
		_, _ = io.WriteString(w, `{}`)
	}
}

// oddSender serves s in process and keeps every body sent.
func oddSender(s *oddServer) *simtest.Sender {
	return &simtest.Sender{Handler: s, KeepBodies: true}
}

// splice inserts n random bytes at a random position of b; inString
// inserts them right after a random double quote instead (inside a key or a
// string value, where the reply stays JSON when the bytes are text).
func splice(r *rand.Rand, b string, inString bool) []byte {
	odd := []string{"\xff", "\xc3", "\xed\xa0\x80", "\xe2\x82", "\x00", "\x1b", "\u2028", "\\u0000", "\\ud800", "\x7f", "\xf4\x90\x80\x80"}
	var ins []byte
	for n := 1 + r.IntN(4); n > 0; n-- {
		if r.IntN(2) == 0 {
			ins = append(ins, odd[r.IntN(len(odd))]...)
		} else {
			ins = append(ins, byte(r.IntN(256)))
		}
	}
	at := r.IntN(len(b) + 1)
	if inString {
		quotes := []int{}
		for i := range len(b) {
			if b[i] == '"' {
				quotes = append(quotes, i+1)
			}
		}
		at = quotes[r.IntN(len(quotes))]
	}
	out := append([]byte(b[:at]), ins...)
	return append(out, b[at:]...)
}

// TestOddRepliesNeverBreakTheCall splices random bytes (invalid UTF-8,
// control characters, escapes of NUL and lone surrogates, anything) into
// valid assistant and tool replies, in every dialect: the call is always
// played to its end without an engine error, everything the platform sends
// stays valid JSON in UTF-8, and a reply with invalid UTF-8 the platform
// reads fails reply-utf8 (or reply-json when it is no JSON at all).
func TestOddRepliesNeverBreakTheCall(t *testing.T) {
	const rounds = 120 // per dialect; the whole test takes a few seconds
	for _, name := range []string{"flireo", "flireo-camel", "flireo-legacy", "interactly"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			d, err := dialect.ByName(name)
			require.NoError(t, err)
			checks, err := check.New()
			require.NoError(t, err)
			r := rand.New(rand.NewPCG(uint64(len(name)), 9))
			repaired, used := 0, 0
			for i := range rounds {
				inString := i%2 == 0
				s := &oddServer{assistant: splice(r, oddAssistant, inString)}
				s.result = func() []byte { return splice(r, oddResult, inString) }
				if i%3 == 0 { // a clean assistant, so the odd tool results are read
					s.assistant = []byte(oddAssistant)
				}
				sender := oddSender(s)
				e := &sim.Engine{Dialect: d, Sender: sender, Checker: checks, Target: "http://127.0.0.1:1/webhook", Deadlines: sim.DefaultDeadlines()}
				p, g := plan(t, int64(i), i, sim.BookAppointment, "nl")
				res, err := e.Play(t.Context(), p, g, sim.CallOptions{})
				require.NoError(t, err, "round %d: assistant reply %q", i, s.assistant)
				require.NotNil(t, res)
				for _, b := range sender.Sent() {
					require.True(t, utf8.Valid(b), "round %d: a request is valid UTF-8: %q", i, b)
					require.True(t, json.Valid(b), "round %d: a request is valid JSON: %q", i, b)
				}
				for _, x := range res.Exchanges {
					if x.ReplyUsed {
						used++
					}
					if x.Repaired == "" {
						continue
					}
					repaired++
					verdict := sim.Verdict("")
					for _, f := range x.Findings {
						if f.Check == check.ReplyUTF8 || f.Check == check.ReplyJSON {
							if f.Verdict == sim.Fail {
								verdict = sim.Fail
							}
						}
					}
					assert.Equal(t, sim.Fail, verdict, "round %d: a repaired reply is a finding: %s", i, x.Repaired)
					assert.Contains(t, x.Action, "U+FFFD", "the timeline says so")
				}
			}
			if used > 0 { // interactly sends no event whose reply is read
				assert.Positive(t, repaired, "some replies carried invalid UTF-8 the call had to repair")
			}
			t.Logf("%s: %d rounds, %d replies read, %d repaired", name, rounds, used, repaired)
		})
	}
}

// TestInvalidUTF8InEveryPartOfTheReply: invalid UTF-8 in each part of an
// accepted assistant reply (first message, tool name and description,
// metadata, the analysis schema) and in tool results is read as U+FFFD and
// reported by reply-utf8; the call still ends with its report, and what the
// simulated assistant says carries U+FFFD where the bad bytes were.
func TestInvalidUTF8InEveryPartOfTheReply(t *testing.T) {
	parts := []struct{ name, from, to string }{
		{"first message", "Goedemiddag, Café", "Goedemiddag, Caf\xe9"},
		{"tool name", `"name":"book_appointment"`, "\"name\":\"book_appointment\xff\""},
		{"tool description", "Boek een afspraak", "Boek een \xc3\x28afspraak"},
		{"parameter description", "Telefoonnummer", "Telefoon\xed\xa0\x80nummer"},
		{"metadata", `"één"`, "\"\xe9\xe9n\""},
		{"analysis schema key", `"tevreden"`, "\"tevr\xffeden\""},
	}
	d, err := dialect.ByName("flireo")
	require.NoError(t, err)
	checks, err := check.New()
	require.NoError(t, err)
	for _, tt := range parts {
		t.Run(tt.name, func(t *testing.T) {
			reply := strings.Replace(oddAssistant, tt.from, tt.to, 1)
			require.NotEqual(t, oddAssistant, reply)
			s := oddSender(&oddServer{assistant: []byte(reply), result: func() []byte { return []byte(`"Geboekt voor Caf` + "\xe9" + ` om 10:30"`) }})
			e := &sim.Engine{Dialect: d, Sender: s, Checker: checks, Target: "http://127.0.0.1:1/webhook", Deadlines: sim.DefaultDeadlines()}
			p, g := plan(t, 3, 1, sim.BookAppointment, "nl")
			res, err := e.Play(t.Context(), p, g, sim.CallOptions{})
			require.NoError(t, err)
			assert.Contains(t, events(res), "end-of-call-report", "the call goes on to its end")
			first := res.Exchanges[0]
			require.Equal(t, sim.AssistantRequest, first.Event)
			assert.Contains(t, first.Repaired, "not valid UTF-8")
			assert.Contains(t, failed(res), check.ReplyUTF8)
			assert.NotEqual(t, sim.ReplyFailed, first.Assistant.Kind, "the reply is still used: %v", first.Assistant.Problems)
			var said strings.Builder
			require.NotNil(t, res.Report)
			for _, m := range res.Report.Messages {
				fmt.Fprintln(&said, m.Content)
			}
			if tt.name == "first message" {
				assert.Contains(t, said.String(), "Caf\uFFFD", "the caller hears U+FFFD")
			}
		})
	}
}
