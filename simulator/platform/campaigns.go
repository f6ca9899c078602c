package platform

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/mux"
)

// Campaign statuses (SDK CampaignStatus; cancelled from spec §2.2).
const (
	campDraft     = "draft"
	campScheduled = "scheduled"
	campPaused    = "paused"
	campCompleted = "completed"
	campCancelled = "cancelled"
)

var campStatuses = []string{campDraft, campScheduled, campPaused, campCompleted, campCancelled}

// campaign is an account's campaign: an assistant that calls a list of
// leads (spec §6.7, SDK Campaign). Fields change under the book's lock.
type campaign struct {
	id, owner, name, agentID string
	status                   string
	template                 *string
	sched                    schedule
	leads                    []*lead
	created, updated         time.Time
	running                  bool          // a dialer goroutine is working on it
	wake                     chan struct{} // signalled when a lead's call ends (buffered 1)
}

// campaignJSON is the campaign as the API returns it.
type campaignJSON struct {
	ID                    string         `json:"id"`
	Name                  string         `json:"name"`
	AgentID               string         `json:"agent_id"`
	AssistantID           string         `json:"assistant_id"`
	Status                string         `json:"status"`
	SystemMessageTemplate *string        `json:"system_message_template"`
	ScheduleStartTime     *string        `json:"schedule_start_time"`
	ScheduleEndTime       *string        `json:"schedule_end_time"`
	Timezone              *string        `json:"timezone"`
	TotalLeads            int            `json:"total_leads"`
	CompletedLeads        int            `json:"completed_leads"`
	FailedLeads           int            `json:"failed_leads"`
	LeadCounts            map[string]int `json:"lead_counts"`
	CreatedAt             string         `json:"created_at"`
	UpdatedAt             string         `json:"updated_at"`
}

// view renders the campaign; the caller holds the book's lock.
func (c *campaign) view() campaignJSON {
	counts := map[string]int{}
	for _, s := range leadStatuses {
		counts[s] = 0
	}
	for _, l := range c.leads {
		counts[l.status]++
	}
	return campaignJSON{
		ID: c.id, Name: c.name, AgentID: c.agentID, AssistantID: c.agentID, Status: c.status,
		SystemMessageTemplate: c.template, ScheduleStartTime: c.sched.startText(), ScheduleEndTime: c.sched.endText(),
		Timezone: c.sched.tzText(), TotalLeads: len(c.leads), CompletedLeads: counts[leadCompleted],
		FailedLeads: counts[leadFailed] + counts[leadNoAnswer], LeadCounts: counts,
		CreatedAt: isoTime(c.created), UpdatedAt: isoTime(c.updated),
	}
}

// campaignRequest is the body of POST and PATCH /campaigns.
type campaignRequest struct {
	Name                  *string       `json:"name"`
	AgentID               *string       `json:"agent_id"`
	AssistantID           *string       `json:"assistant_id"`
	Status                *string       `json:"status"`
	SystemMessageTemplate *string       `json:"system_message_template"`
	ScheduleStartTime     *string       `json:"schedule_start_time"`
	ScheduleEndTime       *string       `json:"schedule_end_time"`
	Timezone              *string       `json:"timezone"`
	Leads                 []leadRequest `json:"leads"`
}

func (req *campaignRequest) agent() *string {
	if req.AgentID != nil {
		return req.AgentID
	}
	return req.AssistantID
}

func (p *Platform) handleCreateCampaign(w http.ResponseWriter, r *http.Request) {
	c, rerr := p.newCampaign(w, r)
	if rerr != nil {
		rerr.write(w)
		return
	}
	b := p.book
	b.mu.Lock()
	if len(b.campaigns) >= maxCampaigns {
		b.mu.Unlock()
		writeError(w, http.StatusConflict, "too_many_campaigns", "", fmt.Sprintf("the simulator keeps at most %d campaigns: delete some first", maxCampaigns))
		return
	}
	b.campaigns[c.id] = c
	b.campOrder = append(b.campOrder, c.id)
	v := c.view()
	b.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"campaign": v})
}

