package scenarios

import (
	"context"
	"fmt"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// robustnessSteps are the steps of the "robustness" topic.
var robustnessSteps = []def{
	step("robustness", "the end-of-call-report is delivered again", "When the end-of-call-report is delivered again",
		`^the end-of-call-report is delivered again$`, do((*state).redeliverReport)),
	step("robustness", "the end-of-call-report arrives before the status-update ended", "When the end-of-call-report arrives before the status-update ended",
		`^the end-of-call-report arrives before the status-update ended$`, do((*state).reportFirst)),
	step("robustness", "the platform sends the EVENT with fields the documentation does not list", "When the platform sends the status-update with fields the documentation does not list",
		`^the platform sends the (assistant-request|status-update|tool-calls|end-of-call-report) with fields the documentation does not list$`, do1((*state).extraFields)),
	step("robustness", "N calls arrive at the same time", "When 20 calls arrive at the same time", `^(\d+) calls arrive at the same time$`, do1((*state).playConcurrent)),
	step("robustness", "all N calls are handled (every webhook answered with a 2xx in time)", "Then all 20 calls are handled",
		`^all (\d+) calls are handled$`, do1((*state).allHandled)),
}

// lastReport is the last end-of-call-report delivery of the call.
func (st *state) lastReport() (*sim.Exchange, error) {
	return st.lastOf(sim.EndOfCallReport, func() error {
		// A call that an earlier failure ended sends none: blame that.
		return st.blame("no end-of-call-report was sent yet: end the call first")
	})
}

func (st *state) redeliverReport(ctx context.Context) error {
	x, err := st.lastReport()
	if err != nil {
		return err
	}
	st.last = []*sim.Exchange{st.sess.Redeliver(ctx, x, sim.VariantRedelivery)}
	return nil
}

func (st *state) reportFirst(ctx context.Context) error {
	s, err := st.ready(ctx)
	if err != nil {
		return err
	}
	if _, err := st.converse(ctx, s); err != nil {
		return err
	}
	st.wrapUp(s)
	o := sim.SendOptions{Variant: sim.VariantOutOfOrder}
	xs, err := s.SendReport(ctx, o)
	st.last = xs
	if err != nil {
		return err
	}
	ys, err := s.End(ctx, sim.StatusEnded, st.plan.EndReason, "", o)
	st.last = append(st.last, ys...)
	return err
}

func (st *state) allHandled(_ context.Context, n int) error {
	if st.concurrent != n {
		return fmt.Errorf("%d calls were played at the same time, not %d", st.concurrent, n)
	}
	return st.expect(expectation{xs: st.extra, what: "the simultaneous calls", ids: answered})
}
