package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// flagSet is a flag set that reports errors to the caller instead of exiting.
type flagSet struct {
	*flag.FlagSet
	usage  string
	groups []flagGroup
}

func newFlags(name, usage string) *flagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return &flagSet{FlagSet: fs, usage: usage}
}

// parse parses args; --help prints the usage and the flags to stdout.
func (fs *flagSet) parse(args []string, stdout io.Writer) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		fs.printHelp(stdout)
		return errHelp
	}
	if err != nil {
		return usagef("%s: %s (run 'flireo-sim %s --help')", fs.Name(), fs.cleanFlagError(err), fs.Name())
	}
	return nil
}

// simFlags are the flags shared by the commands that play calls.
type simFlags struct {
	target, dialect, secret string
	seed                    seedFlag
	clock                   string
	timeoutScale            float64
	ackDeadline             time.Duration
	onAssistantFailure      string
	afterReject             string
	onToolFailure           string
	defaultAssistant        string
	bareHex                 bool
	maxReply                int64
}

// seedFlag is an int64 with a readable parse error and a "was it set" bit.
type seedFlag struct {
	v   int64
	set bool
}

func (s *seedFlag) String() string { return strconv.FormatInt(s.v, 10) }
func (s *seedFlag) Set(v string) error {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return fmt.Errorf("seed must be a whole number such as 42")
	}
	s.v, s.set = n, true
	return nil
}

// Headings of the commands' help.
const (
	groupTarget    = "Target"
	groupShape     = "Call shape"
	groupDeadlines = "Deadlines and policies"
	groupOutput    = "Output"
)

// register registers every shared flag of the commands that play whole
// calls (withTarget: --target names the server).
func (f *simFlags) register(fs *flagSet, withTarget bool) {
	f.registerTarget(fs, withTarget)
	f.registerSeed(fs)
	f.registerDeadlines(fs)
	f.registerPolicies(fs)
}

// registerTarget registers the flags that say where and how webhooks go.
func (f *simFlags) registerTarget(fs *flagSet, withTarget bool) {
	if withTarget {
		fs.StringVar(&f.target, "target", "", "webhook URL of the server under test, e.g. http://127.0.0.1:8080/webhook (required)")
		fs.group(groupTarget, "target")
	}
	fs.StringVar(&f.dialect, "dialect", "flireo", "wire format: "+strings.Join(dialect.Names(), ", "))
	fs.StringVar(&f.secret, "secret", "", "webhook secret for X-Webhook-Signature (default $FLIREO_WEBHOOK_SECRET; never printed)")
	fs.BoolVar(&f.bareHex, "bare-hex-signature", false, "send the signature as bare hex, without the sha256= prefix (older docs)")
	fs.group(groupTarget, "dialect", "secret", "bare-hex-signature")
}

// registerSeed registers --seed and --clock.
func (f *simFlags) registerSeed(fs *flagSet) {
	fs.Var(&f.seed, "seed", "run seed: the same seed (and --clock) plays the same calls (default: a fresh seed, printed)")
	fs.StringVar(&f.clock, "clock", "", clockHelp)
	fs.group(groupShape, "seed", "clock")
}

// clockHelp is the help of --clock.
const clockHelp = "the time calls are placed at, RFC 3339, e.g. 2026-01-05T09:00:00Z: dates and timestamps are relative to it, " +
	"so the same --seed and --clock send the same payloads byte for byte (default: now, each call dated when it is sent)"

// seedAndClock returns the run seed (drawn when --seed is not set) and the
// fixed clock (zero: now).
func seedAndClock(seed seedFlag, clock string) (int64, time.Time, error) {
	c, err := kit.ParseClock(clock)
	if err != nil {
		return 0, c, usagef("--clock %q: use an RFC 3339 time such as 2026-01-05T09:00:00Z, or leave it out for now", clock)
	}
	if seed.set {
		return seed.v, c, nil
	}
	n, err := kit.DrawSeed()
	return n, c, err
}

// registerDeadlines registers the flags that bound each reply.
func (f *simFlags) registerDeadlines(fs *flagSet) {
	fs.Float64Var(&f.timeoutScale, "timeout-scale", 1, "multiply every deadline (0.1 shrinks 5 s to 500 ms)")
	fs.DurationVar(&f.ackDeadline, "ack-deadline", 5*time.Second, "deadline for status-update, end-of-call-report and async tool-calls (undocumented by the platform)")
	fs.Int64Var(&f.maxReply, "max-reply-size", 1<<20, "bytes of a reply the simulator reads")
	fs.group(groupDeadlines, "timeout-scale", "ack-deadline", "max-reply-size")
}

