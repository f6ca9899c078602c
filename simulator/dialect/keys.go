package dialect

import (
	"strings"

	"github.com/flireo-sim/flireo-sim/internal/suggest"
)

// This file lists the reply keys the platform documents, in any generation
// (spec §1.1.1, §1.2.2, §1.2.3, §6.3). A reply key outside these lists is one
// the platform would silently ignore; it is reported with the documented
// spelling it most likely meant.

// replyTopKeys are the top-level keys of an assistant-request reply.
var replyTopKeys = []string{
	"assistant", "assistant_id", "assistant_override", "error",
	"max_duration_seconds", "maxDurationSeconds",
	"userMetadata", // G1: "any userMetadata you specified in the assistant-request" (§1.1.4)
}

// assistantKeys are the keys of an assistant object (transient assistant or
// assistant_override): the G3/G3+ SDK list (§1.2.2), the REST assistant
// object (§6.3), the G2 spellings and the G1 example's keys (§1.1.1).
var assistantKeys = []string{
	// G3/G3+ and the REST assistant object
	"first_message", "end_call_message", "voicemail_message", "max_duration_seconds",
	"stt_config", "llm_config", "tts_config", "speech_config", "analysis_plan",
	"autonomous_silence_handling", "silence_timeout_seconds", "voicemail_detection",
	"webhook_url", "webhook_secret", "webhook_events", "metadata",
	"id", "name", "business_name", "notification_email", "notification_emails",
	"recording_consent", "is_active", "gdpr_mode", "created_at", "updated_at",
	// G2 and G1 camelCase
	"firstMessage", "endCallMessage", "voicemailMessage", "maxDurationSeconds", "analysisPlan",
	"messagePlan", "firstMessageInterruptionsEnabled", "firstMessageMode", "backgroundSound",
	"endCallPhrases", "compliancePlan", "startSpeakingPlan", "stopSpeakingPlan",
	"keypadInputPlan", "transcriber", "model", "voice", "userMetadata",
}

// llmKeys are the keys of llm_config (G2/G3, §1.2.2, §6.3) and of the G1
// model block (§1.1.1).
var llmKeys = []string{
	"provider", "model", "voice", "temperature", "max_completion_tokens", "messages", "tools",
	"maxTokens", "emotionRecognitionEnabled",
}

// analysisPlanKeys are the keys of analysis_plan / analysisPlan (§1.2.2, §7).
var analysisPlanKeys = []string{
	"structured_data_plan", "structuredDataPlan", "min_messages_threshold", "minMessagesThreshold",
	"summaryPlan", "successEvaluationPlan",
}

// structuredDataKeys are the keys of structured_data_plan (§1.2.2, §7.2).
var structuredDataKeys = []string{"enabled", "schema", "messages"}

// toolKeys are the keys of a tool definition: flat, OpenAI nested and
// built-in shapes (§1.2.3, §6.4).
var toolKeys = []string{
	"type", "name", "description", "url", "async", "parameters",
	"async_response", "asyncResponse", "message", "server", "function", "destinations",
}

// functionKeys are the keys of the OpenAI nested function object.
var functionKeys = []string{"name", "description", "parameters"}

// toolReplyTopKeys are the top-level keys of the results, simple and error
// tool reply formats (§1.2.3).
var toolReplyTopKeys = []string{"results", "result", "error"}

// toolResultKeys are the keys of one results[] entry.
var toolResultKeys = []string{"tool_call_id", "toolCallId", "result", "error"}

// normKey folds a key for spelling suggestions: lower case, no '_' or '-'.
func normKey(k string) string {
	return strings.Map(func(r rune) rune {
		if r == '_' || r == '-' {
			return -1
		}
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, k)
}

// unknownKey describes an undocumented key: "key (documented: a, b)" naming
// the documented spellings it folds to, or "key (not documented)".
func unknownKey(path, key string, known []string) string {
	n := normKey(key)
	var match []string
	for _, k := range known {
		if normKey(k) == n {
			match = append(match, k)
		}
	}
	if len(match) == 0 {
		if near, ok := nearestKey(key, known); ok {
			return path + key + " (not documented; did you mean " + near + "?)"
		}
		return path + key + " (not documented)"
	}
	return path + key + " (documented: " + strings.Join(match, ", ") + ")"
}

// nearestKey is the documented key a likely typo of key meant, compared
// folded (llm_confg and llmConfg both mean llm_config).
func nearestKey(key string, known []string) (string, bool) {
	folded := make([]string, len(known))
	for i, k := range known {
		folded[i] = normKey(k)
	}
	i, ok := suggest.NearestIndex(normKey(key), folded)
	if !ok {
		return "", false
	}
	return known[i], true
}

// isKnown reports whether key is in known.
func isKnown(key string, known []string) bool {
	for _, k := range known {
		if k == key {
			return true
		}
	}
	return false
}
