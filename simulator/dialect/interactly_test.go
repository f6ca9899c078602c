package dialect

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// interactlyReport is the part of an Interactly end-of-call-report whose
// figures must add up.
type interactlyReport struct {
	Message struct {
		Call struct {
			AssistantCallDuration int64
			Cost                  struct {
				CallDuration                                                           float64
				TTSGenCharsTotal, InputTokensTotal, OutputTokensTotal                  int
				InteractlyCost, PhoneCost, TTSVendorCost, STTVendorCost, LLMVendorCost float64
				TotalCost                                                              float64
			}
			Metrics struct {
				CallStats struct {
					UserAudio struct {
						DelayedChunksCount int
						LatencyAvg         float64
						LatencyTotal       float64
						LatencyIntervals   []struct {
							Max, Avg                     float64
							Count                        int
							Duration, CumulativeDuration int64
						}
						CumulativeDuration int64
					}
					Turns struct {
						User, Bot, Played int
					}
					TurnsStats struct {
						UserTurns []struct {
							Start, End int64
							MessageID  string
						}
						BotTurns []struct {
							Start, End                    int64
							PlayedDuration, AudioDuration float64
							UserMessageID                 string
						}
						BotResponseTime []int64
					}
					TTSStats struct {
						ResponseTimeDistribution map[string]int
						TotalRequests            int
						LatencyAvg, LatencyTotal float64
						APIRequests              int
						APILatencyTotal          float64
					}
					LLMStats struct {
						ResponseCount                            int
						ResponseLatencyTotal, ResponseLatencyAvg float64
						ResponseTimeDistribution                 map[string]int
						InputTokens, OutputTokens                int
						InputTokensAvg, OutputTokensAvg          float64
					}
					STTStats struct {
						ResponseTimeDistribution                 map[string]int
						ResponseCount                            int
						ResponseLatencyAvg, ResponseLatencyTotal float64
						ConfidenceAvg                            float64
						ConfidenceDistribution                   map[string]int
					}
				}
			}
		}
		Messages []struct {
			MessageID string
			Role      string
			Text      string
			Timestamp int64
		}
	}
}

func sumCounts(m map[string]int) int {
	n := 0
	for _, c := range m {
		n += c
	}
	return n
}

func TestInteractlyFiguresAddUp(t *testing.T) {
	type variant struct {
		name   string
		turns  int
		web    bool
		usage  func(*simulator.Usage) *simulator.Usage
		system bool
	}
	variants := []variant{
		{name: "one turn", turns: 1},
		{name: "three turns", turns: 3},
		{name: "twenty turns web", turns: 20, web: true},
		{name: "no usage", turns: 2, usage: func(*simulator.Usage) *simulator.Usage { return nil }},
		{name: "fewer latencies than messages", turns: 4, usage: func(u *simulator.Usage) *simulator.Usage {
			u.TTSLatencyMS, u.STTLatencyMS, u.STTConfidence = u.TTSLatencyMS[:2], u.STTLatencyMS[:1], nil
			return u
		}},
		{name: "system messages are not turns", turns: 2, system: true},
	}
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			p := richPlan()
			if v.web {
				p.Direction, p.Customer, p.PhoneNumber = simulator.Web, "", ""
			}
			r := richReport(p, v.turns)
			if v.usage != nil {
				r.Usage = v.usage(r.Usage)
			}
			if v.system {
				sys := simulator.Message{Role: simulator.RoleSystem, Content: "context", At: r.Started.Add(time.Second)}
				r.Messages = append([]simulator.Message{r.Messages[0], sys}, r.Messages[1:]...)
			}
			ev := &simulator.Event{Type: simulator.EndOfCallReport, Plan: p, At: r.Ended, Status: simulator.StatusEnded, Report: r}
			out, err := mustDialect(t, NameInteractly).Render(nil, ev)
			require.NoError(t, err)
			var got interactlyReport
			require.NoError(t, json.Unmarshal(out, &got))
			checkInteractlyFigures(t, r, &got)
		})
	}
}