// registerPolicies registers the flags that steer a call after a failed
// reply.
func (f *simFlags) registerPolicies(fs *flagSet) {
	fs.StringVar(&f.onAssistantFailure, "on-assistant-failure", "", "after a failed assistant-request: default-agent or end-call (default: the dialect's documented behaviour)")
	fs.StringVar(&f.afterReject, "after-reject", "report", "events after an {\"error\"} assistant reply: report (status-update ended + end-of-call-report), status, none")
	fs.StringVar(&f.onToolFailure, "on-tool-failure", "continue", "after a failed sync tool call: continue (the assistant apologises) or end-call (ended-with-error)")
	fs.StringVar(&f.defaultAssistant, "default-assistant", "", "JSON file with the saved/default agent's configuration (used for {} replies and failures)")
	fs.group(groupDeadlines, "on-assistant-failure", "after-reject", "on-tool-failure", "default-assistant")
}

// options turns the flags into kit options.
func (f *simFlags) options(env environment) (kit.Options, error) {
	o := kit.Options{
		Target: f.target, Dialect: f.dialect, Secret: f.secret, BareHex: f.bareHex,
		TimeoutScale: f.timeoutScale, AckDeadline: f.ackDeadline, MaxBody: f.maxReply,
		Policy: sim.Policy{AssistantFailure: sim.AssistantFailurePolicy(f.onAssistantFailure), AfterReject: sim.RejectPolicy(f.afterReject),
			ToolFailure: sim.ToolFailurePolicy(f.onToolFailure)},
	}
	var err error
	if o.Seed, o.Clock, err = seedAndClock(f.seed, f.clock); err != nil {
		return o, err
	}
	if o.Secret == "" && env.getenv != nil {
		o.Secret = env.getenv("FLIREO_WEBHOOK_SECRET")
	}
	if f.timeoutScale <= 0 {
		return o, usagef("--timeout-scale must be greater than 0, e.g. 0.1")
	}
	if f.maxReply <= 0 {
		return o, usagef("--max-reply-size must be a positive number of bytes")
	}
	d, err := dialect.ByName(f.dialect)
	if err != nil {
		return o, usageError{err}
	}
	if d.Plain() && o.Secret != "" {
		// A server configured with a secret refuses every unsigned webhook:
		// the unsigned dialect is never sent to it.
		return o, usagef("--dialect %s with --secret (or FLIREO_WEBHOOK_SECRET): the %s dialect is unsigned (G1 documents no signature headers), "+
			"so it is never sent to a server configured with a secret; run it without the secret, or choose a signed dialect: %s",
			d.Name(), d.Name(), signedDialects())
	}
	if err := o.Policy.Validate(); err != nil {
		return o, usageError{err}
	}
	if f.defaultAssistant != "" {
		b, err := os.ReadFile(f.defaultAssistant)
		if err != nil {
			return o, usagef("--default-assistant: %v", err)
		}
		o.DefaultAssistant = b
	}
	return o, nil
}

// newKit wires the simulator; configuration problems are usage errors.
func newKit(o kit.Options) (*kit.Kit, error) {
	k, err := kit.New(o)
	if err != nil {
		return nil, usageError{err}
	}
	return k, nil
}

func parseIntent(s string) (sim.Intent, error) {
	if s == "" {
		return "", nil
	}
	i, ok := sim.ParseIntent(s)
	if !ok {
		return "", usagef("unknown intent %q%s: use one of %s", s, sim.IntentHint(s), strings.Join(sim.IntentNames(), ", "))
	}
	return i, nil
}

func parseLang(s string) error {
	if s != "" && s != "nl" && s != "en" {
		return usagef("--lang %q: use nl or en", s)
	}
	return nil
}

// validTarget checks a webhook URL and says what to do when it is unusable.
func validTarget(raw string) error {
	if raw == "" {
		return fmt.Errorf("no target: give the webhook URL of the server to test, e.g. --target http://127.0.0.1:8080/webhook")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("target %q is not an http(s) URL: use e.g. --target http://127.0.0.1:8080/webhook", raw)
	}
	return nil
}