// newCampaign validates a create request into a draft campaign.
func (p *Platform) newCampaign(w http.ResponseWriter, r *http.Request) (*campaign, *requestError) {
	var req campaignRequest
	if rerr := p.decode(w, r, &req); rerr != nil {
		return nil, rerr
	}
	owner := ownerOf(r)
	switch {
	case req.Name == nil || strings.TrimSpace(*req.Name) == "":
		return nil, missing("name", "name is required")
	case req.agent() == nil || strings.TrimSpace(*req.agent()) == "":
		return nil, missing("agent_id", "agent_id is required: the assistant that calls the leads")
	case req.Status != nil && *req.Status != campDraft:
		return nil, badRequest("status", "a campaign is created as a draft: create it, then set status scheduled (or POST …/start)")
	case len(req.Leads) > maxLeads:
		return nil, badRequest("leads", "at most %d leads per campaign", maxLeads)
	}
	agent := strings.TrimSpace(*req.agent())
	if _, _, rerr := p.ownAssistant(owner, agent, "agent_id"); rerr != nil {
		return nil, rerr
	}
	sched, rerr := schedule{}.with(&req)
	if rerr != nil {
		return nil, rerr
	}
	now := p.now()
	c := &campaign{id: uuid.NewString(), owner: owner, name: strings.TrimSpace(*req.Name), agentID: agent,
		status: campDraft, template: req.SystemMessageTemplate, sched: sched, created: now, updated: now,
		wake: make(chan struct{}, 1)}
	for i := range req.Leads {
		l, rerr := c.newLead(&req.Leads[i], fmt.Sprintf("leads[%d].", i), now)
		if rerr != nil {
			return nil, rerr
		}
		c.leads = append(c.leads, l)
	}
	return c, nil
}

func (p *Platform) handleListCampaigns(w http.ResponseWriter, r *http.Request) {
	limit, offset, rerr := page(r.URL.Query())
	if rerr != nil {
		rerr.write(w)
		return
	}
	owner := ownerOf(r)
	b := p.book
	b.mu.Lock()
	list := []campaignJSON{}
	for _, id := range b.campOrder {
		if c := b.campaigns[id]; c.owner == owner {
			list = append(list, c.view())
		}
	}
	b.mu.Unlock()
	items, pg := pageOf(list, limit, offset)
	writeJSON(w, http.StatusOK, map[string]any{"campaigns": items, "pagination": pg})
}

// findCampaign returns the account's campaign of the path; the caller
// holds b.mu. Another account's campaign is not found.
func (b *book) findCampaign(r *http.Request) (*campaign, *requestError) {
	id := mux.Vars(r)["id"]
	c := b.campaigns[id]
	if c == nil || c.owner != ownerOf(r) {
		return nil, notFound("id", "Campaign not found: no campaign with id %q", id)
	}
	return c, nil
}

func (p *Platform) handleGetCampaign(w http.ResponseWriter, r *http.Request) {
	b := p.book
	b.mu.Lock()
	c, rerr := b.findCampaign(r)
	var v campaignJSON
	if c != nil {
		v = c.view()
	}
	b.mu.Unlock()
	if rerr != nil {
		rerr.write(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"campaign": v})
}

// handleUpdateCampaign answers PATCH /campaigns/{id}: name, template and
// schedule, and status (scheduled starts or resumes, paused pauses,
// completed or cancelled cancels).
func (p *Platform) handleUpdateCampaign(w http.ResponseWriter, r *http.Request) {
	var req campaignRequest
	if rerr := p.decode(w, r, &req); rerr != nil {
		rerr.write(w)
		return
	}
	if req.agent() != nil || req.Leads != nil {
		badRequest("agent_id", "agent_id and leads cannot change: add leads with POST /campaigns/{id}/leads").write(w)
		return
	}
	if req.Name != nil && strings.TrimSpace(*req.Name) == "" {
		missing("name", "name must not be empty").write(w)
		return
	}
	p.changeCampaign(w, r, func(c *campaign) *requestError { return p.applyCampaign(c, &req) })
}

