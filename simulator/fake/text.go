package fake

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// spokenDate is a date as it is said: "dinsdag 13 januari", "Tuesday 13 January".
func (lb *langBank) spokenDate(d time.Time) string {
	wd := lb.weekdays[d.Weekday()]
	mo := lb.months[d.Month()-1]
	var b strings.Builder
	b.Grow(len(wd) + len(mo) + 4)
	b.WriteString(wd)
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(d.Day()))
	b.WriteByte(' ')
	b.WriteString(mo)
	return b.String()
}

// clock is "HH:MM".
func clock(minutes int) string {
	var b [5]byte
	h, m := minutes/60, minutes%60
	b[0], b[1], b[2], b[3], b[4] = byte('0'+h/10), byte('0'+h%10), ':', byte('0'+m/10), byte('0'+m%10)
	return string(b[:])
}

// fold lower-cases s and drops diacritics and everything but letters and
// digits, for e-mail local parts and domain names.
func fold(dst []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf:
			c := byte(unicode.ToLower(r))
			if (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') {
				dst = append(dst, c)
			}
		default:
			if a, ok := foldMap[unicode.ToLower(r)]; ok {
				dst = append(dst, a)
			}
		}
	}
	return dst
}

var foldMap = map[rune]byte{
	'à': 'a', 'á': 'a', 'â': 'a', 'ä': 'a', 'ã': 'a', 'å': 'a', 'ç': 'c', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ı': 'i', 'ñ': 'n', 'ò': 'o', 'ó': 'o', 'ô': 'o', 'ö': 'o', 'õ': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ý': 'y', 'ÿ': 'y', 'ş': 's', 'ğ': 'g',
}

// national turns a Dutch E.164 number into the way it is said and written
// locally: +31612345678 → 06-12345678, +31201234567 → 020-1234567.
func national(e164 string) string {
	if !strings.HasPrefix(e164, "+31") || len(e164) < 6 {
		return e164
	}
	rest := e164[3:]
	area := 2
	if rest[0] == '6' {
		area = 1
	}
	var b strings.Builder
	b.Grow(len(rest) + 2)
	b.WriteByte('0')
	b.WriteString(rest[:area])
	b.WriteByte('-')
	b.WriteString(rest[area:])
	return b.String()
}

// countWords counts whitespace-separated words without allocating.
func countWords(s string) int {
	n, in := 0, false
	for _, r := range s {
		if unicode.IsSpace(r) {
			in = false
		} else if !in {
			in = true
			n++
		}
	}
	return n
}

// sentence ends s with a full stop unless it already ends a sentence.
func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	r, _ := utf8.DecodeLastRuneInString(s)
	switch r {
	case '.', '!', '?', '…', ':':
		return s
	}
	return s + "."
}

// truncate cuts s to at most n runes, on a word boundary when it can, and
// marks the cut with "…".
func truncate(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if cut == n {
			s = s[:i]
			break
		}
		cut++
	}
	if sp := strings.LastIndexByte(s, ' '); sp > len(s)/2 {
		s = s[:sp]
	}
	return strings.TrimRight(s, " ,;:") + "…"
}

// words splits an identifier into lower-case words: "customerName",
// "customer_name" and "Customer-Name" all give [customer name].
func words(id string) []string {
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, string(cur))
			cur = cur[:0]
		}
	}
	prevLower := false
	for _, r := range id {
		switch {
		case unicode.IsUpper(r):
			if prevLower {
				flush()
			}
			cur = append(cur, unicode.ToLower(r))
			prevLower = false
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			cur = append(cur, r)
			prevLower = true
		default:
			flush()
			prevLower = false
		}
	}
	flush()
	return out
}

// humanKey turns a JSON key into words for a spoken list: "delivery_window"
// → "delivery window".
func humanKey(k string) string { return strings.Join(words(k), " ") }

// joinList joins items as "a, b or c" with the language's word.
func joinList(items []string, word string) string {
	switch len(items) {
	case 0:
		return ""
	case 1:
		return items[0]
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + word + " " + items[len(items)-1]
}
