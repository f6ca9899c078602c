package main

import (
	"errors"
	"strings"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// optionFlags names the flag of each library option that can be refused.
var optionFlags = map[string]string{
	"Target":                  "--target",
	"Pace":                    "--pace",
	"ErrorBody":               "--error-body",
	"TimeoutScale":            "--timeout-scale",
	"Policy.AssistantFailure": "--on-assistant-failure",
	"Policy.AfterReject":      "--after-reject",
	"Policy.ToolFailure":      "--on-tool-failure",
	"Ramp":                    "--ramp",
	"Shard":                   "--shard",
	"Mix":                     "--mix",
	"Baseline":                "--baseline",
	"Dialect":                 "--dialect",
	"Dialects":                "--dialects",
	"Seed":                    "--seed",
	"Clock":                   "--clock",
	"Features":                "--features",
	"Tags":                    "--tags",
	"Format":                  "--format",
	"Campaign.Interval":       "--campaign-rate",
	"Campaign.Concurrency":    "--campaign-concurrency",
}

// flagged rewrites the text of err so that a refused library option is
// called by its flag; other errors are returned unchanged.
func flagged(err error) error {
	var oe *sim.OptionError
	if err == nil || !errors.As(err, &oe) {
		return err
	}
	flag, ok := optionFlags[oe.Option]
	if !ok {
		return err
	}
	return flagText{err, strings.Replace(err.Error(), oe.Error(), oe.Describe(flag), 1)}
}

// flagText is err with another text; errors.As and errors.Is still see err.
type flagText struct {
	err  error
	text string
}

func (f flagText) Error() string { return f.text }
func (f flagText) Unwrap() error { return f.err }
