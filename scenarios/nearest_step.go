package scenarios

import (
	"strings"

	"github.com/flireo-sim/flireo-sim/internal/suggest"
)

// nearestPhrase is the library phrase an undefined step most likely meant:
// the one whose example, or whose form, is nearest to text by edit
// distance, when it is near enough to be a typo.
func nearestPhrase(text string) (string, bool) {
	var candidates, phrases []string
	for _, d := range stepDefinitions() {
		candidates = append(candidates, exampleText(d.Example), d.Phrase)
		phrases = append(phrases, d.Phrase, d.Phrase)
	}
	i, ok := suggest.NearestIndex(text, candidates)
	if !ok {
		return "", false
	}
	return phrases[i], true
}

// exampleText is the step text of an example: its first line without the
// Gherkin keyword.
func exampleText(example string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(example), "\n")
	_, text, _ := strings.Cut(strings.TrimSpace(line), " ")
	return text
}
