package platform

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUsagePeriods(t *testing.T) {
	clock := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	now := func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
	setDay := func(d int) { mu.Lock(); clock = time.Date(2026, 3, d, 10, 0, 0, 0, time.UTC); mu.Unlock() }
	e := twoAccounts(t, func(o *Options) { o.Now = now; o.RequestsPerMinute = 1 << 20 })
	asst := map[string]any{"name": "Facturen"}

	// Day 2: an answered call; day 4: an answered call and one nobody answers.
	first := e.outbound(map[string]any{"destination": "+31612345678", "assistant": asst})
	e.wait(first)
	setDay(4)
	second := e.outbound(map[string]any{"destination": "+31687654321", "assistant": asst})
	e.wait(second)
	missed := e.outbound(map[string]any{"destination": "+31612340000", "assistant": asst})
	e.wait(missed)
	dur := func(id string) float64 { return e.get(id)["duration_seconds"].(float64) }
	require.Greater(t, dur(first), 0.0)
	require.Equal(t, 0.0, dur(missed))

	for _, tc := range []struct {
		query string
		ids   []string
	}{
		{"", []string{missed, second, first}},
		{"?start_date=2026-03-03", []string{missed, second}},
		{"?end_date=2026-03-02", []string{first}},
		{"?start_date=2026-03-02T10:00:00Z&end_date=2026-03-02T10:00:00Z", []string{first}},
		{"?start_date=2026-03-05", nil},
		{"?limit=1&offset=1", []string{second}},
	} {
		r := e.do(http.MethodGet, "/api/v1/usage"+tc.query, nil)
		require.Equal(t, http.StatusOK, r.status, tc.query)
		requireSDK(t, "Pagination", r.body["pagination"])
		var got []string
		for _, l := range r.body["logs"].([]any) {
			requireSDK(t, "UsageLog", l)
			got = append(got, l.(map[string]any)["id"].(string))
		}
		assert.Equal(t, tc.ids, got, tc.query)
	}

	r := e.do(http.MethodGet, "/api/v1/usage?start_date=2026-03-03", nil)
	sum := r.body["summary"].(map[string]any)
	requireSDK(t, "UsageSummary", sum)
	secs := dur(second)
	assert.Equal(t, 2.0, sum["total_calls"], "an unanswered call counts, with 0 seconds")
	assert.Equal(t, secs, sum["total_duration_seconds"])
	assert.Equal(t, cents(secs/60), sum["total_duration_minutes"])
	assert.Equal(t, cents(secs*0.07/60), sum["total_cost"])
	assert.Equal(t, "EUR", sum["currency"])
	r = e.do(http.MethodGet, "/api/v1/usage?limit=1", nil)
	assert.Equal(t, 3.0, r.body["summary"].(map[string]any)["total_calls"], "the summary covers the period, not the page")
	log := r.body["logs"].([]any)[0].(map[string]any)
	assert.Equal(t, "phone", log["call_type"])
	assert.Equal(t, "+31612340000", log["customer_number"])
	assert.Equal(t, 0.0, log["cost"])

	for query, param := range map[string]string{"?start_date=gisteren": "start_date", "?end_date=2026-13-01": "end_date", "?limit=0": "limit", "?offset=-1": "offset"} {
		r := e.do(http.MethodGet, "/api/v1/usage"+query, nil)
		assert.Equal(t, http.StatusBadRequest, r.status, query)
		_, p := errParam(r)
		assert.Equal(t, param, p, query)
	}
	r = e.doKey(otherKey, http.MethodGet, "/api/v1/usage", nil)
	assert.Equal(t, []any{}, r.body["logs"], "another account's calls are not its usage")
}

func TestUsageLeavesLiveCallsOut(t *testing.T) {
	e, g := held(t, nil)
	id := e.inbound(map[string]any{"seed": 5})
	g.waitHeld(t)
	r := e.do(http.MethodGet, "/api/v1/usage", nil)
	assert.Equal(t, 0.0, r.body["summary"].(map[string]any)["total_calls"], "a live call is not billed yet")
	g.open()
	e.wait(id)
	r = e.do(http.MethodGet, "/api/v1/usage", nil)
	assert.Equal(t, 1.0, r.body["summary"].(map[string]any)["total_calls"])
	assert.Equal(t, id, r.body["logs"].([]any)[0].(map[string]any)["id"])
}
