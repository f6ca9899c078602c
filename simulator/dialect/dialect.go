// Package dialect holds the wire formats the simulator speaks: each dialect
// renders engine events into the exact JSON a platform generation sends and
// parses the integrator's replies in every documented spelling.
//
// Dialects: flireo (G3/G3+, the default), flireo-camel (G2), flireo-legacy
// (G1) and interactly (a different vendor, spec Appendix A).
package dialect

import (
	"errors"
	"fmt"
	"strings"

	"github.com/flireo-sim/flireo-sim/internal/suggest"
	"github.com/flireo-sim/flireo-sim/simulator"
)

// Dialect names as used on the command line.
const (
	NameFlireo     = "flireo"
	NameCamel      = "flireo-camel"
	NameLegacy     = "flireo-legacy"
	NameInteractly = "interactly"
)

// generation tells the dialects apart.
type generation int

const (
	genG3 generation = iota
	genG2
	genG1
	genInteractly
)

// names lists the dialects in the order Names returns them.
var names = [...]string{NameFlireo, NameCamel, NameLegacy, NameInteractly}

// Names returns the dialect names, the default (flireo) first.
func Names() []string {
	out := make([]string, len(names))
	copy(out, names[:])
	return out
}

// ByName returns the named dialect.
func ByName(name string) (simulator.Dialect, error) {
	for i, n := range names {
		if n == name {
			return &dialect{name: n, gen: generation(i), echoes: rawMemo{m: map[string][]byte{}},
				replies: replyMemo{m: map[string][]memoReply{}}}, nil
		}
	}
	return nil, fmt.Errorf("unknown dialect %q%s: use one of %s", name, suggest.Hint(name, names[:]), strings.Join(names[:], ", "))
}

// dialect implements simulator.Dialect for one generation.
type dialect struct {
	name    string
	gen     generation
	echoes  rawMemo   // assistant echoes already checked
	replies replyMemo // assistant-request replies already parsed
}

var _ simulator.Dialect = (*dialect)(nil)

// Name is the dialect's command-line name.
func (d *dialect) Name() string { return d.name }

// Sends reports whether the dialect has this event: Interactly sends no
// assistant-request and no tool-calls.
func (d *dialect) Sends(t simulator.EventType) bool {
	if _, ok := simulator.ParseEventType(string(t)); !ok {
		return false
	}
	if d.gen == genInteractly {
		return t == simulator.StatusUpdate || t == simulator.EndOfCallReport
	}
	return true
}

// Plain reports whether deliveries go without headers and signature: G1
// documents none.
func (d *dialect) Plain() bool { return d.gen == genG1 }

// FailureEndsCall reports whether a failed assistant-request ends the call:
// in G1 it does (ended-with-debugging, spec §1.3); G2/G3 use the default
// agent.
func (d *dialect) FailureEndsCall() bool { return d.gen == genG1 }

// LegacyAssistantFailure is the documented G1 debugging artifact of a call
// whose assistant-request failed (spec §1.1.3).
const LegacyAssistantFailure = "Couldn't Get Assistant. Assistant Request Did Not Return One."

// AssistantFailureError is the error text of a call that a failed
// assistant-request ends: G1 documents it; the later generations, which end
// such a call only by the simulator's policy, carry the same text.
func (d *dialect) AssistantFailureError() string { return LegacyAssistantFailure }

// ToolCallID gives a generated tool call id the dialect's documented form:
// G2/G3 use tool_… ids, G1 OpenAI-style call_… ids (spec §1.1.2, §1.2.3).
func (d *dialect) ToolCallID(id string) string {
	if d.gen == genG1 {
		if rest, ok := strings.CutPrefix(id, "tool_"); ok {
			return "call_" + rest
		}
	}
	return id
}

// Render appends the event's compact JSON body to dst. On error dst is
// returned unchanged.
func (d *dialect) Render(dst []byte, ev *simulator.Event) ([]byte, error) {
	if err := checkEvent(ev); err != nil {
		return dst, fmt.Errorf("%s: %w", d.name, err)
	}
	n := len(dst)
	var out []byte
	var err error
	switch d.gen {
	case genG3:
		out, err = renderEnvelope(dst, ev, false, &d.echoes)
	case genG2:
		out, err = renderEnvelope(dst, ev, true, &d.echoes)
	case genG1:
		out, err = renderLegacy(dst, ev)
	default:
		out, err = renderInteractly(dst, ev)
	}
	if err != nil {
		return dst[:n], fmt.Errorf("%s: render %s: %w", d.name, ev.Type, err)
	}
	return out, nil
}

// checkEvent rejects events a renderer cannot work with.
func checkEvent(ev *simulator.Event) error {
	switch {
	case ev == nil:
		return errors.New("nil event")
	case ev.Plan == nil:
		return fmt.Errorf("%s event has no Plan; the engine must attach the call plan", ev.Type)
	case ev.Type == simulator.EndOfCallReport && ev.Report == nil:
		return errors.New("end-of-call-report event has no Report; the engine must attach it")
	}
	return nil
}
