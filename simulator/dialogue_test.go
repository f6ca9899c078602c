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

// reportTells: the summary names the time actually booked, or no time when
// nothing was booked; the success evaluation is not good when nothing was
// booked; an analysis flag about booking says what happened.
func reportTells(res *sim.CallResult) []string {
	if res.Report == nil {
		return nil
	}
	var out []string
	at := bookedTime(res)
	times := clockRe.FindAllString(res.Report.Summary, -1)
	switch {
	case at != "" && !slices.Contains(times, at):
		out = append(out, "summary does not name the booked time "+at+": "+res.Report.Summary)
	case at == "" && len(times) > 0:
		out = append(out, "summary names a time but nothing was booked: "+res.Report.Summary)
	}
	if at == "" && slices.Contains([]string{"Excellent", "Good", "true"}, res.Report.Success) {
		out = append(out, "success "+res.Report.Success+" but nothing was booked")
	}
	var analysis map[string]any
	_ = json.Unmarshal(res.Report.Analysis, &analysis)
	for k, v := range analysis {
		if b, ok := v.(bool); ok && strings.Contains(strings.ToLower(k), "booked") && b != (at != "") {
			out = append(out, fmt.Sprintf("analysis %s=%v, booked %q", k, b, at))
		}
	}
	return out
}

// bookedTime is the clock time of the latest confirmed booking, "" for none.
func bookedTime(res *sim.CallResult) string {
	at := ""
	for _, s := range callSteps(res) {
		if s.x == nil {
			continue
		}
		for _, tc := range s.x.ToolCalls {
			if r := toolResult(s.x, tc.ID); isTool(tc.Name, "book") && confirmed(r) {
				at = clockRe.FindString(textOf(r) + " " + string(tc.Arguments))
			}
		}
	}
	return at
}

// dialogueProblems runs every property over a call.
func dialogueProblems(res *sim.CallResult) []string {
	steps := callSteps(res)
	out := reportTells(res)
	for _, f := range []func([]step) []string{noFoundAfterNotFound, noConfirmationWithoutResult, retryAfterRefusal, bookedAtOffered} {
		out = append(out, f(steps)...)
	}
	return out
}

// booked reports whether a booking of the call was confirmed.
func booked(res *sim.CallResult) bool { return bookedTime(res) != "" }

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

// tally counts what the calls went through, so that a property that held
// is known to have been put to the test.
type tally struct {
	calls, booked, notFound, refused, lookups int
}

func (n *tally) add(res *sim.CallResult) {
	n.calls++
	if booked(res) {
		n.booked++
	}
	for _, s := range callSteps(res) {
		if s.x == nil {
			continue
		}
		for _, tc := range s.x.ToolCalls {
			r := toolResult(s.x, tc.ID)
			switch {
			case isTool(tc.Name, "contact"):
				n.lookups++
				if notFound(r) {
					n.notFound++
				}
			case isTool(tc.Name, "book") && r != nil && !confirmed(r):
				n.refused++
			}
		}
	}
}

// playMany plays seeded calls in both languages and returns the problems
// found and what the calls went through.
func playMany(t *testing.T, target, dialectName string, seeds int) (n tally, problems []string) {
	t.Helper()
	e := engine(t, target, setup{dialect: dialectName})
	for seed := int64(1); seed <= int64(seeds); seed++ {
		for l, lang := range []string{"nl", "en"} {
			for k, intent := range dialogueIntents {
				// A call number per language and intent: each call has its own id.
				p, g := plan(t, seed, 1+k+len(dialogueIntents)*l, intent, lang)
				res, err := e.Play(context.Background(), p, g, sim.CallOptions{})
				require.NoError(t, err)
				n.add(res)
				for _, pr := range dialogueProblems(res) {
					problems = append(problems, fmt.Sprintf("seed %d %s %s: %s\n%s", seed, lang, intent, pr, transcriptText(res)))
				}
			}
		}
	}
	t.Logf("%d calls: %d booked, %d lookups (%d found nobody), %d bookings refused", n.calls, n.booked, n.lookups, n.notFound, n.refused)
	return n, problems
}

