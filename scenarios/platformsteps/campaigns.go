package platformsteps

// Steps for campaigns: a campaign's leads are called as outbound calls
// whose webhooks reach the server under test, where they are graded like
// every other webhook of the scenario.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/scenarios"
	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// campaignSteps are the steps of the "platform API" topic about campaigns.
var campaignSteps = []scenarios.Definition{
	step("platform API", "a campaign with N leads (POST /api/v1/campaigns: an assistant calls N numbers that answer)",
		"Given a campaign with 3 leads", `^a campaign with (\d+) leads?$`, do1((*state).givenCampaignOf)),
	step("platform API", `a campaign calling "NUMBER, NUMBER, …" (…0000 never answers, …9999 reaches voicemail)`,
		`Given a campaign calling "+31612345678, +31612340000"`, `^a campaign calling "([^"]*)"$`, do1((*state).givenCampaignCalling)),
	step("platform API", "I start the campaign (POST /api/v1/campaigns/{id}/start)", "When I start the campaign",
		`^I start the campaign$`, do(campaignAction("start"))),
	step("platform API", "I pause the campaign (live calls finish, no new ones)", "When I pause the campaign",
		`^I pause the campaign$`, do(campaignAction("pause"))),
	step("platform API", "I cancel the campaign (the leads not called yet are skipped)", "When I cancel the campaign",
		`^I cancel the campaign$`, do(campaignAction("cancel"))),
	step("platform API", "every lead is called (waits for the campaign to complete; each lead has its call)", "Then every lead is called",
		`^every lead is called$`, do((*state).thenEveryLeadCalled)),
	step("platform API", `the lead "NUMBER" is "STATUS" (completed, no_answer, failed, skipped, …; waits for its call)`,
		`Then the lead "+31612340000" is "no_answer"`, `^the lead "([^"]*)" is "([^"]*)"$`, do2((*state).thenLeadIs)),
	step("platform API", "the usage through the API counts N calls (GET /api/v1/usage)", "Then the usage through the API counts 3 calls",
		`^the usage through the API counts (\d+) calls?$`, do1((*state).thenUsageCounts)),
}

// campaignKey is the key of the scenario's campaign among its parts.
type campaignKey struct{}

// campaignRun is the scenario's campaign.
type campaignRun struct {
	id    string
	leads []string // phone numbers
}

func (c *campaignRun) Exchanges() []*sim.Exchange { return nil } // the platform's part has them
func (c *campaignRun) Values(v map[string]string) { v["campaign_id"] = c.id }
func (c *campaignRun) Stop(bool)                  {}

// apiLead is what the steps read of a lead.
type apiLead struct {
	ID          string  `json:"id"`
	PhoneNumber string  `json:"phone_number"`
	Status      string  `json:"status"`
	CallID      *string `json:"call_id"`
}

// leadsDone are the lead statuses that do not change any more.
var leadsDone = []string{"completed", "failed", "no_answer", "skipped"}

func (st *state) givenCampaignOf(ctx context.Context, n int) error {
	if n < 1 || n > 50 {
		return fmt.Errorf("a campaign step takes 1 to 50 leads, not %d", n)
	}
	numbers := make([]string, n)
	for i := range numbers {
		numbers[i] = fmt.Sprintf("+316123450%02d", i+1)
	}
	return st.createCampaign(ctx, numbers)
}

func (st *state) givenCampaignCalling(ctx context.Context, list string) error {
	var numbers []string
	for part := range strings.SplitSeq(list, ",") {
		if part = strings.TrimSpace(part); part != "" {
			numbers = append(numbers, part)
		}
	}
	if len(numbers) == 0 {
		return errors.New(`name the numbers to call, e.g. "+31612345678, +31612340000"`)
	}
	return st.createCampaign(ctx, numbers)
}

// createCampaign creates an assistant (the scenario's server gets its
// webhooks) and a draft campaign that calls the numbers.
func (st *state) createCampaign(ctx context.Context, numbers []string) error {
	if _, err := st.platformAPIInstant(); err != nil {
		return err
	}
	agent, err := st.newAssistant(ctx, "flireo-sim campaign")
	if err != nil {
		return err
	}
	leads := make([]map[string]any, len(numbers))
	for i, n := range numbers {
		leads[i] = map[string]any{"phone_number": n, "name": fmt.Sprintf("Lead %d", i+1)}
	}
	r, err := st.request(ctx, http.MethodPost, "/api/v1/campaigns", map[string]any{
		"name": "flireo-sim campaign", "agent_id": agent, "leads": leads}, true)
	if err != nil {
		return err
	}
	var c struct {
		Campaign struct {
			ID string `json:"id"`
		} `json:"campaign"`
	}
	if r.Status != http.StatusCreated || json.Unmarshal(r.Body, &c) != nil {
		return fmt.Errorf("%s, expected 201 with the campaign", r)
	}
	st.SetPart(campaignKey{}, &campaignRun{id: c.Campaign.ID, leads: numbers})
	return nil
}

