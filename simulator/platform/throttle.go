package platform

import (
	"net"
	"net/http"
	"sync"
	"time"
)

// DefaultAuthFailures is how many failed authentications (a missing or
// unknown API key, on the API or the dashboard) one client address may make
// in a minute; past it the address gets 429 until its minute is over. A
// request with a right key is never throttled, from any address.
const DefaultAuthFailures = 10

// throttle counts failed authentications per client address in fixed
// windows that start with the address's first failure.
type throttle struct {
	limit int
	per   time.Duration

	mu      sync.Mutex
	windows map[string]*window
}

func newThrottle(limit int, per time.Duration) *throttle {
	if limit <= 0 {
		limit = DefaultAuthFailures
	}
	return &throttle{limit: limit, per: per, windows: make(map[string]*window)}
}

// fail counts a failed authentication from addr at now; over reports that
// the address is past its limit, reset when its window ends.
func (t *throttle) fail(addr string, now time.Time) (over bool, reset time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	win := t.windows[addr]
	if win == nil || !now.Before(win.start.Add(t.per)) {
		if win == nil && len(t.windows) >= maxWindows {
			for k, w := range t.windows {
				if !now.Before(w.start.Add(t.per)) {
					delete(t.windows, k)
				}
			}
		}
		win = &window{start: now}
		t.windows[addr] = win
	}
	ok, _, reset := win.take(t.limit, t.per)
	return !ok, reset
}

// clientAddr is the request's client address without its port (the
// connection's peer: forwarding headers are not trusted).
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// authFailed counts a failed authentication of r; when its address is past
// the limit it answers 429 with Retry-After and the documented rate-limit
// body and reports true, and the caller answers nothing more.
func (p *Platform) authFailed(w http.ResponseWriter, r *http.Request) bool {
	now := p.now()
	over, reset := p.guard.fail(clientAddr(r), now)
	if !over {
		return false
	}
	rateResult(w, false, p.guard.limit, 0, reset, now, "requests")
	return true
}
