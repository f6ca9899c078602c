package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/flireo-sim/flireo-sim/scenarios"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readFlags are the flags each command reads, reviewed command by
// command: a flag a command registered but ignored is not in its help.
var readFlags = map[string][]string{
	"send": {"target", "dialect", "secret", "bare-hex-signature", "seed", "clock", "intent", "status",
		"timeout-scale", "ack-deadline", "max-reply-size", "set", "body", "print"},
	"call": {"target", "dialect", "secret", "bare-hex-signature", "seed", "clock", "intent", "direction", "lang", "call", "pace", "no-probes",
		"timeout-scale", "ack-deadline", "max-reply-size", "on-assistant-failure", "after-reject", "on-tool-failure", "default-assistant",
		"json", "transcript"},
	"conform": {"target", "dialect", "secret", "bare-hex-signature", "dialects", "probe-api", "seed", "clock",
		"timeout-scale", "ack-deadline", "max-reply-size", "on-assistant-failure", "after-reject", "on-tool-failure", "default-assistant",
		"features", "tags", "baseline", "concurrency", "format", "report", "step-locations"},
	"load": {"target", "dialect", "secret", "bare-hex-signature", "seed", "clock",
		"timeout-scale", "ack-deadline", "max-reply-size", "on-assistant-failure", "after-reject", "on-tool-failure", "default-assistant",
		"rate", "ramp", "duration", "max-in-flight", "mix", "pace", "shard", "grace", "stop-grace",
		"threshold", "abort-on-fail", "report", "progress-every", "quiet"},
	"serve": {"webhook", "dialect", "secret", "bare-hex-signature", "seed", "clock", "pace",
		"timeout-scale", "ack-deadline", "max-reply-size", "on-assistant-failure", "after-reject", "on-tool-failure", "default-assistant",
		"addr", "api-key", "drain", "max-live", "error-body", "campaign-rate", "campaign-concurrency", "quiet"},
	"replay":         {"check", "target", "secret", "timeout-scale", "max-reply-size"},
	"report":         {"threshold", "report", "quiet"},
	"demo":           {"calls", "suite", "load", "seed", "clock", "transcript"},
	"sink":           {"addr", "delay", "hang"},
	"example-server": {"addr", "secret", "misbehave", "delay", "platform-api", "api-key"},
	"steps":          {"checks"},
	"completion":     nil,
	"version":        nil,
}

func TestHelpShowsTheFlagsEachCommandReads(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			want, ok := readFlags[c.name]
			require.True(t, ok, "add %s to readFlags", c.name)
			var got []string
			for _, f := range parseHelpFlags(commandHelp(context.Background(), c, environment{getenv: func(string) string { return "" }})) {
				got = append(got, f.name)
			}
			assert.ElementsMatch(t, want, got)
		})
	}
}

func TestSendHelpLeavesOutTheCallFlowFlags(t *testing.T) {
	_, out, _ := cli(t, nil, "send", "--help")
	for _, flag := range []string{"--on-assistant-failure", "--after-reject", "--on-tool-failure", "--default-assistant"} {
		assert.NotContains(t, out, flag)
	}
	code, _, errOut := cli(t, nil, "send", "assistant-request", "--print", "--on-tool-failure", "end-call")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "unknown flag --on-tool-failure")
}

// singleDash is a flag written with one dash: " -name" at a word start
// (one letter after a dash, as in "suffix -x", names no flag).
var singleDash = regexp.MustCompile(`(^|[\s(\[|,'"])-[a-z][a-z-]+`)

func TestHelpWritesFlagsWithTwoDashesUnderHeadings(t *testing.T) {
	for _, c := range commands() {
		t.Run(c.name, func(t *testing.T) {
			help := commandHelp(context.Background(), c, environment{getenv: func(string) string { return "" }})
			for _, line := range strings.Split(help, "\n") {
				assert.False(t, singleDash.MatchString(line), "single-dash flag in %q", line)
			}
			assert.NotContains(t, help, "\nOther flags:", "every flag of %s has a heading", c.name)
			if len(readFlags[c.name]) > 0 {
				assert.Regexp(t, `\n[A-Z][A-Za-z /]*:\n  --`, help, "flags under a heading")
			}
		})
	}
}

