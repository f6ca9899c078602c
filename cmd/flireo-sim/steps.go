package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/flireo-sim/flireo-sim/scenarios"
	_ "github.com/flireo-sim/flireo-sim/scenarios/platformsteps" // the platform API steps, for conform, demo and steps
	"github.com/flireo-sim/flireo-sim/simulator/check"
)

const stepsUsage = `
Usage: flireo-sim steps [--checks]

Prints every step phrase of the Gherkin step library with an example, grouped by
topic: write your own *.feature files with them and run them with
'flireo-sim conform --features DIR'. Words in capitals are yours to fill in;
a|b means one of the alternatives. Any step may start with Given, When, Then,
And or But. --checks also lists the check IDs scenarios can be tagged with.`

func runSteps(_ context.Context, args []string, stdout, _ io.Writer, _ environment) error {
	fs := newFlags("steps", stepsUsage)
	checks := fs.Bool("checks", false, "also list the check catalogue (IDs for tags and baselines)")
	if err := fs.parse(args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("steps: unexpected argument %q", fs.Arg(0))
	}
	topic := ""
	for _, s := range scenarios.Steps() {
		if s.Topic != topic {
			if topic != "" {
				fmt.Fprintln(stdout)
			}
			topic = s.Topic
			fmt.Fprintln(stdout, topic)
		}
		fmt.Fprintf(stdout, "  %s\n", s.Phrase)
		for _, line := range strings.Split(s.Example, "\n") {
			fmt.Fprintf(stdout, "      %s\n", line)
		}
	}
	if *checks {
		fmt.Fprintln(stdout, "\nchecks (tag scenarios with @ID; list known failures in --baseline)")
		for _, c := range check.Catalogue() {
			fmt.Fprintf(stdout, "  %-27s %-6s %s (%s)\n", c.ID, c.Severity, c.Title, c.Spec)
		}
	}
	return nil
}
