package simulator_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
)

// step is an exchange or a message of a call, in call order.
type step struct {
	at time.Time
	x  *sim.Exchange
	m  *sim.Message
}

// callSteps merges the tool-calls exchanges and the transcript by time; an
// exchange comes before a message said at the same moment.
func callSteps(res *sim.CallResult) []step {
	var out []step
	for _, x := range res.Exchanges {
		if x.Event == sim.ToolCalls && x.Request.Probe == "" {
			out = append(out, step{at: x.At, x: x})
		}
	}
	if res.Report != nil {
		for i := range res.Report.Messages {
			out = append(out, step{at: res.Report.Messages[i].At, m: &res.Report.Messages[i]})
		}
	}
	slices.SortStableFunc(out, func(a, b step) int {
		if c := a.at.Compare(b.at); c != 0 {
			return c
		}
		if (a.x != nil) == (b.x != nil) {
			return 0
		}
		if a.x != nil {
			return -1
		}
		return 1
	})
	return out
}

// toolResult is the result of a tool call in a reply, in any documented
// spelling; nil when there is none.
func toolResult(x *sim.Exchange, id string) any {
	var body struct {
		Results []map[string]any `json:"results"`
	}
	if json.Unmarshal(x.Response.Body, &body) != nil {
		return nil
	}
	for _, r := range body.Results {
		if r["tool_call_id"] == id || r["toolCallId"] == id {
			if e, ok := r["error"]; ok {
				return map[string]any{"error": e}
			}
			return r["result"]
		}
	}
	return nil
}

func flag(res any, keys ...string) (val, ok bool) {
	m, isMap := res.(map[string]any)
	if !isMap {
		return false, false
	}
	for _, k := range keys {
		if b, isBool := m[k].(bool); isBool {
			return b, true
		}
	}
	return false, false
}

func textOf(res any) string {
	b, _ := json.Marshal(res)
	return string(b)
}

func notFound(res any) bool {
	if v, ok := flag(res, "found"); ok {
		return !v
	}
	t := strings.ToLower(textOf(res))
	return res == nil || strings.Contains(t, "not found") || strings.Contains(t, "no customer") || strings.Contains(t, "geen klant")
}

func confirmed(res any) bool {
	if v, ok := flag(res, "confirmed", "success"); ok {
		return v
	}
	return strings.Contains(textOf(res), "Afspraak bevestigd")
}

var (
	foundRe   = regexp.MustCompile(`(?i)(found you|found your details|I have you down|heb u gevonden|uw gegevens gevonden|zie u in ons systeem|klantgegevens erbij)`)
	confirmRe = regexp.MustCompile(`(?i)(staat vast op|ingepland op|afspraak vastgelegd|staat genoteerd|in de agenda|is confirmed|booked in|booked the|confirmed for|bevestigingsnummer|referentienummer|confirmation number|reference number|geregeld|dat is gelukt|that's sorted|that worked|all done)`)
	clockRe   = regexp.MustCompile(`\b([01]\d|2[0-3]):[0-5]\d\b`)
	noteRe    = regexp.MustCompile(`(?i)(gespreksverslag|noteer uw verzoek|call notes|note your request)`)
)

func isTool(name, word string) bool { return strings.Contains(name, word) }

// noFoundAfterNotFound: after a lookup found nobody, no assistant line says
// the caller was found until a new lookup.
func noFoundAfterNotFound(steps []step) []string {
	var out []string
	lost := false
	for _, s := range steps {
		switch {
		case s.x != nil:
			for _, tc := range s.x.ToolCalls {
				if isTool(tc.Name, "contact") {
					lost = notFound(toolResult(s.x, tc.ID))
				}
			}
		case s.m.Role == sim.RoleAssistant && lost && foundRe.MatchString(s.m.Content):
			out = append(out, "found after not found: "+s.m.Content)
		}
	}
	return out
}

// noConfirmationWithoutResult: an assistant line that confirms follows a
// tool result that confirmed (for a booking: the latest booking), and names
// the booked time when it names a time.
func noConfirmationWithoutResult(steps []step) []string {
	var out []string
	okBooking, okLast, bookedAt := false, false, ""
	for _, s := range steps {
		if s.x != nil {
			for _, tc := range s.x.ToolCalls {
				res := toolResult(s.x, tc.ID)
				okLast = res != nil && !notFound(res) && (confirmed(res) || !isTool(tc.Name, "book"))
				if isTool(tc.Name, "book") {
					okBooking, bookedAt = confirmed(res), clockRe.FindString(textOf(res)+" "+string(tc.Arguments))
				}
			}
			continue
		}
		if s.m.Role != sim.RoleAssistant || !confirmRe.MatchString(s.m.Content) {
			continue
		}
		switch t := clockRe.FindString(s.m.Content); {
		case !okBooking && !okLast:
			out = append(out, "confirmation without a confirming result: "+s.m.Content)
		case okBooking && t != "" && t != bookedAt:
			out = append(out, fmt.Sprintf("confirms %s, booked %s: %s", t, bookedAt, s.m.Content))
		}
	}
	return out
}

// retryAfterRefusal: a booking the server refused is followed by another
// booking at another time, a callback request, or a note for a colleague.
func retryAfterRefusal(steps []step) []string {
	var out []string
	for i, s := range steps {
		if s.x == nil {
			continue
		}
		for _, tc := range s.x.ToolCalls {
			res := toolResult(s.x, tc.ID)
			if !isTool(tc.Name, "book") || res == nil || confirmed(res) {
				continue
			}
			if !followedUp(steps[i+1:], string(tc.Arguments)) {
				out = append(out, "no retry or callback after refused booking "+string(tc.Arguments))
			}
		}
	}
	return out
}

