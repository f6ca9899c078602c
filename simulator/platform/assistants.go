package platform

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/mux"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// assistant is a stored assistant (spec §6.3): the fields as given (any
// documented spelling; unknown fields are kept) plus its id and times.
type assistant struct {
	id      string
	owner   string
	fields  map[string]json.RawMessage
	created time.Time
	updated time.Time
}

// serverFields are set by the platform, never taken from a request.
var serverFields = []string{"id", "created_at", "updated_at"}

// maskedSecret replaces webhook_secret in every answer: the secret is
// write-only.
const maskedSecret = "********"

// view is the assistant as the API returns it: the SDK's Assistant, with
// defaults for the fields it requires (assistantdefaults.go).
func (a *assistant) view() map[string]any {
	out := make(map[string]any, len(a.fields)+3)
	for k, v := range a.fields {
		out[k] = v
	}
	if s, ok := a.fields["webhook_secret"]; ok && !isNull(s) {
		out["webhook_secret"] = maskedSecret
	}
	withDefaults(out, a.fields)
	out["id"] = a.id
	out["created_at"] = isoTime(a.created)
	out["updated_at"] = isoTime(a.updated)
	return out
}

// hook is where a call's webhooks go and which are sent.
type hook struct {
	url    string
	secret string
	events map[sim.EventType]bool // nil: every event
}

// hookFor reads the webhook fields of an assistant; unset fields fall back
// to the account-level webhook and secret, and every event.
func (p *Platform) hookFor(fields map[string]json.RawMessage) (hook, *requestError) {
	h := hook{url: p.opt.Sim.Target, secret: p.opt.Sim.Secret}
	if raw, ok := fields["webhook_url"]; ok && !isNull(raw) {
		var u string
		if json.Unmarshal(raw, &u) != nil {
			return h, badRequest("webhook_url", "webhook_url must be a string")
		}
		if u = strings.TrimSpace(u); u != "" {
			if err := kit.CheckTarget(u); err != nil {
				return h, badRequest("webhook_url", "webhook_url %q is not an http(s) URL such as https://example.com/webhook", u)
			}
			h.url = u
		}
	}
	if raw, ok := fields["webhook_secret"]; ok && !isNull(raw) {
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return h, badRequest("webhook_secret", "webhook_secret must be a string")
		}
		if s != "" {
			h.secret = s
		}
	}
	if raw, ok := fields["webhook_events"]; ok && !isNull(raw) {
		var names []string
		if json.Unmarshal(raw, &names) != nil {
			return h, badRequest("webhook_events", "webhook_events must be an array of event names (assistant-request, tool-calls, status-update, end-of-call-report)")
		}
		h.events = make(map[sim.EventType]bool, len(names))
		for _, n := range names {
			ev, ok := sim.ParseEventType(n)
			if !ok {
				return h, badRequest("webhook_events", "webhook_events: %q is not an event; use assistant-request, tool-calls, status-update or end-of-call-report", n)
			}
			h.events[ev] = true
		}
	}
	return h, nil
}

// configFrom resolves assistant fields into the configuration that drives a
// call. The webhook secret and the server's timestamps stay out of the
// resolved object, which G3+ webhooks echo.
func (p *Platform) configFrom(fields map[string]json.RawMessage, id string) (*sim.AssistantConfig, *requestError) {
	clean := maps.Clone(fields)
	delete(clean, "webhook_secret")
	delete(clean, "created_at")
	delete(clean, "updated_at")
	delete(clean, "assistant") // would read as a wrapped object
	if id != "" {
		clean["id"], _ = json.Marshal(id)
	}
	raw, err := json.Marshal(clean)
	if err != nil {
		return nil, badRequest("", "the assistant cannot be encoded: %v", err)
	}
	cfg, err := kit.ParseAssistant(p.rest, raw)
	if err != nil {
		return nil, badRequest("", "the assistant configuration cannot drive a call: %v", err)
	}
	if id != "" {
		cfg.AssistantID = id
	}
	return cfg, nil
}

// checkAssistant validates assistant fields: name (when required), the
// webhook fields and the configuration.
func (p *Platform) checkAssistant(fields map[string]json.RawMessage, needName bool) *requestError {
	raw, ok := fields["name"]
	var name string
	switch {
	case !ok || isNull(raw):
		if needName {
			return missing("name", "name is required")
		}
	case json.Unmarshal(raw, &name) != nil:
		return badRequest("name", "name must be a string")
	case strings.TrimSpace(name) == "":
		return missing("name", "name must not be empty")
	}
	if rerr := validateFields(fields, assistantRules, ""); rerr != nil {
		return rerr
	}
	if _, rerr := p.hookFor(fields); rerr != nil {
		return rerr
	}
	_, rerr := p.configFrom(fields, "")
	return rerr
}

