// Package platform is a mock of the Flireo platform's REST API (spec §5, §6):
// the calls an integrator's own code makes to the platform, answered as
// documented, with simulated calls behind them that deliver their webhooks to
// the integrator's server.
//
// Endpoints (every /api/v1 and /simulate route needs "Authorization: Bearer
// KEY" when keys are configured):
//
//	GET    /health                          no auth; {"status":"ok",…}
//	POST   /api/v1/calls/outbound           start an outbound call
//	GET    /api/v1/calls                    list calls (limit, offset, status, start_date, end_date)
//	GET    /api/v1/calls/{id}               the call object
//	POST   /api/v1/calls/{id}/control       inject-context, say, end-call, transfer
//	GET    /api/v1/assistants               list assistants (alias /api/v1/agents)
//	POST   /api/v1/assistants               create
//	GET    /api/v1/assistants/{id}          get
//	PATCH  /api/v1/assistants/{id}          update (top-level keys; null removes)
//	DELETE /api/v1/assistants/{id}          delete
//	POST   /simulate/inbound                test trigger: an inbound call with an intent and a seed
//	GET    /                                dashboard: live and finished calls
//	GET    /calls/{id}                      dashboard: one call's timeline
//
// Errors carry the SDK's ApiError body {"error": code, "message", "param",
// "type"} (or, with Options.ErrorBody nested, the errors page's {"error":
// {"code", …}}); 401 and 403 carry the authentication page's flat bodies. Requests
// are limited to 100 a minute per key and control commands to 10 a minute
// per call (429 with Retry-After and X-RateLimit-*).
package platform

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// Options configure a Platform.
type Options struct {
	// Sim configures the simulated calls: Target is the account-level
	// webhook URL (used when an assistant has no webhook_url), Secret its
	// secret, Pace the speed of calls (1 = real time, so that control
	// commands land mid-call; 0 plays calls instantly), and the rest as for
	// the other commands. Sim.Observe is not used.
	Sim kit.Options
	// APIKeys are the accepted bearer keys; none leaves the API open. Each
	// key is its own account: calls and assistants belong to the key that
	// created them and another key gets 403.
	APIKeys []string
	// ProtectDashboard asks for HTTP basic authentication (any user name, an
	// API key as the password) on the dashboard.
	ProtectDashboard bool
	// ErrorBody is the shape of error bodies: ErrorBodyFlat (the SDK's
	// ApiError; "" means flat) or ErrorBodyNested (the errors page).
	ErrorBody string
	// MaxBody caps request bodies (413 above); 0 = 1 MiB.
	MaxBody int64
	// MaxCalls is how many calls are kept (the oldest finished ones go
	// first); 0 = 1000.
	MaxCalls int
	// MaxLive caps concurrent live calls (429 above); 0 = 100.
	MaxLive int
	// MaxAssistants caps stored assistants; 0 = 1000.
	MaxAssistants int
	// RequestsPerMinute per API key (spec §6.6: 100) and CommandsPerMinute
	// per call (10); 0 = the documented value.
	RequestsPerMinute int
	CommandsPerMinute int
	// AuthFailuresPerMinute per client address (missing or unknown keys)
	// before 429; 0 = DefaultAuthFailures.
	AuthFailuresPerMinute int
	// Version is reported by /health; "" = "1.0.0".
	Version string
	// Now is the clock for timestamps and rate limits; nil = time.Now.
	Now func() time.Time
	// Sleep waits while a call is paced; nil = a timer that Shutdown cuts
	// short. Tests use it to hold a call at a known point.
	Sleep func(ctx context.Context, d time.Duration) error
	// Log receives one line per call started and ended and per control
	// command; nil discards. Keys and secrets are never logged.
	Log *slog.Logger
	// Observe, when set, receives every webhook exchange of every call once
	// it has been checked and recorded (x.CallID names the call). It is
	// called from the calls' goroutines, so it must be safe for concurrent
	// use and return quickly; the exchange must not be modified.
	Observe func(*sim.Exchange)
	// Campaign sets the pace of running campaigns (book.go).
	Campaign CampaignOptions

	adjustPlan func(*sim.CallPlan) // tests only: shape a plan before it plays
}

