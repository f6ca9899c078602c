package scenarios

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// expectation asks that checks passed on exchanges.
type expectation struct {
	xs  []*sim.Exchange
	ids func(x *sim.Exchange) []string // the checks asked of x
	// what names the exchanges for messages ("the assistant-request").
	what string
}

// expect fails when a check it asks failed on an exchange, or when none of
// the asked checks could judge any exchange (then the failed checks that
// prevented it are reported, or the step fails unattributed).
func (st *state) expect(e expectation) error {
	if len(e.xs) == 0 {
		return fmt.Errorf("nothing was sent to judge %s: send it first", e.what)
	}
	var failed, why []string
	judged := false
	for _, x := range e.xs {
		ids := e.ids(x)
		for _, f := range x.Findings {
			if !slices.Contains(ids, f.Check) {
				continue
			}
			judged = true
			if f.Verdict == sim.Fail {
				if !slices.Contains(failed, f.Check) {
					failed = append(failed, f.Check)
				}
				why = append(why, f.Check+": "+f.Detail)
			}
		}
	}
	if len(failed) > 0 {
		return &checkFailure{ids: failed, msg: strings.Join(why, "; ")}
	}
	if judged {
		return nil
	}
	// Nothing asked could judge: blame the checks that failed so far (a
	// timeout, a call that ended early), if any did.
	return st.blame(fmt.Sprintf("%s could not be judged: no reply to judge (%s)", e.what, describe(e.xs[len(e.xs)-1])))
}

// describe says in a few words what happened to an exchange.
func describe(x *sim.Exchange) string {
	r := x.Response
	if r.Failure != nil {
		return string(r.Failure.Kind) + ": " + r.Failure.Detail
	}
	return fmt.Sprintf("HTTP %d", r.Status)
}

// within fails when an exchange took longer than limit (scaled like every
// deadline).
func (st *state) within(xs []*sim.Exchange, seconds float64) error {
	limit := time.Duration(seconds * float64(time.Second) * st.l.cfg.TimeoutScale)
	for _, x := range xs {
		if x.Response.Latency > limit {
			return fmt.Errorf("%s took %s, more than %s", x.Event, x.Response.Latency.Round(time.Millisecond), limit)
		}
	}
	return nil
}

// answered asks the status and the deadline checks of each exchange.
func answered(x *sim.Exchange) []string { return []string{statusCheck(x), deadlineCheck(x)} }

// ofEvent returns the non-probe exchanges of the event in xs.
func ofEvent(xs []*sim.Exchange, ev sim.EventType) []*sim.Exchange {
	var out []*sim.Exchange
	for _, x := range xs {
		if x.Event == ev && x.Request.Probe == sim.ProbeNone {
			out = append(out, x)
		}
	}
	return out
}

// lastAction returns the exchanges of the last action, or an error that
// says to act first.
func (st *state) lastAction() ([]*sim.Exchange, error) {
	if len(st.last) == 0 {
		return nil, errors.New("no webhook was sent yet: a When step must send one first")
	}
	return st.last, nil
}

// callExchanges returns the exchanges of the scenario's call.
func (st *state) callExchanges() []*sim.Exchange {
	if st.sess == nil {
		return nil
	}
	return st.sess.Exchanges()
}

// plain drops probes.
func plain(xs []*sim.Exchange) []*sim.Exchange {
	var out []*sim.Exchange
	for _, x := range xs {
		if x.Request.Probe == sim.ProbeNone {
			out = append(out, x)
		}
	}
	return out
}
