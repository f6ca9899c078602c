package platform

import (
	"context"
	"errors"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDashboardPages(t *testing.T) {
	e, g := held(t, nil)
	live := e.inbound(map[string]any{"intent": "complaint", "caller": "+31687654321"})
	g.waitHeld(t)
	require.Equal(t, http.StatusOK, e.control(live, map[string]any{"type": "say", "content": "Een ogenblik geduld."}).status)

	page := e.page("/")
	assert.Contains(t, page, `<meta http-equiv="refresh" content="2">`)
	assert.Contains(t, page, live)
	assert.Contains(t, page, `href="/calls/`+live+`"`)
	liveSection := page[strings.Index(page, "Live calls"):strings.Index(page, "Finished calls")]
	assert.Contains(t, liveSection, live, "listed as live")
	assert.Contains(t, liveSection, "in-progress")

	detail := e.page("/calls/" + live)
	assert.Contains(t, detail, `http-equiv="refresh"`, "a live call's page refreshes itself")
	assert.Contains(t, detail, "assistant-request")
	assert.Contains(t, detail, "Een ogenblik geduld.")
	assert.Contains(t, detail, "accepted")

	g.open()
	e.wait(live)
	r := e.control(live, map[string]any{"type": "end-call"})
	require.Equal(t, http.StatusBadRequest, r.status)

	detail = e.page("/calls/" + live)
	assert.NotContains(t, detail, `http-equiv="refresh"`, "a finished call's page stays put")
	for _, want := range []string{"end-of-call-report", "status-update", "200 OK", " of 5.00s", "Transcript", "refused: the call has ended", "400 Bad Request", "checks passed", "End reason"} {
		assert.Contains(t, detail, want)
	}
	assert.Regexp(t, regexp.MustCompile(`must \d+/\d+ · should \d+/\d+`), detail)
	page = e.page("/")
	finished := page[strings.Index(page, "Finished calls"):]
	assert.Contains(t, finished, live, "now listed as finished")

	resp, err := http.Get(e.url + "/calls/call-nope")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)
}

func TestDashboardShowsFailures(t *testing.T) {
	// A webhook that answers 500: the timeline shows the failed checks.
	broken := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { http.Error(w, "boom", http.StatusInternalServerError) })
	e := setupWith(t, broken, nil)
	id := e.inbound(map[string]any{"intent": "opening-hours"})
	e.wait(id)
	detail := e.page("/calls/" + id)
	assert.Contains(t, detail, "500 Internal Server Error")
	assert.Contains(t, detail, "must http-2xx")
	assert.Contains(t, detail, `class="bad"`)
}

func TestDashboardProtected(t *testing.T) {
	e := setup(t, func(o *Options) { o.ProtectDashboard = true })
	resp, err := http.Get(e.url + "/")
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("WWW-Authenticate"), "Basic")
	for pass, want := range map[string]int{"wrong": http.StatusUnauthorized, testKey: http.StatusOK} {
		req, _ := http.NewRequest(http.MethodGet, e.url+"/", nil)
		req.SetBasicAuth("me", pass)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, want, resp.StatusCode, pass)
	}
	_, err = New(Options{Sim: e.p.opt.Sim, ProtectDashboard: true})
	assert.Error(t, err, "a protected dashboard needs a key")
}

// chromium finds the headless browser for the e2e tests, or skips.
func chromium(t *testing.T) string {
	t.Helper()
	if os.Getenv("FLIREO_E2E") == "" {
		t.Skip("browser test: set FLIREO_E2E=1 (make e2e installs chromium and runs it)")
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Skip("browser test: no chromium on PATH (apt-get install chromium, or run make e2e)")
	return ""
}

// browse loads url in headless Chromium and returns the DOM it rendered;
// with shot set it also saves a screenshot there.
func browse(t *testing.T, bin, url, shot string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	args := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
		"--user-data-dir=" + t.TempDir(), "--window-size=1400,1000"}
	if shot != "" {
		out, err := exec.CommandContext(ctx, bin, append(args, "--screenshot="+shot, url)...).CombinedOutput()
		require.NoError(t, err, "chromium --screenshot: %s", out)
	}
	cmd := exec.CommandContext(ctx, bin, append(args, "--dump-dom", url)...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	var ee *exec.ExitError
	if errors.As(err, &ee) || err != nil {
		t.Fatalf("chromium --dump-dom %s: %v\n%s", url, err, stderr.String())
	}
	return string(out)
}

// visible is the text a person sees: the DOM without tags, styles and
// collapsed white space.
func visible(dom string) string {
	dom = regexp.MustCompile(`(?s)<style.*?</style>|<head.*?</head>`).ReplaceAllString(dom, " ")
	dom = regexp.MustCompile(`<[^>]+>`).ReplaceAllString(dom, " ")
	for _, r := range [][2]string{{"&amp;", "&"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&quot;", `"`}, {"&#34;", `"`}, {"&#39;", "'"}} {
		dom = strings.ReplaceAll(dom, r[0], r[1])
	}
	return strings.Join(strings.Fields(dom), " ")
}

// TestE2EDashboard drives the dashboard in headless Chromium: a live call
// with a control command, then the same call finished, as a person sees it.
func TestE2EDashboard(t *testing.T) {
	bin := chromium(t)
	e, g := held(t, nil)
	id := e.inbound(map[string]any{"intent": "book-appointment", "caller": "+31612345678", "lang": "en"})
	g.waitHeld(t)
	require.Equal(t, http.StatusOK, e.control(id, map[string]any{"type": "inject-context", "content": "VIP customer since 2019", "trigger_response": true}).status)

	shots := os.Getenv("FLIREO_E2E_SHOTS") // a directory to keep the screenshots in
	shot := func(name string) string {
		if shots == "" {
			return ""
		}
		return filepath.Join(shots, name)
	}
	dom := browse(t, bin, e.url+"/", shot("dashboard-live.png"))
	text := visible(dom)
	assert.Contains(t, dom, `http-equiv="refresh"`)
	assert.Contains(t, text, "Live calls · 1")
	assert.Contains(t, text, "Finished calls · 0")
	assert.Contains(t, text, id)
	assert.Contains(t, text, "in-progress")
	assert.Contains(t, text, "+31612345678")

	dom = browse(t, bin, e.url+"/calls/"+id, shot("call-live.png"))
	text = visible(dom)
	assert.Contains(t, text, "control inject-context")
	assert.Contains(t, text, "“VIP customer since 2019” · the assistant responds")
	assert.Contains(t, text, "The transcript appears when the call has ended.")

	g.open()
	e.wait(id)
	dom = browse(t, bin, e.url+"/", shot("dashboard-finished.png"))
	text = visible(dom)
	assert.Contains(t, text, "Live calls · 0")
	assert.Contains(t, text, "Finished calls · 1")
	assert.Regexp(t, `ended .*must \d+/\d+ · should \d+/\d+`, text)

	dom = browse(t, bin, e.url+"/calls/"+id, shot("call-finished.png"))
	text = visible(dom)
	assert.NotContains(t, dom, `http-equiv="refresh"`)
	for _, want := range []string{
		"webhook assistant-request", "webhook status-update in-progress", "webhook end-of-call-report",
		"200 OK", "of 5.00s", "checks passed", "Transcript", "system VIP customer since 2019", "Summary:",
	} {
		assert.Contains(t, text, want)
	}
	assert.Regexp(t, `webhook tool-calls [a-z_]+`, text, "tool calls are named")
	assert.NotContains(t, dom, testKey)
	assert.NotContains(t, dom, "whsec_test")
}
