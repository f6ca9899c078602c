package delivery

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// Curl returns a shell command that replays a delivery with curl: the URL,
// every header that was sent and the exact body bytes (resp.SentHeader and
// resp.SentBody), all single-quoted for POSIX shells.
//
// When secret is set and the delivery carried a timestamp, the command
// carries a fresh one (now, moved as the stale and future probes move it) and,
// if the delivery was signed, a signature recomputed for it in the same form
// (prefixed or bare hex, over the same bytes, with the probe's wrong secret
// for the wrong-secret probe), so the replay passes or fails verification the
// way the delivery did. Without a secret the sent headers are replayed as
// they were. The secret itself never appears in the command.
func Curl(req simulator.Request, resp simulator.Response, secret string, now time.Time) string {
	body := resp.SentBody
	if body == nil {
		body = req.Body
	}
	h := resp.SentHeader.Clone()
	if len(h) == 0 {
		h = http.Header{"Content-Type": {"application/json"}}
	}
	if secret != "" && h.Get(HeaderTimestamp) != "" {
		ts := now.Unix() + probeOffset(req.Probe)
		h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
		if old := h.Get(HeaderSignature); old != "" {
			key, signed := secret, body
			switch req.Probe {
			case simulator.ProbeWrongSecret:
				key = wrongSecret(secret)
			case simulator.ProbeTampered:
				signed = req.Body
			}
			sig := Sign(key, ts, signed)
			if !strings.HasPrefix(old, SignaturePrefix) {
				sig = sig[len(SignaturePrefix):]
			}
			h.Set(HeaderSignature, sig)
		}
	}

	var b strings.Builder
	nul := bytes.IndexByte(body, 0) >= 0
	if nul {
		// A shell argument cannot hold a NUL byte: feed the body through printf.
		b.WriteString("printf '")
		b.WriteString(printfEscape(body))
		b.WriteString("' | ")
	}
	b.WriteString("curl -sS -i ")
	b.WriteString(shellQuote(req.URL))
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		for _, v := range h[k] {
			b.WriteString(" \\\n  -H ")
			b.WriteString(shellQuote(k + ": " + v))
		}
	}
	switch {
	case nul:
		b.WriteString(" \\\n  --data-binary @-")
	case bytes.HasPrefix(body, []byte("@")):
		// --data-binary would read a file named by the rest of the body.
		b.WriteString(" \\\n  --data-raw ")
		b.WriteString(shellQuote(string(body)))
	default:
		b.WriteString(" \\\n  --data-binary ")
		b.WriteString(shellQuote(string(body)))
	}
	return b.String()
}

// shellQuote quotes s for a POSIX shell. Inside single quotes every byte is
// literal except the single quote itself, which ends the quoted part, is
// written backslash-escaped, and starts a new quoted part.
func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// printfEscape renders b as a printf format that prints exactly b, for use
// inside single quotes.
func printfEscape(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		switch {
		case c == '%':
			s.WriteString("%%")
		case c == '\\':
			s.WriteString(`\\`)
		case c == '\'' || c < 0x20 || c >= 0x7f:
			s.WriteString(`\`)
			s.WriteString(strconv.FormatInt(int64(c)|0o1000, 8)[1:]) // three octal digits
		default:
			s.WriteByte(c)
		}
	}
	return s.String()
}
