package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

func TestCallIntentOfTheOtherDirectionIsAUsageError(t *testing.T) {
	target := "http://127.0.0.1:1/webhook"
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--intent", "book-appointment", "--direction", "outbound"},
			"--direction outbound: intent \"book-appointment\" is for inbound calls, not outbound ones: an outbound call takes one of " +
				strings.Join(sim.IntentNamesFor(sim.Outbound), ", ")},
		{[]string{"--intent", "appointment-reminder", "--direction", "inbound"},
			"an inbound call takes one of " + strings.Join(sim.IntentNamesFor(sim.Inbound), ", ")},
		{[]string{"--intent", "voicemail", "--direction", "web"}, "a web call takes one of book-appointment"},
		{[]string{"--direction", "sideways"}, `--direction "sideways": use inbound, outbound or web`},
	}
	for _, c := range cases {
		code, _, stderr := cli(t, nil, append([]string{"call", "--target", target}, c.args...)...)
		assert.Equal(t, exitUsage, code, "%v: %s", c.args, stderr)
		assert.Contains(t, stderr, c.want, "%v", c.args)
	}
}

// TestCallHelpListsIntentsByDirection: every intent is listed under its
// direction in call --help, and under no other.
func TestCallHelpListsIntentsByDirection(t *testing.T) {
	_, out, _ := cli(t, nil, "call", "--help")
	i := strings.Index(out, "Intents by direction")
	j := strings.Index(out, "Examples:")
	if !assert.True(t, i >= 0 && j > i, out) {
		return
	}
	block := out[i:j]
	k := strings.Index(block, "\n  outbound")
	if !assert.Positive(t, k, block) {
		return
	}
	word := regexp.MustCompile(`[a-z]+(-[a-z]+)*`)
	in, outb := word.FindAllString(block[strings.Index(block, "inbound, web")+len("inbound, web"):k], -1), word.FindAllString(block[k+len("\n  outbound"):], -1)
	for _, x := range sim.Intents {
		listed := outb
		if sim.IntentDirection(x) == sim.Inbound {
			listed = in
		}
		assert.Contains(t, listed, string(x), "%s under %s", x, sim.IntentDirection(x))
	}
	assert.Subset(t, sim.IntentNamesFor(sim.Inbound), in[:len(sim.IntentNamesFor(sim.Inbound))])
	assert.Equal(t, sim.IntentNamesFor(sim.Outbound), outb[:len(sim.IntentNamesFor(sim.Outbound))])
}

// TestOutboundCall: an outbound intent plays an outbound call: no
// assistant-request, the assistant opens with its introduction and no
// inbound closing is said.
func TestOutboundCall(t *testing.T) {
	target := server(t, integrator.Options{})
	code, out, stderr := cli(t, nil, "call", "--target", target, "--intent", "appointment-reminder", "--lang", "nl", "--seed", "3", "--no-probes")
	assert.Equal(t, exitPass, code, stderr)
	assert.NotContains(t, out, "assistant-request")
	assert.Contains(t, out, "outbound")
	assert.Regexp(t, `\+\d+\.\ds  assistant  .*digitale assistent van`, out, "the assistant opens the call it placed")
	assert.NotContains(t, strings.ToLower(out), "bedankt voor het bellen")
}