// readFields reads a JSON object body into its top-level fields, without the
// ones the server sets.
func (p *Platform) readFields(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, *requestError) {
	var fields map[string]json.RawMessage
	if rerr := p.decode(w, r, &fields); rerr != nil {
		return nil, rerr
	}
	for _, k := range serverFields {
		delete(fields, k)
	}
	return fields, nil
}

func (p *Platform) handleCreateAssistant(w http.ResponseWriter, r *http.Request) {
	fields, rerr := p.readFields(w, r)
	if rerr == nil {
		rerr = p.checkAssistant(fields, true)
	}
	if rerr != nil {
		rerr.write(w)
		return
	}
	now := p.now()
	a := &assistant{id: uuid.NewString(), owner: ownerOf(r), fields: fields, created: now, updated: now}
	p.mu.Lock()
	if len(p.assistants) >= p.opt.MaxAssistants {
		p.mu.Unlock()
		writeError(w, http.StatusConflict, errTooMany, "", fmt.Sprintf("the simulator keeps at most %d assistants: delete some first", p.opt.MaxAssistants))
		return
	}
	p.assistants[a.id] = a
	p.asstOrder = append(p.asstOrder, a.id)
	view := a.view()
	p.mu.Unlock()
	writeJSON(w, http.StatusCreated, map[string]any{"assistant": view})
}

func (p *Platform) handleListAssistants(w http.ResponseWriter, r *http.Request) {
	owner := ownerOf(r)
	p.mu.Lock()
	list := make([]map[string]any, 0, len(p.asstOrder))
	for _, id := range p.asstOrder {
		if a := p.assistants[id]; a.owner == owner {
			list = append(list, a.view())
		}
	}
	p.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]any{"assistants": list})
}

// findAssistant answers 404 or 403 unless the request's account may use the
// assistant; the caller holds p.mu.
func (p *Platform) findAssistant(w http.ResponseWriter, r *http.Request) *assistant {
	id := mux.Vars(r)["id"]
	a := p.assistants[id]
	if a == nil {
		notFound("id", "Assistant not found: no assistant with id %q", id).write(w)
		return nil
	}
	if !allowed(w, r, a.owner) {
		return nil
	}
	return a
}

func (p *Platform) handleGetAssistant(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if a := p.findAssistant(w, r); a != nil {
		writeJSON(w, http.StatusOK, map[string]any{"assistant": a.view()})
	}
}

func (p *Platform) handleUpdateAssistant(w http.ResponseWriter, r *http.Request) {
	patch, rerr := p.readFields(w, r)
	if rerr != nil {
		rerr.write(w)
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.findAssistant(w, r)
	if a == nil {
		return
	}
	fields := maps.Clone(a.fields)
	for k, v := range patch {
		if isNull(v) {
			delete(fields, k)
		} else {
			fields[k] = v
		}
	}
	if rerr := p.checkAssistant(fields, true); rerr != nil {
		rerr.write(w)
		return
	}
	a.fields = fields
	a.updated = p.now()
	writeJSON(w, http.StatusOK, map[string]any{"assistant": a.view()})
}

func (p *Platform) handleDeleteAssistant(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.findAssistant(w, r)
	if a == nil {
		return
	}
	delete(p.assistants, a.id)
	p.asstOrder = slices.DeleteFunc(p.asstOrder, func(id string) bool { return id == a.id })
	writeJSON(w, http.StatusOK, map[string]bool{"success": true})
}

// savedAssistant returns a copy of an assistant's fields and its name for a
// new call, or the error to answer.
func (p *Platform) savedAssistant(r *http.Request, id string) (map[string]json.RawMessage, *requestError) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.assistants[id]
	if a == nil {
		return nil, notFound("assistant_id", "Assistant not found: no assistant with id %q", id)
	}
	if a.owner != ownerOf(r) {
		return nil, &requestError{status: http.StatusForbidden}
	}
	return maps.Clone(a.fields), nil
}

func isNull(raw json.RawMessage) bool {
	return strings.TrimSpace(string(raw)) == "null"
}

// str reads a string field ("" when absent, null or not a string).
func str(fields map[string]json.RawMessage, key string) string {
	var s string
	if raw, ok := fields[key]; ok {
		_ = json.Unmarshal(raw, &s) // not a string: treated as absent
	}
	return s
}
