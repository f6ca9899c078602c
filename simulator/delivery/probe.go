package delivery

import (
	"bytes"
	"encoding/json"
	"fmt"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// probeSkew is how far the stale and future probes move the timestamp: twice
// the 300 s tolerance the SDK enforces (spec §3.3).
const probeSkew = 600 * time.Second

// wrongSecret is the key of the wrong-secret probe. It differs from every
// configured secret, so a receiver that verifies must reject the signature.
func wrongSecret(secret string) string {
	const w = "whsec_flireo_sim_wrong_secret"
	if secret == w {
		return w + "_2"
	}
	return w
}

// probeOffset is the probe's timestamp shift in seconds.
func probeOffset(p simulator.Probe) int64 {
	switch p {
	case simulator.ProbeStale:
		return -int64(probeSkew / time.Second)
	case simulator.ProbeFuture:
		return int64(probeSkew / time.Second)
	}
	return 0
}

// probeBody returns the bytes a probe sends instead of body. Request bodies
// are never modified in place.
func probeBody(p simulator.Probe, body []byte) ([]byte, error) {
	switch p {
	case simulator.ProbeTampered:
		return tamper(body), nil
	case simulator.ProbeReformatted:
		var b bytes.Buffer
		if err := json.Indent(&b, body, "", "  "); err != nil {
			return nil, fmt.Errorf("the reformatted probe needs a JSON body, and this one is not valid JSON (%v)", err)
		}
		return b.Bytes(), nil
	}
	return body, nil
}

// tamper returns a copy of body with one byte changed so that it stays valid
// JSON and means almost the same thing: the case of the last ASCII letter of
// the longest string value containing a space (free text such as a name or a
// spoken line) is flipped; without such a value, the longest string value
// with a letter is used. A body with neither (such as {}) gets a trailing
// space, which is still valid JSON. A receiver that does not verify the
// signature accepts the tampered body as readily as the original.
func tamper(body []byte) []byte {
	out := bytes.Clone(body)
	if i := tamperIndex(body); i >= 0 {
		out[i] ^= 0x20 // ASCII letter: flip upper/lower case
		return out
	}
	return append(out, ' ')
}

// tamperIndex finds the byte tamper flips, or -1.
func tamperIndex(b []byte) int {
	best, bestLen, bestSpace := -1, -1, false
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		start := i
		var letter int
		var space bool
		i, letter, space = scanString(b, i+1)
		if i >= len(b) {
			break // unterminated string: not JSON
		}
		if letter < 0 || isKey(b, i+1) {
			continue
		}
		n := i - start
		if space && !bestSpace || space == bestSpace && n > bestLen {
			best, bestLen, bestSpace = letter, n, space
		}
	}
	return best
}

// scanString reads the JSON string whose contents start at b[i]. It returns
// the index of its closing quote (len(b) or more when there is none), the
// index of its last ASCII letter outside escapes (-1: none) and whether it
// holds a space.
func scanString(b []byte, i int) (end, letter int, space bool) {
	letter = -1
	for ; i < len(b) && b[i] != '"'; i++ {
		switch c := b[i]; {
		case c == '\\':
			if i+1 < len(b) && b[i+1] == 'u' {
				i += 5
			} else {
				i++
			}
		case c == ' ':
			space = true
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			letter = i
		}
	}
	return i, letter, space
}

// isKey reports whether the string that ended before b[i] is an object key.
func isKey(b []byte, i int) bool {
	for ; i < len(b); i++ {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			continue
		case ':':
			return true
		}
		return false
	}
	return false
}