func TestDialogueAgainstTheReferenceIntegrator(t *testing.T) {
	ref := integratortest.Start(t)
	for _, d := range []string{"flireo", "flireo-camel", "flireo-legacy"} {
		t.Run(d, func(t *testing.T) {
			n, problems := playMany(t, ref.Webhook(), d, 10)
			assert.Empty(t, problems)
			// Most calls book: the caller picks what was offered.
			assert.GreaterOrEqual(t, n.booked*100/n.calls, 70, "%d of %d calls booked", n.booked, n.calls)
			assert.Positive(t, n.notFound, "lookups that found nobody were played")
			// The caller books only what was offered, after a check: the
			// retry after a refusal is played against the shape backends.
		})
	}
}

func TestDialogueAgainstBackendsOfOtherShapes(t *testing.T) {
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			b := newShapeBackend(s)
			ts := httptest.NewServer(b)
			defer ts.Close()
			n, problems := playMany(t, ts.URL, "flireo", 10)
			assert.Empty(t, problems)
			assert.Empty(t, b.violations(), "the backend saw bookings it could not take")
			assert.GreaterOrEqual(t, n.booked*100/n.calls, 70, "%d of %d calls booked", n.booked, n.calls)
			if s.refuseFirst {
				// The caller books only what was offered; a backend that
				// refuses anyway has the retry played.
				assert.Positive(t, n.refused, "refused bookings were played")
			}
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

func TestDialogueWhenNoTimeCanBeBooked(t *testing.T) {
	full := shapes[0]
	full.name, full.refuseFirst = "full", false
	full.bookingAt = func(map[string]any) (string, bool) { return "", false } // every booking is refused
	b := newShapeBackend(full)
	ts := httptest.NewServer(b)
	defer ts.Close()
	n, problems := playMany(t, ts.URL, "flireo", 6)
	assert.Empty(t, problems)
	assert.Zero(t, n.booked)
	assert.Positive(t, n.refused)
}

// TestDialogueChecksCatchBrokenCalls: each property fails on a call that
// breaks it and holds on the same call done right.
func TestDialogueChecksCatchBrokenCalls(t *testing.T) {
	t0 := time.Date(2027, 3, 1, 10, 0, 0, 0, time.UTC)
	tool := func(sec int, name, args, result string) *sim.Exchange {
		return &sim.Exchange{Event: sim.ToolCalls, At: t0.Add(time.Duration(sec) * time.Second),
			ToolCalls: []sim.ToolCall{{ID: "t" + fmt.Sprint(sec), Name: name, Arguments: json.RawMessage(args)}},
			Response:  sim.Response{Body: []byte(`{"results":[{"tool_call_id":"t` + fmt.Sprint(sec) + `","result":` + result + `}]}`)}}
	}
	say := func(sec int, role sim.Role, text string) sim.Message {
		return sim.Message{Role: role, Content: text, At: t0.Add(time.Duration(sec) * time.Second)}
	}
	call := func(xs []*sim.Exchange, msgs ...sim.Message) *sim.CallResult {
		return &sim.CallResult{Exchanges: xs, Report: &sim.Report{Messages: msgs}}
	}
	lookup := tool(1, "lookup_contact", `{"query":"Jan"}`, `{"found":false}`)
	avail := tool(3, "check_availability", `{"date":"2027-03-02"}`, `{"slots":["09:00","10:30"]}`)
	tests := []struct {
		name   string
		check  func([]step) []string
		broken *sim.CallResult
		right  *sim.CallResult
	}{
		{"found after not found", noFoundAfterNotFound,
			call([]*sim.Exchange{lookup}, say(2, sim.RoleAssistant, "Ik heb u gevonden: Jan.")),
			call([]*sim.Exchange{lookup, tool(3, "lookup_contact", `{"query":"j@x.nl"}`, `{"found":true}`)}, say(4, sim.RoleAssistant, "Ik heb u gevonden: Jan."))},
		{"confirmation without result", noConfirmationWithoutResult,
			call([]*sim.Exchange{tool(5, "book_appointment", `{"time":"09:00"}`, `{"status":"rejected"}`)}, say(6, sim.RoleAssistant, "Your appointment is confirmed for Tuesday at 09:00.")),
			call([]*sim.Exchange{tool(5, "book_appointment", `{"time":"09:00"}`, `{"confirmed":true,"time":"09:00"}`)}, say(6, sim.RoleAssistant, "Your appointment is confirmed for Tuesday at 09:00."))},
		{"confirms another time", noConfirmationWithoutResult,
			call([]*sim.Exchange{tool(5, "book_appointment", `{"time":"09:00"}`, `{"confirmed":true,"time":"09:00"}`)}, say(6, sim.RoleAssistant, "All set: you're booked in for Tuesday at 14:15.")),
			call([]*sim.Exchange{tool(5, "book_appointment", `{"time":"09:00"}`, `{"confirmed":true,"time":"09:00"}`)}, say(6, sim.RoleAssistant, "All set: you're booked in for Tuesday at 09:00."))},
		{"no retry after refusal", retryAfterRefusal,
			call([]*sim.Exchange{tool(5, "book_appointment", `{"time":"09:00"}`, `{"success":false}`)}),
			call([]*sim.Exchange{tool(5, "book_appointment", `{"time":"09:00"}`, `{"success":false}`), tool(7, "book_appointment", `{"time":"10:30"}`, `{"success":true}`)})},
		{"unoffered time", bookedAtOffered,
			call([]*sim.Exchange{avail, tool(5, "book_appointment", `{"time":"14:15"}`, `{"confirmed":true}`)}),
			call([]*sim.Exchange{avail, tool(5, "book_appointment", `{"time":"10:30"}`, `{"confirmed":true}`)})},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.NotEmpty(t, tt.check(callSteps(tt.broken)), "the broken call fails")
			assert.Empty(t, tt.check(callSteps(tt.right)), "the call done right passes")
		})
	}
	t.Run("summary names another time", func(t *testing.T) {
		res := call([]*sim.Exchange{tool(5, "book_appointment", `{"time":"09:00"}`, `{"confirmed":true,"time":"09:00"}`)})
		res.Report.Summary = "Jan booked for Tuesday at 14:15."
		assert.NotEmpty(t, reportTells(res))
		res.Report.Summary = "Jan booked for Tuesday at 09:00."
		assert.Empty(t, reportTells(res))
	})
}

