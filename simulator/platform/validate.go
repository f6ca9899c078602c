package platform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// The validation table: every field whose type, range, length or values the
// docs constrain (spec §6.2, §6.3, SDK types) is checked before it is
// stored or drives a call; a value that parses but breaks its rule answers
// 400 invalid_request naming the field. Where the docs give a type but no
// bound, the bound is the simulator's stated choice (docs/platform.md).

// fieldKind is the JSON type a field must have.
type fieldKind int

const (
	kindString fieldKind = iota + 1
	kindInt
	kindBool
	kindObject
	kindStrings // an array of strings
)

// fieldRule constrains one top-level field. For strings lo/hi bound the
// length in characters, for integers the value, for arrays the number of
// items (hi 0: no upper bound).
type fieldRule struct {
	name   string
	kind   fieldKind
	null   bool // null is accepted (it removes the field on update)
	lo, hi int
	oneOf  []string          // the values a string (or every item) may take
	check  func(string) bool // an extra test of a string (or every item)
	what   string            // what check wants, for the message
}

// Bounds chosen where the docs give none.
const (
	maxNameLen        = 200
	maxTextLen        = 5000 // first_message, voicemail_message, control content…
	maxSecretLen      = 256
	minMaxDuration    = 10
	maxMaxDuration    = 43200 // 12 h
	maxSilenceTimeout = 3600
	maxNotifyEmails   = 5 // documented: at most five
)

// eventNames are the documented webhook_events values (spec §6.3).
var eventNames = []string{"assistant-request", "tool-calls", "status-update", "end-of-call-report"}

// assistantRules are the documented assistant fields (spec §6.3, SDK
// Assistant/AssistantCreateParams); name's presence is checked elsewhere.
var assistantRules = []fieldRule{
	{name: "name", kind: kindString, lo: 1, hi: maxNameLen},
	{name: "business_name", kind: kindString, null: true, hi: maxNameLen},
	{name: "notification_email", kind: kindString, null: true, hi: 320, check: isEmail, what: "an e-mail address such as ops@example.com"},
	{name: "notification_emails", kind: kindStrings, null: true, hi: maxNotifyEmails, check: isEmail, what: "an e-mail address such as ops@example.com"},
	{name: "first_message", kind: kindString, null: true, hi: maxTextLen},
	{name: "voicemail_message", kind: kindString, null: true, hi: maxTextLen},
	{name: "end_call_message", kind: kindString, null: true, hi: maxTextLen},
	{name: "is_active", kind: kindBool},
	{name: "max_duration_seconds", kind: kindInt, null: true, lo: minMaxDuration, hi: maxMaxDuration},
	{name: "autonomous_silence_handling", kind: kindBool},
	{name: "silence_timeout_seconds", kind: kindInt, lo: 1, hi: maxSilenceTimeout},
	{name: "voicemail_detection", kind: kindBool, null: true},
	{name: "gdpr_mode", kind: kindBool},
	{name: "webhook_url", kind: kindString, null: true, hi: 2048, check: isHookURL, what: "an http(s) URL such as https://example.com/webhook"},
	{name: "webhook_secret", kind: kindString, null: true, hi: maxSecretLen},
	{name: "webhook_events", kind: kindStrings, null: true, oneOf: eventNames},
	{name: "analysis_plan", kind: kindObject, null: true},
	{name: "recording_consent", kind: kindObject, null: true},
	{name: "stt_config", kind: kindObject, null: true},
	{name: "llm_config", kind: kindObject, null: true},
	{name: "tts_config", kind: kindObject, null: true},
	{name: "speech_config", kind: kindObject, null: true},
	{name: "metadata", kind: kindObject, null: true},
}

// outboundRules are the documented fields of POST /calls/outbound besides
// the assistant (spec §6.2); destination is checked by outboundSpec.
var outboundRules = []fieldRule{
	{name: "number_id", kind: kindString, hi: maxNameLen},
	{name: "assistant_id", kind: kindString, hi: maxNameLen},
	{name: "agent_id", kind: kindString, hi: maxNameLen},
	{name: "first_message", kind: kindString, null: true, hi: maxTextLen},
}

// validate checks the outbound request's own fields and the fields of the
// assistant that will drive the call (transient, or saved with the
// override laid over it), naming them as the request spelled them.
func (req *outboundRequest) validate(fields map[string]json.RawMessage) *requestError {
	own := map[string]*string{"number_id": &req.NumberID, "assistant_id": &req.AssistantID, "agent_id": &req.AgentID, "first_message": req.FirstMessage}
	for _, r := range outboundRules {
		if v := own[r.name]; v != nil {
			if rerr := r.checkString(*v, r.name); rerr != nil {
				return rerr
			}
		}
	}
	prefix := "assistant_override."
	if t, param := req.transient(); t != nil {
		prefix = param + "."
	}
	return validateFields(fields, assistantRules, prefix)
}

