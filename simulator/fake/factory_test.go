package fake

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/internal/golden"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// needs is the Need vocabulary of simulator/needs.go, listed independently
// of the package's own table.
var needs = map[string]bool{
	simulator.NeedContact: true, simulator.NeedAvailability: true, simulator.NeedBooking: true,
	simulator.NeedReschedule: true, simulator.NeedOrder: true, simulator.NeedTicket: true,
	simulator.NeedCallback: true, simulator.NeedHours: true, simulator.NeedEmail: true,
	simulator.NeedTicketStatus: true,
}

var (
	reCustomer  = regexp.MustCompile(`^\+31(6\d{8}|85\d{7}|20\d{7})$`)
	reMobile    = regexp.MustCompile(`^\+316\d{8}$`)
	reBusiness  = regexp.MustCompile(`^\+31(85|20)\d{7}$`)
	reUUID4     = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	reRecording = regexp.MustCompile(`^https://recordings\.flireo\.invalid/[0-9a-f-]{36}\.mp3$`)
	reEmail     = regexp.MustCompile(`^[a-z0-9.]+@[a-z0-9.-]+\.[a-z]{2,}$`)
)

// testClock is the fixed clock of the tests' factories: a Monday morning.
var testClock = time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC)

// newFactory is a factory for the seed whose clock is testClock, so that
// plans are reproducible.
func newFactory(t testing.TB, seed int64) *Factory {
	t.Helper()
	f, err := New(seed)
	require.NoError(t, err)
	return f.WithClock(func() time.Time { return testClock })
}

// transcript plays a plan the way the engine does when no tool is declared:
// first message, the turns' lines and replies, the goodbye.
func transcript(p *simulator.CallPlan) []simulator.Message {
	now := p.Start.Add(p.Ring)
	var msgs []simulator.Message
	say := func(role simulator.Role, text string, took time.Duration) {
		if took <= 0 {
			took = time.Duration(countWords(text)) * 400 * time.Millisecond
		}
		msgs = append(msgs, simulator.Message{Role: role, Content: text, At: now, Took: took})
		now = now.Add(took)
	}
	if p.Intent != simulator.Voicemail {
		say(simulator.RoleAssistant, "Goedendag, waarmee kan ik u helpen?", 0)
	}
	for _, t := range p.Turns {
		now = now.Add(t.Gap)
		if t.Caller != "" {
			say(simulator.RoleUser, t.Caller, t.Speak)
		}
		now = now.Add(t.Think)
		say(simulator.RoleAssistant, t.Reply, t.Talk)
	}
	if p.Goodbye != "" {
		now = now.Add(700 * time.Millisecond)
		say(simulator.RoleUser, p.Goodbye, 0)
	}
	return msgs
}

// exercise calls every generator method in a fixed order and returns the outputs.
func exercise(c *Call, p *simulator.CallPlan) []string {
	tool := simulator.Tool{Name: "book_appointment", Parameters: json.RawMessage(`{"type":"object","properties":{"name":{"type":"string"},"date":{"type":"string","format":"date"},"time":{"type":"string","format":"time"},"note":{"type":"string"},"persons":{"type":"integer"}},"required":["name","date"]}`)}
	msgs := transcript(p)
	out := []string{c.ToolCallID(), string(c.ToolArguments(p, tool)), c.ToolCallID(),
		c.ToolFollowUp(p, tool, &simulator.ToolResult{Result: json.RawMessage(`{"date":"2026-02-10","time":"10:30","confirmation":"AB12"}`)}, ""),
		c.ToolFollowUp(p, tool, nil, "timeout"),
		c.Summary(p, msgs, p.EndReason), c.Success(p, msgs, p.EndReason),
		string(c.Analysis(p, json.RawMessage(docsAnalysisSchema), msgs, p.EndReason)),
	}
	u, _ := json.Marshal(c.Usage(p, msgs))
	return append(out, string(u))
}

func TestDeterminism(t *testing.T) {
	opts := []Options{
		{},
		{ErrorRate: -1},
		{Intent: simulator.Complaint, Lang: "en"},
		{Intent: simulator.Voicemail, Direction: simulator.Web, Start: time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)},
	}
	a, b := newFactory(t, 99), newFactory(t, 99)
	for _, o := range opts {
		for n := range 25 {
			p1, c1 := a.Call(n, o)
			p2, c2 := b.Call(n, o)
			require.True(t, reflect.DeepEqual(p1, p2), "call %d %+v: plans differ", n, o)
			j1, err := json.Marshal(p1)
			require.NoError(t, err)
			j2, err := json.Marshal(p2)
			require.NoError(t, err)
			require.Equal(t, string(j1), string(j2))
			require.Equal(t, exercise(c1, p1), exercise(c2, p2), "call %d %+v: generator outputs differ", n, o)
		}
	}
}

