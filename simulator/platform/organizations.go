package platform

import (
	"math"
	"net/http"
	"net/mail"
	"strings"
	"time"

	"github.com/google/uuid"
)

// The organization of an account (spec §6.7, SDK Organization): one per
// API key, made on first use; PATCH renames it; POST makes a child
// (white-label) organization of it.

// Simulated balances: the mock bills nothing, so an account starts with,
// and keeps, these.
const (
	startCredits = 100.0  // SDK credits_balance
	startMinutes = 1000.0 // ORG-C minutes_balance
	orgPlan      = "simulator"
)

// organization is an account's organization or one of its children.
type organization struct {
	id       string
	name     string
	email    string
	parentID string
	created  time.Time
	updated  time.Time
	children []*organization
}

// orgFor returns the account's organization, making it on first use; the
// caller holds p.res.mu.
func (p *Platform) orgFor(owner string) *organization {
	if p.res.orgs == nil {
		p.res.orgs = make(map[string]*organization)
	}
	o := p.res.orgs[owner]
	if o == nil {
		now := p.now()
		name := "flireo-sim"
		if owner != "" {
			name = "flireo-sim " + strings.ReplaceAll(owner, "#", " ")
		}
		o = &organization{id: "org_" + uuid.NewString(), name: name, created: now, updated: now}
		p.res.orgs[owner] = o
	}
	return o
}

// view is the organization as the API answers it: the SDK's fields plus
// the organization page's counters.
func (o *organization) view() map[string]any {
	v := map[string]any{
		"id": o.id, "name": o.name, "credits_balance": startCredits, "minutes_balance": startMinutes,
		"plan": orgPlan, "created_at": isoTime(o.created), "updated_at": isoTime(o.updated),
	}
	if o.email != "" {
		v["email"] = o.email
	}
	if o.parentID != "" {
		v["parent_id"] = o.parentID
	}
	return v
}

// counters adds the account's counts: its assistants, its calls in
// progress, its active numbers, and the minutes of its ended calls created
// this calendar month (UTC), as GET /usage bills them.
func (p *Platform) counters(owner string, v map[string]any) {
	agents := 0
	p.mu.Lock()
	for _, a := range p.assistants {
		if a.owner == owner {
			agents++
		}
	}
	p.mu.Unlock()
	active, seconds := 0, int64(0)
	now := p.now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.UTC)
	for _, c := range p.callsOf(owner, time.Time{}, time.Time{}) {
		select {
		case <-c.done:
			if u, ended := c.usage(); ended && !c.created.Before(month) {
				seconds += u.DurationSec
			}
		default:
			active++
		}
	}
	v["active_agents"], v["active_calls"] = agents, active
	v["active_numbers"] = p.book.activeNumbers(owner)
	v["monthly_usage_minutes"] = math.Round(float64(seconds)/60*100) / 100
}

func (p *Platform) handleGetOrganization(w http.ResponseWriter, r *http.Request) {
	owner := ownerOf(r)
	p.res.mu.Lock()
	v := p.orgFor(owner).view()
	p.res.mu.Unlock()
	p.counters(owner, v)
	writeJSON(w, http.StatusOK, v)
}

// orgParams are the fields of POST and PATCH /organizations.
type orgParams struct {
	Name  *string `json:"name"`
	Email *string `json:"email"`
}

// check validates the fields; create needs a name.
func (o *orgParams) check(create bool) *requestError {
	if o.Name != nil || create {
		if rerr := requireName(o.Name, "name"); rerr != nil {
			return rerr
		}
	}
	if o.Email != nil && *o.Email != "" {
		if a, err := mail.ParseAddress(*o.Email); err != nil || a.Address != *o.Email {
			return badRequest("email", "email %q is not an e-mail address such as info@example.com", *o.Email)
		}
	}
	return nil
}

func (p *Platform) readOrg(w http.ResponseWriter, r *http.Request, create bool) (*orgParams, *requestError) {
	var in orgParams
	fields, rerr := p.readObject(w, r)
	if rerr == nil {
		rerr = fieldsInto(fields, &in)
	}
	if rerr == nil {
		rerr = in.check(create)
	}
	return &in, rerr
}

func (p *Platform) handleUpdateOrganization(w http.ResponseWriter, r *http.Request) {
	in, rerr := p.readOrg(w, r, false)
	if rerr != nil {
		rerr.write(w)
		return
	}
	owner := ownerOf(r)
	p.res.mu.Lock()
	o := p.orgFor(owner)
	if in.Name != nil {
		o.name = strings.TrimSpace(*in.Name)
	}
	if in.Email != nil {
		o.email = *in.Email
	}
	o.updated = p.now()
	v := o.view()
	p.res.mu.Unlock()
	p.counters(owner, v)
	writeJSON(w, http.StatusOK, v)
}

// maxChildren bounds the child organizations of an account.
const maxChildren = 100

func (p *Platform) handleCreateOrganization(w http.ResponseWriter, r *http.Request) {
	in, rerr := p.readOrg(w, r, true)
	if rerr != nil {
		rerr.write(w)
		return
	}
	p.res.mu.Lock()
	defer p.res.mu.Unlock()
	parent := p.orgFor(ownerOf(r))
	if len(parent.children) >= maxChildren {
		writeError(w, http.StatusConflict, errTooManyRecords, "", "the simulator keeps at most 100 child organizations per account")
		return
	}
	now := p.now()
	c := &organization{id: "org_" + uuid.NewString(), name: strings.TrimSpace(*in.Name), parentID: parent.id, created: now, updated: now}
	if in.Email != nil {
		c.email = *in.Email
	}
	parent.children = append(parent.children, c)
	writeJSON(w, http.StatusCreated, c.view())
}