// orderStates are the states of an order as lines and results name them.
var orderStates = [][]string{
	{"onderweg", "on its way", "verzonden", "shipped", "vervoerder", "carrier"},
	{"bezorgd", "delivered"},
	{"in behandeling", "processing"},
}

func orderState(text string) int {
	text = strings.ToLower(text)
	for i, words := range orderStates {
		for _, w := range words {
			if strings.Contains(text, w) {
				return i
			}
		}
	}
	return -1
}

// statusKept: after an order lookup returned a status, no assistant line
// names another state.
func statusKept(steps []step) []string {
	var out []string
	known := -1
	for _, s := range steps {
		if s.x != nil {
			for _, tc := range s.x.ToolCalls {
				if m, ok := toolResult(s.x, tc.ID).(map[string]any); ok && isTool(tc.Name, "order") {
					known = orderState(str(m["status"]))
				}
			}
			continue
		}
		if st := orderState(s.m.Content); s.m.Role == sim.RoleAssistant && known >= 0 && st >= 0 && st != known {
			out = append(out, "contradicts the order status: "+s.m.Content)
		}
	}
	return out
}

func TestOrderLinesKeepToTheStatus(t *testing.T) {
	ref := integratortest.Start(t)
	e := engine(t, ref.Webhook(), setup{})
	var problems []string
	checked := 0
	for seed := int64(1); seed <= 12; seed++ {
		for l, lang := range []string{"nl", "en"} {
			p, g := plan(t, seed, 1+l, sim.OrderStatus, lang)
			res, err := e.Play(context.Background(), p, g, sim.CallOptions{})
			require.NoError(t, err)
			checked++
			for _, pr := range statusKept(callSteps(res)) {
				problems = append(problems, fmt.Sprintf("seed %d %s: %s\n%s", seed, lang, pr, transcriptText(res)))
			}
		}
	}
	assert.Empty(t, problems, "%d calls", checked)
	t.Run("the check fails on a contradiction", func(t *testing.T) {
		x := &sim.Exchange{Event: sim.ToolCalls, ToolCalls: []sim.ToolCall{{ID: "a", Name: "lookup_order"}},
			Response: sim.Response{Body: []byte(`{"results":[{"tool_call_id":"a","result":{"status":"in behandeling"}}]}`)}}
		m := sim.Message{Role: sim.RoleAssistant, Content: "This order is already on its way, I'm afraid.", At: time.Unix(1, 0)}
		assert.NotEmpty(t, statusKept(callSteps(&sim.CallResult{Exchanges: []*sim.Exchange{x}, Report: &sim.Report{Messages: []sim.Message{m}}})))
	})
}
