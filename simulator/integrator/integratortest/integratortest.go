// Package integratortest starts the reference integrator on a loopback
// httptest server for tests and stops it when the test ends. Only tests
// import it.
package integratortest

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// Reference is the reference integrator serving on a loopback port.
type Reference struct {
	Server *integrator.Server // the integrator itself (its records, its Close)
	HTTP   *httptest.Server   // the loopback server in front of it
}

// URL is the server's base address, e.g. http://127.0.0.1:41234.
func (r *Reference) URL() string { return r.HTTP.URL }

// Webhook is the address webhooks go to: URL + "/webhook".
func (r *Reference) Webhook() string { return r.HTTP.URL + "/webhook" }

// config is what the options set.
type config struct {
	options integrator.Options
	wrap    []func(http.Handler) http.Handler
}

// Option changes how Start builds and serves the integrator.
type Option func(*config)

// With builds the integrator from o (replacing the options set before it).
func With(o integrator.Options) Option {
	return func(c *config) { c.options = o }
}

// Secret sets the webhook secret the integrator verifies.
func Secret(secret string) Option {
	return func(c *config) { c.options.Secret = secret }
}

// Wrap serves the integrator behind mw (a recorder, a filter, a fault); the
// last Wrap is the outermost.
func Wrap(mw func(next http.Handler) http.Handler) Option {
	return func(c *config) { c.wrap = append(c.wrap, mw) }
}

// Start builds the reference integrator and serves it on a loopback port
// until the test ends; it fails the test when the options are invalid.
func Start(t testing.TB, opts ...Option) *Reference {
	t.Helper()
	var c config
	for _, o := range opts {
		o(&c)
	}
	srv, err := integrator.New(c.options)
	if err != nil {
		t.Fatalf("reference integrator: %v", err)
	}
	var h http.Handler = srv
	for _, mw := range c.wrap {
		h = mw(h)
	}
	ts := httptest.NewServer(h)
	t.Cleanup(func() {
		ts.Close()
		srv.Close()
	})
	return &Reference{Server: srv, HTTP: ts}
}
