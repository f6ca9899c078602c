package scenarios

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/flireo-sim/flireo-sim/internal/suggest"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
)

// verdictSteps are the steps of the "verdicts" topic: Then steps that judge
// the webhooks sent so far.
var verdictSteps = []def{
	step("verdicts", "my server answers within N seconds (the last webhook sent)", "Then my server answers within 10 seconds",
		`^my server answers within (\d+(?:\.\d+)?) seconds?$`, do1((*state).answersWithin)),
	step("verdicts", "my server accepts it with a 2xx (the last webhook sent)", "Then my server accepts it with a 2xx",
		`^my server accepts it with a 2xx$`, do((*state).accepts)),
	step("verdicts", "the EVENT is acknowledged with a 2xx (every delivery of it)", "Then the end-of-call-report is acknowledged with a 2xx",
		`^the (assistant-request|tool-calls|status-update|end-of-call-report) is acknowledged with a 2xx$`, do1((*state).eventAcknowledged)),
	step("verdicts", "the EVENT is acknowledged within N seconds", "Then the status-update is acknowledged within 5 seconds",
		`^the (assistant-request|tool-calls|status-update|end-of-call-report) is acknowledged within (\d+(?:\.\d+)?) seconds?$`, do2((*state).eventWithin)),
	step("verdicts", "every webhook is answered with a 2xx in time", "Then every webhook is answered with a 2xx in time",
		`^every webhook is answered with a 2xx in time$`, do((*state).allAnswered)),
	step("verdicts", "my server's replies use only documented keys", "Then my server's replies use only documented keys",
		`^my server's replies use only documented keys$`, do((*state).documentedKeys)),
	step("verdicts", `the check "ID" passes (on every webhook it applies to)`, `Then the check "tool-results-once" passes`,
		`^the check "([^"]*)" passes$`, do1((*state).checkPasses)),
	step("verdicts", "every check passes", "Then every check passes", `^every check passes$`, do((*state).everyCheck)),
}

// statusOnly judges an exchange's HTTP status.
func statusOnly(x *sim.Exchange) []string { return []string{statusCheck(x)} }

func (st *state) answersWithin(_ context.Context, secs float64) error {
	xs, err := st.lastAction()
	if err != nil {
		return err
	}
	if err := st.expect(expectation{xs: xs, what: "the last webhook", ids: answered}); err != nil {
		return err
	}
	return st.within(xs, secs)
}

func (st *state) accepts(context.Context) error {
	xs, err := st.lastAction()
	if err != nil {
		return err
	}
	return st.expect(expectation{xs: xs, what: "the last webhook", ids: statusOnly})
}

func (st *state) deliveries(event string) ([]*sim.Exchange, error) {
	xs := ofEvent(st.exchanges(), sim.EventType(event))
	if len(xs) == 0 {
		return nil, st.blame(fmt.Sprintf("no %s was sent in this scenario", event))
	}
	return xs, nil
}

func (st *state) eventAcknowledged(_ context.Context, event string) error {
	xs, err := st.deliveries(event)
	if err != nil {
		return err
	}
	return st.expect(expectation{xs: xs, what: "the " + event, ids: statusOnly})
}

func (st *state) eventWithin(_ context.Context, event string, secs float64) error {
	xs, err := st.deliveries(event)
	if err != nil {
		return err
	}
	if err := st.expect(expectation{xs: xs, what: "the " + event, ids: answered}); err != nil {
		return err
	}
	return st.within(xs, secs)
}

func (st *state) allAnswered(context.Context) error {
	return st.expect(expectation{xs: plain(st.exchanges()), what: "the webhooks of this scenario", ids: answered})
}

// readReplies are the exchanges whose reply the platform reads.
func readReplies(xs []*sim.Exchange) []*sim.Exchange {
	var out []*sim.Exchange
	for _, x := range xs {
		if x.ReplyUsed {
			out = append(out, x)
		}
	}
	return out
}

func (st *state) documentedKeys(context.Context) error {
	xs := readReplies(plain(st.exchanges()))
	if len(xs) == 0 {
		return fmt.Errorf("no webhook whose reply the platform reads (assistant-request, sync tool-calls) was sent")
	}
	return st.expect(expectation{xs: xs, what: "the replies", ids: func(*sim.Exchange) []string { return []string{check.UnknownReplyKeys} }})
}

// applies reports whether the check id judged any of xs.
func applies(xs []*sim.Exchange, id string) bool {
	for _, x := range xs {
		if slices.ContainsFunc(x.Findings, func(f sim.Finding) bool { return f.Check == id }) {
			return true
		}
	}
	return false
}

func (st *state) checkPasses(_ context.Context, id string) error {
	if _, ok := check.Find(id); !ok {
		return fmt.Errorf("unknown check %q%s: known checks are %s", id, suggest.Hint(id, check.IDs()), strings.Join(check.IDs(), ", "))
	}
	if !applies(st.exchanges(), id) {
		return fmt.Errorf("the check %s did not apply to any webhook of this scenario", id)
	}
	return st.expect(expectation{xs: st.exchanges(), what: "the webhooks of this scenario", ids: func(*sim.Exchange) []string { return []string{id} }})
}

// judgedBy are the checks that judged x, each once, in order.
func judgedBy(x *sim.Exchange) []string {
	ids := make([]string, 0, len(x.Findings))
	for _, f := range x.Findings {
		if !slices.Contains(ids, f.Check) {
			ids = append(ids, f.Check)
		}
	}
	return ids
}

func (st *state) everyCheck(context.Context) error {
	return st.expect(expectation{xs: st.exchanges(), what: "the webhooks of this scenario", ids: judgedBy})
}
