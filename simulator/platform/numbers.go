package platform

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/mux"
)

// phoneNumber is a number an account registered (spec §6.7, SDK
// PhoneNumber). A number belongs to one account at a time.
type phoneNumber struct {
	id      string
	owner   string
	number  string
	agentID string // the linked assistant; "" none
	trunkID string
	source  string // "catalogue" (ordered from /numbers/available) or "imported"
	active  bool
	created time.Time
	updated time.Time
}

// numberJSON is the number as the API returns it: every SDK field, the
// optional ones null when unset.
type numberJSON struct {
	ID                string  `json:"id"`
	PhoneNumber       string  `json:"phone_number"`
	AgentID           *string `json:"agent_id"`
	AssistantID       *string `json:"assistant_id"`
	AgentName         *string `json:"agent_name"`
	BusinessName      *string `json:"business_name"`
	TransferTrunkID   *string `json:"transfer_trunk_id"`
	TransferTrunkName *string `json:"transfer_trunk_name"`
	WorkflowID        *string `json:"workflow_id"`
	WorkflowName      *string `json:"workflow_name"`
	Source            string  `json:"source"`
	IsActive          bool    `json:"is_active"`
	CreatedAt         string  `json:"created_at"`
	UpdatedAt         string  `json:"updated_at"`
}

// view is the number as returned, with the linked assistant's names.
func (n *phoneNumber) view(names map[string][2]string) numberJSON {
	o := numberJSON{
		ID: n.id, PhoneNumber: n.number, AgentID: opt(n.agentID), AssistantID: opt(n.agentID),
		TransferTrunkID: opt(n.trunkID), Source: n.source, IsActive: n.active,
		CreatedAt: isoTime(n.created), UpdatedAt: isoTime(n.updated),
	}
	if nm, ok := names[n.agentID]; ok {
		o.AgentName, o.BusinessName = opt(nm[0]), opt(nm[1])
	}
	return o
}

// numberViews renders numbers (copied under the book's lock) with the
// names of their assistants.
func (p *Platform) numberViews(list []phoneNumber) []numberJSON {
	ids := make([]string, 0, len(list))
	for _, n := range list {
		ids = append(ids, n.agentID)
	}
	names := p.assistantNames(ids)
	out := make([]numberJSON, len(list))
	for i := range list {
		out[i] = list[i].view(names)
	}
	return out
}

// numberRequest is the body of POST and PATCH /numbers: raw fields, so that
// null (unlink) and absent differ.
type numberRequest struct {
	PhoneNumber     *string         `json:"phone_number"`
	AgentID         json.RawMessage `json:"agent_id"`
	AssistantID     json.RawMessage `json:"assistant_id"`
	TransferTrunkID json.RawMessage `json:"transfer_trunk_id"`
	IsActive        *bool           `json:"is_active"`
}

// optString reads a string-or-null field: set reports whether it was given,
// and val is "" for null.
func optString(raw json.RawMessage, param string) (val string, set bool, rerr *requestError) {
	if len(raw) == 0 {
		return "", false, nil
	}
	if isNull(raw) {
		return "", true, nil
	}
	if json.Unmarshal(raw, &val) != nil {
		return "", true, badRequest(param, "%s must be a string or null", param)
	}
	return strings.TrimSpace(val), true, nil
}

// link reads agent_id (or its alias assistant_id) and checks the assistant
// belongs to the account.
func (p *Platform) link(owner string, req *numberRequest) (id string, set bool, rerr *requestError) {
	param, raw := "agent_id", req.AgentID
	if len(raw) == 0 {
		param, raw = "assistant_id", req.AssistantID
	}
	id, set, rerr = optString(raw, param)
	if rerr == nil && id != "" {
		_, _, rerr = p.ownAssistant(owner, id, param)
	}
	return id, set, rerr
}

func (p *Platform) handleOrderNumber(w http.ResponseWriter, r *http.Request) {
	var req numberRequest
	if rerr := p.decode(w, r, &req); rerr != nil {
		rerr.write(w)
		return
	}
	owner := ownerOf(r)
	n, rerr := p.newNumber(owner, &req)
	if rerr != nil {
		rerr.write(w)
		return
	}
	b := p.book
	b.mu.Lock()
	if rerr := b.addNumber(n); rerr != nil {
		b.mu.Unlock()
		rerr.write(w)
		return
	}
	cp := *n
	b.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"number": p.numberViews([]phoneNumber{cp})[0]})
}

// newNumber validates an order into a number.
func (p *Platform) newNumber(owner string, req *numberRequest) (*phoneNumber, *requestError) {
	if req.PhoneNumber == nil || strings.TrimSpace(*req.PhoneNumber) == "" {
		return nil, missing("phone_number", "phone_number is required: an E.164 number, e.g. one of GET /api/v1/numbers/available")
	}
	num := strings.TrimSpace(*req.PhoneNumber)
	if !e164.MatchString(num) {
		return nil, badRequest("phone_number", "phone_number %q is not an E.164 number such as +31201234567", num)
	}
	agent, _, rerr := p.link(owner, req)
	if rerr != nil {
		return nil, rerr
	}
	trunk, _, rerr := optString(req.TransferTrunkID, "transfer_trunk_id")
	if rerr != nil {
		return nil, rerr
	}
	now := p.now()
	n := &phoneNumber{id: uuid.NewString(), owner: owner, number: num, agentID: agent, trunkID: trunk,
		source: "imported", active: true, created: now, updated: now}
	if _, ok := catalogued(num); ok {
		n.source = "catalogue"
	}
	if req.IsActive != nil {
		n.active = *req.IsActive
	}
	return n, nil
}