// controlRules bound the text fields of POST /calls/{id}/control (spec §5.1).
var controlRules = []fieldRule{
	{name: "content", kind: kindString, hi: maxTextLen},
	{name: "message", kind: kindString, hi: maxTextLen},
	{name: "destination", kind: kindString, hi: 320},
}

// validate checks the lengths of a control command's texts.
func (req *controlRequest) validate() *requestError {
	for i, v := range []*string{req.Content, req.Message, req.Destination} {
		if v == nil {
			continue
		}
		if rerr := controlRules[i].checkString(*v, controlRules[i].name); rerr != nil {
			return rerr
		}
	}
	return nil
}

func isEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

func isHookURL(s string) bool { return strings.TrimSpace(s) == "" || kit.CheckTarget(s) == nil }

// validateFields checks the fields against the rules; prefix names the
// object they sit in ("assistant." for a transient assistant).
func validateFields(fields map[string]json.RawMessage, rules []fieldRule, prefix string) *requestError {
	for _, r := range rules {
		raw, ok := fields[r.name]
		if !ok {
			continue
		}
		if rerr := r.validate(raw, prefix+r.name); rerr != nil {
			return rerr
		}
	}
	return nil
}

// validate checks one value of the field named param.
func (r *fieldRule) validate(raw json.RawMessage, param string) *requestError {
	raw = bytes.TrimSpace(raw)
	if isNull(raw) {
		if r.null {
			return nil
		}
		return badRequest(param, "%s must not be null: it must be %s", param, r.kindText())
	}
	switch r.kind {
	case kindString:
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return badRequest(param, "%s must be %s, not %s", param, r.kindText(), jsonShape(raw))
		}
		return r.checkString(s, param)
	case kindInt:
		return r.checkInt(raw, param)
	case kindBool:
		var b bool
		if json.Unmarshal(raw, &b) != nil {
			return badRequest(param, "%s must be %s, not %s", param, r.kindText(), jsonShape(raw))
		}
	case kindObject:
		if raw[0] != '{' {
			return badRequest(param, "%s must be %s, not %s", param, r.kindText(), jsonShape(raw))
		}
	case kindStrings:
		return r.checkStrings(raw, param)
	}
	return nil
}

func (r *fieldRule) checkString(s, param string) *requestError {
	n := utf8.RuneCountInString(s)
	switch {
	case n < r.lo:
		return badRequest(param, "%s must not be empty", param)
	case r.hi > 0 && n > r.hi:
		return badRequest(param, "%s is %d characters long; at most %d are allowed", param, n, r.hi)
	case r.oneOf != nil && !slices.Contains(r.oneOf, s):
		return badRequest(param, "%s %q is not one of %s", param, s, strings.Join(r.oneOf, ", "))
	case r.check != nil && !r.check(s):
		return badRequest(param, "%s %q is not %s", param, s, r.what)
	}
	return nil
}

func (r *fieldRule) checkInt(raw json.RawMessage, param string) *requestError {
	var num json.Number
	if c := raw[0]; c != '-' && (c < '0' || c > '9') || json.Unmarshal(raw, &num) != nil {
		return badRequest(param, "%s must be %s, not %s", param, r.kindText(), jsonShape(raw))
	}
	n, err := strconv.ParseInt(num.String(), 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(num.String(), 64)
		if ferr != nil || f != float64(int64(f)) {
			return badRequest(param, "%s must be %s, not %s", param, r.kindText(), num.String())
		}
		n = int64(f)
	}
	if n < int64(r.lo) || n > int64(r.hi) {
		return badRequest(param, "%s must be from %d to %d, got %d", param, r.lo, r.hi, n)
	}
	return nil
}

func (r *fieldRule) checkStrings(raw json.RawMessage, param string) *requestError {
	var items []string
	if json.Unmarshal(raw, &items) != nil {
		return badRequest(param, "%s must be %s, not %s", param, r.kindText(), jsonShape(raw))
	}
	if r.hi > 0 && len(items) > r.hi {
		return badRequest(param, "%s has %d items; at most %d are allowed", param, len(items), r.hi)
	}
	item := fieldRule{kind: kindString, oneOf: r.oneOf, check: r.check, what: r.what, hi: 320}
	for i, s := range items {
		if rerr := item.checkString(s, fmt.Sprintf("%s[%d]", param, i)); rerr != nil {
			rerr.param = param
			return rerr
		}
	}
	return nil
}

// kindText says what a value of the rule's kind looks like.
func (r *fieldRule) kindText() string {
	switch r.kind {
	case kindInt:
		return fmt.Sprintf("a whole number from %d to %d", r.lo, r.hi)
	case kindBool:
		return "true or false"
	case kindObject:
		return "a JSON object"
	case kindStrings:
		if r.oneOf != nil {
			return "an array of " + strings.Join(r.oneOf, ", ")
		}
		return "an array of strings"
	}
	return "a string"
}

// jsonShape names the JSON type of a value for a message.
func jsonShape(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "nothing"
	}
	switch raw[0] {
	case '"':
		return "a string"
	case '{':
		return "an object"
	case '[':
		return "an array"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	}
	return "the number " + string(raw)
}
