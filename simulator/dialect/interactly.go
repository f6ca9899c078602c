package dialect

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// This file renders Interactly's webhooks (spec Appendix A, seed 001): a
// different vendor with a message envelope, ms-epoch timestamps, its own
// status names and, in the end-of-call-report, a cost breakdown and call
// metrics derived from the report so that every figure adds up.

const (
	interactlyBucket   = "interactly-us-recordings"
	interactlyInterval = 8000 // ms per userAudio latency interval, as in seed 001
)

// Latency bucket lower bounds, as in seed 001.
var (
	ttsBuckets        = []float64{0, 100, 200, 300, 600, 1000, 3000, 5000, 10000}
	llmBuckets        = []float64{0, 100, 300, 600, 1000, 1500, 2000, 5000, 10000}
	sttBuckets        = []float64{0, 100, 200, 300, 600, 1000, 3000, 5000, 10000}
	confidenceBuckets = []float64{0, 0.1, 0.3, 0.5, 0.7, 0.9}
)

// interactlyIDs are the identifiers derived from the plan.
type interactlyIDs struct {
	call, team, assistant string
}

// deriveIDs derives Interactly's ids deterministically from the plan: web
// calls get "WC-<uuid>" (the plan id when it is a UUID, else a name-based
// UUID of it), phone calls keep the plan id; the team and assistant ids are
// 24 hex characters hashed from the assistant's phone id, number or business.
func deriveIDs(p *simulator.CallPlan) interactlyIDs {
	ids := interactlyIDs{call: p.ID}
	if p.Direction == simulator.Web && !strings.HasPrefix(p.ID, "WC-") {
		if u, err := uuid.Parse(p.ID); err == nil {
			ids.call = "WC-" + u.String()
		} else {
			ids.call = "WC-" + uuid.NewSHA1(uuid.NameSpaceURL, []byte("flireo-sim:call:"+p.ID)).String()
		}
	}
	key := p.PhoneID
	if key == "" {
		key = p.PhoneNumber
	}
	if key == "" {
		key = p.Business
	}
	ids.team = hashID("team", p.Business)
	ids.assistant = hashID("assistant", key)
	return ids
}

// hashID is 24 hex characters (a Mongo ObjectId's length) from a hash.
func hashID(kind, key string) string {
	sum := sha256.Sum256([]byte("flireo-sim:" + kind + ":" + key))
	return hex.EncodeToString(sum[:12])
}

// interactlyStatus maps an engine status to Interactly's call.status.
func interactlyStatus(s simulator.Status) string {
	switch s {
	case simulator.StatusRinging:
		return "queued"
	case simulator.StatusInProgress, "":
		return "ongoing"
	case simulator.StatusEnded, simulator.StatusEndedWithError:
		return "finished"
	case simulator.StatusTransferred:
		return "forwarded"
	}
	return string(s)
}

// assistantEnded reports whether the assistant's side ended the call, which
// Interactly records as callEndTriggerBy "bot" ("user" otherwise).
func assistantEnded(reason string) bool {
	switch reason {
	case simulator.EndAssistantHangup, simulator.EndMaxDuration, simulator.EndSilenceTimeout,
		simulator.EndVoicemail, simulator.EndRejected, simulator.EndTransferred:
		return true
	}
	return false
}

// outcomes phrase an end reason as Interactly's analysis.outcome.
var outcomes = map[string]string{
	simulator.EndUserHangup:      "Caller ended the call",
	simulator.EndAssistantHangup: "Assistant ended the call",
	simulator.EndMaxDuration:     "Maximum call duration reached",
	simulator.EndSilenceTimeout:  "Caller stayed silent",
	simulator.EndVoicemail:       "Voicemail reached",
	simulator.EndRejected:        "Call rejected",
	simulator.EndError:           "Call failed",
	simulator.EndTransferred:     "Call forwarded",
	simulator.EndAssistantFailed: "Assistant unavailable",
}

// spoken is one user or assistant message with its derived ids and timing.
type spoken struct {
	msg       *simulator.Message
	id        string // messageId
	replyTo   string // botTurns userMessageId (assistant messages)
	start     int64  // ms from call start
	end       int64
	afterUser bool // an assistant message that directly follows a user message
	index     int  // index among the messages of its role
}

