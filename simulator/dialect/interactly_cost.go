package dialect

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// interactlyCost is call.cost, computed from the report's usage before it
// is written. Costs print to costDecimals decimals, finer than any price the
// platform documents, without float noise (0.01062, never
// 0.010620000000000001); totalCost is exactly the sum of the printed parts.
type interactlyCost struct {
	durationS                           float64 // the call's duration in seconds
	ttsChars, inputTokens, outputTokens int
	platform, phone, tts, stt, llm      float64
}

// costOf computes call.cost from the report's usage.
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
	}
}

// costDecimals is the precision of printed costs; costUnit its scale.
const (
	costDecimals = 10
	costUnit     = 1e10
	// maxCostUnits bounds a part (about 10^8 euro): beyond, it is no
	// call's cost, and the sum could overflow.
	maxCostUnits = 1e18
)

// costUnits is a cost in units of 1e-10 euro, rounded; it refuses NaN,
// infinities and absurd amounts.
func costUnits(v float64) (int64, error) {
	m := math.Round(v * costUnit)
	if math.IsNaN(m) || math.Abs(m) >= maxCostUnits {
		return 0, fmt.Errorf("cannot render %v: JSON has no NaN or infinity and no call costs that much; check the generated usage figures", v)
	}
	return int64(m), nil
}

// total is the sum of the parts in units of 1e-10 euro, each part rounded
// first: the sum of the printed parts.
func (c interactlyCost) total() (int64, error) {
	var sum int64
	for _, v := range [...]float64{c.platform, c.phone, c.tts, c.stt, c.llm} {
		m, err := costUnits(v)
		if err != nil {
			return 0, err
		}
		sum += m
	}
	return sum, nil
}

// appendUnits appends m units of 1e-10 as a JSON number with at most
// costDecimals decimals and no trailing zeros: 1513530000 is 0.151353.
func appendUnits(dst []byte, m int64) []byte {
	if m < 0 {
		dst = append(dst, '-')
		m = -m
	}
	dst = strconv.AppendInt(dst, m/costUnit, 10)
	frac := m % costUnit
	if frac == 0 {
		return dst
	}
	var buf [costDecimals + 1]byte
	buf[0] = '.'
	for i := costDecimals; i >= 1; i-- {
		buf[i] = byte('0' + frac%10)
		frac /= 10
	}
	n := len(buf)
	for buf[n-1] == '0' {
		n--
	}
	return append(dst, buf[:n]...)
}

// appendCostValue appends a cost to costDecimals decimals.
func appendCostValue(dst []byte, v float64) ([]byte, error) {
	m, err := costUnits(v)
	if err != nil {
		return dst, err
	}
	return appendUnits(dst, m), nil
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
	}
	for _, part := range parts {
		dst = append(dst, part.key...)
		if dst, err = appendCostValue(dst, part.v); err != nil {
			return dst, fmt.Errorf("cost %s %w", strings.Trim(part.key, `,":`), err)
		}
	}
	total, err := c.total()
	if err != nil {
		return dst, fmt.Errorf("cost totalCost %w", err)
	}
	dst = appendUnits(append(dst, `,"totalCost":`...), total)
	return append(dst, '}'), nil
}