// addNumber stores n unless its number is taken or the store is full; the
// caller holds b.mu.
func (b *book) addNumber(n *phoneNumber) *requestError {
	for _, o := range b.numbers {
		if o.number == n.number {
			return &requestError{status: http.StatusConflict, code: "already_in_use", param: "phone_number",
				message: fmt.Sprintf("phone number %s is already registered: pick another from GET /api/v1/numbers/available", n.number)}
		}
	}
	if len(b.numbers) >= maxNumbers {
		return &requestError{status: http.StatusConflict, code: "too_many_numbers",
			message: fmt.Sprintf("the simulator keeps at most %d phone numbers: release some first", maxNumbers)}
	}
	b.numbers[n.id] = n
	b.numOrder = append(b.numOrder, n.id)
	return nil
}

func (p *Platform) handleListNumbers(w http.ResponseWriter, r *http.Request) {
	limit, offset, rerr := page(r.URL.Query())
	if rerr != nil {
		rerr.write(w)
		return
	}
	owner := ownerOf(r)
	b := p.book
	b.mu.Lock()
	var list []phoneNumber
	for _, id := range b.numOrder {
		if n := b.numbers[id]; n.owner == owner {
			list = append(list, *n)
		}
	}
	b.mu.Unlock()
	items, pg := pageOf(list, limit, offset)
	writeJSON(w, http.StatusOK, map[string]any{"numbers": p.numberViews(items), "pagination": pg})
}

// findNumber returns the account's number of the path; the caller holds
// b.mu. Another account's number is not found.
func (b *book) findNumber(r *http.Request) (*phoneNumber, *requestError) {
	id := mux.Vars(r)["id"]
	n := b.numbers[id]
	if n == nil || n.owner != ownerOf(r) {
		return nil, notFound("id", "Phone number not found: no number with id %q", id)
	}
	return n, nil
}

func (p *Platform) handleGetNumber(w http.ResponseWriter, r *http.Request) {
	b := p.book
	b.mu.Lock()
	n, rerr := b.findNumber(r)
	var cp phoneNumber
	if n != nil {
		cp = *n
	}
	b.mu.Unlock()
	if rerr != nil {
		rerr.write(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"number": p.numberViews([]phoneNumber{cp})[0]})
}

// handleUpdateNumber answers PATCH /numbers/{id}: agent_id links the
// number to an assistant (null unlinks), transfer_trunk_id, is_active.
// The phone number itself cannot change.
func (p *Platform) handleUpdateNumber(w http.ResponseWriter, r *http.Request) {
	var req numberRequest
	rerr := p.decode(w, r, &req)
	if rerr == nil && req.PhoneNumber != nil {
		rerr = badRequest("phone_number", "phone_number cannot change: release the number and order another")
	}
	b := p.book
	b.mu.Lock()
	_, nf := b.findNumber(r)
	b.mu.Unlock()
	if rerr == nil {
		rerr = nf
	}
	agent, agentSet := "", false
	var trunk string
	var trunkSet bool
	if rerr == nil {
		agent, agentSet, rerr = p.link(ownerOf(r), &req)
	}
	if rerr == nil {
		trunk, trunkSet, rerr = optString(req.TransferTrunkID, "transfer_trunk_id")
	}
	if rerr != nil {
		rerr.write(w)
		return
	}
	b.mu.Lock()
	n, rerr := b.findNumber(r) // it may have been released meanwhile
	if rerr != nil {
		b.mu.Unlock()
		rerr.write(w)
		return
	}
	if agentSet {
		n.agentID = agent
	}
	if trunkSet {
		n.trunkID = trunk
	}
	if req.IsActive != nil {
		n.active = *req.IsActive
	}
	n.updated = p.now()
	cp := *n
	b.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"number": p.numberViews([]phoneNumber{cp})[0]})
}

// handleReleaseNumber answers DELETE /numbers/{id}: the number goes back
// to the catalogue.
func (p *Platform) handleReleaseNumber(w http.ResponseWriter, r *http.Request) {
	b := p.book
	b.mu.Lock()
	n, rerr := b.findNumber(r)
	if n != nil {
		delete(b.numbers, n.id)
		b.numOrder = slices.DeleteFunc(b.numOrder, func(id string) bool { return id == n.id })
	}
	b.mu.Unlock()
	if rerr != nil {
		rerr.write(w)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}

// calledNumber resolves the called number of an inbound call: the
// account's active number with that phone number, or none. The number's
// linked assistant answers the call unless the request names one.
func (p *Platform) calledNumber(r *http.Request, phone string, assistantID *string) (*phoneNumber, *requestError) {
	phone = strings.TrimSpace(phone)
	if phone == "" {
		return nil, nil
	}
	if !e164.MatchString(phone) {
		return nil, badRequest("phone_number", "phone_number %q is not an E.164 number such as +31201234567", phone)
	}
	owner := ownerOf(r)
	b := p.book
	b.mu.Lock()
	var found *phoneNumber
	for _, n := range b.numbers {
		if n.number == phone && n.owner == owner {
			cp := *n
			found = &cp
		}
	}
	b.mu.Unlock()
	switch {
	case found == nil:
		return nil, notFound("phone_number", "Phone number not found: the account has no number %s (POST /api/v1/numbers)", phone)
	case !found.active:
		return nil, badRequest("phone_number", "phone number %s is not active (is_active false): nobody answers it", phone)
	}
	if *assistantID == "" && found.agentID != "" {
		if _, _, rerr := p.ownAssistant(owner, found.agentID, "phone_number"); rerr == nil {
			*assistantID = found.agentID // a deleted assistant leaves the default agent
		}
	}
	return found, nil
}
