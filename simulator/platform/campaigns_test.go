package platform

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quickDial steps the dialers without waiting (every interval is recorded
// in ticks) and lets the tests poll the API freely.
func quickDial(ticks chan<- time.Duration) func(o *Options) {
	return func(o *Options) {
		o.RequestsPerMinute = 1 << 20
		o.Campaign.Interval = 250 * time.Millisecond
		o.Campaign.Tick = func(ctx context.Context, d time.Duration) error {
			if ticks != nil {
				select {
				case ticks <- d:
				default:
				}
			}
			return ctx.Err()
		}
	}
}

// createCampaign creates a campaign for the test key's account.
func (e *env) createCampaign(body map[string]any) map[string]any {
	e.t.Helper()
	r := e.do(http.MethodPost, "/api/v1/campaigns", body)
	require.Equal(e.t, http.StatusCreated, r.status, string(r.raw))
	c := r.body["campaign"].(map[string]any)
	requireSDK(e.t, "Campaign", c)
	return c
}

// campaign returns the campaign object.
func (e *env) campaign(id string) map[string]any {
	e.t.Helper()
	r := e.do(http.MethodGet, "/api/v1/campaigns/"+id, nil)
	require.Equal(e.t, http.StatusOK, r.status, string(r.raw))
	c := r.body["campaign"].(map[string]any)
	requireSDK(e.t, "Campaign", c)
	return c
}

// leads returns the campaign's leads, checked against the SDK type.
func (e *env) leads(id string) []map[string]any {
	e.t.Helper()
	r := e.do(http.MethodGet, "/api/v1/campaigns/"+id+"/leads?limit=100", nil)
	require.Equal(e.t, http.StatusOK, r.status, string(r.raw))
	requireSDK(e.t, "Pagination", r.body["pagination"])
	var out []map[string]any
	for _, l := range r.body["leads"].([]any) {
		requireSDK(e.t, "CampaignLead", l)
		out = append(out, l.(map[string]any))
	}
	return out
}

// waitCampaign polls until the campaign has the status (30 s at most: the
// calls play instantly, the bound only stops a broken dialer).
func (e *env) waitCampaign(id, status string) map[string]any {
	e.t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c := e.campaign(id)
		if c["status"] == status {
			return c
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("campaign %s is %v, not %s, after 30 s: leads %v", id, c["status"], status, e.leads(id))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestCampaignsCRUD(t *testing.T) {
	e := twoAccounts(t, quickDial(nil))
	asst := e.createAssistant(map[string]any{"name": "Herinneringen"})
	r := e.doKey(otherKey, http.MethodPost, "/api/v1/assistants", map[string]any{"name": "Not yours"})
	require.Equal(t, http.StatusCreated, r.status)
	foreign := r.body["assistant"].(map[string]any)["id"].(string)

	for _, tc := range []struct {
		body        string
		status      int
		code, param string
	}{
		{`{"agent_id": "` + asst + `"}`, 400, "missing_field", "name"},
		{`{"name": "Q1"}`, 400, "missing_field", "agent_id"},
		{`{"name": "Q1", "agent_id": "nope"}`, 404, "not_found", "agent_id"},
		{`{"name": "Q1", "agent_id": "` + foreign + `"}`, 404, "not_found", "agent_id"},
		{`{"name": 5, "agent_id": "` + asst + `"}`, 400, "invalid_request", "name"},
		{`{"name": "Q1", "agent_id": "` + asst + `", "status": "scheduled"}`, 400, "invalid_request", "status"},
		{`{"name": "Q1", "agent_id": "` + asst + `", "schedule_start_time": "9 uur"}`, 400, "invalid_request", "schedule_start_time"},
		{`{"name": "Q1", "agent_id": "` + asst + `", "schedule_start_time": "09:00", "schedule_end_time": "09:00:00"}`, 400, "invalid_request", "schedule_end_time"},
		{`{"name": "Q1", "agent_id": "` + asst + `", "timezone": "Mars/Olympus"}`, 400, "invalid_request", "timezone"},
		{`{"name": "Q1", "agent_id": "` + asst + `", "leads": [{"phone_number": "+31612345678"}, {"name": "x"}]}`, 400, "missing_field", "leads[1].phone_number"},
		{`{"name": "Q1", "agent_id": "` + asst + `", "leads": [{"phone_number": "06"}]}`, 400, "invalid_request", "leads[0].phone_number"},
		{`{"name": "Q1", "agent_id": "` + asst + `", "leads": [{"phone_number": "+31612345678"}, {"phone_number": "+31612345678"}]}`, 409, "duplicate", "leads[1].phone_number"},
		{`{"name": "Q1", "agent_id": "` + asst + `", "leads": [{"phone_number": "+31612345678", "variables": {"n": 1}}]}`, 400, "invalid_request", "leads.variables"},
	} {
		r := e.do(http.MethodPost, "/api/v1/campaigns", tc.body)
		assert.Equal(t, tc.status, r.status, tc.body)
		code, param := errParam(r)
		assert.Equal(t, tc.code, code, tc.body)
		assert.Equal(t, tc.param, param, tc.body)
	}

	c := e.createCampaign(map[string]any{"name": "Afspraken", "agent_id": asst, "timezone": "Europe/Amsterdam",
		"schedule_start_time": "09:00", "schedule_end_time": "17:30:00", "system_message_template": "Bel {{name}} over {{datum}}.",
		"leads": []map[string]any{{"phone_number": "+31612345678", "name": "Anna", "variables": map[string]string{"datum": "dinsdag"}}}})
	id := c["id"].(string)
	assert.Equal(t, "draft", c["status"])
	assert.Equal(t, "09:00:00", c["schedule_start_time"])
	assert.Equal(t, "17:30:00", c["schedule_end_time"])
	assert.Equal(t, 1.0, c["total_leads"])

	r = e.do(http.MethodPatch, "/api/v1/campaigns/"+id, map[string]any{"name": "Afspraken week 2", "schedule_end_time": ""})
	require.Equal(t, http.StatusOK, r.status, string(r.raw))
	got := r.body["campaign"].(map[string]any)
	assert.Equal(t, "Afspraken week 2", got["name"])
	assert.Nil(t, got["schedule_end_time"], `"" clears`)
	for body, param := range map[string]string{`{"name": ""}`: "name", `{"status": "running"}`: "status", `{"agent_id": "x"}`: "agent_id", `{"timezone": "Nowhere"}`: "timezone"} {
		r = e.do(http.MethodPatch, "/api/v1/campaigns/"+id, body)
		assert.Equal(t, http.StatusBadRequest, r.status, body)
		_, p := errParam(r)
		assert.Equal(t, param, p, body)
	}

	// Leads.
	r = e.do(http.MethodPost, "/api/v1/campaigns/"+id+"/leads", map[string]any{"phone_number": "+31687654321", "name": "Bram"})
	require.Equal(t, http.StatusCreated, r.status, string(r.raw))
	lead := r.body["lead"].(map[string]any)
	requireSDK(t, "CampaignLead", lead)
	assert.Equal(t, "pending", lead["status"])
	assert.Equal(t, id, lead["campaign_id"])
	for body, want := range map[string]int{`{}`: 400, `{"phone_number": "+31687654321"}`: 409, `{"phone_number": "tel:1"}`: 400, `{"variables": []}`: 400} {
		r = e.do(http.MethodPost, "/api/v1/campaigns/"+id+"/leads", body)
		assert.Equal(t, want, r.status, body)
	}
	assert.Len(t, e.leads(id), 2)
	r = e.do(http.MethodGet, "/api/v1/campaigns/"+id+"/leads?status=pending&limit=1&offset=1", nil)
	assert.Len(t, r.body["leads"], 1)
	assert.Equal(t, map[string]any{"total": 2.0, "limit": 1.0, "offset": 1.0}, r.body["pagination"])
	r = e.do(http.MethodGet, "/api/v1/campaigns/"+id+"/leads?status=busy", nil)
	assert.Equal(t, http.StatusBadRequest, r.status)
	r = e.do(http.MethodDelete, "/api/v1/campaigns/"+id+"/leads/"+lead["id"].(string), nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, map[string]any{"success": true}, r.body)
	r = e.do(http.MethodDelete, "/api/v1/campaigns/"+id+"/leads/"+lead["id"].(string), nil)
	assert.Equal(t, http.StatusNotFound, r.status)
	assert.Equal(t, 1.0, e.campaign(id)["total_leads"])

	// Lists and other accounts.
	r = e.do(http.MethodGet, "/api/v1/campaigns", nil)
	assert.Len(t, r.body["campaigns"], 1)
	r = e.doKey(otherKey, http.MethodGet, "/api/v1/campaigns", nil)
	assert.Equal(t, []any{}, r.body["campaigns"])
	for _, path := range []string{"", "/leads", "/leads/" + lead["id"].(string), "/start"} {
		for _, m := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete, http.MethodPost} {
			r = e.doKey(otherKey, m, "/api/v1/campaigns/"+id+path, `{"phone_number": "+31611111111"}`)
			if r.status != http.StatusMethodNotAllowed {
				assert.Equal(t, http.StatusNotFound, r.status, "another account: %s %s", m, path)
			}
		}
	}
	r = e.do(http.MethodDelete, "/api/v1/campaigns/"+id, nil)
	require.Equal(t, http.StatusOK, r.status)
	for _, path := range []string{"", "/leads"} {
		r = e.do(http.MethodGet, "/api/v1/campaigns/"+id+path, nil)
		assert.Equal(t, http.StatusNotFound, r.status, path)
	}
}

func TestCampaignTransitions(t *testing.T) {
	e := twoAccounts(t, quickDial(nil))
	asst := e.createAssistant(map[string]any{"name": "Herinneringen"})
	empty := e.createCampaign(map[string]any{"name": "Leeg", "agent_id": asst})
	r := e.do(http.MethodPost, "/api/v1/campaigns/"+empty["id"].(string)+"/start", nil)
	assert.Equal(t, http.StatusBadRequest, r.status, "no leads to call")
	code, _ := errParam(r)
	assert.Equal(t, "invalid_status", code)

	c := e.createCampaign(map[string]any{"name": "Stop", "agent_id": asst, "leads": []map[string]any{{"phone_number": "+31612345678"}}})
	id := c["id"].(string)
	r = e.do(http.MethodPatch, "/api/v1/campaigns/"+id, map[string]any{"status": "paused"})
	require.Equal(t, http.StatusOK, r.status, "a draft may be paused (it is not called)")
	r = e.do(http.MethodPatch, "/api/v1/campaigns/"+id, map[string]any{"status": "draft"})
	assert.Equal(t, http.StatusBadRequest, r.status, "no way back to draft")
	r = e.do(http.MethodPost, "/api/v1/campaigns/"+id+"/cancel", nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, "cancelled", r.body["campaign"].(map[string]any)["status"])
	l := e.leads(id)[0]
	assert.Equal(t, "skipped", l["status"], "cancel skips the leads not called")
	assert.Nil(t, l["call_id"])
	for _, body := range []map[string]any{{"status": "scheduled"}, {"status": "paused"}} {
		r = e.do(http.MethodPatch, "/api/v1/campaigns/"+id, body)
		assert.Equal(t, http.StatusBadRequest, r.status, "%v", body)
	}
	r = e.do(http.MethodPost, "/api/v1/campaigns/"+id+"/leads", map[string]any{"phone_number": "+31699999990"})
	assert.Equal(t, http.StatusBadRequest, r.status, "a cancelled campaign takes no leads")
	r = e.do(http.MethodPost, "/api/v1/campaigns/"+id+"/launch", nil)
	assert.Equal(t, http.StatusNotFound, r.status)
}

// leadByPhone indexes leads by phone number.
func leadByPhone(leads []map[string]any) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, l := range leads {
		out[l["phone_number"].(string)] = l
	}
	return out
}

func TestCampaignRunEndToEnd(t *testing.T) {
	ticks := make(chan time.Duration, 100)
	e := twoAccounts(t, quickDial(ticks))
	asst := e.createAssistant(map[string]any{"name": "Herinneringen", "business_name": "Tandarts Smit",
		"first_message": "Goedemiddag, u spreekt met de assistent van Tandarts Smit.", "metadata": map[string]any{"crm": "x1"}})
	e.orderNumber(map[string]any{"phone_number": "+31301234567"})
	from := e.orderNumber(map[string]any{"phone_number": "+31851234567", "agent_id": asst})
	c := e.createCampaign(map[string]any{"name": "Controles", "agent_id": asst, "system_message_template": "Bel {{name}} over {{datum}}.",
		"leads": []map[string]any{
			{"phone_number": "+31612345678", "name": "Anna", "variables": map[string]string{"datum": "dinsdag"}},
			{"phone_number": "+31612340000", "name": "Bram"}, // never answered
			{"phone_number": "+31612349999", "name": "Cor"},  // voicemail
		}})
	id := c["id"].(string)
	r := e.do(http.MethodPatch, "/api/v1/campaigns/"+id, map[string]any{"status": "scheduled"})
	require.Equal(t, http.StatusOK, r.status, string(r.raw))

	done := e.waitCampaign(id, "completed")
	assert.Equal(t, 3.0, done["total_leads"])
	assert.Equal(t, 1.0, done["completed_leads"])
	assert.Equal(t, 2.0, done["failed_leads"], "no answer and voicemail")
	assert.Equal(t, map[string]any{"pending": 0.0, "calling": 0.0, "completed": 1.0, "failed": 0.0, "no_answer": 2.0, "skipped": 0.0}, done["lead_counts"])

	leads := leadByPhone(e.leads(id))
	for phone, want := range map[string][2]string{
		"+31612345678": {"completed", "answered"},
		"+31612340000": {"no_answer", "no_answer"},
		"+31612349999": {"no_answer", "voicemail"},
	} {
		l := leads[phone]
		assert.Equal(t, want[0], l["status"], phone)
		assert.Equal(t, want[1], l["outcome"], phone)
		assert.Equal(t, 1.0, l["attempts"], phone)
		callID, _ := l["call_id"].(string)
		require.NotEmpty(t, callID, phone)
		obj := e.get(callID)
		assert.Equal(t, "outbound", obj["direction"], phone)
		assert.Equal(t, phone, obj["caller_phone"], phone)
		assert.Equal(t, asst, obj["assistant_id"], phone)
		assert.Equal(t, obj["end_reason"], l["end_reason"], phone)
		assert.Equal(t, "+31851234567", obj["assistant_phone"], "the assistant's own number calls")
		assert.Equal(t, from["id"], obj["number_id"], phone)
	}

	// Every webhook of an answered call carries the campaign and the lead
	// in the echoed assistant's metadata, and the reference integrator
	// acknowledged them all.
	anna := leads["+31612345678"]
	hits := e.rec.of(anna["call_id"].(string))
	require.NotEmpty(t, hits)
	for _, h := range hits {
		if h.event == "status-update" || h.event == "end-of-call-report" || h.event == "tool-calls" {
			body := string(h.body)
			assert.Contains(t, body, `"campaign_id":"`+id+`"`, h.event)
			assert.Contains(t, body, `"lead_id":"`+anna["id"].(string)+`"`, h.event)
			assert.Contains(t, body, `"datum":"dinsdag"`, h.event)
			assert.Contains(t, body, `"crm":"x1"`, "the assistant's own metadata stays")
			assert.Contains(t, body, `"system_message":"Bel Anna over dinsdag."`, h.event)
		}
	}

	// Pace: the dialer waited the interval after each dial.
	close(ticks)
	n := 0
	for d := range ticks {
		if d == 250*time.Millisecond {
			n++
		}
	}
	assert.Equal(t, 3, n, "one interval after each of the 3 dials")

	// Usage adds up the calls played.
	u := e.do(http.MethodGet, "/api/v1/usage", nil)
	require.Equal(t, http.StatusOK, u.status, string(u.raw))
	var secs float64
	for _, l := range leads {
		secs += e.get(l["call_id"].(string))["duration_seconds"].(float64)
	}
	sum := u.body["summary"].(map[string]any)
	requireSDK(t, "UsageSummary", sum)
	assert.Equal(t, 3.0, sum["total_calls"])
	assert.Equal(t, secs, sum["total_duration_seconds"])
	assert.Greater(t, secs, 0.0)
	assert.InDelta(t, secs*0.07/60, sum["total_cost"], 0.005)
	assert.Len(t, u.body["logs"], 3)
	for _, l := range u.body["logs"].([]any) {
		requireSDK(t, "UsageLog", l)
	}
	r = e.doKey(otherKey, http.MethodGet, "/api/v1/usage", nil)
	assert.Equal(t, 0.0, r.body["summary"].(map[string]any)["total_calls"], "another account has played nothing")
}

func TestCampaignConcurrencyPauseResume(t *testing.T) {
	waiting := make(chan string, 100)
	e, g := held(t, func(o *Options) {
		quickDial(nil)(o)
		o.Campaign.Concurrency = 2
		o.Campaign.waiting = func(id string) { waiting <- id }
	})
	asst := e.createAssistant(map[string]any{"name": "Enquête"})
	var leads []map[string]any
	for i := range 4 {
		leads = append(leads, map[string]any{"phone_number": fmt.Sprintf("+3161234500%d", i)})
	}
	c := e.createCampaign(map[string]any{"name": "Enquête", "agent_id": asst, "leads": leads})
	id := c["id"].(string)
	r := e.do(http.MethodPost, "/api/v1/campaigns/"+id+"/start", nil)
	require.Equal(t, http.StatusOK, r.status, string(r.raw))
	g.waitHeld(t)
	g.waitHeld(t)
	select {
	case <-waiting: // the dialer is at its cap
	case <-time.After(30 * time.Second):
		t.Fatal("the dialer did not wait at its cap")
	}
	counts := e.campaign(id)["lead_counts"].(map[string]any)
	assert.Equal(t, 2.0, counts["calling"], "at most Concurrency calls at once")
	assert.Equal(t, 2.0, counts["pending"])
	assert.Equal(t, 2, e.p.Live())

	r = e.do(http.MethodPost, "/api/v1/campaigns/"+id+"/pause", nil)
	require.Equal(t, http.StatusOK, r.status)
	g.open() // the live calls finish; no new ones start
	deadline := time.Now().Add(30 * time.Second)
	for e.p.Live() > 0 || e.campaign(id)["lead_counts"].(map[string]any)["calling"] != 0.0 {
		require.True(t, time.Now().Before(deadline), "the live calls did not finish")
		time.Sleep(10 * time.Millisecond)
	}
	counts = e.campaign(id)["lead_counts"].(map[string]any)
	assert.Equal(t, 2.0, counts["completed"])
	assert.Equal(t, 2.0, counts["pending"], "a paused campaign dials no one")
	assert.Equal(t, "paused", e.campaign(id)["status"])

	r = e.do(http.MethodPatch, "/api/v1/campaigns/"+id, map[string]any{"status": "scheduled"})
	require.Equal(t, http.StatusOK, r.status)
	done := e.waitCampaign(id, "completed")
	assert.Equal(t, 4.0, done["completed_leads"])
}

func TestCampaignCallingWindow(t *testing.T) {
	// 07:00 UTC is 08:00 in Amsterdam in winter: the 09:00 window opens in an hour.
	clock := time.Date(2026, 1, 5, 7, 0, 0, 0, time.UTC)
	var waits []time.Duration
	var mu sync.Mutex
	e := twoAccounts(t, func(o *Options) {
		o.RequestsPerMinute = 1 << 20
		o.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }
		o.Campaign.Tick = func(ctx context.Context, d time.Duration) error {
			mu.Lock()
			defer mu.Unlock()
			waits = append(waits, d)
			clock = clock.Add(d)
			return ctx.Err()
		}
	})
	asst := e.createAssistant(map[string]any{"name": "Kantoor"})
	c := e.createCampaign(map[string]any{"name": "Kantooruren", "agent_id": asst, "timezone": "Europe/Amsterdam",
		"schedule_start_time": "09:00:00", "schedule_end_time": "17:00:00",
		"leads": []map[string]any{{"phone_number": "+31612345678"}}})
	id := c["id"].(string)
	r := e.do(http.MethodPost, "/api/v1/campaigns/"+id+"/start", nil)
	require.Equal(t, http.StatusOK, r.status)
	e.waitCampaign(id, "completed")
	l := e.leads(id)[0]
	mu.Lock()
	defer mu.Unlock()
	require.NotEmpty(t, waits)
	assert.Equal(t, time.Hour, waits[0], "the dialer waits for the window to open")
	assert.Equal(t, "2026-01-05T08:00:00.000Z", l["last_attempt_at"], "called at 09:00 Amsterdam time")
}

