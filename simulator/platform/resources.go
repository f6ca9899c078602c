package platform

// The resources beyond calls and assistants (spec §6.1, §6.4, §6.5, §6.7):
// voices, tool and analysis templates, the organization, BYOK keys, the
// custom domain and SIP trunks. Every object belongs to the account of the
// API key that made it; another account's object answers 404, as an unknown
// id does, so that ids do not leak between accounts.

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/gorilla/mux"
)

// maxRecords bounds the stored objects of one kind (all accounts together);
// a create above it answers 409.
const maxRecords = 1000

// errDuplicate is the 409 code (spec §6.6 lists 409 "duplicate").
const errDuplicate = "duplicate"

// errTooManyRecords is the 409 code when a kind is full.
const errTooManyRecords = "too_many_objects"

// record is one stored object of a kind: the fields as given (validated),
// its id, account and times.
type record struct {
	id      string
	owner   string
	fields  map[string]json.RawMessage
	created time.Time
	updated time.Time
}

// kind describes a resource that the generic handlers serve: list, create,
// get, (update,) delete under its path, with its envelopes.
type kind struct {
	path   string // under /api/v1, e.g. "/tool-templates"
	noun   string // in messages, e.g. "tool template"
	one    string // envelope of one object, e.g. "tool_template"
	many   string // envelope of a list, e.g. "tool_templates"
	prefix string // id prefix, e.g. "tt_"
	patch  bool   // PATCH /{id} is a documented operation
	// view validates the fields and returns the object as the API shows
	// it, without id, org_id and times; a bad field is a 400.
	view func(fields map[string]json.RawMessage) (map[string]any, *requestError)
}

// resources is the store of these resources; its zero value is ready.
type resources struct {
	mu      sync.Mutex
	tables  map[string]*table // kind path → objects
	orgs    map[string]*organization
	byok    map[string]map[string]*byokKey // account → provider → key
	domains map[string]*domain             // account → its one domain
}

// table holds the objects of one kind, oldest first.
type table struct {
	byID  map[string]*record
	order []string
}

// tableOf returns the kind's table; the caller holds s.mu.
func (s *resources) tableOf(k *kind) *table {
	if s.tables == nil {
		s.tables = make(map[string]*table)
	}
	t := s.tables[k.path]
	if t == nil {
		t = &table{byID: make(map[string]*record)}
		s.tables[k.path] = t
	}
	return t
}

// kinds are the resources served by the generic handlers.
func kinds() []*kind {
	return []*kind{toolTemplateKind(), analysisTemplateKind(), sipTrunkKind()}
}

// resourceRoutes registers the routes of these resources under api.
func (p *Platform) resourceRoutes(r *mux.Router, api string) {
	for _, k := range kinds() {
		r.HandleFunc(api+k.path, p.listRecords(k)).Methods(http.MethodGet)
		r.HandleFunc(api+k.path, p.createRecord(k)).Methods(http.MethodPost)
		r.HandleFunc(api+k.path+"/{id}", p.getRecord(k)).Methods(http.MethodGet)
		if k.patch {
			r.HandleFunc(api+k.path+"/{id}", p.updateRecord(k)).Methods(http.MethodPatch)
		}
		r.HandleFunc(api+k.path+"/{id}", p.deleteRecord(k)).Methods(http.MethodDelete)
	}
	r.HandleFunc(api+"/voices", p.handleVoices).Methods(http.MethodGet)
	r.HandleFunc(api+"/organizations", p.handleGetOrganization).Methods(http.MethodGet)
	r.HandleFunc(api+"/organizations", p.handleCreateOrganization).Methods(http.MethodPost)
	r.HandleFunc(api+"/organizations", p.handleUpdateOrganization).Methods(http.MethodPatch)
	r.HandleFunc(api+"/byok", p.handleGetBYOK).Methods(http.MethodGet)
	r.HandleFunc(api+"/byok", p.handleSetBYOK).Methods(http.MethodPost)
	r.HandleFunc(api+"/byok", p.handleDeleteBYOK).Methods(http.MethodDelete)
	r.HandleFunc(api+"/byok/config", p.handleBYOKConfig).Methods(http.MethodGet)
	r.HandleFunc(api+"/byok/config", p.handleVerifyBYOK).Methods(http.MethodPost)
	r.HandleFunc(api+"/domains", p.handleGetDomain).Methods(http.MethodGet)
	r.HandleFunc(api+"/domains", p.handleCreateDomain).Methods(http.MethodPost)
	r.HandleFunc(api+"/domains", p.handleDeleteDomain).Methods(http.MethodDelete)
	r.HandleFunc(api+"/domains/verify", p.handleVerifyDomain).Methods(http.MethodPost)
	r.HandleFunc(api+"/domains/refresh", p.handleRefreshDomain).Methods(http.MethodPost)
	r.HandleFunc(api+"/domains/sync", p.handleListResendDomains).Methods(http.MethodGet)
	r.HandleFunc(api+"/domains/sync", p.handleSyncResendDomain).Methods(http.MethodPost)
}

