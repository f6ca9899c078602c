package main

import (
	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// parseDirection reads --direction and checks that --intent fits it: an
// inbound-only intent on an outbound call (or the reverse) is a usage error
// that names the intents of the direction.
func parseDirection(s string, intent sim.Intent) (sim.Direction, error) {
	d := sim.Direction(s)
	switch d {
	case "", sim.Inbound, sim.Outbound, sim.Web:
	default:
		return "", usagef("--direction %q: use inbound, outbound or web", s)
	}
	if intent != "" {
		if err := sim.IntentMismatch(intent, d); err != nil {
			return "", usagef("--direction %s: %v", d, err)
		}
	}
	return d, nil
}
