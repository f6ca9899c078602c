// Package kit builds a ready-to-play engine, call source and HTTP client
// from user options, so that every command, the scenarios and the load runner
// wire the simulator the same way.
package kit

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
)

// Options are what a user chooses on the command line.
type Options struct {
	Target       string
	Dialect      string // "" = flireo
	Secret       string
	BareHex      bool
	Seed         int64
	Clock        time.Time     // fixed time calls are placed at (same seed and clock, same payloads); zero: now
	TimeoutScale float64       // 0 = 1
	AckDeadline  time.Duration // 0 = 5 s (before scaling)
	ToolDeadline time.Duration // sync tool-calls; 0 = 10 s (before scaling)
	Pace         float64       // see ParsePace
	Policy       sim.Policy
	// DefaultAssistant is the saved/default agent as an assistant object in
	// any documented spelling (what --default-assistant FILE holds); nil: a
	// greeting with no tools.
	DefaultAssistant json.RawMessage
	MaxBody          int64 // reply read cap; 0 = 1 MiB
	MaxConns         int
	Observe          func(*sim.Exchange)
}

// Kit is a wired simulator.
type Kit struct {
	Engine  *sim.Engine
	Calls   *fake.Factory
	Client  *delivery.Client
	Dialect sim.Dialect
	Options Options
}

// New wires a simulator; errors are configuration errors in words.
func New(o Options) (*Kit, error) {
	if err := CheckTarget(o.Target); err != nil {
		return nil, err
	}
	name := o.Dialect
	if name == "" {
		name = "flireo"
	}
	d, err := dialect.ByName(name)
	if err != nil {
		return nil, err
	}
	if err := o.Policy.Validate(); err != nil {
		return nil, err
	}
	if o.TimeoutScale < 0 {
		return nil, sim.BadOption("TimeoutScale", strconv.FormatFloat(o.TimeoutScale, 'g', -1, 64), "must be positive, e.g. 0.1 to shrink every deadline tenfold")
	}
	calls, err := fake.New(o.Seed)
	if err != nil {
		return nil, err
	}
	if !o.Clock.IsZero() {
		fixed := o.Clock.UTC()
		calls = calls.WithClock(func() time.Time { return fixed })
	}
	deadlines := sim.DefaultDeadlines()
	if o.AckDeadline > 0 {
		deadlines.Ack = o.AckDeadline
	}
	if o.ToolDeadline > 0 {
		deadlines.ToolCalls = o.ToolDeadline
	}
	checks, err := check.New()
	if err != nil {
		return nil, err
	}
	client := delivery.New(delivery.Options{Secret: o.Secret, BareHex: o.BareHex, MaxBody: o.MaxBody, MaxConns: o.MaxConns})
	k := &Kit{Calls: calls, Client: client, Dialect: d, Options: o}
	k.Engine = &sim.Engine{
		Dialect: d, Sender: client, Checker: checks, Target: o.Target,
		Deadlines: deadlines.Scale(o.TimeoutScale), Pace: o.Pace, Policy: o.Policy, Observe: o.Observe,
		FixedClock: !o.Clock.IsZero(),
	}
	if len(o.DefaultAssistant) > 0 {
		def, err := ParseAssistant(d, o.DefaultAssistant)
		if err != nil {
			return nil, err
		}
		k.Engine.Default = def
	}
	return k, nil
}

// ParseAssistant reads an assistant object (any documented spelling) as the
// default agent.
func ParseAssistant(d sim.Dialect, raw json.RawMessage) (*sim.AssistantConfig, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(raw, &probe); err != nil {
		return nil, fmt.Errorf("default assistant is not a JSON object: %v", err)
	}
	body := raw
	if _, wrapped := probe["assistant"]; !wrapped {
		body = append(append([]byte(`{"assistant":`), raw...), '}')
	}
	reply, cfg := d.ParseAssistantReply(body, sim.DefaultAssistant("nl"))
	if cfg == nil || reply.Kind == sim.ReplyFailed {
		return nil, fmt.Errorf("default assistant: %s", strings.Join(reply.Problems, "; "))
	}
	return cfg, nil
}

// Close releases the HTTP client's idle connections.
func (k *Kit) Close() { k.Client.Close() }

// Play plays a planned call (from k.Calls). With a secret, probe adds the
// signature probes (spec §3) on the call's in-progress status-update.
// The call's options o are the engine's for this call (its observer, for
// one).
func (k *Kit) Play(ctx context.Context, plan *sim.CallPlan, gen sim.Generator, probe bool, o sim.CallOptions) (*sim.CallResult, error) {
	s := k.Engine.NewSession(plan, gen, o)
	_, err := s.Finish(ctx, sim.SendOptions{})
	if err != nil && ctx.Err() != nil {
		res := s.Result()
		res.Aborted = ctx.Err()
		return res, nil
	}
	if err != nil || !probe || k.Options.Secret == "" || k.Dialect.Plain() {
		return s.Result(), err
	}
	if base := ProbeBase(s.Result()); base != nil {
		for _, p := range Probes() {
			if ctx.Err() != nil {
				break
			}
			s.Probe(ctx, base, p)
		}
	}
	return s.Result(), nil
}

// Probes lists the signature probes in the order they are sent.
func Probes() []sim.Probe {
	return []sim.Probe{sim.ProbeUnsigned, sim.ProbeTampered, sim.ProbeWrongSecret, sim.ProbeStale, sim.ProbeFuture, sim.ProbeReformatted}
}

// ProbeBase picks the exchange the probes re-send: the first status-update,
// whose reply the platform ignores.
func ProbeBase(res *sim.CallResult) *sim.Exchange {
	for _, x := range res.Exchanges {
		if x.Event == sim.StatusUpdate && x.Request.Probe == "" {
			return x
		}
	}
	return nil
}

// ParsePace reads a pace: instant (0), realtime (1) or Nx (N times faster).
func ParsePace(s string) (float64, error) {
	switch s {
	case "", "instant":
		return 0, nil
	case "realtime", "1x":
		return 1, nil
	}
	if n, ok := strings.CutSuffix(s, "x"); ok {
		f, err := strconv.ParseFloat(n, 64)
		if err == nil && f > 0 {
			return f, nil
		}
	}
	return 0, sim.BadOption("Pace", s, "use instant, realtime or a speed-up such as 10x")
}