// recordView is the object as the API answers it; the caller holds
// p.res.mu.
func (p *Platform) recordView(k *kind, rec *record) map[string]any {
	v, rerr := k.view(rec.fields)
	if rerr != nil { // validated when stored: cannot happen
		v = map[string]any{}
	}
	v["id"] = rec.id
	v["org_id"] = p.orgFor(rec.owner).id
	v["created_at"] = isoTime(rec.created)
	v["updated_at"] = isoTime(rec.updated)
	return v
}

// readObject reads a JSON object body into its top-level fields, without
// the ones the server sets.
func (p *Platform) readObject(w http.ResponseWriter, r *http.Request) (map[string]json.RawMessage, *requestError) {
	var fields map[string]json.RawMessage
	if rerr := p.decode(w, r, &fields); rerr != nil {
		return nil, rerr
	}
	for _, k := range []string{"id", "org_id", "created_at", "updated_at"} {
		delete(fields, k)
	}
	return fields, nil
}

// page reads limit (1–100, default 50) and offset.
func listPage(r *http.Request) (limit, offset int, rerr *requestError) {
	q := r.URL.Query()
	if limit, rerr = intParam(q, "limit", defaultLimit, 1, maxLimit); rerr != nil {
		return 0, 0, rerr
	}
	offset, rerr = intParam(q, "offset", 0, 0, 1<<31-1)
	return limit, offset, rerr
}

// paginate answers a list page: {many: items[offset:offset+limit],
// "pagination": {total, limit, offset}}.
func paginate[T any](w http.ResponseWriter, many string, items []T, limit, offset int) {
	total := len(items)
	from, to := min(offset, total), min(offset+limit, total)
	writeJSON(w, http.StatusOK, map[string]any{
		many:         slices.Clip(items[from:to]),
		"pagination": map[string]int{"total": total, "limit": limit, "offset": offset},
	})
}

func (p *Platform) listRecords(k *kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		limit, offset, rerr := listPage(r)
		if rerr != nil {
			rerr.write(w)
			return
		}
		owner := ownerOf(r)
		p.res.mu.Lock()
		t := p.res.tableOf(k)
		items := []map[string]any{}
		for _, id := range t.order {
			if rec := t.byID[id]; rec.owner == owner {
				items = append(items, p.recordView(k, rec))
			}
		}
		p.res.mu.Unlock()
		paginate(w, k.many, items, limit, offset)
	}
}