func followedUp(rest []step, args string) bool {
	for _, s := range rest {
		if s.m != nil && s.m.Role == sim.RoleAssistant && noteRe.MatchString(s.m.Content) {
			return true
		}
		if s.x == nil {
			continue
		}
		for _, tc := range s.x.ToolCalls {
			if isTool(tc.Name, "callback") || (isTool(tc.Name, "book") && string(tc.Arguments) != args) {
				return true
			}
		}
	}
	return false
}

// bookedAtOffered: once times were offered, every booking asks for one of
// them (the clock time of the booking's arguments was in an earlier result).
func bookedAtOffered(steps []step) []string {
	var out []string
	offered := map[string]bool{}
	for _, s := range steps {
		if s.x == nil {
			continue
		}
		for _, tc := range s.x.ToolCalls {
			res := textOf(toolResult(s.x, tc.ID))
			if isTool(tc.Name, "book") && len(offered) > 0 {
				if t := clockRe.FindString(string(tc.Arguments)); !offered[t] {
					out = append(out, "booking at an unoffered time: "+string(tc.Arguments))
				}
			}
			if isTool(tc.Name, "availab") || (isTool(tc.Name, "book") && !confirmed(toolResult(s.x, tc.ID))) {
				for _, t := range clockRe.FindAllString(res, -1) {
					offered[t] = true
				}
			}
		}
	}
	return out
}

// dialogueProblems runs every property over a call.
func dialogueProblems(res *sim.CallResult) []string {
	steps := callSteps(res)
	var out []string
	for _, f := range []func([]step) []string{noFoundAfterNotFound, noConfirmationWithoutResult, retryAfterRefusal, bookedAtOffered} {
		out = append(out, f(steps)...)
	}
	return out
}

// booked reports whether a booking of the call was confirmed.
func booked(res *sim.CallResult) bool {
	for _, s := range callSteps(res) {
		if s.x == nil {
			continue
		}
		for _, tc := range s.x.ToolCalls {
			if isTool(tc.Name, "book") && confirmed(toolResult(s.x, tc.ID)) {
				return true
			}
		}
	}
	return false
}

func transcriptText(res *sim.CallResult) string {
	var b strings.Builder
	if res.Report != nil {
		for _, m := range res.Report.Messages {
			fmt.Fprintf(&b, "  %s: %s\n", m.Role, m.Content)
		}
	}
	return b.String()
}

var dialogueIntents = []sim.Intent{sim.BookAppointment, sim.Reschedule}

// playMany plays seeded calls in both languages and returns the problems
// found and how many calls booked.
func playMany(t *testing.T, target, dialectName string, seeds int) (calls, bookedCalls int, problems []string) {
	t.Helper()
	e := engine(t, target, setup{dialect: dialectName})
	for seed := int64(1); seed <= int64(seeds); seed++ {
		for l, lang := range []string{"nl", "en"} {
			for n, intent := range dialogueIntents {
				// A call number per language and intent: each call has its own id.
				p, g := plan(t, seed, 1+n+len(dialogueIntents)*l, intent, lang)
				res, err := e.Play(context.Background(), p, g, sim.CallOptions{})
				require.NoError(t, err)
				calls++
				if booked(res) {
					bookedCalls++
				}
				for _, pr := range dialogueProblems(res) {
					problems = append(problems, fmt.Sprintf("seed %d %s %s: %s\n%s", seed, lang, intent, pr, transcriptText(res)))
				}
			}
		}
	}
	return calls, bookedCalls, problems
}

func TestDialogueAgainstTheReferenceIntegrator(t *testing.T) {
	ref := integratortest.Start(t)
	for _, d := range []string{"flireo", "flireo-camel", "flireo-legacy"} {
		t.Run(d, func(t *testing.T) {
			calls, bookedCalls, problems := playMany(t, ref.Webhook(), d, 10)
			assert.Empty(t, problems)
			// Most calls book: the caller picks what was offered.
			assert.GreaterOrEqual(t, bookedCalls*100/calls, 70, "%d of %d calls booked", bookedCalls, calls)
		})
	}
}

func TestDialogueAgainstBackendsOfOtherShapes(t *testing.T) {
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			b := newShapeBackend(s)
			ts := httptest.NewServer(b)
			defer ts.Close()
			calls, bookedCalls, problems := playMany(t, ts.URL, "flireo", 10)
			assert.Empty(t, problems)
			assert.Empty(t, b.violations(), "the backend saw bookings it could not take")
			assert.GreaterOrEqual(t, bookedCalls*100/calls, 70, "%d of %d calls booked", bookedCalls, calls)
		})
	}
}

func TestDialogueIsDeterministic(t *testing.T) {
	ref := integratortest.Start(t)
	e := engine(t, ref.Webhook(), setup{})
	var first string
	for range 3 {
		p, g := plan(t, 11, 1, sim.BookAppointment, "en")
		res, err := e.Play(context.Background(), p, g, sim.CallOptions{})
		require.NoError(t, err)
		text := transcriptText(res) + res.Report.Summary + string(res.Report.Analysis)
		if first == "" {
			first = text
		}
		assert.Equal(t, first, text, "same seed, same replies: same call")
	}
}
