// Package bodytext shortens response bodies for the errors of steps.
package bodytext

import "strings"

// Snippet is ": " and a short one-line form of a response body (its first
// 120 characters, white space folded), or "" for an empty body.
func Snippet(b []byte) string {
	s := strings.Join(strings.Fields(string(b)), " ")
	if s == "" {
		return ""
	}
	if r := []rune(s); len(r) > 120 {
		s = string(r[:120]) + "…"
	}
	return ": " + s
}
