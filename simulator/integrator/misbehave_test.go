package integrator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDeliveryModes checks each mode that breaks how deliveries are coped
// with: the breaking sequence shows the fault, and a correct server answers
// the same sequence correctly.
func TestDeliveryModes(t *testing.T) {
	const secret = "whsec_delivery_modes"
	indented := func(s string) string {
		var b bytes.Buffer
		require.NoError(t, json.Indent(&b, []byte(compact(t, s)), "", "  "))
		return b.String()
	}
	web := strings.Replace(compact(t, g3StatusInProgress), `"customer":{"number":"+31612345678"}`, `"customer":{"number":null}`, 1)
	extra := strings.Replace(compact(t, g3StatusInProgress), `{"message":`, `{"x_delivery":{"attempt":1},"message":`, 1)
	extraG1 := strings.Replace(compact(t, g1StatusInProgress), `{"eventTimestamp"`, `{"x_delivery":1,"eventTimestamp"`, 1)
	big := strings.Replace(compact(t, g3Report), `"summary":"`, `"summary":"`+strings.Repeat("lang gesprek ", 10<<10), 1)
	type step struct {
		body        string
		signed      bool
		bad, good   int // status from the misbehaving and from the correct server
		badContains string
	}
	tests := []struct {
		mode  string
		steps []step
	}{
		{"reserialized-signature", []step{
			{body: compact(t, g3StatusInProgress), signed: true, bad: 200, good: 200},
			{body: indented(g3StatusInProgress), signed: true, bad: 401, good: 200, badContains: "invalid signature"},
			{body: compact(t, g3StatusInProgress), bad: 401, good: 401}, // unsigned: still refused
		}},
		{"reject-duplicate-report", []step{
			{body: g3Report, signed: true, bad: 200, good: 200},
			{body: g3Report, signed: true, bad: 409, good: 200, badContains: "already received"},
		}},
		{"report-needs-ended", []step{
			{body: g3Report, signed: true, bad: 409, good: 200, badContains: "has not ended yet"},
			{body: g3StatusEnded, signed: true, bad: 200, good: 200},
			{body: g3Report, signed: true, bad: 200, good: 200},
		}},
		{"strict-fields", []step{
			{body: g3StatusInProgress, signed: true, bad: 200, good: 200},
			{body: extra, signed: true, bad: 400, good: 200, badContains: `unknown field \"x_delivery\"`},
			{body: g1StatusInProgress, bad: 200, good: 200},
			{body: extraG1, bad: 400, good: 200},
		}},
		{"require-caller-number", []step{
			{body: g3StatusInProgress, signed: true, bad: 200, good: 200},
			{body: web, signed: true, bad: 400, good: 200, badContains: "customer number is required"},
		}},
		{"small-body-limit", []step{
			{body: g3Report, signed: true, bad: 200, good: 200},
			{body: big, signed: true, bad: 413, good: 200, badContains: "too large"},
		}},
	}
	now := time.Now()
	for _, tt := range tests {
		t.Run(tt.mode, func(t *testing.T) {
			_, good := newTestServer(t, Options{Secret: secret})
			_, bad := newTestServer(t, Options{Secret: secret, Misbehave: tt.mode})
			for i, s := range tt.steps {
				var h http.Header
				if s.signed {
					h = signedHeader(secret, now, s.body, true)
				}
				g := do(t, http.MethodPost, good.URL+"/webhook", s.body, h)
				b := do(t, http.MethodPost, bad.URL+"/webhook", s.body, h)
				assert.Equal(t, s.good, g.Status, "step %d, correct server: %s", i, g.Body)
				assert.Equal(t, s.bad, b.Status, "step %d, %s: %s", i, tt.mode, b.Body)
				assert.Contains(t, string(b.Body), s.badContains, "step %d", i)
			}
		})
	}
}

