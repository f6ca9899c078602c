package dialect

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// The cost and the metrics are values computed before anything is written:
// their figures are checked here without rendering.

func TestCostTotalAddsUp(t *testing.T) {
	cases := []struct {
		name  string
		usage *simulator.Usage
		durMS int64
	}{
		{"no usage", nil, 0},
		{"rich", richReport(richPlan(), 3).Usage, 16688},
		{"awkward floats", &simulator.Usage{PlatformCost: 0.1, PhoneCost: 0.2, TTSCost: 0.3, STTCost: 1e-9, LLMCost: 7}, 1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cost := costOf(&simulator.Report{Usage: c.usage}, c.durMS)
			total, err := cost.total()
			require.NoError(t, err)
			assert.Equal(t, float64(c.durMS)/1000, cost.durationS)
			if c.usage != nil {
				assert.InDelta(t, c.usage.TotalCost(), float64(total)/costUnit, 1e-10)
				assert.Equal(t, c.usage.InputTokens, cost.inputTokens)
			}
		})
	}
}

func TestLatencyStats(t *testing.T) {
	cases := []struct {
		name    string
		xs      []float64
		count   int
		total   float64
		avg     float64
		buckets []int
	}{
		{"none", nil, 0, 0, 0, []int{0, 0, 0, 0, 0, 0, 0, 0, 0}},
		{"one", []float64{250}, 1, 250, 250, []int{0, 0, 1, 0, 0, 0, 0, 0, 0}},
		{"spread", []float64{-5, 99.9, 100, 12000}, 4, 12194.9, 3048.725, []int{2, 1, 0, 0, 0, 0, 0, 0, 1}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := statsOf(c.xs, ttsBuckets)
			assert.Equal(t, c.count, s.count)
			assert.InDelta(t, c.total, s.total, 1e-9)
			assert.InDelta(t, c.avg, s.avg(), 1e-9)
			assert.Equal(t, c.buckets, s.buckets)
		})
	}
}

func TestUserAudioIntervals(t *testing.T) {
	start := time.Date(2026, 2, 3, 9, 15, 0, 0, time.UTC)
	r := &simulator.Report{Started: start, Messages: []simulator.Message{
		{Role: simulator.RoleAssistant, At: start, Took: 2 * time.Second},
		{Role: simulator.RoleUser, At: start.Add(3 * time.Second), Took: time.Second},
		{Role: simulator.RoleAssistant, At: start.Add(4500 * time.Millisecond), Took: time.Second},
		{Role: simulator.RoleUser, At: start.Add(9 * time.Second), Took: time.Second},
		{Role: simulator.RoleUser, At: start.Add(10 * time.Second), Took: time.Second},
	}}
	msgs, users, bots := collectSpoken(r)
	u := &simulator.Usage{STTLatencyMS: []float64{100.4, 200.5, -3}}
	r.Usage = u
	m := metricsOf(r, msgs, users, bots, 17000)

	a := m.audio
	require.Len(t, a.intervals, 3, "8 s intervals covering 17 s")
	assert.Equal(t, []latencyInterval{
		{max: 100, count: 1, total: 100, duration: 8000, cumulative: 8000},
		{max: 201, count: 2, total: 201, duration: 8000, cumulative: 16000},
		{duration: 1000, cumulative: 17000},
	}, a.intervals)
	assert.Equal(t, int64(3), a.chunks)
	assert.Equal(t, int64(301), a.total)
	assert.InDelta(t, 301.0/3, a.avg(), 1e-9)
	assert.Equal(t, int64(17000), a.cumulative())
	assert.Equal(t, 100.5, a.intervals[1].avg())

	assert.Equal(t, []int64{500}, m.botResponse, "only the reply right after a user message")
	assert.Equal(t, 3, m.stt.count)
	assert.Equal(t, 2, m.tts.count)
	assert.Equal(t, 0, m.llm.count)
}

func TestUserAudioOfAnEmptyCall(t *testing.T) {
	a := userAudioOf(nil, nil, 0)
	assert.Empty(t, a.intervals)
	assert.Zero(t, a.avg())
	assert.Zero(t, a.cumulative())
}