func checkInteractlyFigures(t *testing.T, r *simulator.Report, got *interactlyReport) {
	var u simulator.Usage
	if r.Usage != nil {
		u = *r.Usage
	}
	call := got.Message.Call
	stats := call.Metrics.CallStats
	var users, bots []simulator.Message
	for _, m := range r.Messages {
		switch m.Role {
		case simulator.RoleUser:
			users = append(users, m)
		case simulator.RoleAssistant:
			bots = append(bots, m)
		}
	}
	durMS := r.Duration().Milliseconds()

	// messages
	require.Len(t, got.Message.Messages, len(users)+len(bots), "system messages are left out")
	// duration and cost
	assert.Equal(t, durMS, call.AssistantCallDuration)
	assert.Equal(t, float64(durMS)/1000, call.Cost.CallDuration)
	assert.InDelta(t, u.TotalCost(), call.Cost.TotalCost, 1e-10, "totalCost is Usage.TotalCost() to 1e-10")
	assert.Equal(t, call.Cost.InteractlyCost+call.Cost.PhoneCost+call.Cost.TTSVendorCost+call.Cost.STTVendorCost+call.Cost.LLMVendorCost,
		call.Cost.TotalCost, "totalCost is the exact float sum of the parts")
	assert.Equal(t, u.InputTokens, call.Cost.InputTokensTotal)
	assert.Equal(t, u.TTSChars, call.Cost.TTSGenCharsTotal)

	// turns
	assert.Equal(t, len(users), stats.Turns.User)
	assert.Equal(t, len(bots), stats.Turns.Bot)
	assert.Equal(t, len(bots), stats.Turns.Played)
	require.Len(t, stats.TurnsStats.UserTurns, len(users))
	require.Len(t, stats.TurnsStats.BotTurns, len(bots))
	ids := map[string]bool{}
	for _, m := range got.Message.Messages {
		ids[m.MessageID] = true
	}
	assert.Len(t, ids, len(got.Message.Messages), "message ids are unique")
	for i, m := range users {
		ut := stats.TurnsStats.UserTurns[i]
		assert.Equal(t, m.At.Sub(r.Started).Milliseconds(), ut.Start)
		assert.Equal(t, m.Took.Milliseconds(), ut.End-ut.Start)
		assert.Equal(t, fmt.Sprintf("user-%d", i+1), ut.MessageID)
		assert.True(t, ids[ut.MessageID])
	}
	for i, m := range bots {
		bt := stats.TurnsStats.BotTurns[i]
		assert.Equal(t, m.At.Sub(r.Started).Milliseconds(), bt.Start)
		assert.Equal(t, m.Took.Milliseconds(), bt.End-bt.Start)
		assert.Equal(t, float64(m.Took.Milliseconds())/1000, bt.PlayedDuration)
		assert.True(t, ids[bt.UserMessageID] || bt.UserMessageID == "welcome-1")
	}
	assert.Len(t, stats.TurnsStats.BotResponseTime, len(users), "the conversation alternates, so every caller turn gets one response")
	for _, rt := range stats.TurnsStats.BotResponseTime {
		assert.Positive(t, rt)
	}

	// user audio
	ua := stats.UserAudio
	var cum int64
	var total float64
	count := 0
	for _, iv := range ua.LatencyIntervals {
		cum += iv.Duration
		assert.Equal(t, cum, iv.CumulativeDuration, "cumulativeDuration is the running sum")
		total += iv.Avg * float64(iv.Count)
		count += iv.Count
		assert.LessOrEqual(t, iv.Avg, iv.Max)
	}
	require.NotEmpty(t, ua.LatencyIntervals)
	assert.Equal(t, ua.CumulativeDuration, ua.LatencyIntervals[len(ua.LatencyIntervals)-1].CumulativeDuration)
	assert.Equal(t, durMS, ua.CumulativeDuration)
	assert.Equal(t, len(users), ua.DelayedChunksCount)
	assert.Equal(t, len(users), count)
	assert.InDelta(t, ua.LatencyTotal, total, 1e-9)
	var wantTotal float64
	for i := range users {
		wantTotal += math.Floor(at(u.STTLatencyMS, i) + 0.5)
	}
	assert.Equal(t, wantTotal, ua.LatencyTotal)
	if count > 0 {
		assert.Equal(t, ua.LatencyTotal/float64(count), ua.LatencyAvg)
	}

	// TTS
	tts := stats.TTSStats
	assert.Equal(t, len(bots), tts.TotalRequests)
	assert.Equal(t, tts.TotalRequests, sumCounts(tts.ResponseTimeDistribution))
	var ttsTotal float64
	for i := range bots {
		ttsTotal += at(u.TTSLatencyMS, i)
	}
	assert.Equal(t, ttsTotal, tts.LatencyTotal)
	assert.Equal(t, tts.LatencyTotal, tts.APILatencyTotal)
	assert.Equal(t, tts.TotalRequests, tts.APIRequests)
	if tts.TotalRequests > 0 {
		assert.Equal(t, tts.LatencyTotal/float64(tts.TotalRequests), tts.LatencyAvg)
	}

	// LLM
	llm := stats.LLMStats
	assert.Equal(t, len(u.LLMLatencyMS), llm.ResponseCount)
	assert.Equal(t, llm.ResponseCount, sumCounts(llm.ResponseTimeDistribution))
	var llmTotal float64
	for _, x := range u.LLMLatencyMS {
		llmTotal += x
	}
	assert.Equal(t, llmTotal, llm.ResponseLatencyTotal)
	if llm.ResponseCount > 0 {
		assert.Equal(t, llm.ResponseLatencyTotal/float64(llm.ResponseCount), llm.ResponseLatencyAvg)
		assert.Equal(t, float64(u.InputTokens)/float64(llm.ResponseCount), llm.InputTokensAvg)
	}
	assert.Equal(t, u.InputTokens, llm.InputTokens)
	assert.Equal(t, u.OutputTokens, llm.OutputTokens)

	// STT
	stt := stats.STTStats
	assert.Equal(t, len(users), stt.ResponseCount)
	assert.Equal(t, stt.ResponseCount, sumCounts(stt.ResponseTimeDistribution))
	assert.Equal(t, stt.ResponseCount, sumCounts(stt.ConfidenceDistribution))
	if stt.ResponseCount > 0 {
		assert.Equal(t, stt.ResponseLatencyTotal/float64(stt.ResponseCount), stt.ResponseLatencyAvg)
	}
}