func TestCallsDiffer(t *testing.T) {
	f := newFactory(t, 1)
	ids := map[string]int{}
	for n := range 1000 {
		p, _ := f.Call(n, Options{})
		if prev, ok := ids[p.ID]; ok {
			t.Fatalf("calls %d and %d share id %s", prev, n, p.ID)
		}
		ids[p.ID] = n
	}
	p1, _ := f.Call(7, Options{Intent: simulator.BookAppointment, Lang: "nl"})
	p2, _ := f.Call(8, Options{Intent: simulator.BookAppointment, Lang: "nl"})
	assert.False(t, reflect.DeepEqual(p1, p2))
	assert.NotEqual(t, p1.Persona, p2.Persona)
	p3, _ := newFactory(t, 2).Call(7, Options{Intent: simulator.BookAppointment, Lang: "nl"})
	assert.NotEqual(t, p1.ID, p3.ID, "another run seed gives other calls")

	// An option keeps the rest of the call's draws: the persona does not
	// change when the drawn language is requested explicitly.
	drawn, _ := f.Call(11, Options{})
	same, _ := f.Call(11, Options{Lang: drawn.Lang, Intent: drawn.Intent})
	assert.True(t, reflect.DeepEqual(drawn, same))
}

func TestFactoryConcurrent(t *testing.T) {
	f := newFactory(t, 5)
	want := make([]*simulator.CallPlan, 64)
	for n := range want {
		want[n], _ = f.Call(n, Options{ErrorRate: -1})
	}
	var wg sync.WaitGroup
	got := make([]*simulator.CallPlan, len(want))
	for w := range 4 {
		wg.Go(func() {
			for n := w; n < len(want); n += 4 {
				p, c := f.Call(n, Options{ErrorRate: -1})
				exercise(c, p)
				got[n] = p
			}
		})
	}
	wg.Wait()
	for n := range want {
		require.True(t, reflect.DeepEqual(want[n], got[n]), "call %d", n)
	}
}

func TestNumbersAndIDs(t *testing.T) {
	f := newFactory(t, 3)
	mobile, recorded := 0, 0
	const total = 1000
	for n := range total {
		p, _ := f.Call(n, Options{})
		require.Regexp(t, reCustomer, p.Customer)
		require.Regexp(t, reBusiness, p.PhoneNumber)
		require.Regexp(t, reUUID4, p.ID)
		require.Regexp(t, reUUID4, p.PhoneID)
		require.True(t, p.PhoneName == p.Business || p.PhoneName == p.Business+" Support", p.PhoneName)
		require.Regexp(t, reEmail, p.Persona.Email)
		require.NotEmpty(t, p.Persona.FirstName)
		require.NotEmpty(t, p.Persona.LastName)
		require.NotEmpty(t, p.Persona.City)
		require.NotEmpty(t, p.Persona.Company)
		if reMobile.MatchString(p.Customer) {
			mobile++
		}
		if p.Recording != "" {
			require.Regexp(t, reRecording, p.Recording)
			require.Contains(t, p.Recording, p.ID)
			recorded++
		}
	}
	assert.InDelta(t, 0.8, float64(mobile)/total, 0.06, "callers are usually mobile")
	assert.InDelta(t, 0.85, float64(recorded)/total, 0.05, "most calls are recorded")

	web, _ := f.Call(1, Options{Direction: simulator.Web})
	assert.Empty(t, web.Customer)
	assert.Empty(t, web.PhoneNumber)
	assert.Empty(t, web.PhoneID)
	assert.Equal(t, simulator.Web, web.Direction)
}

func TestEmailFromName(t *testing.T) {
	f := newFactory(t, 8)
	for n := range 300 {
		p, _ := f.Call(n, Options{})
		local, _, _ := strings.Cut(p.Persona.Email, "@")
		last := string(fold(nil, p.Persona.LastName))
		first := string(fold(nil, p.Persona.FirstName))
		assert.Contains(t, local, last, p.Persona)
		assert.True(t, strings.HasPrefix(local, first) || strings.HasPrefix(local, first[:1]+"."), "%s from %s", local, p.Persona.Name())
	}
}

