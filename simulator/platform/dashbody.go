package platform

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxShownBody is how much of each webhook's request and reply body the
// dashboard keeps and shows.
const maxShownBody = 4 << 10

// shownSecrets are the strings a call's page never shows: the secrets and
// keys, and the query and credentials of its webhook URL (where tokens
// hide), also as JSON spells them.
func shownSecrets(h hook, secret string, keys []string) []string {
	out := append([]string{h.secret, secret}, keys...)
	if u, err := url.Parse(h.url); err == nil {
		if u.User != nil {
			out = append(out, u.User.String())
		}
		out = append(out, u.RawQuery)
	}
	for _, s := range out {
		if b, err := json.Marshal(s); err == nil && string(b[1:len(b)-1]) != s {
			out = append(out, string(b[1:len(b)-1]))
		}
	}
	return out
}

// maskSecrets replaces every secret (of at least 4 bytes) in s.
func maskSecrets(s string, secrets []string) string {
	for _, secret := range secrets {
		if len(secret) >= 4 {
			s = strings.ReplaceAll(s, secret, maskedSecret)
		}
	}
	return s
}

// shownBody is a body as the dashboard shows it: at most maxShownBody bytes
// (cut on a character boundary, with how much was left out), secrets
// replaced by ********, and every control or format character (other than
// newline and tab) and invalid byte written out as an escape, so that
// nothing in a body can hide text, move the cursor or reorder the line.
// The template HTML-escapes the result.
func shownBody(b []byte, secrets []string) string {
	if len(b) == 0 {
		return ""
	}
	s := maskSecrets(string(b), secrets) // before the cut, which could halve one
	cut := len(s) - maxShownBody
	if cut > 0 {
		end := maxShownBody
		for end > 0 && !utf8.RuneStart(s[end]) {
			end--
		}
		cut = len(s) - end
		s = s[:end]
	}
	var out strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&out, `\x%02x`, s[i])
		case r == '\n' || r == '\t':
			out.WriteRune(r)
		case unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029':
			fmt.Fprintf(&out, `\u%04x`, r)
		default:
			out.WriteString(s[i : i+size])
		}
		i += size
	}
	if cut > 0 {
		fmt.Fprintf(&out, "\n… %d more bytes not shown", cut)
	}
	return out.String()
}
