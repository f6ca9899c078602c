package fake

import (
	"encoding/json"
	"math"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
)

func TestToolCallID(t *testing.T) {
	_, c := newFactory(t, 30).Call(1, Options{})
	re := regexp.MustCompile(`^tool_[a-z0-9]{12,24}$`)
	seen := map[string]bool{}
	lengths := map[int]bool{}
	for range 200 {
		id := c.ToolCallID()
		require.Regexp(t, re, id)
		require.False(t, seen[id], "duplicate %s", id)
		seen[id] = true
		lengths[len(id)] = true
	}
	assert.Greater(t, len(lengths), 5, "lengths vary")
}

func TestToolFollowUp(t *testing.T) {
	book := simulator.Tool{Name: "book_appointment"}
	avail := simulator.Tool{Name: "check_availability"}
	tests := []struct {
		name     string
		lang     string
		tool     simulator.Tool
		result   string // JSON; "" with errText/failure
		errText  string
		failure  string
		nilRes   bool
		want     []string // all must appear
		wantNot  []string
		failed   bool
		anyOfSet []string // one of these must appear
	}{
		{name: "string result is read out", lang: "nl", tool: book, result: `"Afspraak bevestigd voor dinsdag"`,
			want: []string{"Afspraak bevestigd voor dinsdag"}},
		{name: "booked slot", lang: "nl", tool: book, result: `{"date":"2026-02-10","time":"10:30:00","confirmation":"ABC123"}`,
			want: []string{"dinsdag 10 februari", "10:30", "ABC123"}, wantNot: []string{"2026-02-10", "10:30:00"}},
		{name: "available slot in English", lang: "en", tool: avail, result: `{"slots":[{"start":"2026-02-10T10:30:00+01:00"},{"start":"2026-02-10T11:00:00+01:00"}]}`,
			want: []string{"Tuesday 10 February", "10:30"}},
		{name: "list of times", lang: "en", tool: avail, result: `{"available_times":["09:00","10:30","14:00"]}`,
			want: []string{"09:00, 10:30 or 14:00"}},
		{name: "order status", lang: "nl", tool: simulator.Tool{Name: "lookup_order"}, result: `{"order_id":"NL-20481234","status":"verzonden","expected_delivery":"2026-01-08"}`,
			want: []string{"verzonden", "donderdag 8 januari", "NL-20481234"}},
		{name: "contact", lang: "en", tool: simulator.Tool{Name: "lookup_contact"}, result: `{"name":"Jan de Vries","email":"jan@example.com","phone":"+31612345678"}`,
			want: []string{"Jan de Vries", "jan@example.com"}},
		{name: "ticket", lang: "nl", tool: simulator.Tool{Name: "create_ticket"}, result: `{"ticket_id":"TCK-4821","message":"Klacht geregistreerd"}`,
			want: []string{"TCK-4821", "Klacht geregistreerd"}},
		{name: "unknown fields", lang: "en", tool: book, result: `{"price":24.95,"quantity":2}`,
			want: []string{"price 24.95", "quantity 2"}},
		{name: "empty object", lang: "nl", tool: book, result: `{}`, anyOfSet: []string{"geregeld", "gelukt", "goed"}},
		{name: "error reply", lang: "nl", tool: book, errText: "Contact niet gevonden", failure: "Contact niet gevonden",
			want: []string{"Contact niet gevonden"}, anyOfSet: []string{"spijt", "Excuses"}, failed: true},
		{name: "error inside the result", lang: "en", tool: book, result: `{"error":"Slot already taken"}`,
			want: []string{"Slot already taken"}, anyOfSet: []string{"sorry", "Apologies"}, failed: true},
		{name: "success false", lang: "en", tool: book, result: `{"success":false}`,
			anyOfSet: []string{"no longer available", "not possible"}, failed: true},
		{name: "transport failure is not read out", lang: "nl", tool: book, failure: "HTTP 500", nilRes: true,
			wantNot: []string{"HTTP", "500"}, anyOfSet: []string{"spijt", "Excuses"}, failed: true},
		{name: "async tool", lang: "en", tool: simulator.Tool{Name: "send_task", Async: true}, nilRes: true,
			anyOfSet: []string{"passed your request on", "in progress"}},
	}
	f := newFactory(t, 31)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for n := range 8 {
				p, c := f.Call(n, Options{Intent: simulator.BookAppointment, Lang: tt.lang})
				var r *simulator.ToolResult
				if !tt.nilRes {
					r = &simulator.ToolResult{ID: "tool_x", Result: json.RawMessage(tt.result), Error: tt.errText}
				}
				line := c.ToolFollowUp(p, tt.tool, r, tt.failure)
				require.NotEmpty(t, line)
				for _, w := range tt.want {
					assert.Contains(t, line, w)
				}
				for _, w := range tt.wantNot {
					assert.NotContains(t, line, w)
				}
				if len(tt.anyOfSet) > 0 {
					assert.True(t, containsAny(line, tt.anyOfSet), "%q has none of %v", line, tt.anyOfSet)
				}
				assert.Equal(t, tt.failed, c.failed != 0, line)
				assert.Regexp(t, `[.!?…]$`, line, "a finished sentence")
			}
		})
	}
}

