package platform

import "encoding/json"

// assistantDefaults are the provider configurations an assistant answers
// with when it was created without them (the SDK's Assistant requires
// stt_config, llm_config and tts_config): the values of the docs' G3+
// assistant example (spec §1.2.1). Keys missing from a given configuration
// are filled the same way, so that every answer carries the fields the SDK
// requires; the stored fields, and so the calls' webhooks, keep what was given.
var assistantDefaults = map[string]map[string]any{
	"stt_config": {"provider": "deepgram", "model": "nova-3", "language": "nl"},
	"llm_config": {"provider": "openai", "model": "gpt-4.1"},
	"tts_config": {"provider": "elevenlabs", "voice_id": "ukiwGs47sHyibruHJ1vg"},
}

// withDefaults completes the answer out of an assistant with the given
// fields: is_active (true unless given) and the provider configurations.
func withDefaults(out map[string]any, fields map[string]json.RawMessage) {
	if raw, ok := fields["is_active"]; !ok || isNull(raw) {
		out["is_active"] = true
	}
	for key, def := range assistantDefaults {
		raw, ok := fields[key]
		if !ok || isNull(raw) {
			out[key] = def
			continue
		}
		var given map[string]json.RawMessage
		if json.Unmarshal(raw, &given) != nil {
			continue // not an object: answered as given
		}
		merged := make(map[string]any, len(given)+len(def))
		for k, v := range def {
			if r, ok := given[k]; !ok || isNull(r) {
				merged[k] = v
			}
		}
		if len(merged) == 0 {
			continue
		}
		for k, v := range given {
			if _, filled := merged[k]; !filled {
				merged[k] = v
			}
		}
		out[key] = merged
	}
}
