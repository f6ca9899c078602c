package platform

import (
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/internal/golden"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/timeline"
)

func TestShownBody(t *testing.T) {
	big := strings.Repeat("a", maxShownBody-1) + "é" + strings.Repeat("b", 100) // é straddles the cap
	cases := []struct {
		name, in, want string
	}{
		{"json as is", `{"ok":true}`, `{"ok":true}`},
		{"empty", "", ""},
		{"newlines and tabs kept", "a\n\tb", "a\n\tb"},
		{"terminal escapes visible", "\x1b[2J\x1b[31mred", `\u001b[2J\u001b[31mred`},
		{"NUL, DEL and C1 visible", "a\x00b\x7fc\u0085", `a\u0000b\u007fc\u0085`},
		{"bidi overrides visible", "abc\u202edcb", `abc\u202edcb`},
		{"line separators visible", "a\u2028b", `a\u2028b`},
		{"invalid UTF-8 visible", "a\xffb", `a\xffb`},
		{"secrets masked", `{"secret":"whsec_test","key":"sk_test_platform"}`, `{"secret":"********","key":"********"}`},
		{"capped on a character boundary", big, strings.Repeat("a", maxShownBody-1) + "\n… 102 more bytes not shown"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, shownBody([]byte(c.in), []string{"whsec_test", testKey, ""}))
		})
	}
}

func TestDashboardShowsBodies(t *testing.T) {
	// A webhook server whose replies try to inject markup, move the
	// terminal, reorder text and echo the secret; one reply is huge.
	hostile := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if strings.Contains(string(body), `"end-of-call-report"`) {
			_, _ = w.Write([]byte(strings.Repeat("z", 10000)))
			return
		}
		_, _ = w.Write([]byte("{\"note\":\"<script>alert(1)</script>\x1b[2J\u202eevil whsec_test\"}"))
	})
	e := setupWith(t, hostile, nil)
	id := e.inbound(map[string]any{"intent": "opening-hours", "lang": "en"})
	e.wait(id)
	resp, err := http.Get(e.url + "/calls/" + id)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	page := string(raw)

	assert.NotContains(t, page, "<script>", "markup in a reply is escaped")
	assert.Contains(t, page, "&lt;script&gt;alert(1)&lt;/script&gt;")
	assert.Contains(t, page, `\u001b[2J`, "control characters are shown as escapes")
	assert.Contains(t, page, `\u202eevil`)
	assert.NotContains(t, page, "\x1b")
	assert.NotContains(t, page, "\u202e")
	assert.NotContains(t, page, "whsec_test", "the secret is never shown")
	assert.Contains(t, page, "request body")
	assert.Contains(t, page, `&#34;type&#34;:&#34;assistant-request&#34;`, "the request body is shown")
	for _, m := range regexp.MustCompile(`(?s)<pre class="body">(.*?)</pre>`).FindAllStringSubmatch(page, -1) {
		shown := strings.NewReplacer("&#34;", `"`, "&lt;", "<", "&gt;", ">", "&amp;", "&", "&#39;", "'", "&#43;", "+").Replace(m[1])
		body, _, _ := strings.Cut(shown, "\n… ")
		assert.LessOrEqual(t, len(body), maxShownBody, "a body is capped at 4 KiB")
	}
}

// goldenCall is a finished call with fixed contents: long ids, URLs and
// bodies that must wrap, and a reply with control characters.
func goldenCall(t *testing.T) *callState {
	t.Helper()
	start := time.Date(2026, 3, 27, 12, 0, 0, 0, time.UTC)
	f, err := fake.New(1)
	require.NoError(t, err)
	plan, _ := f.Call(1, fake.Options{Start: start, Intent: sim.Callback, Lang: "en"})
	// Fixed here so that the golden page does not change with the phrase banks.
	plan.Customer, plan.PhoneNumber, plan.PhoneName = "+31612345678", "+31850835037", "Voorbeeld Bedrijf Support"
	plan.Persona, plan.RunSeed, plan.Number, plan.Start = sim.Persona{FirstName: "Anna", LastName: "de Vries"}, 1, 1, start
	plan.ID = "call-_" + plan.Customer + "_" + strings.Repeat("LongIdentifier", 8)
	c := &callState{
		id: plan.ID, owner: "key#1", direction: sim.Inbound, plan: plan, created: start,
		webhook: "https://integrator.example.com/" + strings.Repeat("very-long-path-segment/", 8) + "webhook?…",
		done:    make(chan struct{}), now: func() time.Time { return start.Add(2 * time.Minute) },
		status: statusEnded, startedAt: start.Add(3 * time.Second), endedAt: start.Add(63 * time.Second),
		ended: true, closed: true, reason: sim.EndUserHangup,
		report: &sim.Report{Started: start.Add(3 * time.Second), Ended: start.Add(63 * time.Second), Summary: "The caller asked for a callback.",
			Messages: []sim.Message{{Role: sim.RoleAssistant, Content: "Hello!", At: start.Add(3 * time.Second)}, {Role: sim.RoleUser, Content: "Call me back please.", At: start.Add(5 * time.Second)}}},
	}
	c.entries = []entry{
		{wall: start.Add(time.Second), hook: &hookEntry{seq: 1, event: sim.StatusUpdate, detail: "in-progress", offset: 3 * time.Second,
			url: c.webhook, httpStatus: 200, latency: 40 * time.Millisecond, deadline: 5 * time.Second, counts: timeline.Counts{MustPass: 3},
			request: shownBody([]byte(`{"message":{"type":"status-update","call":{"id":"`+plan.ID+`","status":"in-progress"},"timestamp":"`+strings.Repeat("0123456789", 30)+`"}}`), nil),
			reply:   shownBody([]byte("{\"ok\":true,\"note\":\"\x1b[31m<b>bold</b>\"}"), nil)}},
		{wall: start.Add(2 * time.Second), cmd: &cmdEntry{cmd: sim.Command{Type: sim.CommandSay, Content: "One moment."}, accepted: true}},
		{wall: start.Add(3 * time.Second), hook: &hookEntry{seq: 2, event: sim.EndOfCallReport, offset: 65 * time.Second,
			url: c.webhook, httpStatus: 500, latency: 6 * time.Second, deadline: 5 * time.Second, failure: "timeout: no reply within 5s",
			failed: []string{"must http-2xx: 500"}, request: shownBody([]byte(`{"message":{"type":"end-of-call-report"}}`), nil)}},
	}
	return c
}