func TestEveryIntentAndLanguage(t *testing.T) {
	f := newFactory(t, 4)
	for _, lang := range []string{"nl", "en"} {
		for _, in := range simulator.Intents {
			t.Run(lang+"/"+string(in), func(t *testing.T) {
				for n := range 60 {
					p, c := f.Call(n, Options{Intent: in, Lang: lang})
					// A paired step's reply answers the line the caller said.
					answers := pairedAnswers(c, f.b.langs[lang].intents[intentIndex(in)])
					for i, tr := range p.Turns {
						if want, ok := answers[tr.Caller]; ok {
							require.Equal(t, want, tr.Reply, "turn %d answers %q", i, tr.Caller)
						}
					}
					require.Equal(t, in, p.Intent)
					require.Equal(t, lang, p.Lang)
					require.NotEmpty(t, p.Turns)
					for i, tr := range p.Turns {
						if tr.Need != "" {
							require.True(t, needs[tr.Need], "turn %d: need %q is not in simulator/needs.go", i, tr.Need)
						}
						require.NotEmpty(t, tr.Reply, "turn %d", i)
						require.NotContains(t, tr.Caller+tr.Reply, "{", "unfilled placeholder")
						require.Equal(t, in == simulator.Silent, tr.Caller == "", "turn %d caller %q", i, tr.Caller)
					}
					require.NotContains(t, p.Goodbye, "{")
					assertIntentShape(t, p)
				}
			})
		}
	}
}

// pairedAnswers maps each caller line of the intent's paired steps to its reply.
func pairedAnswers(c *Call, ib *intentBank) map[string]string {
	out := map[string]string{}
	for _, fl := range ib.flows {
		for _, s := range slices.Concat(fl, ib.extras) {
			if s.paired {
				for i := range s.caller {
					out[s.caller[i].fill(&c.v)] = s.reply[i].fill(&c.v)
				}
			}
		}
	}
	return out
}

func needsOf(p *simulator.CallPlan) []string {
	var out []string
	for _, t := range p.Turns {
		if t.Need != "" {
			out = append(out, t.Need)
		}
	}
	return out
}

func assertIntentShape(t *testing.T, p *simulator.CallPlan) {
	t.Helper()
	assert.Equal(t, simulator.IntentDirection(p.Intent), p.Direction)
	outboundSpeaks := p.Direction == simulator.Outbound && p.Intent != simulator.Voicemail
	assert.Equal(t, outboundSpeaks, p.Opening != "", "opening %q", p.Opening)
	assert.Equal(t, outboundSpeaks, p.Closing != "", "closing %q", p.Closing)
	assert.NotContains(t, p.Opening+p.Closing, "{")
	ns := needsOf(p)
	switch p.Intent {
	case simulator.BookAppointment:
		assert.Equal(t, []string{simulator.NeedContact, simulator.NeedAvailability, simulator.NeedBooking}, ns)
		assert.Equal(t, simulator.NeedContact, p.Turns[0].Need, "contact first")
	case simulator.Reschedule:
		require.GreaterOrEqual(t, len(ns), 2)
		assert.Equal(t, []string{simulator.NeedContact, simulator.NeedReschedule}, ns[:2])
	case simulator.OrderStatus:
		assert.Equal(t, []string{simulator.NeedOrder}, ns)
	case simulator.Complaint:
		assert.Equal(t, []string{simulator.NeedTicket}, ns)
	case simulator.Callback:
		assert.Equal(t, []string{simulator.NeedCallback}, ns)
	case simulator.OpeningHours:
		require.NotEmpty(t, ns)
		for _, n := range ns {
			assert.Equal(t, simulator.NeedHours, n)
		}
	case simulator.WrongNumber:
		assert.Empty(t, ns)
		assert.True(t, len(p.Turns) == 1 || len(p.Turns) == 2, "%d turns", len(p.Turns))
		assert.Equal(t, simulator.EndUserHangup, p.EndReason)
	case simulator.Silent:
		assert.Empty(t, ns)
		require.Len(t, p.Turns, 3)
		assert.Equal(t, []time.Duration{7 * time.Second, 12 * time.Second, 12 * time.Second},
			[]time.Duration{p.Turns[0].Gap, p.Turns[1].Gap, p.Turns[2].Gap})
		assert.Equal(t, simulator.EndSilenceTimeout, p.EndReason)
		assert.Empty(t, p.Goodbye)
	case simulator.Voicemail:
		assert.Equal(t, simulator.EndVoicemail, p.EndReason)
		assert.Empty(t, p.Goodbye)
		assert.NotEmpty(t, p.Turns[0].Caller, "the greeting of the callee's machine")
	default:
		assertOutboundShape(t, p, ns)
	}
	switch p.Intent {
	case simulator.Silent, simulator.Voicemail, simulator.WrongNumber:
	default:
		assert.Contains(t, []string{simulator.EndUserHangup, simulator.EndAssistantHangup}, p.EndReason)
		assert.NotEmpty(t, p.Goodbye)
	}
}

