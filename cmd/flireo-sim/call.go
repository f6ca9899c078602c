package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

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

Intents: book-appointment, reschedule, opening-hours, order-status, complaint, callback,
wrong-number, silent, voicemail (default: drawn from the seed).

Examples:
  flireo-sim call --target http://127.0.0.1:8080/webhook
  flireo-sim call --target http://127.0.0.1:8080/webhook --intent book-appointment --seed 7 --secret s3cret
  flireo-sim call --target http://127.0.0.1:8080/webhook --dialect flireo-legacy --json > call.json`

func runCall(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	fs := newFlags("call", callUsage)
	var f simFlags
	f.register(fs, true)
	intent := fs.String("intent", "", "what the caller wants (default: drawn from the seed)")
	lang := fs.String("lang", "", "caller language: nl or en (default: drawn from the seed)")
	pace := fs.String("pace", "instant", "instant (only replies take time), realtime, or a speed-up such as 10x")
	asJSON := fs.Bool("json", false, "print the call as JSON instead of a timeline")
	number := fs.Int("call", 1, "call number within the seed (each number is a different call)")
	noProbe := fs.Bool("no-probes", false, "skip the signature probes after the call")
	transcript := fs.Bool("transcript", true, "print the conversation after the timeline")
	if err := fs.parse(args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("call: unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	o, err := f.options(env)
	if err != nil {
		return err
	}
	in, err := parseIntent(*intent)
	if err != nil {
		return err
	}
	if err := parseLang(*lang); err != nil {
		return err
	}
	if o.Pace, err = kit.ParsePace(*pace); err != nil {
		return usageError{err}
	}
	color := env.stdoutTTY && env.getenv("NO_COLOR") == ""
	var start *sim.CallPlan
	if !*asJSON {
		o.Observe = func(x *sim.Exchange) {
			if start != nil {
				timeline.Exchange(stdout, start.Start, x, timeline.Options{Color: color})
			}
		}
	}
	k, err := newKit(o)
	if err != nil {
		return err
	}
	defer k.Close()
	if ue, err := preflight(ctx, o.Target); ue != nil {
		if *asJSON {
			if werr := callUnreachable(stdout, ue, k.Dialect.Name()); werr != nil {
				return werr
			}
		}
		return err
	}
	plan, gen := k.Calls.Call(*number, fake.Options{Intent: in, Lang: *lang, ErrorRate: -1})
	if !*asJSON {
		start = plan
		timeline.Header(stdout, plan, k.Dialect.Name())
	}
	res, err := k.Play(ctx, plan, gen, !*noProbe)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(timeline.JSON(res, k.Dialect.Name())); err != nil {
			return err
		}
	} else {
		// Probes were observed live as well; the transcript and summary close the call.
		if *transcript && res.Report != nil {
			timeline.Transcript(stdout, res.Plan.Start, res.Report.Messages)
		}
		timeline.Summary(stdout, res)
	}
	hintOut := stdout
	if *asJSON {
		hintOut = stderr
	}
	for _, h := range diagnose.Hints(res.Exchanges, o.Secret != "") {
		fmt.Fprintf(hintOut, "  hint: %s\n", h)
	}
	return verdict(res)
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
