package load

import (
	"context"
	"sort"
	"sync"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// call plays one call and classifies it.
func (r *Runner) call(ctx context.Context, n int, play PlayFunc, wg *sync.WaitGroup) {
	defer wg.Done()
	defer r.live.Add(-1)
	intent := r.cfg.Mix.Pick(r.cfg.Seed, n)
	// A context of the call's own: each delivery's deadline context then
	// registers with it rather than with the run's, which every live call
	// shares (a contended lock at thousands of deliveries a second).
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	began := time.Now()
	res, err := play(ctx, n, intent)
	wall := time.Since(began)
	outcome := callOutcome(res, err)
	r.countOutcome(outcome)
	if res != nil {
		r.noteSlow(n, intent, res, outcome, wall, err)
	}
}

// callOutcome classifies a played call: completed, failed, rejected or
// interrupted.
func callOutcome(res *sim.CallResult, err error) string {
	switch {
	case err != nil || res == nil:
		return "failed"
	case res.Aborted != nil:
		return "interrupted"
	case res.Reply == sim.ReplyReject:
		return "rejected"
	case callFailed(res):
		return "failed"
	}
	return "completed"
}

// countOutcome counts one ended call by its outcome.
func (r *Runner) countOutcome(outcome string) {
	switch outcome {
	case "completed":
		r.completed.Add(1)
	case "failed":
		r.failed.Add(1)
	case "rejected":
		r.rejected.Add(1)
	case "interrupted":
		r.interrupted.Add(1)
	}
}

// callFailed: a failed must check or a delivery without a usable reply.
func callFailed(res *sim.CallResult) bool {
	for _, x := range res.Exchanges {
		if x.Failed(sim.Must) {
			return true
		}
		if f := x.Response.Failure; f != nil || x.Response.Status < 200 || x.Response.Status > 299 {
			return true
		}
	}
	return false
}

// noteSlow keeps the calls with the slowest replies.
func (r *Runner) noteSlow(n int, intent sim.Intent, res *sim.CallResult, outcome string, wall time.Duration, err error) {
	var worst *sim.Exchange
	for _, x := range res.Exchanges {
		if worst == nil || x.Response.Latency > worst.Response.Latency {
			worst = x
		}
	}
	if worst == nil {
		return
	}
	lat := ms(worst.Response.Latency)
	r.slowMu.Lock()
	defer r.slowMu.Unlock()
	if len(r.slowest) >= maxSlowest && lat <= r.slowest[len(r.slowest)-1].LatencyMS {
		return
	}
	s := SlowCall{Number: n, ID: res.Plan.ID, Intent: string(res.Plan.Intent), Outcome: outcome, Exchanges: len(res.Exchanges),
		Event: string(worst.Event), LatencyMS: lat, Status: worst.Response.Status, WallS: wall.Seconds()}
	if f := worst.Response.Failure; f != nil {
		s.Failure = string(f.Kind) + ": " + f.Detail
	}
	if err != nil {
		s.Failure = err.Error()
	}
	s.FailedChecks = failedChecks(res)
	if r.cfg.Replay != nil {
		s.Replay = r.cfg.Replay(n, intent)
	}
	r.slowest = append(r.slowest, s)
	sortSlowest(r.slowest)
	if len(r.slowest) > maxSlowest {
		r.slowest = r.slowest[:maxSlowest]
	}
}

// failedChecks are the IDs of the checks that failed in the call, sorted.
func failedChecks(res *sim.CallResult) []string {
	var ids []string
	seen := map[string]bool{}
	for _, x := range res.Exchanges {
		for _, f := range x.Findings {
			if f.Verdict == sim.Fail && !seen[f.Check] {
				seen[f.Check] = true
				ids = append(ids, f.Check)
			}
		}
	}
	sort.Strings(ids)
	return ids
}
