package scenarios

import (
	"fmt"
	"sort"
	"strings"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// setupSteps are the steps of the "call setup" topic: Given steps that
// shape the call before its first webhook.
var setupSteps = []def{
	step("call setup", `an inbound call from "NUMBER" to "NUMBER"`, `Given an inbound call from "+31612345678" to "+31850835037"`,
		`^an inbound call from "([^"]*)" to "([^"]*)"$`, setup2("the call's numbers", (*state).inboundFrom)),
	step("call setup", "an inbound call", "Given an inbound call", `^an inbound call$`, setup("the call's direction", direction(sim.Inbound))),
	step("call setup", "an outbound call", "Given an outbound call", `^an outbound call$`, setup("the call's direction", direction(sim.Outbound))),
	step("call setup", "a web call (customer and phone numbers are null)", "Given a web call", `^a web call$`, setup("a web call", (*state).webCall)),
	step("call setup", `the platform speaks the "DIALECT" dialect (overrides the run's --dialect for this scenario, on purpose)`, `Given the platform speaks the "flireo-camel" dialect`,
		`^the platform speaks the "([^"]*)" dialect$`, setup1("the dialect", (*state).speaks)),
	step("call setup", "the caller wants to WHAT ("+strings.Join(intentPhraseList(), ", ")+")", "Given the caller wants to book an appointment",
		`^the caller wants to (.+)$`, setup1("the caller's intent", (*state).wants)),
	step("call setup", `the caller's intent is "INTENT" (any built-in intent)`, `Given the caller's intent is "wrong-number"`,
		`^the caller's intent is "([^"]*)"$`, setup1("the caller's intent", (*state).intentNamed)),
	step("call setup", "the caller speaks Dutch|English", "Given the caller speaks English", `^the caller speaks (Dutch|English)$`,
		setup1("the caller's language", (*state).language)),
	step("call setup", `the caller's name is "NAME"`, `Given the caller's name is "Daniëlle de Vries"`, `^the caller's name is "([^"]*)"$`,
		setup1("the caller's name", (*state).named)),
	step("call setup", "the call carries Dutch diacritics and emoji (transcript and summary)", "Given the call carries Dutch diacritics and emoji",
		`^the call carries Dutch diacritics and emoji$`, setup("the text case", (*state).textCase)),
	step("call setup", "the call is long enough for a N MiB end-of-call-report", "Given the call is long enough for a 1 MiB end-of-call-report",
		`^the call is long enough for a (\d+(?:\.\d+)?) MiB end-of-call-report$`, setup1("the report size", (*state).large)),
}

func (st *state) inboundFrom(from, to string) error {
	st.fo.Direction, st.customer, st.phone = sim.Inbound, &from, &to
	return nil
}

func direction(d sim.Direction) func(*state) error {
	return func(st *state) error {
		st.fo.Direction = d
		return nil
	}
}

func (st *state) webCall() error {
	st.fo.Direction, st.wide = sim.Web, sim.VariantWebCall
	return nil
}

func (st *state) speaks(name string) error {
	if err := dialectName(name); err != nil {
		return err
	}
	k, err := st.l.kit(name)
	if err != nil {
		return err
	}
	if why := unsignedWithSecret(k.Dialect, st.l.cfg.Secret); why != "" {
		return skipWith("%s", why)
	}
	st.dialect = name
	return nil
}

var intentPhrases = map[string]sim.Intent{
	"book an appointment":       sim.BookAppointment,
	"reschedule an appointment": sim.Reschedule,
	"know the opening hours":    sim.OpeningHours,
	"know where an order is":    sim.OrderStatus,
	"make a complaint":          sim.Complaint,
	"be called back":            sim.Callback,
}

func intentPhraseList() []string {
	out := make([]string, 0, len(intentPhrases))
	for p := range intentPhrases {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// intentOfPhrase reads what the caller wants in words.
func intentOfPhrase(what string) (sim.Intent, error) {
	in, ok := intentPhrases[what]
	if !ok {
		return "", fmt.Errorf("the caller wants to %q: say one of %s, or use 'the caller's intent is \"NAME\"'", what, strings.Join(intentPhraseList(), ", "))
	}
	return in, nil
}

// intentOfName reads a built-in intent's name.
func intentOfName(name string) (sim.Intent, error) {
	in, ok := sim.ParseIntent(name)
	if !ok {
		return "", fmt.Errorf("unknown intent %q%s: use one of %s", name, sim.IntentHint(name), strings.Join(sim.IntentNames(), ", "))
	}
	return in, nil
}

func (st *state) setIntent(in sim.Intent, err error) error {
	if err != nil {
		return err
	}
	st.fo.Intent, st.intentSet = in, true
	return nil
}

func (st *state) wants(what string) error { return st.setIntent(intentOfPhrase(what)) }

func (st *state) intentNamed(name string) error { return st.setIntent(intentOfName(name)) }

func (st *state) language(lang string) error {
	st.fo.Lang = map[string]string{"Dutch": "nl", "English": "en"}[lang]
	return nil
}

func (st *state) named(name string) error {
	st.persona = name
	return nil
}

func (st *state) textCase() error {
	st.text, st.wide, st.persona = true, sim.VariantText, textPersona
	return nil
}

// maxLargeMiB is the largest report the large-report step pads to.
const maxLargeMiB = 1.8

func (st *state) large(mib float64) error {
	if mib <= 0 || mib > maxLargeMiB {
		return fmt.Errorf("a report of %g MiB: give a size above 0 and at most 1.8 MiB", mib)
	}
	st.largeMiB = mib
	return nil
}
