package fake

import "strings"

// wordRule maps words in a name to a kind K. A rule word matches a whole
// word of the name (or all its words run together), or, when it ends in '*',
// any word that starts with it; a word starting with '=' matches only the
// name's last word ("customer_id").
type wordRule[K ~uint8] struct {
	k     K
	words []string
}

// classify returns the kind of the first rule with a word that matches the
// name (camelCase, snake_case and kebab-case are split), else the zero kind.
func classify[K ~uint8](rules []wordRule[K], name string) K {
	ws := words(name)
	var none K
	if len(ws) == 0 {
		return none
	}
	joined := strings.Join(ws, "")
	for _, r := range rules {
		for _, w := range r.words {
			if wordMatch(ws, joined, w) {
				return r.k
			}
		}
	}
	return none
}

func wordMatch(ws []string, joined, w string) bool {
	if last, ok := strings.CutPrefix(w, "="); ok {
		return ws[len(ws)-1] == last
	}
	if prefix, ok := strings.CutSuffix(w, "*"); ok {
		if strings.HasPrefix(joined, prefix) {
			return true
		}
		for _, x := range ws {
			if strings.HasPrefix(x, prefix) {
				return true
			}
		}
		return false
	}
	if joined == w {
		return true
	}
	for _, x := range ws {
		if x == w {
			return true
		}
	}
	return false
}
