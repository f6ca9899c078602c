package platform

import (
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gorilla/mux"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// call finds a call by id for the request's account, answering 404 or 403.
func (p *Platform) call(w http.ResponseWriter, r *http.Request) *callState {
	id := mux.Vars(r)["id"]
	p.mu.Lock()
	c := p.calls[id]
	p.mu.Unlock()
	if c == nil {
		notFound("id", "Call not found: no call with id %q", id).write(w)
		return nil
	}
	if !allowed(w, r, c.owner) {
		return nil
	}
	return c
}

// callJSON is the call object (spec §6.2).
type callJSON struct {
	ID              string          `json:"id"`
	CallerPhone     *string         `json:"caller_phone"`
	AssistantPhone  *string         `json:"assistant_phone"`
	Status          string          `json:"status"`
	Direction       string          `json:"direction"`
	EndReason       *string         `json:"end_reason"`
	Error           *string         `json:"error"`
	StartedAt       *string         `json:"started_at"`
	EndedAt         *string         `json:"ended_at"`
	DurationSeconds int64           `json:"duration_seconds"`
	Summary         *string         `json:"summary"`
	AnalysisResult  json.RawMessage `json:"analysis_result"`
	Messages        []messageJSON   `json:"messages"`
	RoomName        *string         `json:"room_name"`
	RecordingURL    *string         `json:"recording_url"`
	AgentID         *string         `json:"agent_id"`
	AssistantID     *string         `json:"assistant_id"`
	NumberID        *string         `json:"number_id"`
	AgentName       *string         `json:"agent_name"`
	BusinessName    *string         `json:"business_name"`
	PhoneNumber     *string         `json:"phone_number"`
	CreatedAt       string          `json:"created_at"`
	UpdatedAt       string          `json:"updated_at"`
}

// callListJSON is a call in the list (spec §6.2's list example, plus
// direction, end_reason and updated_at, which the SDK's Call requires).
type callListJSON struct {
	ID              string  `json:"id"`
	CallerPhone     *string `json:"caller_phone"`
	AssistantPhone  *string `json:"assistant_phone"`
	Status          string  `json:"status"`
	Direction       string  `json:"direction"`
	EndReason       *string `json:"end_reason"`
	DurationSeconds int64   `json:"duration_seconds"`
	Summary         *string `json:"summary"`
	AgentName       *string `json:"agent_name"`
	BusinessName    *string `json:"business_name"`
	StartedAt       *string `json:"started_at"`
	EndedAt         *string `json:"ended_at"`
	CreatedAt       string  `json:"created_at"`
	UpdatedAt       string  `json:"updated_at"`
}

type messageJSON struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := isoTime(t)
	return &s
}

// object is the call as GET /calls/{id} returns it. Messages, summary and
// analysis come from the end-of-call-report: they, the end reason, the error
// and ended_at appear together with the final status (finish).
func (c *callState) object() callJSON {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.plan
	o := callJSON{
		ID: c.id, CallerPhone: opt(p.Customer), AssistantPhone: opt(p.PhoneNumber), Status: c.status,
		Direction: string(c.direction), RoomName: opt(c.roomName), AgentID: opt(c.assistantID), AssistantID: opt(c.assistantID),
		NumberID: opt(c.numberID), AgentName: opt(c.agentName), BusinessName: opt(c.businessName),
		PhoneNumber: opt(p.PhoneNumber), CreatedAt: isoTime(c.placed), UpdatedAt: isoTime(c.updated),
		Messages: []messageJSON{}, AnalysisResult: json.RawMessage("null"),
	}
	o.StartedAt, o.EndedAt, o.DurationSeconds = c.times()
	if c.ended {
		o.EndReason, o.Error = opt(c.reason), opt(c.errText)
	}
	if r := c.report; r != nil && c.ended {
		o.Summary = opt(r.Summary)
		o.RecordingURL = opt(r.RecordingURL)
		if len(r.Analysis) > 0 {
			o.AnalysisResult = r.Analysis
		}
		for _, m := range r.Messages {
			if m.Role != sim.RoleUser && m.Role != sim.RoleAssistant {
				continue // only spoken lines: the SDK's CallMessage roles
			}
			o.Messages = append(o.Messages, messageJSON{Role: string(m.Role), Content: m.Content})
		}
	}
	return o
}

// times are started_at, ended_at and the duration on the call's own clock,
// as its webhooks carry them: started_at is set once, when the call is
// answered; a live call's duration is how far its clock got (the engine
// reports it at every step), so it never runs ahead of the final one; the
// caller holds c.mu.
func (c *callState) times() (started, ended *string, secs int64) {
	started = optTime(c.startedAt)
	last := c.progress
	if c.ended {
		ended, last = optTime(c.endedAt), c.endedAt
	}
	if !c.startedAt.IsZero() && last.After(c.startedAt) {
		secs = wholeSeconds(last.Sub(c.startedAt))
	}
	return started, ended, secs
}

func wholeSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Second/2) / time.Second)
}

func (c *callState) listItem() callListJSON {
	o := c.object()
	return callListJSON{
		ID: o.ID, CallerPhone: o.CallerPhone, AssistantPhone: o.AssistantPhone, Status: o.Status,
		Direction: o.Direction, EndReason: o.EndReason, DurationSeconds: o.DurationSeconds, Summary: o.Summary,
		AgentName: o.AgentName, BusinessName: o.BusinessName, StartedAt: o.StartedAt, EndedAt: o.EndedAt,
		CreatedAt: o.CreatedAt, UpdatedAt: o.UpdatedAt,
	}
}

func (p *Platform) handleGetCall(w http.ResponseWriter, r *http.Request) {
	if c := p.call(w, r); c != nil {
		writeJSON(w, http.StatusOK, c.object())
	}
}

// Pagination bounds of GET /calls.
const (
	defaultLimit = 50
	maxLimit     = 100
)

// handleListCalls answers GET /calls?limit=&offset=&status=&start_date=&end_date=
// with the documented envelope, newest first; the dates filter created_at.
func (p *Platform) handleListCalls(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, rerr := intParam(q, "limit", defaultLimit, 1, maxLimit)
	if rerr == nil {
		var offset int
		offset, rerr = intParam(q, "offset", 0, 0, 1<<31-1)
		if rerr == nil {
			p.listCalls(w, r, limit, offset)
			return
		}
	}
	rerr.write(w)
}

func (p *Platform) listCalls(w http.ResponseWriter, r *http.Request, limit, offset int) {
	q := r.URL.Query()
	status := q.Get("status")
	if status != "" && !slices.Contains(listStatuses, status) {
		badRequest("status", "status %q is not a call status; use one of %s", status, strings.Join(listStatuses, ", ")).write(w)
		return
	}
	from, rerr := dateParam(q, "start_date", false)
	if rerr != nil {
		rerr.write(w)
		return
	}
	to, rerr := dateParam(q, "end_date", true)
	if rerr != nil {
		rerr.write(w)
		return
	}
	match := p.callsOf(ownerOf(r), from, to)
	items := make([]callListJSON, 0, min(limit, len(match)))
	total := 0
	for _, c := range match {
		item := c.listItem()
		if status != "" && item.Status != status {
			continue
		}
		if total >= offset && len(items) < limit {
			items = append(items, item)
		}
		total++
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"calls":      items,
		"pagination": map[string]int{"total": total, "limit": limit, "offset": offset},
	})
}

// callsOf lists the owner's calls created in [from, to) (a zero bound is
// open), newest first.
func (p *Platform) callsOf(owner string, from, to time.Time) []*callState {
	p.mu.Lock()
	defer p.mu.Unlock()
	var match []*callState
	for i := len(p.order) - 1; i >= 0; i-- {
		c := p.order[i]
		if c.owner != owner || (!from.IsZero() && c.created.Before(from)) || (!to.IsZero() && !c.created.Before(to)) {
			continue
		}
		match = append(match, c)
	}
	return match
}

// intParam reads a whole-number query parameter within bounds.
func intParam(q url.Values, name string, def, lo, hi int) (int, *requestError) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badRequest(name, "%s must be a whole number from %d to %d, got %q", name, lo, hi, s)
	}
	return n, nil
}

// dateParam reads start_date or end_date: RFC 3339 or YYYY-MM-DD (UTC). A
// plain end date includes that whole day. The returned bound is inclusive
// for the start and exclusive for the end.
func dateParam(q url.Values, name string, end bool) (time.Time, *requestError) {
	s := q.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		if end {
			t = t.Add(time.Nanosecond)
		}
		return t, nil
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	return time.Time{}, badRequest(name, "%s %q is not a date: use YYYY-MM-DD or an RFC 3339 time such as 2026-01-05T09:00:00Z", name, s)
}

// redactURL keeps a webhook URL's scheme, host and path: credentials and
// query strings (where tokens hide) are not shown.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(invalid URL)"
	}
	out := u.Scheme + "://" + u.Host + u.EscapedPath()
	if u.User != nil {
		out = u.Scheme + "://…@" + u.Host + u.EscapedPath()
	}
	if u.RawQuery != "" {
		out += "?…"
	}
	return out
}

// newID is a random token of n letters and digits.
func newID(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