func TestShutdownStopsCampaigns(t *testing.T) {
	e, g := held(t, func(o *Options) {
		quickDial(nil)(o)
		o.Campaign.Concurrency = 1
	})
	asst := e.createAssistant(map[string]any{"name": "Enquête"})
	c := e.createCampaign(map[string]any{"name": "Enquête", "agent_id": asst, "leads": []map[string]any{
		{"phone_number": "+31612345001"}, {"phone_number": "+31612345002"}, {"phone_number": "+31612345003"}}})
	id := c["id"].(string)
	r := e.do(http.MethodPost, "/api/v1/campaigns/"+id+"/start", nil)
	require.Equal(t, http.StatusOK, r.status)
	g.waitHeld(t)

	// The held call cannot finish: Shutdown cancels it once its context
	// ends, and the dialler stops instead of calling the next lead.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	done := make(chan int)
	go func() { done <- e.p.Shutdown(ctx) }()
	select {
	case n := <-done:
		assert.Equal(t, 1, n, "the live call was cancelled")
	case <-time.After(30 * time.Second):
		t.Fatal("Shutdown did not return: a dialler or a call kept running")
	}
	leads := leadByPhone(e.leads(id))
	assert.Equal(t, "failed", leads["+31612345001"]["status"], "its call was cancelled")
	assert.Equal(t, "pending", leads["+31612345002"]["status"])
	assert.Equal(t, "pending", leads["+31612345003"]["status"])
	assert.Equal(t, 0, e.p.Live())
}
