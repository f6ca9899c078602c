package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/flireo-sim/flireo-sim/internal/termsafe"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/diagnose"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
	"github.com/flireo-sim/flireo-sim/simulator/timeline"
)

const callUsage = `
Usage: flireo-sim call --target URL [flags]

Plays one full call lifecycle against the server: assistant-request, status-update
in-progress, the conversation with its tool-calls, status-update ended and the
end-of-call-report. Prints every event sent, the reply (status, size, latency against
its deadline), what the simulator did with it and the failed checks. With a secret
set, signature probes (missing, tampered, wrong-secret, stale, future-dated, re-indented)
are sent after the call.

Intents by direction (default: drawn from the seed for the direction):
  inbound, web  book-appointment, reschedule, opening-hours, order-status, complaint,
                callback, wrong-number, silent
  outbound      voicemail, appointment-reminder, appointment-confirmation,
                ticket-follow-up, requested-callback
--direction defaults to the intent's; with neither, the seed draws (mostly inbound).
An outbound call has no assistant-request: the default agent (--default-assistant)
places it, introducing itself and the reason of the call.

Examples:
  flireo-sim call --target http://127.0.0.1:8080/webhook
  flireo-sim call --target http://127.0.0.1:8080/webhook --intent book-appointment --seed 7 --secret s3cret
  flireo-sim call --target http://127.0.0.1:8080/webhook --intent appointment-reminder --lang en
  flireo-sim call --target http://127.0.0.1:8080/webhook --dialect flireo-legacy --json > call.json`

// callFlags are the flags of the call command beyond the common ones.
type callFlags struct {
	intent     sim.Intent
	direction  sim.Direction
	lang       string
	asJSON     bool
	number     int
	noProbe    bool
	transcript bool
}

func runCall(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	cf, o, err := parseCall(args, stdout, env)
	if err != nil {
		return err
	}
	k, err := newKit(o)
	if err != nil {
		return err
	}
	defer k.Close()
	if ue, err := preflight(ctx, o.Target); ue != nil {
		if cf.asJSON {
			if werr := callUnreachable(stdout, ue, k.Dialect.Name()); werr != nil {
				return werr
			}
		}
		return err
	}
	plan, gen := k.Calls.Call(cf.number, fake.Options{Intent: cf.intent, Direction: cf.direction, Lang: cf.lang, ErrorRate: -1})
	var co sim.CallOptions
	if !cf.asJSON {
		timeline.Header(stdout, plan, k.Dialect.Name())
		co.Observe = printExchanges(stdout, plan, env)
	}
	res, err := k.Play(ctx, plan, gen, !cf.noProbe, co)
	if err != nil {
		return err
	}
	if err := printCall(stdout, stderr, res, k.Dialect.Name(), cf, o.Secret != ""); err != nil {
		return err
	}
	if !cf.asJSON {
		fmt.Fprintf(stdout, "  replay: flireo-sim call --target %s --dialect %s %s --call %d%s\n",
			termsafe.Line(o.Target), k.Dialect.Name(), kit.ReplayFlags(o.Seed, plan.Anchor), plan.Number, cf.shapeFlags())
	}
	return verdict(res)
}

// shapeFlags are the --intent and --lang flags given, for the replay hint.
func (cf callFlags) shapeFlags() string {
	var s string
	if cf.intent != "" {
		s += " --intent " + string(cf.intent)
	}
	if cf.lang != "" {
		s += " --lang " + cf.lang
	}
	return s
}

