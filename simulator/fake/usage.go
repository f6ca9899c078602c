package fake

import (
	"math"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// Prices in euros, plausible for a Dutch voice-AI call: the platform's
// documented €0.07 per minute (spec §7.3), Dutch telephony, and typical
// speech and language model vendor rates (cf. the Interactly example,
// spec Appendix A).
const (
	pricePlatformMin = 0.07    // per call minute
	priceMobileMin   = 0.018   // per minute, calls with a mobile number
	priceFixedMin    = 0.011   // per minute, landline and 085 numbers
	priceSTTMin      = 0.0077  // per call minute (streaming transcription)
	priceTTSChar     = 0.00009 // per synthesised character
	priceLLMIn       = 0.40e-6 // per input token
	priceLLMOut      = 1.60e-6 // per output token
	systemTokensMin  = 350     // system prompt and tool definitions
	systemTokensMax  = 600
)

// Usage is the call's consumption, consistent with the messages: one LLM
// request per assistant message that answers a user message (its input is
// the whole conversation so far), TTS characters equal to the characters
// (runes) of the assistant messages, one TTS latency per assistant message
// and one STT latency and confidence per user message. Costs are per part,
// rounded to 1e-6 euro; TotalCost is their sum.
func (c *Call) Usage(p *simulator.CallPlan, msgs []simulator.Message) *simulator.Usage {
	p = c.planOr(p)
	u := &simulator.Usage{}
	tokPerWord := 1.3
	if p.Lang == "nl" {
		tokPerWord = 1.6 // Dutch words split into more tokens
	}
	context := c.r.between(systemTokensMin, systemTokensMax)
	prevUser := false
	var prevEnd time.Time
	for _, m := range msgs {
		tokens := int(math.Ceil(float64(countWords(m.Content))*tokPerWord)) + 3 // role and separators
		end := m.At.Add(m.Took)
		switch m.Role {
		case simulator.RoleUser:
			u.STTLatencyMS = append(u.STTLatencyMS, round1(clamp(c.r.lognormal(180, 0.35), 60, 900)))
			conf := 0.99 - 0.39*math.Pow(c.r.float(), 3) // mostly high, sometimes poor
			u.STTConfidence = append(u.STTConfidence, math.Round(conf*1000)/1000)
			context += tokens
			prevUser = true
		case simulator.RoleAssistant:
			tts := round1(clamp(c.r.lognormal(220, 0.3), 80, 800))
			if prevUser {
				u.InputTokens += context
				u.OutputTokens += tokens
				// The LLM's share of the pause before the assistant spoke,
				// when the timeline has one; else a typical latency.
				llm := clamp(c.r.lognormal(650, 0.35), 200, 2500)
				if gap := float64(m.At.Sub(prevEnd)) / float64(time.Millisecond); gap > tts+150 && gap < 3000 {
					llm = gap - tts
				}
				u.LLMLatencyMS = append(u.LLMLatencyMS, round1(llm))
			}
			u.TTSLatencyMS = append(u.TTSLatencyMS, tts)
			u.TTSChars += utf8.RuneCountInString(m.Content)
			context += tokens
			prevUser = false
		default:
			context += tokens
		}
		prevEnd = end
	}
	minutes := callSeconds(msgs) / 60
	u.PlatformCost = round6(pricePlatformMin * minutes)
	switch {
	case p.Customer == "":
		u.PhoneCost = 0 // web calls have no phone leg
	case strings.HasPrefix(p.Customer, "+316"):
		u.PhoneCost = round6(priceMobileMin * minutes)
	default:
		u.PhoneCost = round6(priceFixedMin * minutes)
	}
	u.STTCost = round6(priceSTTMin * minutes)
	u.TTSCost = round6(priceTTSChar * float64(u.TTSChars))
	u.LLMCost = round6(priceLLMIn*float64(u.InputTokens) + priceLLMOut*float64(u.OutputTokens))
	return u
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
func round1(x float64) float64 { return math.Round(x*10) / 10 }
