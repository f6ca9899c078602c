// Package suggest finds the word a user most likely meant: the nearest
// candidate by edit distance, when it is near enough to be a typo.
package suggest

import "fmt"

// Distance is the Levenshtein distance between a and b: the fewest
// single-character insertions, deletions and substitutions that turn one
// into the other (counted in runes).
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// near reports whether a distance d from word is close enough to be a
// typo: at most 2 (and less than the word's length), or at most a third
// of the word's length.
func near(word string, d int) bool {
	n := len([]rune(word))
	return (d <= 2 && d < n) || d*3 <= n
}

// Nearest is the candidate nearest to word, and whether it is near enough
// to suggest. An exact match is not a suggestion; ties go to the earlier
// candidate.
func Nearest(word string, candidates []string) (string, bool) {
	i, ok := NearestIndex(word, candidates)
	if !ok {
		return "", false
	}
	return candidates[i], true
}

// NearestIndex is Nearest's candidate as an index into candidates, for
// callers that compare a derived form of their words and need the word
// back.
func NearestIndex(word string, candidates []string) (int, bool) {
	best, bestD := -1, -1
	for i, c := range candidates {
		d := Distance(word, c)
		if d == 0 {
			return -1, false
		}
		if bestD < 0 || d < bestD {
			best, bestD = i, d
		}
	}
	if bestD < 0 || !near(word, bestD) {
		return -1, false
	}
	return best, true
}

// Hint is " (did you mean X?)" for the nearest candidate, or "" when none
// is near enough.
func Hint(word string, candidates []string) string {
	if s, ok := Nearest(word, candidates); ok {
		return fmt.Sprintf(" (did you mean %s?)", s)
	}
	return ""
}