func TestTopHelpWritesFlagsWithTwoDashes(t *testing.T) {
	var out strings.Builder
	topUsage(&out)
	for _, line := range strings.Split(out.String(), "\n") {
		assert.False(t, singleDash.MatchString(line), "single-dash flag in %q", line)
	}
}

func TestDidYouMean(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"lod"}, `unknown command "lod" (did you mean load?)`},
		{[]string{"help", "confrom"}, `unknown command "confrom" (did you mean conform?)`},
		{[]string{"send", "assistant-request", "--targt", "http://127.0.0.1:1/"}, "unknown flag --targt (did you mean --target?)"},
		{[]string{"load", "-thresold", "x"}, "unknown flag --thresold (did you mean --threshold?)"},
		{[]string{"call", "--target", "http://127.0.0.1:1/", "--intent", "book_appointment"}, `unknown intent "book_appointment" (did you mean book-appointment?)`},
		{[]string{"call", "--target", "http://127.0.0.1:1/", "--dialect", "flireo-camle"}, "(did you mean flireo-camel?)"},
		{[]string{"send", "status-updte", "--print"}, "(did you mean status-update?)"},
		{[]string{"example-server", "--misbehave", "slow-asistant"}, "(did you mean slow-assistant?)"},
		{[]string{"load", "--target", "http://127.0.0.1:1/", "--mix", "book_appointment=2"}, "(did you mean book-appointment?)"},
		{[]string{"conform", "--target", "http://127.0.0.1:1/", "--format", "progres"}, "(did you mean progress?)"},
		{[]string{"conform", "--target", "http://127.0.0.1:1/", "--tags", "@must && ~@prob-api"}, "(did you mean @probe-api?)"},
		{[]string{"conform", "--target", "http://127.0.0.1:1/", "--dialects", "flireo,flireo-camle"}, "(did you mean flireo-camel?)"},
	}
	for _, c := range cases {
		code, _, errOut := cli(t, nil, c.args...)
		assert.Equal(t, exitUsage, code, "%v", c.args)
		assert.Contains(t, errOut, c.want, "%v", c.args)
	}
	code, _, errOut := cli(t, nil, "xyzzy")
	assert.Equal(t, exitUsage, code)
	assert.NotContains(t, errOut, "did you mean", "no suggestion far from every command")
}

func TestFlagHelpLayout(t *testing.T) {
	fs := newFlags("x", "Usage: flireo-sim x")
	var seed seedFlag
	fs.Var(&seed, "seed", "run seed")
	fs.String("dialect", "flireo", "wire format")
	fs.Bool("json", false, "print JSON")
	fs.Int("extra", 3, "not in a group")
	fs.group("Call shape", "seed")
	fs.group("Target", "dialect")
	fs.group("Call shape", "json")
	var out strings.Builder
	fs.printHelp(&out)
	assert.Equal(t, "Usage: flireo-sim x\n\nCall shape:\n  --seed int\n    \trun seed\n  --json\n    \tprint JSON\n\n"+
		"Target:\n  --dialect string\n    \twire format (default \"flireo\")\n\nOther flags:\n  --extra int\n    \tnot in a group (default 3)\n", out.String())
}

func TestFlagErrorsUseTwoDashes(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"call", "--target"}, "flag needs an argument: --target"},
		{[]string{"call", "--call", "x"}, `invalid value "x" for flag --call`},
		{[]string{"call", "--json=maybe"}, `invalid boolean value "maybe" for --json`},
		{[]string{"sink", "--zzzzzz"}, "unknown flag --zzzzzz (run"},
	}
	for _, c := range cases {
		code, _, errOut := cli(t, nil, c.args...)
		assert.Equal(t, exitUsage, code, "%v", c.args)
		assert.Contains(t, errOut, c.want, "%v", c.args)
	}
}

func TestReplayCheckNamesTheNearestFailedCheck(t *testing.T) {
	rep := &scenarios.Result{Checks: []scenarios.CheckResult{{ID: "http-2xx", Status: "fail"}, {ID: "reply-json", Status: "fail"}}}
	_, err := failedChecks(rep, "http-2x")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "--check http-2x did not fail in the report (did you mean http-2xx?)")
}