func TestReplyShapeModes(t *testing.T) {
	_, ts := newTestServer(t, Options{Misbehave: "bad-assistant-shape"})
	assert.Equal(t, "600", post(t, ts.URL+"/webhook", g3AssistantRequest).JSON(t)["max_duration_seconds"])
	assert.Equal(t, "600", post(t, ts.URL+"/webhook", g2AssistantRequest).JSON(t)["maxDurationSeconds"])
	assert.Equal(t, "600", at(t, post(t, ts.URL+"/webhook", g1AssistantRequest).JSON(t), "assistant.maxDurationSeconds"))

	_, ts = newTestServer(t, Options{Misbehave: "bad-tool-shape"})
	for _, body := range []string{g3ToolCalls, g2ToolCalls, g1ToolCalls} {
		results := post(t, ts.URL+"/webhook", body).JSON(t)["results"].([]any)
		require.Len(t, results, 2)
		for _, r := range results {
			m := r.(map[string]any)
			assert.Equal(t, false, m["error"])
			assert.Contains(t, m, "result", "the result itself is still there")
		}
	}
}

func TestMangleTextStoresMangledSummaries(t *testing.T) {
	s, ts := newTestServer(t, Options{Misbehave: "mangle-text"})
	body := strings.Replace(g3Report, "Klant vroeg naar openingstijden", "Daniëlle vroeg 😊 naar openingstijden", 1)
	require.Equal(t, http.StatusOK, post(t, ts.URL+"/webhook", body).Status)
	rec, ok := s.Call("5c4d030f-43e3-4e65-899e-8148521e660f")
	require.True(t, ok)
	assert.True(t, strings.HasPrefix(rec.Report.Summary, "Dani?lle vroeg ? naar openingstijden"), rec.Report.Summary)
}

// TestSlowAckStoresAtOnceAndAnswersLate: the report is stored before the
// (late) acknowledgement; a refused delivery and the assistant-request are
// not held back.
func TestSlowAckStoresAtOnceAndAnswersLate(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, err := New(Options{Misbehave: "slow-ack", Secret: "x"})
		require.NoError(t, err)
		serve := func(body string, h http.Header) (*httptest.ResponseRecorder, time.Duration) {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/webhook", strings.NewReader(body))
			for k, v := range h {
				req.Header[k] = v
			}
			start := time.Now()
			s.ServeHTTP(rec, req)
			return rec, time.Since(start)
		}
		rec, took := serve(g3Report, signedHeader("x", time.Now(), g3Report, true))
		assert.Equal(t, http.StatusOK, rec.Code)
		assert.Equal(t, 6*time.Second, took)
		stored, ok := s.Call("5c4d030f-43e3-4e65-899e-8148521e660f")
		require.True(t, ok)
		assert.Equal(t, 1, stored.Reports)

		rec, took = serve(g3Report, nil)
		assert.Equal(t, http.StatusUnauthorized, rec.Code)
		assert.Zero(t, took, "a refusal goes out at once")

		rec, took = serve(g3AssistantRequest, signedHeader("x", time.Now(), g3AssistantRequest, true))
		assert.Equal(t, http.StatusOK, rec.Code)
		assert.Zero(t, took, "replies the platform reads are not held back")
	})
}

func TestOneAtATime(t *testing.T) {
	_, ts := newTestServer(t, Options{Misbehave: "one-at-a-time", Delay: 300 * time.Millisecond})
	// One after the other: every webhook is handled, even when the next one
	// follows the previous reply at once.
	for range 3 {
		assert.Equal(t, http.StatusOK, post(t, ts.URL+"/webhook", g3StatusInProgress).Status)
	}
	// At the same time: all but one are refused while the first is handled.
	var wg sync.WaitGroup
	codes := make([]int, 4)
	start := make(chan struct{})
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			codes[i] = post(t, ts.URL+"/webhook", g3StatusInProgress).Status
		}()
	}
	close(start)
	wg.Wait()
	busy := 0
	for _, c := range codes {
		if c == http.StatusServiceUnavailable {
			busy++
		}
	}
	assert.GreaterOrEqual(t, busy, 1, "webhooks arriving together find the server busy: %v", codes)
	assert.Contains(t, codes, http.StatusOK)
}
