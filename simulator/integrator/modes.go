package integrator

import (
	"context"
	"net/http"
	"strings"
	"time"
)

// Mode is a misbehaviour mode: a server that is correct except for the one
// thing the mode breaks.
type Mode struct {
	Name        string
	Description string
}

// modeDef is one entry of the mode table: the mode's name and description
// plus the hooks through which it breaks exactly one behaviour. A nil hook
// leaves that behaviour correct. Adding a mode means adding a row here.
type modeDef struct {
	Mode

	// skipVerify accepts every delivery whatever its signature.
	skipVerify bool
	// hang blocks every webhook delivery until the client goes away.
	hang bool
	// slowEvent is the event answered only after the delay; slowDefault is
	// the delay used when Options.Delay is zero.
	slowEvent   string
	slowDefault time.Duration
	// intercept answers an event in place of the correct handling (nothing
	// is recorded); nil reply means handle normally.
	intercept func(eventType string) *reply
	// adjustPlan changes the assistant configuration before it is rendered.
	adjustPlan func(p *assistantPlan)
	// adjustAssistant changes the rendered assistant-request reply object.
	adjustAssistant func(f format, body map[string]any)
	// adjustTools changes the tool answers before they are rendered.
	adjustTools func(answers []toolAnswer) []toolAnswer
	// adjustReply changes the encoded reply just before it is written.
	adjustReply func(eventType string, r *reply)
	// wrap wraps the webhook handler when the server is built; state the
	// mode needs lives in the closure, one per server.
	wrap func(s *Server, next http.Handler) http.Handler
	// before runs once the delivery is verified and parsed: it may change
	// the event, wait, or answer in place of the correct handling (a
	// non-nil reply, nothing recorded). abandon reports that the client went
	// away while it waited.
	before func(ctx context.Context, s *Server, ev *event, h http.Header, body []byte) (rep *reply, abandon bool)
}

// modeTable lists every misbehaviour mode, in the order Modes reports them.
var modeTable = []modeDef{
	{
		Mode:        Mode{"slow-assistant", "answers assistant-request only after the delay (default 6 s, past the 5 s deadline)"},
		slowEvent:   eventAssistantRequest,
		slowDefault: 6 * time.Second,
	},
	{
		Mode:        Mode{"slow-tool", "answers tool-calls only after the delay (default 11 s, past the 10 s deadline)"},
		slowEvent:   eventToolCalls,
		slowDefault: 11 * time.Second,
	},
	{
		Mode: Mode{"wrong-tool-call-id", "tool results carry ids that were not asked for (suffix -x)"},
		adjustTools: func(answers []toolAnswer) []toolAnswer {
			for i := range answers {
				answers[i].ID += "-x"
			}
			return answers
		},
	},
	{
		Mode: Mode{"missing-tool-result", "drops the last entry of the tool results"},
		adjustTools: func(answers []toolAnswer) []toolAnswer {
			if len(answers) == 0 {
				return answers
			}
			return answers[:len(answers)-1]
		},
	},
	{
		Mode: Mode{"bad-json", "answers assistant-request 200 with truncated JSON"},
		adjustReply: func(eventType string, r *reply) {
			if eventType == eventAssistantRequest {
				r.body = r.body[:len(r.body)/2]
			}
		},
	},
	{
		Mode: Mode{"eocr-500", "answers end-of-call-report with 500 and does not store it"},
		intercept: func(eventType string) *reply {
			if eventType != eventEndOfCallReport {
				return nil
			}
			return jsonReply(http.StatusInternalServerError, map[string]string{"error": "internal server error: could not store the report"})
		},
	},
	{
		Mode:       Mode{"accept-any-signature", "skips signature verification: accepts missing, bad and stale signatures"},
		skipVerify: true,
	},
	{
		Mode: Mode{"html-reply", "answers assistant-request 200 text/html with an HTML error page"},
		adjustReply: func(eventType string, r *reply) {
			if eventType == eventAssistantRequest {
				r.status = http.StatusOK
				r.contentType = "text/html; charset=utf-8"
				r.body = []byte(htmlErrorPage)
			}
		},
	},
	{
		Mode: Mode{"hang", "never answers any webhook until the client goes away"},
		hang: true,
	},
	{
		Mode: Mode{"cut-reply", "answers assistant-request 200 with a Content-Length longer than the JSON it sends, then closes the connection"},
		adjustReply: func(eventType string, r *reply) {
			if eventType == eventAssistantRequest {
				r.missing = 64
			}
		},
	},
	{
		Mode:            Mode{"latin1-reply", "encodes the assistant-request reply in ISO-8859-1 instead of UTF-8 (its first message welcomes callers to Café De Gouden Leeuw)"},
		adjustAssistant: cafeFirstMessage,
		adjustReply: func(eventType string, r *reply) {
			if eventType == eventAssistantRequest {
				r.body = latin1(r.body)
			}
		},
	},
	{
		Mode: Mode{"huge-reply", "answers assistant-request with a valid JSON reply of more than 2 MiB"},
		adjustPlan: func(p *assistantPlan) {
			p.SystemPrompt += "\n\nKennisbank:\n" + hugeKnowledgeBase()
		},
	},
	{
		Mode: Mode{"unknown-keys", "assistant-request reply spells llm_config as llmConfig and first_message as firstMesage"},
		adjustAssistant: func(f format, body map[string]any) {
			a, ok := body["assistant"].(map[string]any)
			if !ok {
				return
			}
			first, llm := "first_message", "llm_config"
			switch f {
			case formatG1:
				first, llm = "firstMessage", "model"
			case formatG2, formatInteractly:
				first = "firstMessage"
			}
			renameKey(a, first, "firstMesage")
			renameKey(a, llm, "llmConfig")
		},
	},
	{
		Mode:        Mode{"slow-ack", "handles status-update, end-of-call-report and async tool-calls at once but acknowledges them only after the delay (default 6 s, past the 5 s acknowledgement deadline)"},
		slowDefault: 6 * time.Second,
		wrap:        slowAck,
	},
	{
		Mode:            Mode{"bad-assistant-shape", "assistant-request reply gives the max duration as a string (\"600\") instead of a number of seconds"},
		adjustAssistant: maxDurationAsString,
	},
	{
		Mode:        Mode{"bad-tool-shape", "every tool result entry carries \"error\": false next to its result (error must be a string)"},
		adjustReply: errorFalseInResults,
	},
	{
		Mode:       Mode{"reserialized-signature", "verifies the signature over the body re-encoded as compact JSON instead of the raw bytes"},
		skipVerify: true,
		before:     verifyReserialized,
	},
	{
		Mode:   Mode{"reject-duplicate-report", "answers a second end-of-call-report for the same call with 409 Conflict"},
		before: rejectDuplicateReport,
	},
	{
		Mode:   Mode{"report-needs-ended", "answers 409 to an end-of-call-report that arrives before the call's status-update ended"},
		before: reportNeedsEnded,
	},
	{
		Mode:   Mode{"strict-fields", "answers 400 to a body with a top-level field it does not know"},
		before: strictFields,
	},
	{
		Mode:   Mode{"require-caller-number", "answers 400 to webhooks without a customer number (web calls)"},
		before: requireCallerNumber,
	},
	{
		Mode:   Mode{"small-body-limit", "answers 413 to webhook bodies over 100 KiB (a common framework default)"},
		before: smallBodyLimitHook,
	},
	{
		Mode:   Mode{"mangle-text", "stores the report summary with every non-ASCII character replaced by ?"},
		before: mangleText,
	},
	{
		Mode:        Mode{"one-at-a-time", "handles one webhook at a time, taking the delay (default 25 ms) each, and answers 503 to webhooks that arrive meanwhile"},
		slowDefault: 25 * time.Millisecond,
		wrap:        oneAtATime,
	},
}

