package main

import (
	"github.com/flireo-sim/flireo-sim/internal/suggest"
	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// commandHint is " (did you mean X?)" for the command nearest to name, or "".
func commandHint(name string) string {
	names := []string{"help"}
	for _, c := range commands() {
		names = append(names, c.name)
	}
	return suggest.Hint(name, names)
}

// eventHint is " (did you mean X?)" for the event nearest to name, or "".
func eventHint(name string) string {
	var names []string
	for _, e := range sim.EventTypes {
		names = append(names, string(e))
	}
	return suggest.Hint(name, names)
}
