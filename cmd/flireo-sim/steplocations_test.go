package main

import (
	"regexp"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// goLocation is a step definition's place in the Go code, as godog prints it.
var goLocation = regexp.MustCompile(`\.go:\d+ -> `)

// The conform output names no Go file unless asked: the compact lines
// never, godog's pretty format only with --step-locations.
func TestConformShowsStepLocationsOnlyWhenAsked(t *testing.T) {
	target := server(t, integrator.Options{})
	cases := []struct {
		args []string
		want bool
	}{
		{nil, false},
		{[]string{"--format", "pretty"}, false},
		{[]string{"--format", "pretty", "--concurrency", "1"}, false},
		{[]string{"--format", "pretty", "--step-locations"}, true},
	}
	for _, c := range cases {
		args := append([]string{"conform", "--target", target, "--tags", "@reply-json"}, c.args...)
		code, out, errOut := cli(t, nil, args...)
		assert.Equal(t, exitPass, code, errOut)
		assert.Equal(t, c.want, goLocation.MatchString(out), "%v:\n%s", c.args, out)
		assert.Contains(t, out, "verdict PASS")
	}
}