// collectSpoken derives Interactly message ids: assistant messages before the
// caller spoke are welcome-N, user messages user-N, and an assistant message
// after user-N is user-N-response-<epoch ms>.
func collectSpoken(r *simulator.Report) (out []spoken, users, bots int) {
	welcome := 0
	lastUser := ""
	prevUser := false
	for i := range r.Messages {
		m := &r.Messages[i]
		s := spoken{msg: m, start: m.At.Sub(r.Started).Milliseconds()}
		s.end = s.start + m.Took.Milliseconds()
		switch m.Role {
		case simulator.RoleUser:
			users++
			s.index = users - 1
			s.id = "user-" + strconv.Itoa(users)
			lastUser = s.id
			prevUser = true
		case simulator.RoleAssistant:
			bots++
			s.index = bots - 1
			if lastUser == "" {
				welcome++
				s.id = "welcome-" + strconv.Itoa(welcome)
				s.replyTo = s.id
			} else {
				s.id = lastUser + "-response-" + strconv.FormatInt(m.At.UnixMilli(), 10)
				s.replyTo = lastUser
			}
			s.afterUser = prevUser
			prevUser = false
		default:
			continue
		}
		out = append(out, s)
	}
	return out, users, bots
}

// renderInteractly renders a status-update or end-of-call-report.
func renderInteractly(dst []byte, ev *simulator.Event) ([]byte, error) {
	if ev.Type != simulator.StatusUpdate && ev.Type != simulator.EndOfCallReport {
		return dst, fmt.Errorf("the interactly dialect has no %s event; check Sends before rendering", ev.Type)
	}
	p := ev.Plan
	r := ev.Report
	eocr := ev.Type == simulator.EndOfCallReport
	ids := deriveIDs(p)
	web := p.Direction == simulator.Web

	var msgs []spoken
	var users, bots int
	if eocr {
		msgs, users, bots = collectSpoken(r)
	}

	dst = append(dst, `{"message":{"timestamp":`...)
	dst = appendMillis(dst, ev.At)
	dst = append(dst, `,"type":`...)
	dst = appendString(dst, string(ev.Type))

	// call
	dst = append(dst, `,"call":{"id":`...)
	dst = appendString(dst, ids.call)
	dst = append(dst, `,"teamId":`...)
	dst = appendString(dst, ids.team)
	dst = append(dst, `,"assistantId":`...)
	dst = appendString(dst, ids.assistant)
	if web {
		dst = append(dst, `,"callType":"web","direction":"inbound"`...)
	} else {
		dst = append(dst, `,"callType":"phone","direction":`...)
		if p.Direction == simulator.Outbound {
			dst = append(dst, `"outbound"`...)
		} else {
			dst = append(dst, `"inbound"`...)
		}
	}
	dst = append(dst, `,"startAt":`...)
	if r != nil && !r.Started.IsZero() {
		dst = appendISO(dst, r.Started)
	} else {
		dst = appendISO(dst, p.Start.Add(p.Ring))
	}
	if eocr {
		dst = append(dst, `,"endAt":`...)
		dst = appendISO(dst, r.Ended)
	}
	userNumber := p.Customer
	assistantNumber := p.PhoneNumber
	if web {
		name := p.Persona.Name()
		if name == "" {
			name = "caller"
		}
		userNumber = "web-" + name
		assistantNumber = ids.assistant
	}
	dst = append(dst, `,"userNumber":`...)
	dst = appendString(dst, userNumber)
	dst = append(dst, `,"assistantNumber":`...)
	dst = appendString(dst, assistantNumber)
	status := ev.Status
	if eocr && (status == "" || status == simulator.StatusInProgress || status == simulator.StatusRinging) {
		status = simulator.StatusEnded
	}
	dst = append(dst, `,"status":`...)
	dst = appendString(dst, interactlyStatus(status))
	if status == simulator.StatusRinging || status == simulator.StatusInProgress || status == "" {
		dst = append(dst, `,"phoneCallStatus":"in-progress","phoneCallStatusReason":"Call is in progress"`...)
	} else {
		dst = append(dst, `,"phoneCallStatus":"completed","phoneCallStatusReason":"Call is completed"`...)
	}
	var err error
	durMS := int64(0)
	if eocr {
		durMS = max(r.Duration().Milliseconds(), 0)
		dst = append(dst, `,"callEndTriggerBy":`...)
		if assistantEnded(endReason(ev)) {
			dst = append(dst, `"bot"`...)
		} else {
			dst = append(dst, `"user"`...)
		}
		dst = append(dst, `,"assistantCallDuration":`...)
		dst = strconv.AppendInt(dst, durMS, 10)
	}
	dst = append(dst, `,"analysis":{"summary":"","successEvaluation":"","guardrails":"DISABLED"}`...)
	if eocr {
		if r.RecordingURL != "" {
			dst = append(dst, `,"recording":{"s3Bucket":"`+interactlyBucket+`","path":`...)
			dst = appendString(dst, ids.team+"/"+ids.call+".mp3")
			dst = append(dst, '}')
		}
		if dst, err = appendCost(dst, r, durMS); err != nil {
			return dst, err
		}
	}
	dst = append(dst, `,"assistantOverrides":{"dynamicVariables":{},"variablesValidations":{}},"metadata":`...)
	if ev.Config == nil || isNull(ev.Config.Metadata) {
		dst = append(dst, `{}`...)
	} else if dst, err = appendRawObject(dst, ev.Config.Metadata, "the assistant metadata"); err != nil {
		return dst, err
	}
	if eocr {
		if dst, err = appendMetrics(dst, r, msgs, users, bots, durMS); err != nil {
			return dst, err
		}
	}
	dst = append(dst, '}')

	// assistant
	name := p.PhoneName
	if p.Business != "" {
		name = p.Business + " - main"
	}
	dst = append(dst, `,"assistant":{"_id":`...)
	dst = appendString(dst, ids.assistant)
	dst = append(dst, `,"name":`...)
	dst = appendString(dst, name)
	dst = append(dst, '}')

	// messages
	dst = append(dst, `,"messages":[`...)
	for i := range msgs {
		s := &msgs[i]
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"messageId":`...)
		dst = appendString(dst, s.id)
		dst = append(dst, `,"role":`...)
		dst = appendString(dst, string(s.msg.Role))
		dst = append(dst, `,"text":`...)
		dst = appendString(dst, s.msg.Content)
		dst = append(dst, `,"timestamp":`...)
		dst = appendMillis(dst, s.msg.At)
		dst = append(dst, '}')
	}
	dst = append(dst, ']')

	provider := "twilio"
	if web {
		provider = ""
	}
	dst = append(dst, `,"phone":{"provider":{"name":"`+provider+`"}},"customer":{"number":`...)
	dst = appendString(dst, userNumber)
	dst = append(dst, '}')

	// analysis
	dst = append(dst, `,"analysis":{"summary":`...)
	if eocr {
		dst = appendString(dst, r.Summary)
		dst = append(dst, `,"successEvaluation":`...)
		dst = appendString(dst, r.Success)
		dst = append(dst, `,"structuredData":`...)
		if isNull(r.Analysis) {
			dst = append(dst, `{}`...)
		} else if dst, err = appendRawObject(dst, r.Analysis, "the report's analysis"); err != nil {
			return dst, err
		}
		reason := endReason(ev)
		outcome, ok := outcomes[reason]
		if !ok {
			outcome = reason
		}
		dst = append(dst, `,"outcome":`...)
		dst = appendString(dst, outcome)
	} else {
		dst = append(dst, `"","successEvaluation":"","structuredData":{},"outcome":""`...)
	}
	return append(dst, `}}}`...), nil
}

// appendCost appends call.cost from the report's usage; totalCost is
// Usage.TotalCost(), the exact float sum of the five parts.
func appendCost(dst []byte, r *simulator.Report, durMS int64) ([]byte, error) {
	var u simulator.Usage
	if r.Usage != nil {
		u = *r.Usage
	}
	dst = append(dst, `,"cost":{"analysis":{"total":0},"callDuration":`...)
	var err error
	if dst, err = appendFloat(dst, float64(durMS)/1000); err != nil {
		return dst, err
	}
	dst = append(dst, `,"ttsGenCharsTotal":`...)
	dst = strconv.AppendInt(dst, int64(u.TTSChars), 10)
	dst = append(dst, `,"inputTokensTotal":`...)
	dst = strconv.AppendInt(dst, int64(u.InputTokens), 10)
	dst = append(dst, `,"outputTokensTotal":`...)
	dst = strconv.AppendInt(dst, int64(u.OutputTokens), 10)
	parts := [...]struct {
		key string
		v   float64
	}{
		{`,"interactlyCost":`, u.PlatformCost},
		{`,"phoneCost":`, u.PhoneCost},
		{`,"ttsVendorCost":`, u.TTSCost},
		{`,"sttVendorCost":`, u.STTCost},
		{`,"llmVendorCost":`, u.LLMCost},
		{`,"totalCost":`, u.TotalCost()},
	}
	for _, part := range parts {
		dst = append(dst, part.key...)
		if dst, err = appendFloat(dst, part.v); err != nil {
			return dst, fmt.Errorf("cost%s %w", strings.Trim(part.key, `,":`), err)
		}
	}
	return append(dst, '}'), nil
}

