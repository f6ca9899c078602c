package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator/kit"
	"github.com/flireo-sim/flireo-sim/simulator/platform"
)

const serveUsage = `
Usage: flireo-sim serve --webhook URL [--addr 127.0.0.1:8090] [--secret S] [--api-key KEY]
                        [--dialect D] [--pace realtime|Nx|instant] [flags]

Runs a local mock of the Flireo platform: the REST API your own code calls (outbound
calls, call lookup and list, live call control, assistants) and simulated calls that
deliver their webhooks to --webhook, exactly as the platform does.

  GET  /health                       no auth
  POST /api/v1/calls/outbound        start an outbound call (destination ending in 0000:
                                     no answer, 9999: voicemail)
  GET  /api/v1/calls[/{id}]          list calls / the call object
  POST /api/v1/calls/{id}/control    inject-context, say, end-call, transfer
  /api/v1/assistants[/{id}]          list, create, get, update (PATCH), delete
  /api/v1/numbers[/{id}]             phone numbers: GET /numbers/available, order, link
                                     to an assistant (agent_id), release
  /api/v1/campaigns[/{id}]           campaigns and their leads; POST …/start, …/pause,
                                     …/cancel; leads are dialled at --campaign-rate
  GET  /api/v1/usage                 the calls played: minutes, calls, cost
  POST /simulate/inbound             test trigger: an inbound call ({"intent", "seed", "caller",
                                     "phone_number": the called number})
  GET  /                             dashboard: live and finished calls, webhooks, commands

With --api-key (or $FLIREO_API_KEY) every /api/v1 and /simulate request needs
"Authorization: Bearer KEY". Binding anywhere but loopback requires a key, and the
dashboard then asks for it as the password. Ctrl-C stops accepting calls, lets live
calls finish at full speed for up to --drain, cancels the rest and exits.

Example:
  flireo-sim example-server --addr 127.0.0.1:8080 --platform-api http://127.0.0.1:8090/api/v1 --api-key sk_test &
  flireo-sim serve --webhook http://127.0.0.1:8080/webhook --api-key sk_test`

// keysFlag collects repeated --api-key flags.
type keysFlag []string

func (k *keysFlag) String() string { return "" } // never print a key
func (k *keysFlag) Set(v string) error {
	for part := range strings.SplitSeq(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			*k = append(*k, part)
		}
	}
	return nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	sf, err := parseServeFlags(args, stdout)
	if err != nil {
		return err
	}
	o, err := sf.sim.options(env)
	if err != nil {
		return err
	}
	if o.Pace, err = kit.ParsePace(*sf.pace); err != nil {
		return usageError{err}
	}
	if len(sf.keys) == 0 && env.getenv != nil {
		_ = sf.keys.Set(env.getenv("FLIREO_API_KEY"))
	}
	loopback, err := sf.check()
	if err != nil {
		return err
	}
	camp, err := sf.campaign.options()
	if err != nil {
		return err
	}
	plat, err := platform.New(platform.Options{Sim: o, APIKeys: sf.keys, ProtectDashboard: !loopback, MaxLive: *sf.maxLive, ErrorBody: *sf.errorBody, Version: version, Log: serveLog(stdout, *sf.quiet), Campaign: camp})
	if err != nil {
		return usageError{err}
	}
	ln, err := net.Listen("tcp", *sf.addr)
	if err != nil {
		plat.Shutdown(context.Background())
		return usagef("cannot listen on %s: %v (choose another --addr)", *sf.addr, err)
	}
	sf.banner(stdout, "http://"+ln.Addr().String(), o)
	return serveUntilStopped(ctx, stdout, plat, ln, *sf.drain)
}

// serveFlags are the flags of the serve command.
type serveFlags struct {
	sim        simFlags
	addr, pace *string
	keys       keysFlag
	errorBody  *string
	drain      *time.Duration
	maxLive    *int
	quiet      *bool
	campaign   campaignFlags
}

// parseServeFlags registers and parses the flags of the serve command.
func parseServeFlags(args []string, stdout io.Writer) (*serveFlags, error) {
	fs := newFlags("serve", serveUsage)
	sf := &serveFlags{}
	fs.group(groupTarget, "webhook") // first of its group
	sf.sim.register(fs, false)
	fs.StringVar(&sf.sim.target, "webhook", "", "account-level webhook URL the calls deliver to (assistants may set their own webhook_url) (required)")
	sf.addr = fs.String("addr", "127.0.0.1:8090", "address to listen on (loopback unless you give another; then --api-key is required)")
	fs.Var(&sf.keys, "api-key", "bearer API key the API accepts; repeat for several accounts (default $FLIREO_API_KEY; never printed)")
	sf.pace = fs.String("pace", "realtime", "call speed: realtime (control commands land mid-call), a speed-up such as 10x, or instant")
	sf.drain = fs.Duration("drain", 10*time.Second, "on Ctrl-C, how long live calls may take to finish before they are cancelled")
	sf.maxLive = fs.Int("max-live", platform.DefaultMaxLive, "most calls played at once")
	sf.errorBody = fs.String("error-body", platform.ErrorBodyFlat, `shape of error bodies: flat (the SDK's ApiError, {"error": code, "message", …}) or nested (the errors page, {"error": {"code", …}})`)
	sf.quiet = fs.Bool("quiet", false, "do not log calls and control commands")
	sf.campaign.register(fs)
	fs.group("Platform", "addr", "api-key", "drain", "max-live", "campaign-rate", "campaign-concurrency")
	fs.group(groupShape, "pace")
	fs.group(groupOutput, "quiet")
	fs.group("API answers", "error-body")
	if err := fs.parse(args, stdout); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usagef("serve: unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	if sf.sim.target == "" {
		return nil, usagef("serve: no --webhook: give the URL of your webhook server, e.g. --webhook http://127.0.0.1:8080/webhook")
	}
	return sf, nil
}