func (p *Platform) createRecord(k *kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		fields, rerr := p.readObject(w, r)
		if rerr == nil {
			_, rerr = k.view(fields)
		}
		if rerr != nil {
			rerr.write(w)
			return
		}
		now := p.now()
		rec := &record{id: k.prefix + uuid.NewString(), owner: ownerOf(r), fields: fields, created: now, updated: now}
		p.res.mu.Lock()
		t := p.res.tableOf(k)
		if len(t.byID) >= maxRecords {
			p.res.mu.Unlock()
			writeError(w, http.StatusConflict, errTooManyRecords, "", fmt.Sprintf("the simulator keeps at most %d %ss: delete some first", maxRecords, k.noun))
			return
		}
		t.byID[rec.id] = rec
		t.order = append(t.order, rec.id)
		view := p.recordView(k, rec)
		p.res.mu.Unlock()
		writeJSON(w, http.StatusCreated, map[string]any{k.one: view})
	}
}

// findRecord returns the account's object named by the path's id, or
// answers 404; the caller holds p.res.mu.
func (p *Platform) findRecord(w http.ResponseWriter, r *http.Request, k *kind) *record {
	id := mux.Vars(r)["id"]
	rec := p.res.tableOf(k).byID[id]
	if rec == nil || rec.owner != ownerOf(r) {
		notFound("id", "%s not found: no %s with id %q", upperFirst(k.noun), k.noun, id).write(w)
		return nil
	}
	return rec
}

func (p *Platform) getRecord(k *kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p.res.mu.Lock()
		defer p.res.mu.Unlock()
		if rec := p.findRecord(w, r, k); rec != nil {
			writeJSON(w, http.StatusOK, map[string]any{k.one: p.recordView(k, rec)})
		}
	}
}

func (p *Platform) updateRecord(k *kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		patch, rerr := p.readObject(w, r)
		if rerr != nil {
			rerr.write(w)
			return
		}
		p.res.mu.Lock()
		rec := p.findRecord(w, r, k)
		if rec == nil {
			p.res.mu.Unlock()
			return
		}
		fields := maps.Clone(rec.fields)
		for key, v := range patch {
			if isNull(v) {
				delete(fields, key)
			} else {
				fields[key] = v
			}
		}
		if _, rerr := k.view(fields); rerr != nil {
			p.res.mu.Unlock()
			rerr.write(w)
			return
		}
		rec.fields, rec.updated = fields, p.now()
		view := p.recordView(k, rec)
		p.res.mu.Unlock()
		writeJSON(w, http.StatusOK, map[string]any{k.one: view})
	}
}

func (p *Platform) deleteRecord(k *kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		p.res.mu.Lock()
		defer p.res.mu.Unlock()
		rec := p.findRecord(w, r, k)
		if rec == nil {
			return
		}
		t := p.res.tableOf(k)
		delete(t.byID, rec.id)
		t.order = slices.DeleteFunc(t.order, func(id string) bool { return id == rec.id })
		writeJSON(w, http.StatusOK, map[string]bool{"success": true})
	}
}

// ownedRecord returns a copy of the fields of the account's object of kind
// k with this id, or nil.
func (p *Platform) ownedRecord(k *kind, owner, id string) map[string]json.RawMessage {
	p.res.mu.Lock()
	defer p.res.mu.Unlock()
	rec := p.res.tableOf(k).byID[id]
	if rec == nil || rec.owner != owner {
		return nil
	}
	return maps.Clone(rec.fields)
}

// fieldsInto decodes fields into dst, naming a field of the wrong type.
func fieldsInto(fields map[string]json.RawMessage, dst any) *requestError {
	raw, err := json.Marshal(fields)
	if err != nil {
		return badRequest("", "the object cannot be encoded: %v", err)
	}
	return decodeJSON(raw, dst)
}

// requireName checks a required, non-empty name.
func requireName(name *string, param string) *requestError {
	switch {
	case name == nil:
		return missing(param, "%s is required", param)
	case strings.TrimSpace(*name) == "":
		return missing(param, "%s must not be empty", param)
	}
	return nil
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// optString sets v[key] when s is non-nil.
func optText(v map[string]any, key string, s *string) {
	if s != nil {
		v[key] = *s
	}
}