// Defaults.
const (
	DefaultMaxBody       = 1 << 20
	DefaultMaxCalls      = 1000
	DefaultMaxLive       = 100
	DefaultMaxAssistants = 1000
	DefaultRequestsLimit = 100 // per key per minute (spec §6.6)
	DefaultCommandsLimit = 10  // per call per minute (spec §5.1)
	// NoAnswerAfter is how long an unanswered outbound call rings.
	NoAnswerAfter = 30 * time.Second
)

// EndNoAnswer is the end reason of an outbound call nobody answered (the
// platform documents none; spec §2.4).
const EndNoAnswer = "no_answer"

// Platform is the mock REST API. It is an http.Handler, safe for concurrent
// use; Shutdown stops its calls.
type Platform struct {
	opt    Options
	kit    *kit.Kit
	rest   sim.Dialect // parses assistant objects as the REST API spells them (snake_case)
	now    func() time.Time
	log    *slog.Logger
	router http.Handler
	keys   *limiter
	guard  *throttle // failed authentications per client address

	ctx    context.Context // parent of every call's context
	cancel context.CancelFunc
	hurry  chan struct{} // closed by Shutdown: paced waits end at once
	wg     sync.WaitGroup

	mu         sync.Mutex
	calls      map[string]*callState
	order      []*callState // oldest first
	live       int
	next       int // last call number drawn from the run seed
	closing    bool
	assistants map[string]*assistant
	asstOrder  []string                // assistant ids, oldest first
	factories  map[int64]*fake.Factory // per seed asked for by /simulate/inbound
	book       *book                   // numbers and campaigns (book.go)
	res        resources               // voices, templates, organization, BYOK, domains, SIP trunks
}

// New builds a platform; errors are configuration errors in words.
func New(o Options) (*Platform, error) {
	if err := o.checkKeys(); err != nil {
		return nil, err
	}
	if err := o.Campaign.Check(); err != nil {
		return nil, err
	}
	k, err := kit.New(o.Sim)
	if err != nil {
		return nil, err
	}
	rest, err := dialect.ByName("flireo")
	if err != nil {
		return nil, err
	}
	if err := checkErrorBody(o.ErrorBody); err != nil {
		return nil, err
	}
	o.setDefaults()
	p := &Platform{
		opt: o, kit: k, rest: rest, now: o.Now, log: o.Log,
		hurry:      make(chan struct{}),
		calls:      make(map[string]*callState),
		assistants: make(map[string]*assistant),
		factories:  make(map[int64]*fake.Factory),
	}
	k.Engine.Sleep = p.sleep
	if p.now == nil {
		p.now = time.Now
	}
	if p.log == nil {
		p.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	p.keys = newLimiter(o.RequestsPerMinute, time.Minute)
	p.guard = newThrottle(o.AuthFailuresPerMinute, time.Minute)
	p.ctx, p.cancel = context.WithCancel(context.Background())
	p.router = p.routes()
	return p, nil
}

// checkKeys refuses API keys that cannot be used.
func (o *Options) checkKeys() error {
	for i, k := range o.APIKeys {
		if strings.TrimSpace(k) == "" || strings.ContainsAny(k, " \t\r\n") {
			return fmt.Errorf("API key #%d is empty or contains white space: use a single token such as sk_test_123", i+1)
		}
	}
	if o.ProtectDashboard && len(o.APIKeys) == 0 {
		return fmt.Errorf("a protected dashboard needs an API key (its password)")
	}
	return nil
}

// setDefaults fills in the limits and the version left unset.
func (o *Options) setDefaults() {
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.MaxCalls <= 0 {
		o.MaxCalls = DefaultMaxCalls
	}
	if o.MaxLive <= 0 {
		o.MaxLive = DefaultMaxLive
	}
	if o.MaxAssistants <= 0 {
		o.MaxAssistants = DefaultMaxAssistants
	}
	if o.RequestsPerMinute <= 0 {
		o.RequestsPerMinute = DefaultRequestsLimit
	}
	if o.CommandsPerMinute <= 0 {
		o.CommandsPerMinute = DefaultCommandsLimit
	}
	if o.Version == "" {
		o.Version = "1.0.0"
	}
}

// ServeHTTP answers one request.
func (p *Platform) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.router.ServeHTTP(w, r)
}

