package scenarios

import (
	"encoding/json"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// Config configures a Library.
type Config struct {
	// Target is the URL of the webhook server under test.
	Target string
	// Dialect is the dialect every scenario runs in ("" = flireo); a step
	// "the platform speaks the … dialect" overrides it on purpose.
	Dialect string
	// Dialects, when set, runs the suite once per dialect, in this order,
	// with one combined result; Dialect is then ignored. An unsigned
	// dialect is skipped with a reason when a secret is set.
	Dialects []string
	// Secret signs the webhooks ("" = unsigned: the signature scenarios
	// are skipped); BareHex sends the signature without its "sha256=".
	Secret  string
	BareHex bool
	// Seed makes the calls reproducible: same seed (and Clock), same
	// payloads.
	Seed int64
	// Clock fixes the time calls are placed at; zero: now.
	Clock time.Time
	// TimeoutScale multiplies every deadline (0 = 1); AckDeadline and
	// ToolDeadline replace the documented ones before scaling (0 = 5 s and
	// 10 s).
	TimeoutScale float64
	AckDeadline  time.Duration
	ToolDeadline time.Duration
	// Pace is how fast calls play: 0 instant, 1 real time, N times faster
	// (the platform API steps play at five times real time when it is 0).
	Pace float64
	// Policy is what the platform does where its documentation is silent.
	Policy sim.Policy
	// DefaultAssistant is the saved/default agent as an assistant object in
	// any documented spelling; nil: a greeting with no tools.
	DefaultAssistant json.RawMessage
	// MaxBody caps what is read of a reply (0 = 1 MiB); MaxConns bounds
	// the connections to the target (0 = no bound).
	MaxBody  int64
	MaxConns int
	// ProbeAPI says that the target serves GET {base}/calls/{call_id} with
	// what it stored of a call, like the reference integrator: scenarios
	// tagged @probe-api run only then (they are skipped otherwise).
	ProbeAPI bool
	// Baseline lists known failures: reported, but they do not fail the
	// verdict.
	Baseline *Baseline
}

// kitOptions are the simulator's options for the scenarios of a dialect:
// the only place a Config becomes kit.Options. The library observes every
// exchange itself, through its scenarios' results.
func (c Config) kitOptions(dialectName string) kit.Options {
	return kit.Options{
		Target:           c.Target,
		Dialect:          dialectName,
		Secret:           c.Secret,
		BareHex:          c.BareHex,
		Seed:             c.Seed,
		Clock:            c.Clock,
		TimeoutScale:     c.TimeoutScale,
		AckDeadline:      c.AckDeadline,
		ToolDeadline:     c.ToolDeadline,
		Pace:             c.Pace,
		Policy:           c.Policy,
		DefaultAssistant: c.DefaultAssistant,
		MaxBody:          c.MaxBody,
		MaxConns:         c.MaxConns,
	}
}
