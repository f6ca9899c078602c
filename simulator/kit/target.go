package kit

import (
	"net/url"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// CheckTarget checks a webhook URL; an unusable one is an *sim.OptionError
// for the option Target.
func CheckTarget(raw string) error {
	if raw == "" {
		return sim.BadOption("Target", "", "no target given: give the webhook URL of the server to test, e.g. http://127.0.0.1:8080/webhook")
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return sim.BadOption("Target", raw, "not an http(s) URL: use e.g. http://127.0.0.1:8080/webhook")
	}
	return nil
}
