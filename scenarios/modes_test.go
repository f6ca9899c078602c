package scenarios

import (
	"context"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// modeCase is what the built-in suite must find against one misbehaviour
// mode of the reference integrator.
type modeCase struct {
	failed  []string // exactly these checks fail
	verdict Status   // pass: only should checks fail
	// Timing: a slow mode keeps the real deadline it breaks and replies far
	// past it (delay); every reply that must pass keeps a deadline far above
	// a loopback reply's latency on a busy machine.
	scale       float64
	delay       time.Duration
	concurrency int
	// ackDeadline is the acknowledgement deadline (before scaling) of a mode
	// that slows acknowledgements, far below its delay. Every other mode
	// gives them a roomy 20 s, far above a loopback reply even of a 1 MiB
	// report under the race detector. toolDeadline likewise shortens the
	// sync tool deadline of a mode whose tools answer far past it, so that
	// its many tool calls wait less.
	ackDeadline, toolDeadline time.Duration
}

var modeCases = map[string]modeCase{
	"slow-assistant":          {failed: []string{check.AssistantDeadline}, verdict: "fail", scale: 1, delay: 9 * time.Second, concurrency: 64},
	"slow-tool":               {failed: []string{check.AckDeadline, check.ToolDeadline}, verdict: "fail", scale: 1, delay: 16 * time.Second, concurrency: 64, ackDeadline: 3 * time.Second, toolDeadline: 4 * time.Second},
	"slow-ack":                {failed: []string{check.AckDeadline}, verdict: "pass", scale: 1, delay: 9 * time.Second, concurrency: 64, ackDeadline: 3 * time.Second},
	"hang":                    {failed: []string{check.AckDeadline, check.AssistantDeadline, check.ReportRedelivery, check.SignatureEnforced, check.TextPreserved, check.ToolDeadline}, verdict: "fail", scale: 0.05, concurrency: 64, ackDeadline: 5 * time.Second},
	"wrong-tool-call-id":      {failed: []string{check.ToolResultsKnown, check.ToolResultsOnce}, verdict: "fail"},
	"missing-tool-result":     {failed: []string{check.ToolResultsOnce}, verdict: "fail"},
	"bad-json":                {failed: []string{check.ReplyJSON}, verdict: "fail"},
	"html-reply":              {failed: []string{check.ReplyJSON}, verdict: "fail"},
	"huge-reply":              {failed: []string{check.ReplySize}, verdict: "fail", concurrency: 8},
	"cut-reply":               {failed: []string{check.ReplyComplete}, verdict: "fail"},
	"latin1-reply":            {failed: []string{check.ReplyUTF8}, verdict: "fail"},
	"eocr-500":                {failed: []string{check.ConcurrentCalls, check.HTTP2xx, check.LargeReport, check.ReportBeforeEnded, check.ReportRedelivery, check.TextPreserved, check.UnknownFields, check.WebCall}, verdict: "fail"},
	"accept-any-signature":    {failed: []string{check.SignatureEnforced}, verdict: "fail"},
	"unknown-keys":            {failed: []string{check.UnknownReplyKeys}, verdict: "pass"},
	"bad-assistant-shape":     {failed: []string{check.AssistantShape}, verdict: "fail"},
	"bad-tool-shape":          {failed: []string{check.ToolShape}, verdict: "fail"},
	"reserialized-signature":  {failed: []string{check.SignatureRawBody}, verdict: "fail"},
	"reject-duplicate-report": {failed: []string{check.ReportRedelivery}, verdict: "fail"},
	"report-needs-ended":      {failed: []string{check.ReportBeforeEnded}, verdict: "fail"},
	"strict-fields":           {failed: []string{check.UnknownFields}, verdict: "fail"},
	"require-caller-number":   {failed: []string{check.WebCall}, verdict: "fail"},
	"small-body-limit":        {failed: []string{check.LargeReport}, verdict: "pass"},
	"mangle-text":             {failed: []string{check.TextPreserved}, verdict: "pass"},
	"one-at-a-time":           {failed: []string{check.ConcurrentCalls}, verdict: "fail", delay: 5 * time.Millisecond, concurrency: 1},
}

// roomyScale multiplies the deadlines of the modes that break none: a
// 5 s assistant-request deadline becomes 40 s.
const roomyScale = 8

// TestEveryModeFailsExactlyItsChecks runs the whole built-in suite against
// every misbehaviour mode, in parallel: the failed checks are exactly the
// expected ones, and together the modes make every check of the catalogue
// fail at least once.
func TestEveryModeFailsExactlyItsChecks(t *testing.T) {
	t.Parallel() // waits on deadlines, side by side with the other long suites
	seen := map[string]bool{}
	for _, m := range integrator.Modes() {
		c, ok := modeCases[m.Name]
		if !assert.True(t, ok, "mode %s has an entry in the table", m.Name) {
			continue
		}
		for _, id := range c.failed {
			seen[id] = true
		}
	}
	for _, id := range check.IDs() {
		assert.True(t, seen[id], "some mode makes %s fail", id)
	}
	// The suites run at the same time in goroutines of their own: the modes
	// mostly wait on deadlines, and t.Parallel would run only GOMAXPROCS of
	// them at once.
	type outcome struct {
		res  *Result
		err  error
		took time.Duration
	}
	out := make(map[string]*outcome)
	var wg sync.WaitGroup
	// The modes that only work (no slow replies) take turns, two at a time,
	// so that the replies that must be quick stay far inside their deadlines.
	busy := make(chan struct{}, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	for _, m := range integrator.Modes() {
		c, ok := modeCases[m.Name]
		if !ok {
			continue
		}
		target := reference(t, integrator.Options{Secret: testSecret, Misbehave: m.Name, Delay: c.delay})
		scale := c.scale
		if scale == 0 {
			// The mode breaks no deadline: every deadline gets room far above
			// a loopback reply under the race detector on a busy machine, so
			// only the mode's own fault can fail a check.
			scale = roomyScale
		}
		o := Config{Target: target, Secret: testSecret, Seed: 1, TimeoutScale: scale, AckDeadline: c.ackDeadline, ToolDeadline: c.toolDeadline}
		if o.AckDeadline == 0 {
			o.AckDeadline = 20 * time.Second
		}
		lib, err := New(probing(o))
		require.NoError(t, err)
		t.Cleanup(lib.Close)
		conc := c.concurrency
		if conc == 0 {
			conc = 4
		}
		oc := &outcome{}
		out[m.Name] = oc
		wg.Add(1)
		waits := c.scale > 0 || c.delay > 0 // the mode's time goes into waiting, not work
		go func() {
			defer wg.Done()
			if !waits {
				busy <- struct{}{}
				defer func() { <-busy }()
			}
			began := time.Now()
			oc.res, oc.err = lib.Run(ctx, RunOptions{Concurrency: conc})
			oc.took = time.Since(began)
		}()
	}
	wg.Wait()
	for name, oc := range out {
		c := modeCases[name]
		t.Run(name, func(t *testing.T) {
			require.NoError(t, oc.err)
			res := oc.res
			got := failedChecks(res)
			sort.Strings(got)
			want := append([]string(nil), c.failed...)
			sort.Strings(want)
			if !assert.Equal(t, want, got, "failed checks against %s", name) {
				for _, cr := range res.Checks {
					if cr.Status == "fail" {
						t.Logf("%s: %s (%s; %d of %d)", cr.ID, cr.Detail, cr.Scenario, cr.Failures, cr.Evaluations)
					}
				}
			}
			assert.Equal(t, c.verdict, res.Verdict, res.Reason)
			assert.Zero(t, res.Score.ScenarioFailures, "every failed scenario is explained by a failed check")
			for _, s := range res.Scenarios {
				assert.False(t, s.Unnamed, "%s: %s", s.Name, s.Error)
			}
			for _, cr := range res.Checks {
				if cr.Status == "fail" {
					assert.NotEmpty(t, cr.Detail, cr.ID)
					assert.NotEmpty(t, cr.Scenario, cr.ID)
					assert.NotEmpty(t, cr.Reproduce, cr.ID)
				}
			}
			t.Logf("%s: %s in %s", name, res.Reason, oc.took.Round(time.Millisecond))
		})
	}
}