// routes builds the router: gorilla/mux for the paths, with authentication
// and the per-key rate limit in front of /api/v1 and /simulate.
func (p *Platform) routes() http.Handler {
	r := mux.NewRouter()
	r.NotFoundHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusNotFound, errNotFound, "", fmt.Sprintf("no endpoint %s %s: see GET /health, /api/v1/calls, /api/v1/assistants, /simulate/inbound", r.Method, r.URL.Path))
	})
	r.MethodNotAllowedHandler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeError(w, http.StatusMethodNotAllowed, "method_not_allowed", "", fmt.Sprintf("method %s is not allowed on %s", r.Method, r.URL.Path))
	})
	r.HandleFunc("/health", p.handleHealth).Methods(http.MethodGet, http.MethodHead)

	// One router without subrouters: gorilla/mux answers a method mismatch
	// inside a subrouter with 404 instead of 405.
	const api = "/api/v1"
	r.HandleFunc(api+"/calls", p.handleListCalls).Methods(http.MethodGet)
	r.HandleFunc(api+"/calls/outbound", p.handleOutbound).Methods(http.MethodPost)
	r.HandleFunc(api+"/calls/{id}", p.handleGetCall).Methods(http.MethodGet)
	r.HandleFunc(api+"/calls/{id}/control", p.handleControl).Methods(http.MethodPost)
	for _, base := range []string{api + "/assistants", api + "/agents"} { // agents: deprecated alias (spec §6.1)
		r.HandleFunc(base, p.handleListAssistants).Methods(http.MethodGet)
		r.HandleFunc(base, p.handleCreateAssistant).Methods(http.MethodPost)
		r.HandleFunc(base+"/{id}", p.handleGetAssistant).Methods(http.MethodGet)
		r.HandleFunc(base+"/{id}", p.handleUpdateAssistant).Methods(http.MethodPatch)
		r.HandleFunc(base+"/{id}", p.handleDeleteAssistant).Methods(http.MethodDelete)
	}
	p.resourceRoutes(r, api) // resources.go
	r.HandleFunc("/simulate/inbound", p.handleInbound).Methods(http.MethodPost)
	p.bookRoutes(r, api) // numbers, campaigns, usage

	r.HandleFunc("/", p.dashboardAuth(p.handleDashboard)).Methods(http.MethodGet, http.MethodHead)
	r.HandleFunc("/calls/{id}", p.dashboardAuth(p.handleDashboardCall)).Methods(http.MethodGet, http.MethodHead)

	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if p.opt.ErrorBody == ErrorBodyNested {
			w = nestedWriter{w}
		}
		path := req.URL.Path
		if path == "/api/v1" || strings.HasPrefix(path, "/api/v1/") || strings.HasPrefix(path, "/simulate/") {
			owner, ok := p.authenticate(w, req)
			if !ok {
				return
			}
			if strings.HasPrefix(path, "/api/") && !p.limitRequest(w, owner) {
				return
			}
			req = req.WithContext(withOwner(req.Context(), owner))
		}
		r.ServeHTTP(w, req)
	})
}

// handleHealth answers GET /health as documented (spec §6.1).
func (p *Platform) handleHealth(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"status":    "ok",
		"timestamp": isoTime(p.now()),
		"version":   p.opt.Version,
		"checks":    map[string]any{"database": map[string]any{"status": "ok", "latency_ms": 0}},
	})
}

// Shutdown stops accepting calls, lets live calls finish at full speed (their
// remaining webhooks are still delivered) until ctx ends, then cancels the
// calls still running and waits for them. It returns how many calls were
// cancelled. The handler keeps answering during Shutdown, so that control
// commands and lookups of the finishing calls still work.
func (p *Platform) Shutdown(ctx context.Context) int {
	p.mu.Lock()
	if !p.closing {
		p.closing = true
		close(p.hurry)
	}
	p.mu.Unlock()
	done := make(chan struct{})
	go func() { p.wg.Wait(); close(done) }()
	cancelled := 0
	select {
	case <-done:
	case <-ctx.Done():
		p.mu.Lock()
		cancelled = p.live
		p.mu.Unlock()
		p.cancel()
		<-done
	}
	p.cancel()
	p.kit.Close()
	return cancelled
}

// Live is the number of calls in progress.
func (p *Platform) Live() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.live
}

// sleep waits d for a paced call, or less when Shutdown hurries the calls.
func (p *Platform) sleep(ctx context.Context, d time.Duration) error {
	if p.opt.Sleep != nil {
		return p.opt.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-p.hurry:
		return nil
	case <-t.C:
		return nil
	}
}

// isoTime formats t as the API does: UTC with milliseconds.
func isoTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}