// holdLines are the caller's lines that ask for a moment.
func holdLines(f *Factory) map[string]bool {
	out := map[string]bool{}
	for _, lb := range f.b.langs {
		var v vals
		for _, t := range lb.hold.caller {
			out[t.fill(&v)] = true
		}
	}
	return out
}

func TestTiming(t *testing.T) {
	f := newFactory(t, 6)
	holds := holdLines(f)
	var totals []float64
	for n := range 1000 {
		p, _ := f.Call(n, Options{})
		require.True(t, p.Ring >= time.Second && p.Ring <= 6*time.Second, "ring %v", p.Ring)
		total := p.Ring
		for i, tr := range p.Turns {
			require.Positive(t, tr.Gap, "call %d turn %d", n, i)
			require.Positive(t, tr.Think)
			require.Positive(t, tr.Talk)
			require.LessOrEqual(t, tr.Think, 1500*time.Millisecond)
			require.Equal(t, tr.Caller != "", tr.Speak > 0)
			if tr.Caller != "" {
				// About 2.5 words a second, with a caller's pace and noise.
				wps := float64(countWords(tr.Caller)) / (tr.Speak.Seconds() - 0.3)
				require.True(t, wps > 0.8 && wps < 5.5, "call %d turn %d: %.1f words/s", n, i, wps)
			}
			if tr.Gap > 3*time.Second && p.Intent != simulator.Silent {
				require.Positive(t, i)
				require.True(t, holds[p.Turns[i-1].Caller], "call %d turn %d: a long gap follows a hold, not %q", n, i, p.Turns[i-1].Caller)
				require.LessOrEqual(t, tr.Gap, 90*time.Second)
			}
			if p.Intent != simulator.Silent {
				require.GreaterOrEqual(t, tr.Gap, 300*time.Millisecond)
				require.GreaterOrEqual(t, tr.Think, 400*time.Millisecond)
			}
			total += tr.Gap + tr.Speak + tr.Think + tr.Talk
		}
		totals = append(totals, total.Seconds())
	}
	sort.Float64s(totals)
	assert.GreaterOrEqual(t, totals[0], 8.0, "shortest call")
	assert.LessOrEqual(t, totals[len(totals)-1], 360.0, "longest call")
	median := totals[len(totals)/2]
	assert.True(t, median > 25 && median < 90, "median %.0f s", median)
	assert.Greater(t, totals[len(totals)*99/100], 1.8*median, "a long tail")
}

func TestErrors(t *testing.T) {
	f := newFactory(t, 10)
	count := func(o Options, total int) int {
		k := 0
		for n := range total {
			p, _ := f.Call(n, o)
			if p.Error == "" {
				require.Zero(t, p.ErrorAfter)
				continue
			}
			k++
			require.Contains(t, platformErrors[:], p.Error)
			require.GreaterOrEqual(t, p.ErrorAfter, 0)
			require.Less(t, p.ErrorAfter, len(p.Turns))
		}
		return k
	}
	assert.Zero(t, count(Options{}, 1000), "the zero value never draws errors")
	assert.Zero(t, count(Options{ErrorRate: 0}, 1000))
	got := count(Options{ErrorRate: -1}, 3000)
	assert.True(t, got > 45 && got < 150, "default rate: %d of 3000", got)
	assert.Equal(t, 200, count(Options{ErrorRate: 1}, 200))
}