func containsAny(s string, ws []string) bool {
	for _, w := range ws {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func TestSummaryAndSuccess(t *testing.T) {
	f := newFactory(t, 32)
	for _, lang := range []string{"nl", "en"} {
		for _, in := range simulator.Intents {
			for n := range 10 {
				p, c := f.Call(n, Options{Intent: in, Lang: lang})
				msgs := transcript(p)
				s := c.Summary(p, msgs, p.EndReason)
				require.NotEmpty(t, s)
				require.NotContains(t, s, "{")
				sentences := strings.Count(s, ". ") + 1
				assert.LessOrEqual(t, sentences, 3, s)
				if in != simulator.Silent {
					assert.Contains(t, s, p.Persona.FirstName, "summary names the caller")
				}
				grade := c.Success(p, msgs, p.EndReason)
				switch in {
				case simulator.Silent:
					assert.Equal(t, "Poor", grade)
				case simulator.WrongNumber, simulator.Voicemail:
					assert.Equal(t, "Fair", grade)
				case simulator.Complaint:
					assert.Contains(t, []string{"Good", "Fair"}, grade)
				default:
					assert.Contains(t, []string{"Excellent", "Good"}, grade)
				}
				if in == simulator.Voicemail {
					prefix := map[string]string{"nl": "Voicemail gedetecteerd. Bericht achtergelaten: ", "en": "Voicemail detected. Left message: "}[lang]
					assert.True(t, strings.HasPrefix(s, prefix), s)
				}
			}
		}
	}

	// Outcomes other than a finished conversation.
	p, c := f.Call(40, Options{Intent: simulator.BookAppointment, Lang: "en"})
	msgs := transcript(p)
	assert.Equal(t, "Poor", c.Success(p, msgs, simulator.EndError))
	assert.Contains(t, c.Summary(p, msgs, simulator.EndError), "technical")
	assert.Equal(t, "Poor", c.Success(p, msgs[:2], simulator.EndSilenceTimeout))
	assert.Equal(t, "Poor", c.Success(p, nil, simulator.EndRejected))
	assert.Contains(t, c.Summary(p, msgs, simulator.EndMaxDuration), "maximum")
	lb, ib := c.bank(p)
	assert.Contains(t, []string{"Fair", "Poor"}, c.Success(p, msgs[:3], simulator.EndUserHangup), "hung up half way")
	assert.Contains(t, rendered(c, p, lb, ib.open), c.Summary(p, msgs[:3], simulator.EndUserHangup), "not booked")
	assert.Contains(t, rendered(c, p, lb, ib.done), c.Summary(p, msgs, simulator.EndUserHangup), "booked")

	// A failed booking tool: not booked, graded Fair at best.
	c.ToolFollowUp(p, simulator.Tool{Name: "book_appointment"}, nil, "timeout")
	assert.Contains(t, []string{"Fair", "Poor"}, c.Success(p, msgs, simulator.EndUserHangup))
	assert.Contains(t, rendered(c, p, lb, ib.open), c.Summary(p, msgs, simulator.EndUserHangup), "not booked")

	// The booked slot from the tool result is the one in the summary.
	p, c = f.Call(41, Options{Intent: simulator.BookAppointment, Lang: "nl"})
	c.ToolFollowUp(p, simulator.Tool{Name: "book_appointment"}, &simulator.ToolResult{Result: json.RawMessage(`{"date":"2026-03-17","time":"14:15"}`)}, "")
	assert.Contains(t, c.Summary(p, transcript(p), simulator.EndUserHangup), "dinsdag 17 maart om 14:15")

	// The order status from the tool result is in the summary.
	p, c = f.Call(42, Options{Intent: simulator.OrderStatus, Lang: "en"})
	c.ToolFollowUp(p, simulator.Tool{Name: "lookup_order"}, &simulator.ToolResult{Result: json.RawMessage(`{"status":"out for delivery"}`)}, "")
	assert.Contains(t, c.Summary(p, transcript(p), simulator.EndUserHangup), "out for delivery")
}

func TestUsage(t *testing.T) {
	f := newFactory(t, 33)
	for n := range 200 {
		p, c := f.Call(n, Options{ErrorRate: -1})
		msgs := transcript(p)
		msgs = append(msgs, simulator.Message{Role: simulator.RoleSystem, Content: "context", At: msgs[len(msgs)-1].At})
		u := c.Usage(p, msgs)

		chars, users, assistants, answers := 0, 0, 0, 0
		for i, m := range msgs {
			switch m.Role {
			case simulator.RoleAssistant:
				chars += utf8.RuneCountInString(m.Content)
				assistants++
				if i > 0 && msgs[i-1].Role == simulator.RoleUser {
					answers++
				}
			case simulator.RoleUser:
				users++
			}
		}
		require.Equal(t, chars, u.TTSChars, "TTS characters are the assistant's characters")
		require.Len(t, u.TTSLatencyMS, assistants)
		require.Len(t, u.LLMLatencyMS, answers)
		require.Len(t, u.STTLatencyMS, users)
		require.Len(t, u.STTConfidence, users)
		for _, x := range u.STTConfidence {
			require.True(t, x >= 0.6 && x <= 0.99, "confidence %v", x)
		}
		for _, l := range [][]float64{u.LLMLatencyMS, u.TTSLatencyMS, u.STTLatencyMS} {
			for _, x := range l {
				require.Positive(t, x)
			}
		}
		if answers > 0 {
			require.Positive(t, u.InputTokens)
			require.Positive(t, u.OutputTokens)
			require.Greater(t, u.InputTokens, u.OutputTokens, "the context is re-read every turn")
			require.Positive(t, u.LLMCost)
		}
		for _, x := range []float64{u.PlatformCost, u.TTSCost, u.STTCost} {
			require.Positive(t, x)
		}
		require.Positive(t, u.PhoneCost)
		sum := u.PlatformCost + u.PhoneCost + u.TTSCost + u.STTCost + u.LLMCost
		require.InDelta(t, sum, u.TotalCost(), 1e-12)

		minutes := msgs[len(msgs)-1].At.Add(msgs[len(msgs)-1].Took).Sub(msgs[0].At).Minutes()
		for _, m := range msgs {
			if end := m.At.Add(m.Took).Sub(msgs[0].At).Minutes(); end > minutes {
				minutes = end
			}
		}
		require.InDelta(t, 0.07*minutes, u.PlatformCost, 1e-6, "€0.07 a minute")
		perMin := u.PhoneCost / minutes
		require.True(t, perMin >= 0.0099 && perMin <= 0.0201, "phone %.4f €/min", perMin)
		require.Less(t, u.TotalCost()/minutes, 0.25, "plausible total per minute")
	}

	p, c := f.Call(1, Options{Direction: simulator.Web})
	u := c.Usage(p, transcript(p))
	assert.Zero(t, u.PhoneCost, "web calls have no phone leg")
	assert.Positive(t, u.TotalCost())

	empty := c.Usage(p, nil)
	assert.Zero(t, empty.TotalCost())
	assert.Zero(t, empty.TTSChars)
	assert.False(t, math.IsNaN(empty.TotalCost()))
}

// rendered fills every template of a summary set with the call's values.
func rendered(c *Call, p *simulator.CallPlan, lb *langBank, set []tmpl) []string {
	v := c.valsFor(p, lb)
	v[phAbout] = lb.intents[intentIndex(p.Intent)].about
	var out []string
	for _, t := range set {
		out = append(out, t.fill(&v))
	}
	return out
}
