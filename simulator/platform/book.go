package platform

import (
	"context"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/gorilla/mux"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// CampaignOptions set how a running campaign dials its leads.
type CampaignOptions struct {
	// Interval is the time between two dials of one campaign (the platform
	// documents no pace); 0 = DefaultCampaignInterval (2 calls a second).
	Interval time.Duration
	// Concurrency caps a campaign's live calls; 0 = DefaultCampaignConcurrency.
	// MaxLive caps all calls on top of it.
	Concurrency int
	// Tick waits d between dials and until a closed calling window opens;
	// nil = the platform's Sleep. Tests step the dialers with it.
	Tick func(ctx context.Context, d time.Duration) error

	waiting func(campaignID string) // tests only: a dialer waits for a call to end
}

// Campaign defaults.
const (
	DefaultCampaignInterval    = 500 * time.Millisecond
	DefaultCampaignConcurrency = 10
)

// Check refuses options that cannot be used; the errors name the option.
func (o CampaignOptions) Check() error {
	if o.Interval < 0 {
		return sim.BadOption("Campaign.Interval", o.Interval.String(), "must not be negative, e.g. 500ms (2 calls a second)")
	}
	if o.Concurrency < 0 {
		return sim.BadOption("Campaign.Concurrency", "", "must be 1 or more (0 = %d)", DefaultCampaignConcurrency)
	}
	return nil
}

// Bounds of the stored resources (the simulator keeps them in memory).
const (
	maxNumbers   = 1000 // phone numbers, all accounts
	maxCampaigns = 1000 // campaigns, all accounts
	maxLeads     = 10000
)

// book holds the numbers and campaigns of every account. Its lock is never
// held while the platform's is taken (p.mu may be taken first, then b.mu).
type book struct {
	mu        sync.Mutex
	numbers   map[string]*phoneNumber
	numOrder  []string // ids, oldest first
	campaigns map[string]*campaign
	campOrder []string
}

// activeNumbers counts the owner's active numbers.
func (b *book) activeNumbers(owner string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, num := range b.numbers {
		if num.owner == owner && num.active {
			n++
		}
	}
	return n
}

func newBook() *book {
	return &book{
		numbers:   make(map[string]*phoneNumber),
		campaigns: make(map[string]*campaign),
	}
}

// bookRoutes registers the numbers, campaigns and usage routes under api
// and sets up their store.
func (p *Platform) bookRoutes(r *mux.Router, api string) {
	p.book = newBook()
	r.HandleFunc(api+"/numbers", p.handleListNumbers).Methods(http.MethodGet)
	r.HandleFunc(api+"/numbers", p.handleOrderNumber).Methods(http.MethodPost)
	r.HandleFunc(api+"/numbers/available", p.handleAvailableNumbers).Methods(http.MethodGet)
	r.HandleFunc(api+"/numbers/{id}", p.handleGetNumber).Methods(http.MethodGet)
	r.HandleFunc(api+"/numbers/{id}", p.handleUpdateNumber).Methods(http.MethodPatch)
	r.HandleFunc(api+"/numbers/{id}", p.handleReleaseNumber).Methods(http.MethodDelete)

	r.HandleFunc(api+"/campaigns", p.handleListCampaigns).Methods(http.MethodGet)
	r.HandleFunc(api+"/campaigns", p.handleCreateCampaign).Methods(http.MethodPost)
	r.HandleFunc(api+"/campaigns/{id}", p.handleGetCampaign).Methods(http.MethodGet)
	r.HandleFunc(api+"/campaigns/{id}", p.handleUpdateCampaign).Methods(http.MethodPatch)
	r.HandleFunc(api+"/campaigns/{id}", p.handleDeleteCampaign).Methods(http.MethodDelete)
	r.HandleFunc(api+"/campaigns/{id}/leads", p.handleListLeads).Methods(http.MethodGet)
	r.HandleFunc(api+"/campaigns/{id}/leads", p.handleAddLead).Methods(http.MethodPost)
	r.HandleFunc(api+"/campaigns/{id}/leads/{leadId}", p.handleDeleteLead).Methods(http.MethodDelete)
	r.HandleFunc(api+"/campaigns/{id}/{action:start|pause|cancel}", p.handleCampaignAction).Methods(http.MethodPost)

	r.HandleFunc(api+"/usage", p.handleUsage).Methods(http.MethodGet)
}

// page reads limit and offset (the calls list's bounds).
func page(q url.Values) (limit, offset int, rerr *requestError) {
	if limit, rerr = intParam(q, "limit", defaultLimit, 1, maxLimit); rerr != nil {
		return 0, 0, rerr
	}
	offset, rerr = intParam(q, "offset", 0, 0, 1<<31-1)
	return limit, offset, rerr
}

// window returns the slice of items of one page and the pagination object.
func pageOf[T any](items []T, limit, offset int) ([]T, map[string]int) {
	total := len(items)
	lo, hi := min(offset, total), min(offset+limit, total)
	out := items[lo:hi]
	if out == nil {
		out = []T{}
	}
	return out, map[string]int{"total": total, "limit": limit, "offset": offset}
}

// ownAssistant returns the name and business name of the request account's
// assistant id; another account's assistant is not found either.
func (p *Platform) ownAssistant(owner, id, param string) (name, business string, rerr *requestError) {
	p.mu.Lock()
	defer p.mu.Unlock()
	a := p.assistants[id]
	if a == nil || a.owner != owner {
		return "", "", notFound(param, "Assistant not found: no assistant with id %q", id)
	}
	return str(a.fields, "name"), str(a.fields, "business_name"), nil
}

// assistantNames returns the names and business names of the assistants
// with these ids (absent ones are left out).
func (p *Platform) assistantNames(ids []string) map[string][2]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string][2]string, len(ids))
	for _, id := range ids {
		if a := p.assistants[id]; a != nil {
			out[id] = [2]string{str(a.fields, "name"), str(a.fields, "business_name")}
		}
	}
	return out
}

// asOwner is a request of owner, for starting a call outside a request.
func asOwner(ctx context.Context, owner string) *http.Request {
	r, _ := http.NewRequestWithContext(withOwner(ctx, owner), http.MethodPost, "/", http.NoBody)
	return r
}
