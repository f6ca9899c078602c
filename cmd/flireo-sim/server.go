package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

const exampleServerUsage = `
Usage: flireo-sim example-server [--addr 127.0.0.1:8080] [--secret S] [--misbehave MODE]

Runs the reference integrator: a correct webhook server written the way we advise
integrators to write one. It verifies signatures against the raw body, answers
assistant-request with a personalised configuration that declares tools and an analysis
plan, answers tool-calls with one result per id, acknowledges status-update and
end-of-call-report at once and stores reports idempotently by call id.

Endpoints: POST /webhook (every event), GET /calls/{id}, GET /calls, GET /healthz.

--misbehave breaks exactly one thing, to see a check fail:
%s`

func runExampleServer(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	var modes strings.Builder
	for _, m := range integrator.Modes() {
		fmt.Fprintf(&modes, "  %-22s %s\n", m.Name, m.Description)
	}
	fs := newFlags("example-server", fmt.Sprintf(exampleServerUsage, modes.String()))
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	secret := fs.String("secret", "", "webhook secret to verify signatures with (default $FLIREO_WEBHOOK_SECRET; empty: no verification)")
	misbehave := fs.String("misbehave", "", "misbehaviour mode (see above)")
	delay := fs.Duration("delay", 0, "how long the slow modes wait (default 6s for slow-assistant and slow-ack, 11s for slow-tool, 25ms per webhook for one-at-a-time)")
	platformAPI := fs.String("platform-api", "", "platform REST API base (e.g. http://127.0.0.1:8090/api/v1 of 'flireo-sim serve'): enables the ask_email tool, which injects the caller's address into the live call")
	apiKey := fs.String("api-key", "", "bearer API key for --platform-api (default $FLIREO_API_KEY; never printed)")
	fs.group("Server", "addr", "secret", "misbehave", "delay")
	fs.group("Platform API", "platform-api", "api-key")
	if err := fs.parse(args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("example-server: unexpected argument %q", fs.Arg(0))
	}
	if *secret == "" && env.getenv != nil {
		*secret = env.getenv("FLIREO_WEBHOOK_SECRET")
	}
	if *apiKey == "" && env.getenv != nil {
		*apiKey = env.getenv("FLIREO_API_KEY")
	}
	srv, err := integrator.New(integrator.Options{Secret: *secret, Misbehave: *misbehave, Delay: *delay, PlatformAPI: *platformAPI, PlatformKey: *apiKey})
	if err != nil {
		return usageError{err}
	}
	defer srv.Close()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("cannot listen on %s: %v (choose another --addr)", *addr, err)
	}
	verify := "off (no secret)"
	if *secret != "" {
		verify = "on"
	}
	mode := "none (correct server)"
	if *misbehave != "" {
		mode = *misbehave
	}
	fmt.Fprintf(stdout, "reference integrator listening on http://%s/webhook · signature verification %s · misbehave %s\n", ln.Addr(), verify, mode)
	if *platformAPI != "" {
		fmt.Fprintf(stdout, "ask_email injects addresses through %s/calls/{id}/control\n", strings.TrimRight(*platformAPI, "/"))
	}
	fmt.Fprintln(stdout, "stop with Ctrl-C")
	return serve(ctx, ln, srv)
}

// serve runs handler on ln until ctx ends, then shuts down within 5 s.
func serve(ctx context.Context, ln net.Listener, h http.Handler) error {
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := hs.Shutdown(sctx)
	if errors.Is(err, context.DeadlineExceeded) {
		err = hs.Close()
	}
	<-done
	if err != nil {
		return err
	}
	return errStopped
}
