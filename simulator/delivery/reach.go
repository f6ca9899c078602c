package delivery

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/url"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// DefaultReachTimeout bounds a pre-flight connection attempt: long enough for
// a server across the internet, short enough that a command against a
// target that is down ends within 2 s.
const DefaultReachTimeout = 1500 * time.Millisecond

// Reach checks, before anything is played, that target accepts a TCP
// connection (and for https:// a TLS handshake, verified as deliveries
// verify it) within timeout (0: DefaultReachTimeout). It sends no request.
// It returns nil when the target can be reached, or the failure in plain
// words: refused, dns, tls or timeout. A context that ends first gives nil:
// the caller's own cancellation is not the target's fault.
func Reach(ctx context.Context, target string, timeout time.Duration) *simulator.Failure {
	u, err := url.Parse(target)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fail(simulator.FailOther, "target %q is not an http(s) URL", target)
	}
	if timeout <= 0 {
		timeout = DefaultReachTimeout
	}
	hostPort := u.Host
	if u.Port() == "" {
		port := "80"
		if u.Scheme == "https" {
			port = "443"
		}
		hostPort = net.JoinHostPort(u.Hostname(), port)
	}
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := dial(dctx, u.Scheme, u.Hostname(), hostPort)
	if err == nil {
		_ = conn.Close()
		return nil
	}
	if ctx.Err() != nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) || dctx.Err() != nil {
		return fail(simulator.FailTimeout, "no connection to %s within %s: is the host up, and does a firewall let the connection through?", hostPort, timeout)
	}
	return classify(err, hostPort)
}

// dial opens a TCP connection, with a TLS handshake for https.
func dial(ctx context.Context, scheme, host, hostPort string) (net.Conn, error) {
	if scheme != "https" {
		var d net.Dialer
		return d.DialContext(ctx, "tcp", hostPort)
	}
	d := tls.Dialer{Config: &tls.Config{ServerName: host, MinVersion: tls.VersionTLS12}}
	conn, err := d.DialContext(ctx, "tcp", hostPort)
	if err != nil {
		return nil, fmt.Errorf("TLS handshake with %s: %w", hostPort, err)
	}
	return conn, nil
}
