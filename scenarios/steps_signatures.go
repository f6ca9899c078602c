package scenarios

import (
	"context"
	"fmt"
	"strings"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// signatureSteps are the steps of the "signatures" topic.
var signatureSteps = []def{
	step("signatures", "webhooks are signed with the secret (skips the scenario without a secret)", "Given webhooks are signed with the secret",
		`^webhooks are signed with the secret$`, do((*state).signed)),
	step("signatures", "the platform re-sends it "+strings.Join(probePhraseList(), " | "), "When the platform re-sends it with a tampered body",
		`^the platform re-sends it (.+)$`, do1((*state).resend)),
	step("signatures", "my server refuses it with 401 or 403", "Then my server refuses it with 401 or 403", `^my server refuses it with 401 or 403$`,
		do((*state).refused)),
}

// unsigned says why the scenario's deliveries carry no signature, or "".
func (st *state) unsigned() string {
	if st.l.cfg.Secret == "" {
		return "no webhook secret: give --secret (or FLIREO_WEBHOOK_SECRET) to test signatures"
	}
	k, err := st.l.kit(st.dialect)
	if err == nil && k.Dialect.Plain() {
		return fmt.Sprintf("the %s dialect sends no signatures (G1 documents none)", st.dialect)
	}
	return ""
}

func (st *state) signed(context.Context) error {
	if why := st.unsigned(); why != "" {
		return skipWith("%s", why)
	}
	return nil
}

var probePhrases = map[string]sim.Probe{
	"without a signature":               sim.ProbeUnsigned,
	"with a tampered body":              sim.ProbeTampered,
	"signed with a wrong secret":        sim.ProbeWrongSecret,
	"with a timestamp 10 minutes old":   sim.ProbeStale,
	"with a timestamp 10 minutes ahead": sim.ProbeFuture,
	"correctly signed as indented JSON": sim.ProbeReformatted,
}

func probePhraseList() []string {
	var out []string
	for _, p := range kit.Probes() {
		for k, v := range probePhrases {
			if v == p {
				out = append(out, k)
			}
		}
	}
	return out
}

func (st *state) resend(ctx context.Context, how string) error {
	p, ok := probePhrases[how]
	if !ok {
		return fmt.Errorf("re-send it %q: say %s", how, strings.Join(probePhraseList(), ", "))
	}
	if why := st.unsigned(); why != "" {
		return skipWith("%s", why)
	}
	base := plain(st.last)
	if len(base) == 0 {
		return fmt.Errorf("nothing to re-send: a When step must send a webhook first")
	}
	st.last = []*sim.Exchange{st.sess.Probe(ctx, base[len(base)-1], p)}
	return nil
}

func (st *state) refused(context.Context) error {
	xs, err := st.lastAction()
	if err != nil {
		return err
	}
	if p := xs[len(xs)-1].Request.Probe; p == sim.ProbeNone || p == sim.ProbeReformatted {
		return fmt.Errorf("the last webhook was correctly signed: re-send it with a bad signature first")
	}
	return st.expect(expectation{xs: xs[len(xs)-1:], what: "the re-sent webhook", ids: func(*sim.Exchange) []string {
		return []string{check.SignatureEnforced}
	}})
}