func TestOptions(t *testing.T) {
	f := newFactory(t, 12)
	start := time.Date(2026, 6, 1, 14, 30, 0, 0, time.UTC)
	p, _ := f.Call(1, Options{Start: start, Intent: simulator.Callback, Lang: "en"})
	assert.Equal(t, start, p.Anchor, "Options.Start is the clock of the call")
	assert.Equal(t, start.Add(-p.Length), p.Start, "the timeline ends at the clock")
	assert.True(t, strings.HasPrefix(p.Turns[0].Caller, "Good afternoon") || !strings.Contains(p.Turns[0].Caller, "Good "), p.Turns[0].Caller)

	for n := range 500 {
		p, _ := f.Call(n, Options{})
		require.Equal(t, testClock, p.Anchor, "the call is placed at the factory's clock")
		require.Equal(t, testClock.Add(-p.Length), p.Start)
		require.True(t, p.Length > 20*time.Second && p.Length < time.Hour, "length %v", p.Length)
	}

	langs := map[string]int{}
	for n := range 1000 {
		p, _ := f.Call(n, Options{})
		langs[p.Lang]++
	}
	assert.InDelta(t, 800, langs["nl"], 60)
	assert.Equal(t, 1000, langs["nl"]+langs["en"])

	out, _ := f.Call(2, Options{Intent: simulator.BookAppointment, Direction: simulator.Outbound})
	assert.Equal(t, simulator.Outbound, out.Direction, "an explicit direction wins")
	assert.Equal(t, simulator.Outbound, simulator.IntentDirection(out.Intent), "an intent that does not fit it is drawn for it")
	in, _ := f.Call(2, Options{Intent: simulator.Voicemail, Direction: simulator.Inbound})
	assert.Equal(t, simulator.Inbound, in.Direction, "an explicit direction wins")
	assert.Equal(t, simulator.Inbound, simulator.IntentDirection(in.Intent))

	// Options Validate rejects fall back to drawing.
	bad, _ := f.Call(3, Options{Intent: "nonsense", Lang: "fr", Direction: "sideways"})
	good, _ := f.Call(3, Options{})
	assert.True(t, reflect.DeepEqual(good, bad))
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		o    Options
		want string
	}{
		{Options{}, ""},
		{Options{Intent: simulator.Silent, Lang: "en", Direction: simulator.Web, ErrorRate: -1}, ""},
		{Options{Intent: "chat"}, `unknown intent "chat"`},
		{Options{Lang: "de"}, `unknown language "de"`},
		{Options{Direction: "up"}, `unknown direction "up"`},
		{Options{Intent: simulator.AppointmentReminder, Direction: simulator.Outbound}, ""},
		{Options{Intent: simulator.AppointmentReminder}, ""},
		{Options{Intent: simulator.BookAppointment, Direction: simulator.Outbound},
			`intent "book-appointment" is for inbound calls, not outbound ones: an outbound call takes one of voicemail, appointment-reminder, appointment-confirmation, ticket-follow-up, requested-callback`},
		{Options{Intent: simulator.TicketFollowUp, Direction: simulator.Inbound}, `an inbound call takes one of book-appointment, reschedule`},
		{Options{Intent: simulator.Voicemail, Direction: simulator.Web}, `a web call takes one of book-appointment`},
		{Options{ErrorRate: 1.5}, "not a probability"},
	}
	for _, tt := range tests {
		err := tt.o.Validate()
		if tt.want == "" {
			assert.NoError(t, err)
		} else {
			assert.ErrorContains(t, err, tt.want)
		}
	}
}

func TestGoldenPlans(t *testing.T) {
	f := newFactory(t, 2026)
	var plans []*simulator.CallPlan
	n := 0
	for _, lang := range []string{"nl", "en"} {
		for _, in := range simulator.Intents {
			p, _ := f.Call(n, Options{Intent: in, Lang: lang})
			plans = append(plans, p)
			n++
		}
	}
	got, err := json.MarshalIndent(plans, "", "  ")
	require.NoError(t, err)
	got = append(got, '\n')
	golden.Check(t, "fake/plans.json", got)
}

func TestTextIsDutchInDutch(t *testing.T) {
	f := newFactory(t, 13)
	var all strings.Builder
	for n := range 400 {
		p, _ := f.Call(n, Options{Lang: "nl"})
		for _, tr := range p.Turns {
			all.WriteString(tr.Caller + " " + tr.Reply + " ")
		}
	}
	text := all.String()
	for _, w := range []string{"één", "café", "ideeën"} {
		assert.Contains(t, text, w, "Dutch text uses diacritics")
	}
	assert.True(t, slices.ContainsFunc([]string{"afspraak", "bestelling", "openingstijden"}, func(w string) bool { return strings.Contains(text, w) }))
}