// renderPage renders v as the dashboard does.
func renderPage(t *testing.T, v *pageView) string {
	t.Helper()
	w := httptest.NewRecorder()
	render(w, v)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	return w.Body.String()
}

var clockTimes = regexp.MustCompile(`\b\d\d:\d\d:\d\d(\.\d\d\d)?\b`)

func TestDashboardCallPageGolden(t *testing.T) {
	c := goldenCall(t)
	cv := c.view()
	v := pageView{Title: "flireo-sim · " + cv.ID, Updated: "12:02:00", Call: &cv,
		Settings: []fact{{"Webhook", c.webhook + " · signed (secret set)"}, {"Dialect", "flireo"}, {"Pace", "real time"}, {"API", "Bearer API key required (2 configured)"}}}
	page := clockTimes.ReplaceAllString(renderPage(t, &v), "hh:mm:ss") // the dashboard shows local times
	golden.Check(t, "platform/dashboard-call.html", []byte(page))
}

// cssRules are the declarations of the page's style sheet by selector.
func cssRules(t *testing.T, page string) map[string]string {
	t.Helper()
	m := regexp.MustCompile(`(?s)<style>(.*?)</style>`).FindStringSubmatch(page)
	require.NotNil(t, m, "the page has its style sheet inline")
	rules := map[string]string{}
	for _, r := range regexp.MustCompile(`([^{}]+)\{([^}]*)\}`).FindAllStringSubmatch(m[1], -1) {
		for _, sel := range strings.Split(r[1], ",") {
			sel = strings.TrimSpace(sel)
			rules[sel] += strings.TrimSpace(r[2]) + " "
		}
	}
	return rules
}

// TestDashboardFitsNarrowWindows checks the style rules that keep the pages
// inside a 1280 px window: tables of fixed layout whose columns share the
// width, cells, ids, URLs and bodies that wrap anywhere, no element wider
// than the window, and nothing kept on one line but short labels.
func TestDashboardFitsNarrowWindows(t *testing.T) {
	c := goldenCall(t)
	cv := c.view()
	pages := map[string]string{"call": renderPage(t, &pageView{Title: "x", Call: &cv})}
	row := c.row()
	pages["overview"] = renderPage(t, &pageView{Title: "x", Finished: []rowView{row}})

	rules := cssRules(t, pages["call"])
	want := map[string][]string{
		"body":                {"overflow-wrap: anywhere"},
		"table":               {"width: 100%", "table-layout: fixed"},
		"td":                  {"overflow-wrap: anywhere"},
		"th":                  {"overflow-wrap: anywhere"},
		".mono":               {"overflow-wrap: anywhere"},
		"pre.body":            {"white-space: pre-wrap", "overflow-wrap: anywhere", "max-width: 100%", "overflow-y: auto"},
		".bodies":             {"grid-template-columns: minmax(0, 1fr) minmax(0, 1fr)"},
		".bar":                {"max-width: 100%"},
		"header .setting":     {"overflow-wrap: anywhere", "max-width: 100%"},
		"*":                   {"box-sizing: border-box"},
		"header":              {"flex-wrap: wrap"},
		".facts":              {"minmax(260px, 1fr)"},
		"main":                {"min-width: 0"},
		".transcript td.role": {"width: 90px"},
	}
	for sel, decls := range want {
		for _, d := range decls {
			assert.Contains(t, rules[sel], d, "rule %s", sel)
		}
	}
	for sel, decls := range rules {
		if strings.Contains(decls, "nowrap") {
			assert.Contains(t, []string{".badge", "td.kind"}, sel, "only short labels stay on one line")
		}
		for _, m := range regexp.MustCompile(`(?:^|[^-])width:\s*(\d+)px`).FindAllStringSubmatch(decls, -1) {
			n, _ := strconv.Atoi(m[1])
			assert.LessOrEqual(t, n, 300, "rule %s sets a fixed width", sel)
		}
	}
	for name, page := range pages {
		assert.NotContains(t, page, "<script", name)
		assert.NotRegexp(t, `(src|href)="(https?:)?//`, page, "%s: no external assets", name)
		for _, cg := range regexp.MustCompile(`(?s)<colgroup>(.*?)</colgroup>`).FindAllStringSubmatch(page, -1) {
			sum := 0
			for _, w := range regexp.MustCompile(`width: (\d+)%`).FindAllStringSubmatch(cg[1], -1) {
				n, _ := strconv.Atoi(w[1])
				sum += n
			}
			assert.Equal(t, 100, sum, "%s: the columns share the table's width", name)
		}
		assert.Contains(t, page, "<colgroup>", name)
	}
	assert.NotContains(t, pages["call"], "\x1b")
	assert.Contains(t, pages["call"], `\u001b[31m&lt;b&gt;bold&lt;/b&gt;`)
}
