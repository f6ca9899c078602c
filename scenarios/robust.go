package scenarios

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// The text case: a Dutch caller whose name, transcript and summary carry
// diacritics, an apostrophe and emoji outside the Basic Multilingual Plane.
const (
	textPersona = "Daniëlle van 't Hoff-Çelik"
	textSummary = "Daniëlle van 't Hoff-Çelik belde voor een afspraak voor haar dochter Zoë; één vraag over de crème brûlée in het café 🍰 — geregeld ✅"
)

var textLines = []sim.Message{
	{Role: sim.RoleUser, Content: "Nog één ding: de afspraak is voor mijn dochter Zoë, zij heet ook van 't Hoff-Çelik 😊"},
	{Role: sim.RoleAssistant, Content: "Natuurlijk, Daniëlle! Ik heb het genoteerd voor Zoë 📅 — tot ziens en een fijne dag ☀️"},
}

// textGenerator is a call's generator whose summary is the text case's.
type textGenerator struct{ sim.Generator }

func (textGenerator) Summary(*sim.CallPlan, []sim.Message, string) string { return textSummary }

// padSpeak is how long each padding line takes on the call's clock: a short
// speaking time keeps the call's own metrics (Interactly's per-interval
// audio statistics) from dwarfing the transcript.
const padSpeak = 200 * time.Millisecond

// pad adds transcript lines, taken from the plan's own conversation, until
// their text alone is mib MiB: a long call whose report is at least that
// large in every dialect that carries the transcript.
func pad(s *sim.Session, p *sim.CallPlan, mib float64) {
	for i, text := range padLines(p, mib) {
		role := sim.RoleUser
		if i%2 == 1 {
			role = sim.RoleAssistant
		}
		s.Say(role, text, padSpeak)
	}
}

// padLength is the time the padding takes on the call's clock, with the
// longer summary before the report, which the plan's length must include
// before the call is anchored.
func padLength(p *sim.CallPlan, mib float64) time.Duration {
	n := len(padLines(p, mib))
	return time.Duration(n)*padSpeak + sim.ReportDelay(n) - sim.ReportDelay(0)
}

// padLines are the lines pad says.
func padLines(p *sim.CallPlan, mib float64) []string {
	var out []string
	var lines []string
	for _, t := range p.Turns {
		for _, l := range []string{t.Caller, t.Reply} {
			if strings.TrimSpace(l) != "" {
				lines = append(lines, l)
			}
		}
	}
	if len(lines) == 0 {
		lines = []string{"Ik wil graag een afspraak maken voor volgende week, liefst in de ochtend.",
			"Dat kan. Ik kijk even in de agenda welke tijden er nog vrij zijn."}
	}
	want := int(mib * (1 << 20))
	size := 0
	for i := 0; size < want; i++ {
		var b strings.Builder
		for j := range 8 {
			if j > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(lines[(8*i+j)%len(lines)])
		}
		text := b.String()
		out = append(out, text)
		size += len(text)
	}
	return out
}

// largeCheck refuses to send a report that did not reach the size the
// scenario asked for (a dialect whose report carries no transcript).
func largeCheck(dialect string, mib float64) func([]byte) ([]byte, error) {
	return func(body []byte) ([]byte, error) {
		if want := int(mib * (1 << 20)); len(body) < want {
			return nil, fmt.Errorf("the %s end-of-call-report carries no transcript, so it is %d bytes, not %.1f MiB: use the flireo, flireo-legacy or interactly dialect",
				dialect, len(body), mib)
		}
		return body, nil
	}
}

// Fields the documentation does not list, added to a body at the top
// level, inside message and inside message.call.
const (
	extraTop  = `"x_delivery":{"attempt":1,"region":"eu-west-1","trace_id":"4bf92f3577b34da6a3ce929d0e0e4736"},`
	extraMsg  = `"x_platform_version":"2026.2.1","x_features":["barge_in","sentiment"],`
	extraCall = `"x_queue":"main","x_recording_consent":null,`
)

// addExtraFields adds fields the documentation does not list to a rendered
// body, as a platform that grew new fields would send them.
func addExtraFields(body []byte) ([]byte, error) {
	if len(body) < 2 || body[0] != '{' {
		return nil, fmt.Errorf("the body is not a JSON object")
	}
	type insert struct {
		at   int
		text string
	}
	ins := []insert{{1, extraTop}}
	if p := []byte(`{"message":{`); bytes.HasPrefix(body, p) && body[len(p)] != '}' {
		ins = append(ins, insert{len(p), extraMsg})
		if i := bytes.Index(body, []byte(`"call":{`)); i > 0 && body[i+len(`"call":{`)] != '}' {
			ins = append(ins, insert{i + len(`"call":{`), extraCall})
		}
	}
	slices.SortFunc(ins, func(a, b insert) int { return b.at - a.at })
	out := bytes.Clone(body)
	for _, in := range ins {
		out = slices.Insert(out, in.at, []byte(in.text)...)
	}
	if !json.Valid(out) {
		return nil, fmt.Errorf("adding fields made the body invalid JSON")
	}
	return out, nil
}
