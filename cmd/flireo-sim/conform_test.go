package main

import (
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// report is the contract of the --report file that CI scripts parse.
type conformReport struct {
	Verdict string  `json:"verdict"`
	Index   float64 `json:"index"`
	Seed    int64   `json:"seed"`
	Dialect string  `json:"dialect"`
	Target  string  `json:"target"`
	Score   struct {
		Must   struct{ Passed, Total int } `json:"must"`
		Should struct{ Passed, Total int } `json:"should"`
	} `json:"score"`
	Checks []struct {
		ID        string `json:"id"`
		Severity  string `json:"severity"`
		Status    string `json:"status"`
		Detail    string `json:"detail"`
		Scenario  string `json:"scenario"`
		Reproduce string `json:"reproduce"`
	} `json:"checks"`
}

func readConformReport(t *testing.T, path string) conformReport {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var r conformReport
	require.NoError(t, json.Unmarshal(b, &r))
	return r
}

func TestConformAgainstTheReferenceIntegrator(t *testing.T) {
	const secret = "conform-secret-123"
	target := server(t, integrator.Options{Secret: secret})
	dir := t.TempDir()
	rep, junit := filepath.Join(dir, "r.json"), filepath.Join(dir, "j.xml")
	code, out, stderr := cli(t, map[string]string{"FLIREO_WEBHOOK_SECRET": secret},
		"conform", "--target", target, "--probe-api", "--seed", "4", "--report", rep, "--format", "progress,junit:"+junit)
	assert.Equal(t, exitPass, code, stderr)
	for _, want := range []string{"scenarios (", "score · target", "must ", "index ", "verdict PASS", "report written to"} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out+stderr, secret, "the secret is never printed")

	r := readConformReport(t, rep)
	assert.Equal(t, "pass", r.Verdict)
	assert.Equal(t, int64(4), r.Seed)
	assert.Equal(t, "flireo", r.Dialect)
	assert.Equal(t, target, r.Target)
	assert.InDelta(t, 1.0, r.Index, 1e-9)
	assert.Len(t, r.Checks, len(check.Catalogue()))
	assert.Equal(t, r.Score.Must.Total, r.Score.Must.Passed)
	for _, c := range r.Checks {
		assert.Equal(t, "pass", c.Status, c.ID)
		assert.Contains(t, []string{"must", "should"}, c.Severity)
	}
	raw, err := os.ReadFile(junit)
	require.NoError(t, err)
	var j struct {
		Tests int `xml:"tests,attr"`
	}
	require.NoError(t, xml.Unmarshal(raw, &j))
	assert.Positive(t, j.Tests)
}

func TestConformFailsAMisbehavingServer(t *testing.T) {
	const secret = "conform-secret-123"
	target := server(t, integrator.Options{Secret: secret, Misbehave: "wrong-tool-call-id"})
	rep := filepath.Join(t.TempDir(), "r.json")
	code, out, stderr := cli(t, nil, "conform", "--target", target, "--secret", secret, "--tags", "@tools", "--format", "progress", "--report", rep)
	assert.Equal(t, exitFail, code)
	assert.Contains(t, stderr, "conformance failed")
	assert.Contains(t, stderr, "tool-results-known-ids")
	assert.Contains(t, out, "verdict FAIL")
	assert.Contains(t, out, "reproduce:")
	r := readConformReport(t, rep)
	assert.Equal(t, "fail", r.Verdict)
	var failed []string
	for _, c := range r.Checks {
		if c.Status == "fail" {
			failed = append(failed, c.ID)
			assert.True(t, strings.HasPrefix(c.Reproduce, "curl -sS -i "), c.Reproduce)
			assert.Contains(t, c.Reproduce, "X-Webhook-Signature: sha256=", "re-signed with the secret")
			assert.NotContains(t, c.Reproduce, secret)
			assert.NotEmpty(t, c.Scenario)
		}
	}
	assert.ElementsMatch(t, []string{check.ToolResultsKnown, check.ToolResultsOnce}, failed)

	// The same failures as a baseline: known, so the build passes.
	code, out, stderr = cli(t, nil, "conform", "--target", target, "--secret", secret, "--tags", "@tools", "--format", "progress", "--baseline", rep)
	assert.Equal(t, exitPass, code, stderr)
	assert.Contains(t, out, "known failures (baseline")
	assert.Contains(t, out, "verdict PASS")
}

func TestConformShouldFailuresDoNotFailTheBuild(t *testing.T) {
	target := server(t, integrator.Options{Misbehave: "unknown-keys"})
	code, out, stderr := cli(t, nil, "conform", "--target", target, "--tags", "@assistant-request", "--format", "progress")
	assert.Equal(t, exitPass, code, stderr)
	assert.Contains(t, out, "! should reply-unknown-keys")
	assert.Contains(t, out, "1 should check(s) failed")
}

func TestConformTargetDown(t *testing.T) {
	// The pre-flight check ends the run before any scenario; the report says why.
	rep := filepath.Join(t.TempDir(), "r.json")
	code, out, stderr := cli(t, nil, "conform", "--target", closedPort(t), "--tags", "@assistant-request", "--format", "progress", "--report", rep)
	assert.Equal(t, exitFail, code)
	assert.Contains(t, stderr, "could not be reached")
	assert.Contains(t, stderr, "connection refused")
	assert.Contains(t, out, "verdict FAIL")
	r := readConformReport(t, rep)
	assert.Equal(t, "fail", r.Verdict)
	assert.Empty(t, r.Checks, "nothing was played")
}

