package dialect

import (
	"crypto/sha256"
	"encoding/hex"
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
