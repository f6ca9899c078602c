package dialect

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// interactlyCost is call.cost, computed from the report's usage before it
// is written.
type interactlyCost struct {
	durationS                             float64 // the call's duration in seconds
	ttsChars, inputTokens, outputTokens   int
	platform, phone, tts, stt, llm, total float64
}

// costOf computes call.cost: total is Usage.TotalCost(), the exact float
// sum of the five parts.
func costOf(r *simulator.Report, durMS int64) interactlyCost {
	var u simulator.Usage
	if r.Usage != nil {
		u = *r.Usage
	}
	return interactlyCost{
		durationS:    float64(durMS) / 1000,
		ttsChars:     u.TTSChars,
		inputTokens:  u.InputTokens,
		outputTokens: u.OutputTokens,
		platform:     u.PlatformCost,
		phone:        u.PhoneCost,
		tts:          u.TTSCost,
		stt:          u.STTCost,
		llm:          u.LLMCost,
		total:        u.TotalCost(),
	}
}

// appendCost appends call.cost.
func appendCost(dst []byte, c interactlyCost) ([]byte, error) {
	dst = append(dst, `,"cost":{"analysis":{"total":0},"callDuration":`...)
	var err error
	if dst, err = appendFloat(dst, c.durationS); err != nil {
		return dst, err
	}
	dst = append(dst, `,"ttsGenCharsTotal":`...)
	dst = strconv.AppendInt(dst, int64(c.ttsChars), 10)
	dst = append(dst, `,"inputTokensTotal":`...)
	dst = strconv.AppendInt(dst, int64(c.inputTokens), 10)
	dst = append(dst, `,"outputTokensTotal":`...)
	dst = strconv.AppendInt(dst, int64(c.outputTokens), 10)
	parts := [...]struct {
		key string
		v   float64
	}{
		{`,"interactlyCost":`, c.platform},
		{`,"phoneCost":`, c.phone},
		{`,"ttsVendorCost":`, c.tts},
		{`,"sttVendorCost":`, c.stt},
		{`,"llmVendorCost":`, c.llm},
		{`,"totalCost":`, c.total},
	}
	for _, part := range parts {
		dst = append(dst, part.key...)
		if dst, err = appendFloat(dst, part.v); err != nil {
			return dst, fmt.Errorf("cost%s %w", strings.Trim(part.key, `,":`), err)
		}
	}
	return append(dst, '}'), nil
}
