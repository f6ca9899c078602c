package scenarios

import (
	"regexp"
	"slices"
)

// Step is one phrase of the step library, for people: its topic, its form
// and an example.
type Step struct {
	Topic   string
	Phrase  string
	Example string
}

// def is a step definition: the phrase for people and the handler.
type def struct {
	Step
	re      *regexp.Regexp
	handler any
}

// Topics in the order Steps lists them.
var topics = []string{"call setup", "assistant-request", "tools", "end of the call", "robustness", "signatures", "verdicts", "platform API", "your own API (probe steps)"}

// Steps lists every step phrase of the library with an example, grouped by
// topic.
func Steps() []Step {
	all := stepDefinitions()
	out := make([]Step, 0, len(all))
	for _, t := range topics {
		for _, d := range all {
			if d.Topic == t {
				out = append(out, d.Step)
			}
		}
	}
	return out
}

func step(topic, phrase, example, re string, handler any) def {
	return def{Step: Step{Topic: topic, Phrase: phrase, Example: example}, re: regexp.MustCompile(re), handler: handler}
}

// definitions is the step library: each topic's rows sit next to their
// handlers (steps_*.go, probe.go); registered step sets add theirs
// (extension.go). Every pattern is anchored and no two match the same text
// (strict runs fail on ambiguity).
var definitions = slices.Concat(setupSteps, assistantSteps, toolSteps, endSteps, robustnessSteps, signatureSteps,
	verdictSteps, probeSteps)