func TestConformUsageErrors(t *testing.T) {
	target := "http://127.0.0.1:1/webhook"
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken")
	require.NoError(t, os.MkdirAll(broken, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(broken, "x.feature"), []byte("Feature: x\n  Scenario: y\n    Given an inbound call\n  not Gherkin at all\n"), 0o644))
	undefined := filepath.Join(dir, "undefined")
	require.NoError(t, os.MkdirAll(undefined, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(undefined, "u.feature"), []byte("Feature: u\n  Scenario: v\n    Given an inbound call\n    When the moon is full\n"), 0o644))
	badBase := filepath.Join(dir, "base.txt")
	require.NoError(t, os.WriteFile(badBase, []byte("http-2xx\nno-such-check\n"), 0o644))
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"conform"}, "no target"},
		{[]string{"conform", "--target", "ftp://x"}, "not an http(s) URL"},
		{[]string{"conform", "--target", target, "--bogus"}, "unknown flag --bogus"},
		{[]string{"conform", "--target", target, "--format", "pretty,html"}, `unknown format "html"`},
		{[]string{"conform", "--target", target, "--tags", "@must and not @x"}, "godog's syntax"},
		{[]string{"conform", "--target", target, "--tags", "@nothing-has-this"}, "no scenario"},
		{[]string{"conform", "--target", target, "--features", broken}, "x.feature:4:"},
		{[]string{"conform", "--target", target, "--features", undefined}, "u.feature:4: undefined step"},
		{[]string{"conform", "--target", target, "--features", filepath.Join(dir, "missing")}, "no such file"},
		{[]string{"conform", "--target", target, "--report", "out.txt"}, "name the file *.json"},
		{[]string{"conform", "--target", target, "--report", filepath.Join(dir, "no", "r.json")}, "--report"},
		{[]string{"conform", "--target", target, "--baseline", badBase}, `unknown check "no-such-check"`},
		{[]string{"conform", "--target", target, "--baseline", filepath.Join(dir, "missing.txt")}, "--baseline"},
		{[]string{"conform", "--target", target, "--dialect", "vapi-ish"}, "vapi-ish"},
		{[]string{"conform", "--target", target, "--concurrency", "0"}, "--concurrency"},
		{[]string{"conform", "--target", target, "extra"}, "unexpected argument"},
		{[]string{"steps", "extra"}, "unexpected argument"},
	}
	for _, c := range cases {
		code, _, stderr := cli(t, nil, c.args...)
		assert.Equal(t, exitUsage, code, "%v: %s", c.args, stderr)
		assert.Contains(t, stderr, c.want, "%v", c.args)
		assert.Equal(t, 1, strings.Count(strings.TrimSpace(stderr), "\n")+1, "one-line error for %v: %q", c.args, stderr)
	}
}

func TestConformOwnFeatures(t *testing.T) {
	target := server(t, integrator.Options{})
	dir := t.TempDir()
	feature := `Feature: my bookings
  @must
  Scenario: a known caller books
    Given an inbound call from "+31612345678" to "+31850835037"
    When the platform sends the assistant-request
    Then my server answers within 5 seconds with an assistant configuration
    And the assistant declares the tool "book_appointment"
    When the assistant calls "book_appointment" with:
      """
      {"name": "Jan de Vries", "date": "2026-02-05", "time": "10:30"}
      """
    Then every tool call gets exactly one result
    When the call ends with reason "user_hangup"
    And I GET "{base}/calls/{call_id}"
    Then the JSON at "reports" equals 2
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "mine.feature"), []byte(feature), 0o644))
	code, out, stderr := cli(t, nil, "conform", "--target", target, "--features", dir, "--format", "progress")
	assert.Equal(t, exitFail, code, "an assertion of the feature file itself fails the build")
	assert.Contains(t, out, `scenario "a known caller books" failed`)
	assert.Contains(t, out, "the JSON at reports is 1, expected 2")
	assert.Contains(t, stderr, "scenario(s) failed an assertion")

	require.NoError(t, os.WriteFile(filepath.Join(dir, "mine.feature"), []byte(strings.Replace(feature, "equals 2", "equals 1", 1)), 0o644))
	code, out, stderr = cli(t, nil, "conform", "--target", target, "--features", dir, "--format", "progress")
	assert.Equal(t, exitPass, code, stderr)
	assert.Contains(t, out, "verdict PASS")
}

func TestSteps(t *testing.T) {
	code, out, _ := cli(t, nil, "steps", "--checks")
	assert.Equal(t, exitPass, code)
	for _, want := range []string{"call setup", "assistant-request", "tools", "signatures", "your own API (probe steps)",
		`Given an inbound call from "+31612345678" to "+31850835037"`, `Then the JSON at "reports" equals 1`,
		"When the end-of-call-report is delivered again", "checks (tag scenarios", check.ReportRedelivery} {
		assert.Contains(t, out, want)
	}
	for _, c := range []string{"conform", "steps"} {
		code, out, _ := cli(t, nil, c, "--help")
		assert.Equal(t, exitPass, code, c)
		assert.Contains(t, out, "Usage: flireo-sim "+c, c)
	}
}
