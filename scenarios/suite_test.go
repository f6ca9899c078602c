package scenarios

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"errors"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
)

const testSecret = "whsec_conformance_test"

// reference starts the reference integrator on a loopback port.
func reference(t *testing.T, o integrator.Options) string {
	t.Helper()
	return integratortest.Start(t, integratortest.With(o)).Webhook()
}

// run plays the suite with a fresh library.
func run(t *testing.T, cfg Config, o RunOptions) (*Result, *Library) {
	t.Helper()
	lib, err := New(cfg)
	require.NoError(t, err)
	t.Cleanup(lib.Close)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	res, err := lib.Run(ctx, o)
	require.NoError(t, err)
	return res, lib
}

func failedChecks(r *Result) []string {
	var out []string
	for _, c := range r.Checks {
		if c.Status == "fail" {
			out = append(out, c.ID)
		}
	}
	return out
}

func TestBuiltinSuitePassesAgainstTheReferenceIntegrator(t *testing.T) {
	target := reference(t, integrator.Options{Secret: testSecret})
	began := time.Now()
	res, _ := run(t, Config{Target: target, Secret: testSecret, Seed: 1, ProbeAPI: true}, RunOptions{})
	took := time.Since(began)
	t.Logf("built-in suite against the reference integrator (default deadlines): %s", took)
	assert.Less(t, took, 30*time.Second)
	assert.Equal(t, StatusPass, res.Verdict, res.Reason)
	assert.Empty(t, failedChecks(res))
	assert.Equal(t, len(check.Catalogue()), res.Exercised, "every check is exercised")
	assert.InDelta(t, 1.0, res.Index, 1e-9)
	for _, s := range res.Scenarios {
		assert.Equal(t, StatusPass, s.Status, "%s: %s %s", s.Name, s.Error, s.Skip)
	}
	assert.Equal(t, res.Score.Must.Total, res.Score.Must.Passed)
	assert.Equal(t, res.Score.Should.Total, res.Score.Should.Passed)
	assert.Empty(t, res.Unreachable)
}

func TestWithoutSecretTheSignatureScenariosAreSkipped(t *testing.T) {
	target := reference(t, integrator.Options{})
	res, _ := run(t, Config{Target: target, Seed: 1}, RunOptions{Tags: "@signatures,@probe-api"})
	assert.Equal(t, StatusFail, res.Verdict, "nothing evaluated is never a pass")
	assert.Contains(t, res.Reason, "no check was evaluated")
	for _, s := range res.Scenarios {
		assert.Equal(t, StatusSkip, s.Status, s.Name)
		assert.NotEmpty(t, s.Skip)
	}
	for _, c := range res.Checks {
		assert.Equal(t, StatusSkip, c.Status, c.ID)
	}
	byID := map[string]CheckResult{}
	for _, c := range res.Checks {
		byID[c.ID] = c
	}
	assert.Contains(t, byID[check.SignatureEnforced].Detail, "--secret")
	assert.Contains(t, byID[check.TextPreserved].Detail, "--probe-api")

	// The whole suite without a secret passes, with the signature checks skipped.
	res, _ = run(t, Config{Target: target, Seed: 1}, RunOptions{Tags: "~@robustness"})
	assert.Equal(t, StatusPass, res.Verdict, res.Reason)
	assert.Equal(t, StatusSkip, byIDOf(res, check.SignatureEnforced).Status)
	assert.Less(t, res.Index, 1.0)
}

func byIDOf(r *Result, id string) CheckResult {
	for _, c := range r.Checks {
		if c.ID == id {
			return c
		}
	}
	return CheckResult{}
}

