package platform

import (
	"context"
	"crypto/subtle"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ownerKey is the context key of the authenticated account.
type ownerKey struct{}

// An owner names an account by the position of its key ("key#1"); the key
// itself is never stored. With no keys configured every request is the open
// account "".
func withOwner(ctx context.Context, owner string) context.Context {
	return context.WithValue(ctx, ownerKey{}, owner)
}

func ownerOf(r *http.Request) string {
	o, _ := r.Context().Value(ownerKey{}).(string)
	return o
}

// authenticate checks the bearer key (spec §6.1) and answers 401 when it is
// missing or unknown.
func (p *Platform) authenticate(w http.ResponseWriter, r *http.Request) (string, bool) {
	if len(p.opt.APIKeys) == 0 {
		return "", true
	}
	if owner, ok := p.keyOwner(bearer(r.Header.Get("Authorization"))); ok {
		return owner, true
	}
	if !p.authFailed(w, r) {
		writeAuthError(w, http.StatusUnauthorized)
	}
	return "", false
}

// keyOwner finds the account of a key in constant time per configured key.
func (p *Platform) keyOwner(key string) (string, bool) {
	if key == "" {
		return "", false
	}
	owner, found := "", false
	for i, k := range p.opt.APIKeys {
		if subtle.ConstantTimeCompare([]byte(k), []byte(key)) == 1 && !found {
			owner, found = "key#"+strconv.Itoa(i+1), true
		}
	}
	return owner, found
}

// bearer returns the token of an "Authorization: Bearer TOKEN" header.
func bearer(h string) string {
	scheme, token, ok := strings.Cut(strings.TrimSpace(h), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return ""
	}
	return strings.TrimSpace(token)
}

// allowed reports whether the request's account may see a resource owned by
// owner; it answers 403 when not.
func allowed(w http.ResponseWriter, r *http.Request, owner string) bool {
	if ownerOf(r) == owner {
		return true
	}
	writeAuthError(w, http.StatusForbidden)
	return false
}

// dashKey is the context key of the account a protected dashboard shows.
type dashKey struct{}

// dashboardOwner is the account whose calls the dashboard shows; all is
// true on an unprotected dashboard (loopback), which shows every call.
func dashboardOwner(r *http.Request) (owner string, all bool) {
	o, ok := r.Context().Value(dashKey{}).(string)
	return o, !ok
}

// dashboardAuth asks for basic authentication with an API key as the
// password when the dashboard is protected; the key picks the account whose
// calls it shows. Failed logins count towards the address's limit.
func (p *Platform) dashboardAuth(h http.HandlerFunc) http.HandlerFunc {
	if !p.opt.ProtectDashboard {
		return h
	}
	return func(w http.ResponseWriter, r *http.Request) {
		_, pass, ok := r.BasicAuth()
		owner, known := p.keyOwner(pass)
		if !ok || !known {
			if p.authFailed(w, r) {
				return
			}
			w.Header().Set("WWW-Authenticate", `Basic realm="flireo-sim dashboard: use an API key as the password", charset="UTF-8"`)
			http.Error(w, "401 Unauthorized: log in with any user name and an API key as the password", http.StatusUnauthorized)
			return
		}
		h(w, r.WithContext(context.WithValue(r.Context(), dashKey{}, owner)))
	}
}

// limitRequest applies the per-key limit (spec §6.6) and sets the
// X-RateLimit-* headers; it answers 429 when the key is over its limit.
func (p *Platform) limitRequest(w http.ResponseWriter, owner string) bool {
	return p.keys.take(w, "account "+owner, p.now())
}

// limiter counts requests per key in fixed windows that start with the
// first request of the key.
type limiter struct {
	limit int
	per   time.Duration

	mu      sync.Mutex
	windows map[string]*window
}

// window is one key's current window.
type window struct {
	start time.Time
	count int
}

// maxWindows bounds the keys a limiter remembers; expired windows are
// dropped first.
const maxWindows = 10000

func newLimiter(limit int, per time.Duration) *limiter {
	return &limiter{limit: limit, per: per, windows: make(map[string]*window)}
}

// take counts one request for key at now, sets the rate-limit headers and
// answers 429 (with Retry-After) when the key is over the limit.
func (l *limiter) take(w http.ResponseWriter, key string, now time.Time) bool {
	l.mu.Lock()
	win := l.windows[key]
	if win == nil || !now.Before(win.start.Add(l.per)) {
		if win == nil && len(l.windows) >= maxWindows {
			l.prune(now)
		}
		win = &window{start: now}
		l.windows[key] = win
	}
	ok, remaining, reset := win.take(l.limit, l.per)
	l.mu.Unlock()
	return rateResult(w, ok, l.limit, remaining, reset, now, "requests")
}

func (l *limiter) prune(now time.Time) {
	for k, w := range l.windows {
		if !now.Before(w.start.Add(l.per)) {
			delete(l.windows, k)
		}
	}
}

// take counts one event in the window.
func (win *window) take(limit int, per time.Duration) (ok bool, remaining int, reset time.Time) {
	reset = win.start.Add(per)
	if win.count >= limit {
		return false, 0, reset
	}
	win.count++
	return true, limit - win.count, reset
}

// rateResult sets the X-RateLimit-* headers (spec §6.6) and, when the limit
// is reached, answers 429 with Retry-After and the documented body.
func rateResult(w http.ResponseWriter, ok bool, limit, remaining int, reset, now time.Time, what string) bool {
	h := w.Header()
	h.Set("X-RateLimit-Limit", strconv.Itoa(limit))
	h.Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	h.Set("X-RateLimit-Reset", strconv.FormatInt(reset.Unix(), 10))
	if ok {
		return true
	}
	wait := int((reset.Sub(now) + time.Second - 1) / time.Second)
	wait = max(wait, 1)
	h.Set("Retry-After", strconv.Itoa(wait))
	writeError(w, http.StatusTooManyRequests, errRateLimited, "",
		fmt.Sprintf("Too many %s. Please retry after %d seconds.", what, wait))
	return false
}