// campaign returns the scenario's campaign.
func (st *state) campaign() (*campaignRun, error) {
	c, _ := st.Part(campaignKey{}).(*campaignRun)
	if c == nil {
		return nil, errors.New("no campaign yet: add a step such as 'Given a campaign with 3 leads'")
	}
	return c, nil
}

func campaignAction(action string) func(*state, context.Context) error {
	return func(st *state, ctx context.Context) error {
		c, err := st.campaign()
		if err != nil {
			return err
		}
		_, err = st.request(ctx, http.MethodPost, "/api/v1/campaigns/"+url.PathEscape(c.id)+"/"+action, nil, true)
		return err
	}
}

// leads reads the campaign's leads.
func (st *state) leads(ctx context.Context, c *campaignRun) ([]apiLead, error) {
	r, err := st.request(ctx, http.MethodGet, "/api/v1/campaigns/"+url.PathEscape(c.id)+"/leads?limit=100", nil, false)
	if err != nil {
		return nil, err
	}
	var list struct {
		Leads []apiLead `json:"leads"`
	}
	if r.Status != http.StatusOK || json.Unmarshal(r.Body, &list) != nil {
		return nil, fmt.Errorf("%s, expected 200 with the leads", r)
	}
	return list.Leads, nil
}

// awaitLeads reads the leads until done says so. The bound allows every
// lead's call its wait, a batch of concurrent calls at a time.
func (st *state) awaitLeads(ctx context.Context, c *campaignRun, what string, done func([]apiLead) bool) ([]apiLead, error) {
	limit := st.apiWait() * time.Duration(1+len(c.leads)/10)
	deadline := time.Now().Add(limit)
	t := time.NewTicker(apiPoll)
	defer t.Stop()
	for {
		leads, err := st.leads(ctx, c)
		if err != nil || done(leads) {
			return leads, err
		}
		if time.Now().After(deadline) {
			return leads, st.Blame(fmt.Sprintf("%s within %s: the leads are %s", what, limit.Round(time.Millisecond), leadText(leads)))
		}
		select {
		case <-ctx.Done():
			return leads, fmt.Errorf("the run was stopped: %w", ctx.Err())
		case <-t.C:
		}
	}
}

func leadText(leads []apiLead) string {
	parts := make([]string, len(leads))
	for i, l := range leads {
		parts[i] = l.PhoneNumber + " " + l.Status
	}
	return strings.Join(parts, ", ")
}

func (st *state) thenEveryLeadCalled(ctx context.Context) error {
	c, err := st.campaign()
	if err != nil {
		return err
	}
	leads, err := st.awaitLeads(ctx, c, "not every lead was called", func(ls []apiLead) bool {
		return !slices.ContainsFunc(ls, func(l apiLead) bool { return !slices.Contains(leadsDone, l.Status) })
	})
	if err != nil {
		return err
	}
	if len(leads) != len(c.leads) {
		return fmt.Errorf("the campaign has %d leads, expected %d", len(leads), len(c.leads))
	}
	for _, l := range leads {
		if l.CallID == nil || *l.CallID == "" {
			return fmt.Errorf("lead %s is %s without a call", l.PhoneNumber, l.Status)
		}
		st.api.calls = append(st.api.calls, *l.CallID)
	}
	return nil
}

func (st *state) thenLeadIs(ctx context.Context, number, status string) error {
	c, err := st.campaign()
	if err != nil {
		return err
	}
	find := func(ls []apiLead) (apiLead, bool) {
		i := slices.IndexFunc(ls, func(l apiLead) bool { return l.PhoneNumber == number })
		if i < 0 {
			return apiLead{}, false
		}
		return ls[i], true
	}
	leads, err := st.awaitLeads(ctx, c, "lead "+number+" did not settle", func(ls []apiLead) bool {
		l, ok := find(ls)
		return !ok || l.Status == status || slices.Contains(leadsDone, l.Status)
	})
	if err != nil {
		return err
	}
	l, ok := find(leads)
	switch {
	case !ok:
		return fmt.Errorf("the campaign has no lead %s: its leads are %s", number, leadText(leads))
	case l.Status != status:
		return fmt.Errorf("lead %s is %q, expected %q", number, l.Status, status)
	}
	return nil
}

func (st *state) thenUsageCounts(ctx context.Context, n int) error {
	r, err := st.request(ctx, http.MethodGet, "/api/v1/usage", nil, true)
	if err != nil {
		return err
	}
	var u struct {
		Summary struct {
			TotalCalls int `json:"total_calls"`
		} `json:"summary"`
	}
	if r.Status != http.StatusOK || json.Unmarshal(r.Body, &u) != nil {
		return fmt.Errorf("%s, expected 200 with the usage", r)
	}
	if u.Summary.TotalCalls != n {
		return fmt.Errorf("the usage counts %d calls, expected %d", u.Summary.TotalCalls, n)
	}
	return nil
}