func TestDistributionBuckets(t *testing.T) {
	out := appendDistribution(nil, ttsBuckets, []float64{-5, 0, 99.9, 100, 250, 999, 1000, 12000})
	assert.Equal(t, `{"0":3,"100":1,"200":1,"300":0,"600":1,"1000":1,"3000":0,"5000":0,"10000":1}`, string(out))
	out = appendDistribution(nil, confidenceBuckets, []float64{0.05, 0.1, 0.69, 0.7, 0.95})
	assert.Equal(t, `{"0":1,"0.1":1,"0.3":0,"0.5":1,"0.7":1,"0.9":1}`, string(out))
}

func TestInteractlyIDs(t *testing.T) {
	p := richPlan()
	a, b := deriveIDs(p), deriveIDs(richPlan())
	assert.Equal(t, a, b, "ids are deterministic")
	assert.Len(t, a.team, 24)
	assert.Len(t, a.assistant, 24)
	assert.Equal(t, p.ID, a.call, "phone calls keep the plan id")

	p.Direction = simulator.Web
	assert.Equal(t, "WC-"+p.ID, deriveIDs(p).call)
	p.ID = "call-42"
	w1, w2 := deriveIDs(p).call, deriveIDs(p).call
	assert.Equal(t, w1, w2)
	assert.Regexp(t, `^WC-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$`, w1)
	p.ID = "WC-already"
	assert.Equal(t, "WC-already", deriveIDs(p).call)

	other := richPlan()
	other.PhoneID = "num_other"
	assert.NotEqual(t, a.assistant, deriveIDs(other).assistant)
}

func TestCallEndTriggerBy(t *testing.T) {
	for reason, want := range map[string]bool{
		simulator.EndAssistantHangup: true, simulator.EndMaxDuration: true, simulator.EndSilenceTimeout: true,
		simulator.EndVoicemail: true, simulator.EndRejected: true, simulator.EndTransferred: true,
		simulator.EndUserHangup: false, simulator.EndError: false, simulator.EndAssistantFailed: false, "": false,
	} {
		assert.Equal(t, want, assistantEnded(reason), reason)
	}
}