// at returns xs[i], or 0 when the usage carries fewer figures than messages.
func at(xs []float64, i int) float64 {
	if i < len(xs) {
		return xs[i]
	}
	return 0
}

// latencyStats is a count, an exact float sum in order and the average.
type latencyStats struct {
	count int
	total float64
}

func (s latencyStats) avg() float64 {
	if s.count == 0 {
		return 0
	}
	return s.total / float64(s.count)
}

func statsOf(xs []float64) latencyStats {
	s := latencyStats{count: len(xs)}
	for _, x := range xs {
		s.total += x
	}
	return s
}

// appendDistribution appends {"<bound>": count, ...}: each value is counted
// in the bucket of the largest bound not above it (values below the first
// bound count in the first), so the counts sum to len(xs).
func appendDistribution(dst []byte, bounds, xs []float64) []byte {
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

// appendMetrics appends call.metrics.callStats, consistent with the messages:
// one user audio chunk per user message (latency: its STT latency, rounded to
// ms) placed in 8 s intervals covering the call, one turn per message, one
// TTS request per assistant message, one STT response per user message and
// one LLM response per usage entry.
func appendMetrics(dst []byte, r *simulator.Report, msgs []spoken, users, bots int, durMS int64) ([]byte, error) {
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

	// userAudio
	n := int((durMS + interactlyInterval - 1) / interactlyInterval)
	type interval struct {
		max, count, total int64
	}
	intervals := make([]interval, n)
	var chunkTotal, chunkCount int64
	for i := range msgs {
		s := &msgs[i]
		if s.msg.Role != simulator.RoleUser || n == 0 {
			continue
		}
		lat := int64(at(u.STTLatencyMS, s.index) + 0.5)
		if lat < 0 {
			lat = 0
		}
		k := min(max(int(s.start/interactlyInterval), 0), n-1)
		iv := &intervals[k]
		iv.count++
		iv.total += lat
		iv.max = max(iv.max, lat)
		chunkTotal += lat
		chunkCount++
	}
	var err error
	dst = append(dst, `,"metrics":{"callStats":{"userAudio":{"delayedChunksCount":`...)
	dst = strconv.AppendInt(dst, chunkCount, 10)
	avg := 0.0
	if chunkCount > 0 {
		avg = float64(chunkTotal) / float64(chunkCount)
	}
	if dst, err = floatField(dst, "latencyAvg", avg); err != nil {
		return dst, err
	}
	dst = append(dst, `,"latencyTotal":`...)
	dst = strconv.AppendInt(dst, chunkTotal, 10)
	dst = append(dst, `,"latencyIntervals":[`...)
	var cumulative int64
	for k := range intervals {
		iv := &intervals[k]
		dur := int64(interactlyInterval)
		if k == n-1 {
			dur = durMS - int64(k)*interactlyInterval
		}
		cumulative += dur
		if k > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, `{"max":`...)
		dst = strconv.AppendInt(dst, iv.max, 10)
		dst = append(dst, `,"count":`...)
		dst = strconv.AppendInt(dst, iv.count, 10)
		ivAvg := 0.0
		if iv.count > 0 {
			ivAvg = float64(iv.total) / float64(iv.count)
		}
		if dst, err = floatField(dst, "avg", ivAvg); err != nil {
			return dst, err
		}
		dst = append(dst, `,"duration":`...)
		dst = strconv.AppendInt(dst, dur, 10)
		dst = append(dst, `,"cumulativeDuration":`...)
		dst = strconv.AppendInt(dst, cumulative, 10)
		dst = append(dst, '}')
	}
	dst = append(dst, `],"cumulativeDuration":`...)
	dst = strconv.AppendInt(dst, cumulative, 10)
	dst = append(dst, `,"droppedChunksCount":0}`...)

	// turns
	dst = append(dst, `,"turns":{"user":`...)
	dst = strconv.AppendInt(dst, int64(users), 10)
	dst = append(dst, `,"bot":`...)
	dst = strconv.AppendInt(dst, int64(bots), 10)
	dst = append(dst, `,"played":`...)
	dst = strconv.AppendInt(dst, int64(bots), 10)
	dst = append(dst, `,"interrupted":0,"skipped":0}`...)

	// turnsStats
	dst = append(dst, `,"turnsStats":{"userTurns":[`...)
	first := true
	for i := range msgs {
		s := &msgs[i]
		if s.msg.Role != simulator.RoleUser {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = append(dst, `{"start":`...)
		dst = strconv.AppendInt(dst, s.start, 10)
		dst = append(dst, `,"end":`...)
		dst = strconv.AppendInt(dst, s.end, 10)
		dst = append(dst, `,"messageId":`...)
		dst = appendString(dst, s.id)
		dst = append(dst, '}')
	}
	dst = append(dst, `],"botTurns":[`...)
	first = true
	for i := range msgs {
		s := &msgs[i]
		if s.msg.Role != simulator.RoleAssistant {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
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
		dst = append(dst, `,"stopSpeakingReason":null}`...)
	}
	dst = append(dst, `],"botResponseTime":[`...)
	first = true
	for i := range msgs {
		s := &msgs[i]
		if !s.afterUser {
			continue
		}
		if !first {
			dst = append(dst, ',')
		}
		first = false
		dst = strconv.AppendInt(dst, s.start-msgs[i-1].end, 10)
	}
	dst = append(dst, `],"bargeInCount":0,"bargeInTimeAvg":0}`...)

	// ttsStats: every request goes to the TTS API (no cache hits simulated).
	tts := statsOf(ttsLat)
	dst = append(dst, `,"ttsStats":{"responseTimeDistribution":`...)
	dst = appendDistribution(dst, ttsBuckets, ttsLat)
	dst = append(dst, `,"totalRequests":`...)
	dst = strconv.AppendInt(dst, int64(tts.count), 10)
	for _, f := range []struct {
		key string
		v   float64
	}{{"latencyAvg", tts.avg()}, {"latencyTotal", tts.total}} {
		if dst, err = floatField(dst, f.key, f.v); err != nil {
			return dst, err
		}
	}
	dst = append(dst, `,"errors":0,"retries":0,"apiRequests":`...)
	dst = strconv.AppendInt(dst, int64(tts.count), 10)
	for _, f := range []struct {
		key string
		v   float64
	}{{"apiLatencyTotal", tts.total}, {"apiLatencyAvg", tts.avg()}} {
		if dst, err = floatField(dst, f.key, f.v); err != nil {
			return dst, err
		}
	}
	dst = append(dst, `,"cacheRequests":0,"cacheLatencyTotal":0,"cacheLatencyAvg":0}`...)

	// llmStats
	llm := statsOf(u.LLMLatencyMS)
	dst = append(dst, `,"llmStats":{"responseCount":`...)
	dst = strconv.AppendInt(dst, int64(llm.count), 10)
	if dst, err = floatField(dst, "responseLatencyTotal", llm.total); err != nil {
		return dst, err
	}
	if dst, err = floatField(dst, "responseLatencyAvg", llm.avg()); err != nil {
		return dst, err
	}
	dst = append(dst, `,"errors":0,"hangups":0,"responseTimeDistribution":`...)
	dst = appendDistribution(dst, llmBuckets, u.LLMLatencyMS)
	dst = append(dst, `,"inputTokens":`...)
	dst = strconv.AppendInt(dst, int64(u.InputTokens), 10)
	dst = append(dst, `,"outputTokens":`...)
	dst = strconv.AppendInt(dst, int64(u.OutputTokens), 10)
	inAvg, outAvg := 0.0, 0.0
	if llm.count > 0 {
		inAvg = float64(u.InputTokens) / float64(llm.count)
		outAvg = float64(u.OutputTokens) / float64(llm.count)
	}
	if dst, err = floatField(dst, "inputTokensAvg", inAvg); err != nil {
		return dst, err
	}
	if dst, err = floatField(dst, "outputTokensAvg", outAvg); err != nil {
		return dst, err
	}
	dst = append(dst, '}')

	// sttStats: no end-of-utterance model is simulated, so its distribution
	// stays empty.
	stt := statsOf(sttLat)
	cf := statsOf(conf)
	dst = append(dst, `,"sttStats":{"responseTimeDistribution":`...)
	dst = appendDistribution(dst, sttBuckets, sttLat)
	dst = append(dst, `,"responseCount":`...)
	dst = strconv.AppendInt(dst, int64(stt.count), 10)
	for _, f := range []struct {
		key string
		v   float64
	}{
		{"responseLatencyAvg", stt.avg()},
		{"relativeLatencyAvg", stt.avg()},
		{"responseLatencyTotal", stt.total},
		{"confidenceAvg", cf.avg()},
	} {
		if dst, err = floatField(dst, f.key, f.v); err != nil {
			return dst, err
		}
	}
	dst = append(dst, `,"connectionRetries":0,"errors":0,"confidenceDistribution":`...)
	dst = appendDistribution(dst, confidenceBuckets, conf)
	dst = append(dst, `,"eouProbabilityDistribution":`...)
	dst = appendDistribution(dst, confidenceBuckets, nil)
	return append(dst, `}}}`...), nil
}
