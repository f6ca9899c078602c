// Package diagnose reads a run's exchanges for the likely cause behind many
// failures at once (a wrong secret, a missing one) and groups findings that
// share a cause, so that people read one line instead of fifty.
package diagnose

import (
	"regexp"
	"sort"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
)

// Hint texts (a contract: the report carries them and tests match them).
const (
	HintSecretMismatch = "every signed webhook was refused with 401/403: does --secret match your server's secret?"
	HintSecretMissing  = "the server demands signatures: pass --secret (or FLIREO_WEBHOOK_SECRET)"
)

// Hints returns what the exchanges of a run suggest a person check first;
// secretSet says whether the run signed its webhooks.
//
// Every ordinary signed webhook (signature probes aside) that got an HTTP
// reply was refused with 401 or 403: the secret most likely differs from the
// server's. No secret was given and every webhook that a secret would have
// signed (plain legacy deliveries are never signed) was refused with 401 or
// 403: the server demands signatures.
func Hints(xs []*sim.Exchange, secretSet bool) []string {
	var signed, signedRefused, unsigned, unsignedRefused int
	for _, x := range xs {
		if x == nil || x.Response.Status == 0 || x.Request.Probe != sim.ProbeNone {
			continue
		}
		refused := Refused(x.Response.Status)
		if x.Response.SentHeader.Get(delivery.HeaderSignature) != "" {
			signed++
			if refused {
				signedRefused++
			}
			continue
		}
		if x.Request.Plain {
			continue
		}
		unsigned++
		if refused {
			unsignedRefused++
		}
	}
	var out []string
	if secretSet && signed > 0 && signedRefused == signed {
		out = append(out, HintSecretMismatch)
	}
	if !secretSet && unsigned > 0 && unsignedRefused == unsigned {
		out = append(out, HintSecretMissing)
	}
	return out
}

// Refused reports whether an HTTP status refuses the request's credentials.
func Refused(status int) bool { return status == 401 || status == 403 }

// Cause is one distinct reason a check failed, with how many exchanges
// failed for it.
type Cause struct {
	Detail    string `json:"detail"`    // the first detail of this cause
	Exchanges int    `json:"exchanges"` // failed evaluations with this cause
}

var variable = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|\d+(\.\d+)?`)

// Key normalises a finding's detail: numbers (latencies, sizes, counts)
// and UUIDs (call and tool-call ids) do not make another cause.
func Key(check, detail string) string {
	return check + "\x00" + variable.ReplaceAllString(detail, "#")
}

// Group counts details by cause, the most frequent first (ties in order of
// first appearance), at most limit causes (0: all).
func Group(check string, details []string, limit int) []Cause {
	index := map[string]int{}
	var out []Cause
	for _, d := range details {
		k := Key(check, d)
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, Cause{Detail: d})
		}
		out[i].Exchanges++
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Exchanges > out[j].Exchanges })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
