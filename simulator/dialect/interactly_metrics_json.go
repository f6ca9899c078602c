package dialect

import (
	"fmt"
	"strconv"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// appendMetrics appends call.metrics.callStats.
func appendMetrics(dst []byte, m *interactlyMetrics) ([]byte, error) {
	var err error
	dst = append(dst, `,"metrics":{"callStats":{"userAudio":`...)
	if dst, err = appendUserAudio(dst, &m.audio); err != nil {
		return dst, err
	}
	dst = append(dst, `,"turns":{"user":`...)
	dst = strconv.AppendInt(dst, int64(m.users), 10)
	dst = append(dst, `,"bot":`...)
	dst = strconv.AppendInt(dst, int64(m.bots), 10)
	dst = append(dst, `,"played":`...)
	dst = strconv.AppendInt(dst, int64(m.bots), 10)
	dst = append(dst, `,"interrupted":0,"skipped":0}`...)
	if dst, err = appendTurnsStats(dst, m); err != nil {
		return dst, err
	}
	if dst, err = appendTTSStats(dst, m.tts); err != nil {
		return dst, err
	}
	if dst, err = appendLLMStats(dst, m); err != nil {
		return dst, err
	}
	if dst, err = appendSTTStats(dst, m.stt, m.confidence); err != nil {
		return dst, err
	}
	return append(dst, `}}`...), nil
}

// appendUserAudio appends userAudio with its latency intervals.
func appendUserAudio(dst []byte, a *userAudio) ([]byte, error) {
	var err error
	dst = append(dst, `{"delayedChunksCount":`...)
	dst = strconv.AppendInt(dst, a.chunks, 10)
	if dst, err = floatField(dst, "latencyAvg", a.avg()); err != nil {
		return dst, err
	}
	dst = append(dst, `,"latencyTotal":`...)
	dst = strconv.AppendInt(dst, a.total, 10)
	dst = append(dst, `,"latencyIntervals":[`...)
	for k := range a.intervals {
		iv := &a.intervals[k]
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"max":`...)
		dst = strconv.AppendInt(dst, iv.max, 10)
		dst = append(dst, `,"count":`...)
		dst = strconv.AppendInt(dst, iv.count, 10)
		if dst, err = floatField(dst, "avg", iv.avg()); err != nil {
			return dst, err
		}
		dst = append(dst, `,"duration":`...)
		dst = strconv.AppendInt(dst, iv.duration, 10)
		dst = append(dst, `,"cumulativeDuration":`...)
		dst = strconv.AppendInt(dst, iv.cumulative, 10)
		dst = append(dst, '}')
	}
	dst = append(dst, `],"cumulativeDuration":`...)
	dst = strconv.AppendInt(dst, a.cumulative(), 10)
	return append(dst, `,"droppedChunksCount":0}`...), nil
}

// appendTurnsStats appends turnsStats: the user's and the assistant's turns
// and the assistant's response times.
func appendTurnsStats(dst []byte, m *interactlyMetrics) ([]byte, error) {
	dst = append(dst, `,"turnsStats":{"userTurns":[`...)
	dst, _ = appendTurns(dst, m.msgs, simulator.RoleUser, appendUserTurn)
	dst = append(dst, `],"botTurns":[`...)
	dst, err := appendTurns(dst, m.msgs, simulator.RoleAssistant, appendBotTurn)
	if err != nil {
		return dst, err
	}
	dst = append(dst, `],"botResponseTime":[`...)
	for i, ms := range m.botResponse {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendInt(dst, ms, 10)
	}
	return append(dst, `],"bargeInCount":0,"bargeInTimeAvg":0}`...), nil
}

// appendTurns appends the turns of the messages of one role, comma
// separated, each written by appendTurn.
func appendTurns(dst []byte, msgs []spoken, role simulator.Role, appendTurn func([]byte, *spoken) ([]byte, error)) ([]byte, error) {
	first := true
	for i := range msgs {
		s := &msgs[i]
		if s.msg.Role != role {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		var err error
		if dst, err = appendTurn(dst, s); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// appendUserTurn appends one userTurns entry.
func appendUserTurn(dst []byte, s *spoken) ([]byte, error) {
	dst = append(dst, `{"start":`...)
	dst = strconv.AppendInt(dst, s.start, 10)
	dst = append(dst, `,"end":`...)
	dst = strconv.AppendInt(dst, s.end, 10)
	dst = append(dst, `,"messageId":`...)
	dst = appendString(dst, s.id)
	return append(dst, '}'), nil
}

// appendBotTurn appends one botTurns entry: nothing is interrupted, so the
// played duration is the whole message.
func appendBotTurn(dst []byte, s *spoken) ([]byte, error) {
	var err error
	dst = append(dst, `{"start":`...)
	dst = strconv.AppendInt(dst, s.start, 10)
	dst = append(dst, `,"end":`...)
	dst = strconv.AppendInt(dst, s.end, 10)
	dst = append(dst, `,"interrupted":false`...)
	played := float64(s.msg.Took.Milliseconds()) / 1000
	if dst, err = floatField(dst, "playedDuration", played); err != nil {
		return dst, err
	}
	if dst, err = floatField(dst, "audioDuration", played); err != nil {
		return dst, err
	}
	dst = append(dst, `,"userMessageId":`...)
	dst = appendString(dst, s.replyTo)
	return append(dst, `,"stopSpeakingReason":null}`...), nil
}

// appendTTSStats appends ttsStats: every request goes to the TTS API (no
// cache hits simulated).
func appendTTSStats(dst []byte, tts latencyStats) ([]byte, error) {
	dst = append(dst, `,"ttsStats":{"responseTimeDistribution":`...)
	dst = appendCounts(dst, tts.bounds, tts.buckets)
	dst = append(dst, `,"totalRequests":`...)
	dst = strconv.AppendInt(dst, int64(tts.count), 10)
	dst, err := floatFields(dst, metric{"latencyAvg", tts.avg()}, metric{"latencyTotal", tts.total})
	if err != nil {
		return dst, err
	}
	dst = append(dst, `,"errors":0,"retries":0,"apiRequests":`...)
	dst = strconv.AppendInt(dst, int64(tts.count), 10)
	if dst, err = floatFields(dst, metric{"apiLatencyTotal", tts.total}, metric{"apiLatencyAvg", tts.avg()}); err != nil {
		return dst, err
	}
	return append(dst, `,"cacheRequests":0,"cacheLatencyTotal":0,"cacheLatencyAvg":0}`...), nil
}

// appendLLMStats appends llmStats with the token totals and averages per
// response.
func appendLLMStats(dst []byte, m *interactlyMetrics) ([]byte, error) {
	llm := m.llm
	dst = append(dst, `,"llmStats":{"responseCount":`...)
	dst = strconv.AppendInt(dst, int64(llm.count), 10)
	dst, err := floatFields(dst, metric{"responseLatencyTotal", llm.total}, metric{"responseLatencyAvg", llm.avg()})
	if err != nil {
		return dst, err
	}
	dst = append(dst, `,"errors":0,"hangups":0,"responseTimeDistribution":`...)
	dst = appendCounts(dst, llm.bounds, llm.buckets)
	dst = append(dst, `,"inputTokens":`...)
	dst = strconv.AppendInt(dst, int64(m.inputTokens), 10)
	dst = append(dst, `,"outputTokens":`...)
	dst = strconv.AppendInt(dst, int64(m.outputTokens), 10)
	inAvg, outAvg := 0.0, 0.0
	if llm.count > 0 {
		inAvg = float64(m.inputTokens) / float64(llm.count)
		outAvg = float64(m.outputTokens) / float64(llm.count)
	}
	if dst, err = floatFields(dst, metric{"inputTokensAvg", inAvg}, metric{"outputTokensAvg", outAvg}); err != nil {
		return dst, err
	}
	return append(dst, '}'), nil
}

// appendSTTStats appends sttStats: no end-of-utterance model is simulated,
// so its distribution stays empty.
func appendSTTStats(dst []byte, stt, conf latencyStats) ([]byte, error) {
	dst = append(dst, `,"sttStats":{"responseTimeDistribution":`...)
	dst = appendCounts(dst, stt.bounds, stt.buckets)
	dst = append(dst, `,"responseCount":`...)
	dst = strconv.AppendInt(dst, int64(stt.count), 10)
	dst, err := floatFields(dst,
		metric{"responseLatencyAvg", stt.avg()},
		metric{"relativeLatencyAvg", stt.avg()},
		metric{"responseLatencyTotal", stt.total},
		metric{"confidenceAvg", conf.avg()},
	)
	if err != nil {
		return dst, err
	}
	dst = append(dst, `,"connectionRetries":0,"errors":0,"confidenceDistribution":`...)
	dst = appendCounts(dst, conf.bounds, conf.buckets)
	dst = append(dst, `,"eouProbabilityDistribution":`...)
	dst = appendDistribution(dst, confidenceBuckets, nil)
	return append(dst, '}'), nil
}

// appendDistribution appends {"<bound>": count, ...} for the values xs.
func appendDistribution(dst []byte, bounds, xs []float64) []byte {
	return appendCounts(dst, bounds, distribution(bounds, xs))
}

// appendCounts appends {"<bound>": count, ...}.
func appendCounts(dst []byte, bounds []float64, counts []int) []byte {
	dst = append(dst, '{')
	for j, bound := range bounds {
		if j > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, '"')
		dst = strconv.AppendFloat(dst, bound, 'f', -1, 64)
		dst = append(dst, '"', ':')
		dst = strconv.AppendInt(dst, int64(counts[j]), 10)
	}
	return append(dst, '}')
}

// metric is one named float figure.
type metric struct {
	key string
	v   float64
}

// floatFields appends ,"key":value for each metric in order.
func floatFields(dst []byte, ms ...metric) ([]byte, error) {
	var err error
	for _, m := range ms {
		if dst, err = floatField(dst, m.key, m.v); err != nil {
			return dst, err
		}
	}
	return dst, nil
}

// floatField appends ,"key":value.
func floatField(dst []byte, key string, v float64) ([]byte, error) {
	dst = append(dst, ',', '"')
	dst = append(dst, key...)
	dst = append(dst, '"', ':')
	d, err := appendFloat(dst, v)
	if err != nil {
		return dst, fmt.Errorf("metric %s: %w", key, err)
	}
	return d, nil
}
