package integrator

import (
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
