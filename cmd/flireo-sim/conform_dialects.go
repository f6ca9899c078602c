package main

import (
	"flag"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator/dialect"
)

// conformDialects turns --dialect and --dialects into the dialects of a
// conform run: --dialects a,b (or all) plays the suite once per dialect,
// --dialect D (default flireo) once. An unsigned dialect is never sent to a
// server configured with a secret: alone it is a usage error, in a list it
// is skipped with the reason.
func conformDialects(fs *flagSet, one, several, secret string) ([]string, error) {
	dialectSet := false
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "dialect" {
			dialectSet = true
		}
	})
	if strings.TrimSpace(several) == "" {
		return []string{one}, nil // an unsigned one with a secret is refused with the other options
	}
	if dialectSet {
		return nil, usagef("--dialect %s and --dialects %s: give one of them", one, several)
	}
	var names []string
	if strings.TrimSpace(several) == "all" {
		names = dialect.Names()
	} else {
		for _, n := range strings.Split(several, ",") {
			n = strings.TrimSpace(n)
			if _, err := dialect.ByName(n); err != nil {
				return nil, usagef("--dialects %s: %v", several, err)
			}
			for _, seen := range names {
				if seen == n {
					return nil, usagef("--dialects %s: %s is listed twice", several, n)
				}
			}
			names = append(names, n)
		}
	}
	sendable := 0
	for _, n := range names {
		if d, _ := dialect.ByName(n); secret == "" || !d.Plain() {
			sendable++
		}
	}
	if sendable == 0 {
		return nil, usagef("--dialects %s with --secret (or FLIREO_WEBHOOK_SECRET): unsigned dialects are never sent to a server configured with a secret; add a signed dialect: %s",
			several, signedDialects())
	}
	return names, nil
}

// signedDialects lists the dialects that sign their webhooks.
func signedDialects() string {
	var out []string
	for _, n := range dialect.Names() {
		if d, err := dialect.ByName(n); err == nil && !d.Plain() {
			out = append(out, n)
		}
	}
	return strings.Join(out, ", ")
}
