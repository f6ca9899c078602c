package dialect

import "github.com/flireo-sim/flireo-sim/simulator"

// interactlyMetrics is call.metrics.callStats, computed from the report
// before it is written, consistent with the messages: one user audio chunk
// per user message (latency: its STT latency, rounded to ms) placed in 8 s
// intervals covering the call, one turn per message, one TTS request per
// assistant message, one STT response per user message and one LLM response
// per usage entry.
type interactlyMetrics struct {
	msgs        []spoken
	users, bots int
	audio       userAudio
	botResponse []int64 // ms from a user message's end to the reply's start
	tts         latencyStats
	llm         latencyStats
	stt         latencyStats
	confidence  latencyStats
	// token totals of the LLM responses
	inputTokens, outputTokens int
}

// userAudio is callStats.userAudio: the user's chunks and their latency per
// interval of the call.
type userAudio struct {
	chunks    int64 // delayedChunksCount
	total     int64 // latencyTotal in ms
	intervals []latencyInterval
}

// avg is the mean chunk latency.
func (a *userAudio) avg() float64 {
	if a.chunks == 0 {
		return 0
	}
	return float64(a.total) / float64(a.chunks)
}

// cumulative is the duration the intervals cover: the call's.
func (a *userAudio) cumulative() int64 {
	if len(a.intervals) == 0 {
		return 0
	}
	return a.intervals[len(a.intervals)-1].cumulative
}

// latencyInterval is one interval of userAudio.latencyIntervals.
type latencyInterval struct {
	max, count, total    int64
	duration, cumulative int64 // ms
}

func (iv *latencyInterval) avg() float64 {
	if iv.count == 0 {
		return 0
	}
	return float64(iv.total) / float64(iv.count)
}

// latencyStats is a count, an exact float sum in order and the count of
// values per bucket of bounds.
type latencyStats struct {
	count   int
	total   float64
	bounds  []float64
	buckets []int
}

func (s latencyStats) avg() float64 {
	if s.count == 0 {
		return 0
	}
	return s.total / float64(s.count)
}

func statsOf(xs, bounds []float64) latencyStats {
	s := latencyStats{count: len(xs), bounds: bounds, buckets: distribution(bounds, xs)}
	for _, x := range xs {
		s.total += x
	}
	return s
}

// distribution counts each value in the bucket of the largest bound not
// above it (values below the first bound count in the first), so the counts
// sum to len(xs).
func distribution(bounds, xs []float64) []int {
	counts := make([]int, len(bounds))
	for _, x := range xs {
		b := 0
		for j := len(bounds) - 1; j > 0; j-- {
			if x >= bounds[j] {
				b = j
				break
			}
		}
		counts[b]++
	}
	return counts
}

// at returns xs[i], or 0 when the usage carries fewer figures than messages.
func at(xs []float64, i int) float64 {
	if i < len(xs) {
		return xs[i]
	}
	return 0
}

// metricsOf computes the metrics of a report whose messages are msgs.
func metricsOf(r *simulator.Report, msgs []spoken, users, bots int, durMS int64) interactlyMetrics {
	var u simulator.Usage
	if r.Usage != nil {
		u = *r.Usage
	}
	sttLat := make([]float64, 0, users)
	conf := make([]float64, 0, users)
	ttsLat := make([]float64, 0, bots)
	for i := range msgs {
		s := &msgs[i]
		if s.msg.Role == simulator.RoleUser {
			sttLat = append(sttLat, at(u.STTLatencyMS, s.index))
			conf = append(conf, at(u.STTConfidence, s.index))
		} else {
			ttsLat = append(ttsLat, at(u.TTSLatencyMS, s.index))
		}
	}
	return interactlyMetrics{
		msgs:         msgs,
		users:        users,
		bots:         bots,
		audio:        userAudioOf(msgs, u.STTLatencyMS, durMS),
		botResponse:  botResponseTimes(msgs, bots),
		tts:          statsOf(ttsLat, ttsBuckets),
		llm:          statsOf(u.LLMLatencyMS, llmBuckets),
		stt:          statsOf(sttLat, sttBuckets),
		confidence:   statsOf(conf, confidenceBuckets),
		inputTokens:  u.InputTokens,
		outputTokens: u.OutputTokens,
	}
}

// userAudioOf places one chunk per user message, its latency the message's
// STT latency rounded to ms, in the 8 s interval where the message starts.
func userAudioOf(msgs []spoken, sttLatency []float64, durMS int64) userAudio {
	n := int((durMS + interactlyInterval - 1) / interactlyInterval)
	a := userAudio{intervals: make([]latencyInterval, n)}
	var cumulative int64
	for k := range a.intervals {
		dur := int64(interactlyInterval)
		if k == n-1 {
			dur = durMS - int64(k)*interactlyInterval
		}
		cumulative += dur
		a.intervals[k].duration, a.intervals[k].cumulative = dur, cumulative
	}
	for i := range msgs {
		s := &msgs[i]
		if s.msg.Role != simulator.RoleUser || n == 0 {
			continue
		}
		lat := max(int64(at(sttLatency, s.index)+0.5), 0)
		iv := &a.intervals[min(max(int(s.start/interactlyInterval), 0), n-1)]
		iv.count++
		iv.total += lat
		iv.max = max(iv.max, lat)
		a.total += lat
		a.chunks++
	}
	return a
}

// botResponseTimes is, for each assistant message that directly follows a
// user message, the time from the end of that message to its start.
func botResponseTimes(msgs []spoken, bots int) []int64 {
	out := make([]int64, 0, bots)
	for i := range msgs {
		if msgs[i].afterUser {
			out = append(out, msgs[i].start-msgs[i-1].end)
		}
	}
	return out
}