// Modes lists the misbehaviour modes with a one-line description each.
func Modes() []Mode {
	out := make([]Mode, len(modeTable))
	for i, m := range modeTable {
		out[i] = m.Mode
	}
	return out
}

// modeNames is the comma-separated list of mode names, for error messages.
func modeNames() string {
	names := make([]string, len(modeTable))
	for i, m := range modeTable {
		names[i] = m.Name
	}
	return strings.Join(names, ", ")
}

// lookupMode returns the mode table entry named name; "" is the correct server.
func lookupMode(name string) (modeDef, bool) {
	if name == "" {
		return modeDef{}, true
	}
	for _, m := range modeTable {
		if m.Name == name {
			return m, true
		}
	}
	return modeDef{}, false
}

func renameKey(m map[string]any, from, to string) {
	if v, ok := m[from]; ok {
		delete(m, from)
		m[to] = v
	}
}

// cafeFirstMessage sets a first message with a letter outside ASCII.
func cafeFirstMessage(f format, body map[string]any) {
	a, ok := body["assistant"].(map[string]any)
	if !ok {
		return
	}
	key := "first_message"
	if f == formatG1 || f == formatG2 || f == formatInteractly {
		key = "firstMessage"
	}
	a[key] = "Welkom bij Café De Gouden Leeuw, waarmee kan ik u helpen?"
}

// latin1 re-encodes UTF-8 text as ISO-8859-1 (runes past U+00FF become '?').
func latin1(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for _, r := range string(b) {
		if r > 0xff {
			r = '?'
		}
		out = append(out, byte(r))
	}
	return out
}

// hugeReplySize is the minimum size of the knowledge base the huge-reply mode
// adds to the system prompt: over the 2 MiB reply cap on its own.
const hugeReplySize = 2<<20 + 64<<10

func hugeKnowledgeBase() string {
	const line = "Artikel: openingstijden, retourbeleid, bezorging en afspraken gelden voor alle vestigingen van Voorbeeld Bedrijf.\n"
	return strings.Repeat(line, hugeReplySize/len(line)+1)
}

const htmlErrorPage = `<!DOCTYPE html>
<html>
<head><title>502 Bad Gateway</title></head>
<body>
<h1>502 Bad Gateway</h1>
<p>The upstream application did not respond. Please try again later.</p>
<hr><address>nginx</address>
</body>
</html>
`