// changeCampaign applies change to the request's campaign under the book's
// lock, answers the campaign, and starts dialling when it is scheduled.
func (p *Platform) changeCampaign(w http.ResponseWriter, r *http.Request, change func(c *campaign) *requestError) {
	b := p.book
	b.mu.Lock()
	c, rerr := b.findCampaign(r)
	if rerr == nil {
		rerr = change(c)
	}
	var v campaignJSON
	if rerr == nil {
		v = c.view()
	}
	b.mu.Unlock()
	if rerr != nil {
		rerr.write(w)
		return
	}
	if v.Status == campScheduled {
		p.launch(c)
	}
	writeJSON(w, http.StatusOK, map[string]any{"campaign": v})
}

// applyCampaign applies a valid update; the caller holds b.mu.
func (p *Platform) applyCampaign(c *campaign, req *campaignRequest) *requestError {
	sched, rerr := c.sched.with(req)
	if rerr != nil {
		return rerr
	}
	if req.Status != nil {
		if rerr := c.transition(*req.Status); rerr != nil {
			return rerr
		}
	}
	if req.Name != nil {
		c.name = strings.TrimSpace(*req.Name)
	}
	if req.SystemMessageTemplate != nil {
		c.template = req.SystemMessageTemplate
	}
	c.sched = sched
	c.updated = p.now()
	return nil
}

// transition changes the campaign's status as asked; the caller holds the
// book's lock. Cancelling skips the leads not yet called.
func (c *campaign) transition(to string) *requestError {
	from := c.status
	switch {
	case !slices.Contains(campStatuses, to):
		return badRequest("status", "status %q is not one of %s", to, strings.Join(campStatuses, ", "))
	case to == from:
		return nil
	case from == campCompleted || from == campCancelled:
		return &requestError{status: http.StatusBadRequest, code: "invalid_status", param: "status",
			message: fmt.Sprintf("the campaign is %s: it cannot become %s", from, to)}
	case to == campDraft:
		return &requestError{status: http.StatusBadRequest, code: "invalid_status", param: "status",
			message: fmt.Sprintf("a %s campaign cannot go back to draft: pause it instead", from)}
	case to == campScheduled && len(c.leads) == 0:
		return &requestError{status: http.StatusBadRequest, code: "invalid_status", param: "status",
			message: "the campaign has no leads: add some with POST /campaigns/{id}/leads first"}
	case to == campCompleted || to == campCancelled:
		for _, l := range c.leads {
			if l.status == leadPending {
				l.status, l.outcome = leadSkipped, "cancelled"
			}
		}
		to = campCancelled
	}
	c.status = to
	c.poke()
	return nil
}

func (p *Platform) handleDeleteCampaign(w http.ResponseWriter, r *http.Request) {
	b := p.book
	b.mu.Lock()
	c, rerr := b.findCampaign(r)
	if c != nil {
		delete(b.campaigns, c.id)
		b.campOrder = slices.DeleteFunc(b.campOrder, func(id string) bool { return id == c.id })
		c.status = campCancelled // its dialer stops; live calls finish
	}
	b.mu.Unlock()
	if rerr != nil {
		rerr.write(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}

// handleCampaignAction answers POST /campaigns/{id}/start|pause|cancel,
// the simulator's shorthand for PATCH with status scheduled, paused or
// cancelled.
func (p *Platform) handleCampaignAction(w http.ResponseWriter, r *http.Request) {
	to := map[string]string{"start": campScheduled, "pause": campPaused, "cancel": campCancelled}[mux.Vars(r)["action"]]
	p.changeCampaign(w, r, func(c *campaign) *requestError {
		rerr := c.transition(to)
		if rerr == nil {
			c.updated = p.now()
		}
		return rerr
	})
}