// check checks --drain, --max-live and --addr, and reports whether the
// address is loopback only.
func (sf *serveFlags) check() (loopback bool, err error) {
	if *sf.drain < 0 {
		return false, usagef("--drain must not be negative, e.g. 10s")
	}
	if *sf.maxLive < 1 {
		return false, usagef("--max-live must be 1 or more")
	}
	loopback, err = isLoopback(*sf.addr)
	if err != nil {
		return false, usageError{err}
	}
	if !loopback && len(sf.keys) == 0 {
		return false, usagef("--addr %s is not a loopback address: set --api-key (or FLIREO_API_KEY) so that only your code can start calls, or use --addr 127.0.0.1:8090", *sf.addr)
	}
	return loopback, nil
}

// serveLog logs calls and control commands to stdout (nowhere with
// --quiet).
func serveLog(stdout io.Writer, quiet bool) *slog.Logger {
	if quiet {
		return slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	return slog.New(slog.NewTextHandler(stdout, &slog.HandlerOptions{ReplaceAttr: dropTime}))
}

// banner says where the platform listens and where its webhooks go.
func (sf *serveFlags) banner(stdout io.Writer, base string, o kit.Options) {
	auth := "open: no API key (loopback only)"
	if len(sf.keys) > 0 {
		auth = fmt.Sprintf("Bearer API key required (%d configured)", len(sf.keys))
	}
	signed := "unsigned"
	if o.Secret != "" {
		signed = "signed"
	}
	fmt.Fprintf(stdout, "mock Flireo platform on %s · API %s/api/v1 · dashboard %s/\n", base, base, base)
	fmt.Fprintf(stdout, "webhooks to %s (%s, dialect %s, pace %s) · %s\n", o.Target, signed, sf.sim.dialect, *sf.pace, auth)
	fmt.Fprintf(stdout, "calls: %s (replay with %s)\n", seedLine(o.Seed, o.Clock), kit.ReplayFlags(o.Seed, orNow(o.Clock)))
	fmt.Fprintln(stdout, "stop with Ctrl-C")
}

// serveUntilStopped serves the platform until ctx is done (or the server
// fails), then drains live calls and shuts the server down.
func serveUntilStopped(ctx context.Context, stdout io.Writer, plat *platform.Platform, ln net.Listener, drain time.Duration) error {
	hs := &http.Server{Handler: plat, ReadHeaderTimeout: 10 * time.Second}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	var serveErr error
	select {
	case serveErr = <-served:
	case <-ctx.Done():
	}
	drainCalls(stdout, plat, drain)
	if serveErr != nil {
		return fmt.Errorf("the platform server stopped: %v", serveErr)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	if err := hs.Shutdown(sctx); errors.Is(err, context.DeadlineExceeded) {
		_ = hs.Close()
	}
	cancel()
	<-served
	fmt.Fprintln(stdout, "stopped")
	return errStopped
}

// drainCalls stops new calls, lets live calls finish for up to drain and
// cancels the rest.
func drainCalls(stdout io.Writer, plat *platform.Platform, drain time.Duration) {
	if live := plat.Live(); live > 0 {
		fmt.Fprintf(stdout, "stopping: no new calls; %d live call(s) finish at full speed (at most %s)\n", live, drain)
	}
	dctx, cancel := context.WithTimeout(context.Background(), drain)
	cancelled := plat.Shutdown(dctx)
	cancel()
	if cancelled > 0 {
		fmt.Fprintf(stdout, "cancelled %d call(s) that did not finish within %s\n", cancelled, drain)
	}
}

// isLoopback reports whether addr (host:port) binds only the loopback
// interface; an empty host binds every interface.
func isLoopback(addr string) (bool, error) {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false, fmt.Errorf("--addr %q is not host:port, e.g. 127.0.0.1:8090", addr)
	}
	if host == "localhost" {
		return true, nil
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback(), nil
}

// dropTime leaves the timestamp out of log lines (the terminal has one).
func dropTime(groups []string, a slog.Attr) slog.Attr {
	if len(groups) == 0 && a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}
