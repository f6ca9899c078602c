package scenarios

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestWriteScore(t *testing.T) {
	r := &Result{Verdict: StatusFail, Reason: "1 must check(s) failed: http-2xx", Target: "http://127.0.0.1:1/webhook", Dialect: "flireo", Seed: 7,
		Scenarios: []ScenarioResult{{Name: "a", Status: StatusPass}, {Name: "b", Status: StatusFail}, {Name: "c", Status: StatusSkip},
			{Name: "d", Status: StatusFail, Unnamed: true, Error: "boom", Baseline: true}},
		Checks: []CheckResult{
			{ID: "http-2xx", Severity: "must", Status: StatusFail, Detail: "answered 500", Scenario: "b", Failures: 1, Evaluations: 2, Reproduce: "curl x"},
			{ID: "ack-deadline", Severity: "must", Status: StatusFail, Baselined: true},
			{ID: "web-call", Severity: "should", Status: StatusSkip, Detail: "not exercised"},
		},
		Fixed: []string{"tool-shape"}}
	var b bytes.Buffer
	WriteScore(&b, r, false)
	for _, want := range []string{
		"4 scenarios (1 passed, 2 failed, 1 skipped)",
		"✗ must   http-2xx: answered 500",
		"first failed in: b (1 of 2 evaluations failed)",
		"reproduce:\n               curl x\n",
		"- skip   web-call: not exercised",
		`scenario "d" failed: boom (known failure: baseline)`,
		"known failures (baseline, they do not fail the verdict): ack-deadline",
		"passing now, remove from the baseline: tool-shape",
		"verdict FAIL · 1 must check(s) failed: http-2xx",
	} {
		assert.Contains(t, b.String(), want)
	}
}