// parseCall reads the call command's flags.
func parseCall(args []string, stdout io.Writer, env environment) (callFlags, kit.Options, error) {
	fs := newFlags("call", callUsage)
	var f simFlags
	f.register(fs, true)
	intent := fs.String("intent", "", "why the call is made, one of the intents of its direction above (default: drawn from the seed)")
	dir := fs.String("direction", "", "inbound, outbound or web (default: the intent's)")
	lang := fs.String("lang", "", "caller language: nl or en (default: drawn from the seed)")
	pace := fs.String("pace", "instant", "instant (only replies take time), realtime, or a speed-up such as 10x")
	asJSON := fs.Bool("json", false, "print the call as JSON instead of a timeline")
	number := fs.Int("call", 1, "call number within the seed (each number is a different call)")
	noProbe := fs.Bool("no-probes", false, "skip the signature probes after the call")
	transcript := fs.Bool("transcript", true, "print the conversation after the timeline")
	fs.group(groupShape, "intent", "direction", "lang", "call", "pace", "no-probes")
	fs.group(groupOutput, "json", "transcript")
	if err := fs.parse(args, stdout); err != nil {
		return callFlags{}, kit.Options{}, err
	}
	if fs.NArg() > 0 {
		return callFlags{}, kit.Options{}, usagef("call: unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	o, err := f.options(env)
	if err != nil {
		return callFlags{}, o, err
	}
	cf := callFlags{lang: *lang, asJSON: *asJSON, number: *number, noProbe: *noProbe, transcript: *transcript}
	if cf.intent, err = parseIntent(*intent); err != nil {
		return cf, o, err
	}
	if cf.direction, err = parseDirection(*dir, cf.intent); err != nil {
		return cf, o, err
	}
	if err := parseLang(*lang); err != nil {
		return cf, o, err
	}
	if o.Pace, err = kit.ParsePace(*pace); err != nil {
		return cf, o, usageError{err}
	}
	return cf, o, nil
}

// printExchanges is the observer that prints each exchange of the call of
// plan on the timeline as it completes.
func printExchanges(w io.Writer, plan *sim.CallPlan, env environment) func(*sim.Exchange) {
	color := env.stdoutTTY && env.getenv("NO_COLOR") == ""
	return func(x *sim.Exchange) { timeline.Exchange(w, plan.Start, x, timeline.Options{Color: color}) }
}

// printCall prints a played call: as JSON, or the transcript and summary
// that close the timeline (the exchanges, probes included, were printed
// live); then the hints.
func printCall(stdout, stderr io.Writer, res *sim.CallResult, dialect string, cf callFlags, signed bool) error {
	hintOut := stdout
	if cf.asJSON {
		hintOut = stderr
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(timeline.JSON(res, dialect)); err != nil {
			return err
		}
	} else {
		if cf.transcript && res.Report != nil {
			timeline.Transcript(stdout, res.Plan.Start, res.Report.Messages)
		}
		timeline.Summary(stdout, res)
	}
	for _, h := range diagnose.Hints(res.Exchanges, signed) {
		fmt.Fprintf(hintOut, "  hint: %s\n", termsafe.Line(h))
	}
	return nil
}

// verdict turns a played call into the command's error: nil when no must
// check failed.
func verdict(res *sim.CallResult) error {
	if res.Aborted != nil {
		return failedError{"interrupted"}
	}
	if !res.Failed(sim.Must) {
		return nil
	}
	failed := timeline.FailedChecks(mustFindings(res))
	msg := fmt.Sprintf("the server failed %d must check(s): %s", len(failed), strings.Join(failed, ", "))
	if unreachable(res) {
		msg = "the target could not be reached: " + res.Exchanges[0].Response.Failure.Detail
	}
	return failedError{msg}
}

func mustFindings(res *sim.CallResult) []sim.Finding {
	var out []sim.Finding
	for _, f := range res.Findings() {
		if f.Severity == sim.Must {
			out = append(out, f)
		}
	}
	return out
}

// unreachable reports whether no exchange got any HTTP reply because the
// connection could not be made.
func unreachable(res *sim.CallResult) bool {
	if len(res.Exchanges) == 0 {
		return false
	}
	for _, x := range res.Exchanges {
		f := x.Response.Failure
		if x.Response.Status != 0 || f == nil || (f.Kind != sim.FailRefused && f.Kind != sim.FailDNS && f.Kind != sim.FailTLS) {
			return false
		}
	}
	return true
}