// junitDoc is the part of godog's JUnit XML the test reads.
type junitDoc struct {
	XMLName xml.Name `xml:"testsuites"`
	Tests   int      `xml:"tests,attr"`
	Suites  []struct {
		Name  string `xml:"name,attr"`
		Cases []struct {
			Name   string `xml:"name,attr"`
			Status string `xml:"status,attr"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

// cucumberDoc is the part of the Cucumber JSON the test reads.
type cucumberDoc []struct {
	URI      string `json:"uri"`
	Elements []struct {
		Name  string `json:"name"`
		Type  string `json:"type"`
		Steps []struct {
			Result struct {
				Status string `json:"status"`
			} `json:"result"`
		} `json:"steps"`
	} `json:"elements"`
}

func TestJUnitAndCucumberReports(t *testing.T) {
	target := reference(t, integrator.Options{Secret: testSecret, Misbehave: "eocr-500"})
	dir := t.TempDir()
	junit, cucumber := filepath.Join(dir, "out.xml"), filepath.Join(dir, "out.json")
	var out bytes.Buffer
	res, _ := run(t, Config{Target: target, Secret: testSecret, Seed: 3, ProbeAPI: true},
		RunOptions{Format: "progress,junit:" + junit + ",cucumber:" + cucumber, Output: &out, Concurrency: 4})
	require.Equal(t, StatusFail, res.Verdict)
	assert.Contains(t, out.String(), "scenarios (")

	raw, err := os.ReadFile(junit)
	require.NoError(t, err)
	var j junitDoc
	require.NoError(t, xml.Unmarshal(raw, &j), "valid JUnit XML")
	cases, failed := 0, 0
	for _, s := range j.Suites {
		for _, c := range s.Cases {
			cases++
			if c.Status == "failed" {
				failed++
			}
		}
	}
	assert.Equal(t, len(res.Scenarios), cases, "one test case per scenario")
	assert.Equal(t, len(res.Scenarios), j.Tests)
	scenariosFailed := 0
	for _, s := range res.Scenarios {
		if s.Status == StatusFail {
			scenariosFailed++
		}
	}
	assert.Positive(t, failed)
	assert.Equal(t, scenariosFailed, failed, "the same scenarios fail in JUnit and in the result")

	raw, err = os.ReadFile(cucumber)
	require.NoError(t, err)
	var c cucumberDoc
	require.NoError(t, json.Unmarshal(raw, &c), "valid Cucumber JSON")
	elements := 0
	for _, f := range c {
		for _, e := range f.Elements {
			if e.Type == "scenario" {
				elements++
			}
		}
	}
	assert.Equal(t, len(res.Scenarios), elements, "one element per scenario")
}

func TestBadInput(t *testing.T) {
	target := reference(t, integrator.Options{})
	dir := t.TempDir()
	write := func(name, text string) string {
		d := filepath.Join(dir, strings.TrimSuffix(name, ".feature"))
		require.NoError(t, os.MkdirAll(d, 0o755))
		require.NoError(t, os.WriteFile(filepath.Join(d, name), []byte(text), 0o644))
		return d
	}
	malformed := write("broken.feature", "Feature: broken\n  Scenario: one\n    Given an inbound call\n  this line is not Gherkin\n")
	undefined := write("undefined.feature", "Feature: u\n  Scenario: one\n    Given an inbound call\n    When the caller sings a song\n")
	noScenario := write("empty.feature", "Feature: nothing here\n")
	cases := []struct {
		name string
		o    RunOptions
		want []string
	}{
		{"malformed feature names the file and line", RunOptions{Features: malformed}, []string{"broken.feature:4:", "malformed feature file"}},
		{"undefined step names the file and line", RunOptions{Features: undefined}, []string{"undefined.feature:4:", `undefined step "the caller sings a song"`}},
		{"no scenario", RunOptions{Features: noScenario}, []string{"no scenario in"}},
		{"missing directory", RunOptions{Features: filepath.Join(dir, "nope")}, []string{"Features", "no such file"}},
		{"tags match nothing", RunOptions{Tags: "@no-such-tag"}, []string{`Tags "@no-such-tag": no scenario in the built-in suite matches`}},
		{"cucumber-style tags", RunOptions{Tags: "@must and not @probe-api"}, []string{"godog's syntax"}},
		{"empty tag term", RunOptions{Tags: "@must && "}, []string{"empty term"}},
		{"unknown format", RunOptions{Format: "pretty,html"}, []string{`unknown format "html"`, "junit"}},
		{"format file in a missing directory", RunOptions{Format: "junit:" + filepath.Join(dir, "no", "x.xml")}, []string{"cannot write"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			lib, err := New(Config{Target: target})
			require.NoError(t, err)
			defer lib.Close()
			_, err = lib.Run(context.Background(), c.o)
			var ie *InputError
			require.True(t, errors.As(err, &ie), "an input error: %v", err)
			for _, w := range c.want {
				assert.Contains(t, err.Error(), w)
			}
			assert.NotContains(t, err.Error(), "--", "a library error names the option, not a flag")
		})
	}
	_, err := New(Config{Target: target, Dialect: "vapi-ish"})
	assert.ErrorContains(t, err, "vapi-ish")
	_, err = New(Config{Target: "ftp://x"})
	assert.ErrorContains(t, err, "not an http(s) URL")
}

func TestTargetDownIsNeverAnEmptyPass(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	target := "http://" + ln.Addr().String() + "/webhook"
	require.NoError(t, ln.Close())
	res, _ := run(t, Config{Target: target, Secret: testSecret}, RunOptions{Tags: "~@robustness"})
	assert.Equal(t, StatusFail, res.Verdict)
	assert.Contains(t, res.Unreachable, "connection refused")
	assert.Contains(t, res.Reason, "could not be reached")
	failed := failedChecks(res)
	assert.Contains(t, failed, check.HTTP2xx)
	for _, c := range res.Checks {
		if c.Status == "fail" {
			assert.Contains(t, c.Detail, "refused", c.ID)
			assert.NotEmpty(t, c.Reproduce, c.ID)
		}
	}
}

func TestBaseline(t *testing.T) {
	// A fresh server per run: the same seed plays the same calls, and this
	// mode refuses a second report for a call it already has.
	server := func() string {
		return reference(t, integrator.Options{Secret: testSecret, Misbehave: "reject-duplicate-report"})
	}
	cfg := Config{Target: server(), Secret: testSecret, Seed: 1}
	res, _ := run(t, cfg, RunOptions{Tags: "@robustness"})
	require.Equal(t, StatusFail, res.Verdict)
	require.Equal(t, []string{check.ReportRedelivery}, failedChecks(res))

	// The report as a baseline: the known failure no longer fails the verdict.
	var buf bytes.Buffer
	require.NoError(t, json.NewEncoder(&buf).Encode(res))
	base, err := ParseBaseline(buf.Bytes())
	require.NoError(t, err)
	assert.Equal(t, map[string]bool{check.ReportRedelivery: true}, base.Checks)
	cfg.Baseline, cfg.Target = base, server()
	res, _ = run(t, cfg, RunOptions{Tags: "@robustness"})
	assert.Equal(t, StatusPass, res.Verdict, res.Reason)
	assert.True(t, byIDOf(res, check.ReportRedelivery).Baselined)

	// A new failure still fails: the text baseline names another check.
	base, err = ParseBaseline([]byte("# known\nlarge-report  # big bodies\n\nscenario: some scenario\n"))
	require.NoError(t, err)
	cfg.Baseline, cfg.Target = base, server()
	res, _ = run(t, cfg, RunOptions{Tags: "@robustness"})
	assert.Equal(t, StatusFail, res.Verdict)
	assert.Contains(t, res.Fixed, check.LargeReport, "a baselined check that passes is reported as fixed")

	_, err = ParseBaseline([]byte("http-2xx\nhttp-3xx\n"))
	assert.ErrorContains(t, err, `line 2: unknown check "http-3xx"`)
	_, err = ParseBaseline([]byte(`{"nothing": 1}`))
	assert.ErrorContains(t, err, "not a flireo-sim report")
}

// TestSameSeedSameRun: a seed reproduces every delivery byte for byte.
func TestSameSeedSameRun(t *testing.T) {
	target := reference(t, integrator.Options{Secret: testSecret})
	digest := func(seed int64) (string, int) {
		clock := time.Date(2026, time.January, 5, 9, 0, 0, 0, time.UTC) // same seed and clock, same bytes
		_, lib := run(t, Config{Target: target, Secret: testSecret, Seed: seed, Clock: clock}, RunOptions{Tags: "@lifecycle,@tools", Concurrency: 4})
		h := sha256.New()
		n := 0
		for _, r := range lib.Result().Scenarios {
			h.Write([]byte(r.Name))
		}
		lib.mu.Lock()
		defer lib.mu.Unlock()
		recs := append([]*record(nil), lib.recs...)
		for i := range recs {
			for j := i + 1; j < len(recs); j++ {
				if recs[j].Pos < recs[i].Pos {
					recs[i], recs[j] = recs[j], recs[i]
				}
			}
		}
		for _, r := range recs {
			for _, x := range r.exchanges {
				h.Write(x.Request.Body)
				n++
			}
		}
		return hex.EncodeToString(h.Sum(nil)), n
	}
	a, n := digest(7)
	b, _ := digest(7)
	c, _ := digest(8)
	assert.Positive(t, n)
	assert.Equal(t, a, b, "same seed, same deliveries")
	assert.NotEqual(t, a, c, "another seed, other calls")
}
