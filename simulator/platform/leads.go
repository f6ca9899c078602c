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

// Lead statuses (SDK LeadStatus; skipped from spec §2.2).
const (
	leadPending   = "pending"
	leadCalling   = "calling"
	leadCompleted = "completed"
	leadFailed    = "failed"
	leadNoAnswer  = "no_answer"
	leadSkipped   = "skipped"
)

var leadStatuses = []string{leadPending, leadCalling, leadCompleted, leadFailed, leadNoAnswer, leadSkipped}

// lead is one person a campaign calls.
type lead struct {
	id, campaignID, phone string
	name                  *string
	variables             map[string]string
	status                string
	callID                string
	outcome               string // answered, voicemail, no_answer, failed, cancelled
	endReason             string
	errText               string
	attempts              int
	lastAttempt           time.Time
	created, updated      time.Time
}

// leadJSON is the lead as the API returns it.
type leadJSON struct {
	ID            string            `json:"id"`
	CampaignID    string            `json:"campaign_id"`
	PhoneNumber   string            `json:"phone_number"`
	Name          *string           `json:"name,omitempty"` // the SDK types it string, not null
	Status        string            `json:"status"`
	Variables     map[string]string `json:"variables"`
	CallID        *string           `json:"call_id"`
	Outcome       *string           `json:"outcome"`
	EndReason     *string           `json:"end_reason"`
	Error         *string           `json:"error"`
	Attempts      int               `json:"attempts"`
	LastAttemptAt *string           `json:"last_attempt_at"`
	CreatedAt     string            `json:"created_at"`
	UpdatedAt     string            `json:"updated_at"`
}

// view renders the lead; the caller holds the book's lock.
func (l *lead) view() leadJSON {
	vars := l.variables
	if vars == nil {
		vars = map[string]string{}
	}
	return leadJSON{
		ID: l.id, CampaignID: l.campaignID, PhoneNumber: l.phone, Name: l.name, Status: l.status, Variables: vars,
		CallID: opt(l.callID), Outcome: opt(l.outcome), EndReason: opt(l.endReason), Error: opt(l.errText),
		Attempts: l.attempts, LastAttemptAt: optTime(l.lastAttempt),
		CreatedAt: isoTime(l.created), UpdatedAt: isoTime(l.updated),
	}
}

// leadRequest is a lead to add (SDK CampaignLeadCreateParams).
type leadRequest struct {
	PhoneNumber *string           `json:"phone_number"`
	Name        *string           `json:"name"`
	Variables   map[string]string `json:"variables"`
}

// newLead validates a lead of c; prefix names its place in the request
// ("leads[2]." or ""). The caller holds the book's lock or owns c alone.
func (c *campaign) newLead(req *leadRequest, prefix string, now time.Time) (*lead, *requestError) {
	if req.PhoneNumber == nil || strings.TrimSpace(*req.PhoneNumber) == "" {
		return nil, missing(prefix+"phone_number", "%sphone_number is required: the number to call in E.164, e.g. +31612345678", prefix)
	}
	phone := strings.TrimSpace(*req.PhoneNumber)
	if !e164.MatchString(phone) {
		return nil, badRequest(prefix+"phone_number", "%sphone_number %q is not an E.164 number such as +31612345678", prefix, phone)
	}
	for _, l := range c.leads {
		if l.phone == phone {
			return nil, &requestError{status: http.StatusConflict, code: "duplicate", param: prefix + "phone_number",
				message: fmt.Sprintf("%sphone_number %s is already a lead of this campaign (%s)", prefix, phone, l.id)}
		}
	}
	return &lead{id: uuid.NewString(), campaignID: c.id, phone: phone, name: req.Name, variables: req.Variables,
		status: leadPending, created: now, updated: now}, nil
}

func (p *Platform) handleListLeads(w http.ResponseWriter, r *http.Request) {
	limit, offset, rerr := page(r.URL.Query())
	status := r.URL.Query().Get("status")
	if rerr == nil && status != "" && !slices.Contains(leadStatuses, status) {
		rerr = badRequest("status", "status %q is not a lead status; use one of %s", status, strings.Join(leadStatuses, ", "))
	}
	if rerr != nil {
		rerr.write(w)
		return
	}
	b := p.book
	b.mu.Lock()
	c, rerr := b.findCampaign(r)
	list := []leadJSON{}
	if c != nil {
		for _, l := range c.leads {
			if status == "" || l.status == status {
				list = append(list, l.view())
			}
		}
	}
	b.mu.Unlock()
	if rerr != nil {
		rerr.write(w)
		return
	}
	items, pg := pageOf(list, limit, offset)
	writeJSON(w, http.StatusOK, map[string]any{"leads": items, "pagination": pg})
}

// handleAddLead answers POST /campaigns/{id}/leads. A running campaign
// calls the new lead too; a finished one takes no more.
func (p *Platform) handleAddLead(w http.ResponseWriter, r *http.Request) {
	var req leadRequest
	if rerr := p.decode(w, r, &req); rerr != nil {
		rerr.write(w)
		return
	}
	b := p.book
	b.mu.Lock()
	c, rerr := b.findCampaign(r)
	var l *lead
	switch {
	case rerr != nil:
	case c.status == campCompleted || c.status == campCancelled:
		rerr = &requestError{status: http.StatusBadRequest, code: "invalid_status",
			message: fmt.Sprintf("the campaign is %s: it takes no more leads", c.status)}
	case len(c.leads) >= maxLeads:
		rerr = &requestError{status: http.StatusConflict, code: "too_many_leads", message: fmt.Sprintf("a campaign has at most %d leads", maxLeads)}
	default:
		l, rerr = c.newLead(&req, "", p.now())
	}
	var v leadJSON
	if rerr == nil {
		c.leads = append(c.leads, l)
		c.updated = l.created
		v = l.view()
		c.poke()
	}
	b.mu.Unlock()
	if rerr != nil {
		rerr.write(w)
		return
	}
	writeJSON(w, http.StatusCreated, map[string]any{"lead": v})
}

// handleDeleteLead answers DELETE /campaigns/{id}/leads/{leadId}; a lead
// being called cannot be removed until its call ends.
func (p *Platform) handleDeleteLead(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["leadId"]
	b := p.book
	b.mu.Lock()
	c, rerr := b.findCampaign(r)
	if c != nil {
		i := slices.IndexFunc(c.leads, func(l *lead) bool { return l.id == id })
		switch {
		case i < 0:
			rerr = notFound("leadId", "Lead not found: campaign %s has no lead with id %q", c.id, id)
		case c.leads[i].status == leadCalling:
			rerr = &requestError{status: http.StatusBadRequest, code: "invalid_status", param: "leadId",
				message: fmt.Sprintf("lead %s is being called (call %s): remove it once the call has ended", id, c.leads[i].callID)}
		default:
			c.leads = slices.Delete(c.leads, i, i+1)
			c.updated = p.now()
			c.poke()
		}
	}
	b.mu.Unlock()
	if rerr != nil {
		rerr.write(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}

// poke wakes the campaign's dialer.
func (c *campaign) poke() {
	select {
	case c.wake <- struct{}{}:
	default:
	}
}
