package simulator

import "github.com/flireo-sim/flireo-sim/internal/suggest"

// IntentNames lists the names of the built-in intents.
func IntentNames() []string {
	names := make([]string, len(Intents))
	for i, x := range Intents {
		names[i] = string(x)
	}
	return names
}

// IntentHint is " (did you mean X?)" for the built-in intent nearest to a
// name that is none, or "" when none is near.
func IntentHint(name string) string { return suggest.Hint(name, IntentNames()) }
