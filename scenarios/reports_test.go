package scenarios

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cucumber/godog"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/diagnose"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// reportsFeature plays whole calls (many webhooks each) and has one
// scenario that is skipped without --probe-api.
const reportsFeature = `Feature: reports
  @must
  Scenario: a whole call is answered
    Given an inbound call
    When the call is played to the end
    Then every webhook is answered with a 2xx in time

  @must
  Scenario: another whole call is answered
    Given an inbound call
    And the caller wants to know the opening hours
    When the call is played to the end
    Then every webhook is answered with a 2xx in time

  @must @probe-api
  Scenario: a call the server stores
    Given an inbound call
    When the call is played to the end
    Then every webhook is answered with a 2xx in time
`

// refuseSigned answers 401 to every request with a signature, 200 {} to
// the others.
func refuseSigned(t *testing.T) string {
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Webhook-Signature") != "" {
			http.Error(w, `{"error":"unauthorized"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/webhook"
}

func TestHintsAndCausesCountedOnce(t *testing.T) {
	features := writeFeature(t, "reports.feature", reportsFeature)
	cases := []struct {
		name    string
		target  string
		secret  string
		hints   []string
		verdict Status
	}{
		{"the secret differs from the server's", reference(t, integrator.Options{Secret: testSecret}), "not-the-secret",
			[]string{diagnose.HintSecretMismatch}, "fail"},
		{"a server that refuses every signed webhook with 401", refuseSigned(t), testSecret,
			[]string{diagnose.HintSecretMismatch}, "fail"},
		{"the server demands signatures, no secret given", reference(t, integrator.Options{Secret: testSecret}), "",
			[]string{diagnose.HintSecretMissing}, "fail"},
		{"the right secret", reference(t, integrator.Options{Secret: testSecret}), testSecret, nil, "pass"},
		{"no secret, a server that does not sign", reference(t, integrator.Options{}), "", nil, "pass"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res, _ := run(t, Config{Target: c.target, Secret: c.secret, Seed: 5}, RunOptions{Features: features})
			assert.Equal(t, c.verdict, res.Verdict, res.Reason)
			assert.Equal(t, c.hints, res.Hints)
			var score bytes.Buffer
			WriteScore(&score, res, false)
			for _, h := range c.hints {
				assert.Equal(t, 1, strings.Count(score.String(), h), "the hint is said once:\n%s", score.String())
			}
			if c.verdict == "pass" {
				assert.NotContains(t, score.String(), "hint:")
				return
			}
			// Every refused webhook fails http-2xx: one line per cause, with its count.
			c2xx := byIDOf(res, check.HTTP2xx)
			require.Equal(t, StatusFail, c2xx.Status)
			require.NotEmpty(t, c2xx.Causes)
			sum := 0
			for _, cause := range c2xx.Causes {
				sum += cause.Exchanges
				assert.Equal(t, 1, strings.Count(score.String(), cause.Detail), "each cause once:\n%s", score.String())
			}
			assert.Equal(t, c2xx.Failures, sum, "the causes account for every failure")
			assert.Greater(t, c2xx.Causes[0].Exchanges, 1)
			assert.Contains(t, score.String(), "exchanges)")
		})
	}
}

func TestCompactOutputIsTheOnlySummary(t *testing.T) {
	features := writeFeature(t, "reports.feature", reportsFeature)
	target := reference(t, integrator.Options{Secret: testSecret, Misbehave: "eocr-500"})
	var out bytes.Buffer
	res, _ := run(t, Config{Target: target, Secret: testSecret, Seed: 5},
		RunOptions{Features: features, Output: &out, Concurrency: 3})
	require.Equal(t, StatusFail, res.Verdict)
	text := out.String()
	lines := strings.Split(strings.TrimSpace(text), "\n")
	require.Len(t, lines, len(res.Scenarios), "one line per scenario:\n%s", text)
	for i, s := range res.Scenarios {
		assert.Contains(t, lines[i], " "+s.Name+" ", "lines in feature order, whatever order the scenarios ended in")
	}
	assert.Contains(t, text, "✗ a whole call is answered (http-2xx, dialect flireo: end-of-call-report answered HTTP 500")
	assert.Contains(t, text, "- a call the server stores (skipped: the scenario reads the server's own API")
	for _, no := range []string{"scenarios (", "steps (", ".go:", "--- Failed steps"} {
		assert.NotContains(t, text, no, "no godog summary and no step locations")
	}

	// --format pretty keeps godog's full output.
	out.Reset()
	run(t, Config{Target: target, Secret: testSecret, Seed: 5},
		RunOptions{Features: features, Output: &out, Format: "pretty"})
	assert.Contains(t, out.String(), "scenarios (")
}

// junitReport is JUnit XML as CI servers read it.
type junitReport struct {
	Tests    int `xml:"tests,attr"`
	Failures int `xml:"failures,attr"`
	Skipped  int `xml:"skipped,attr"`
	Errors   int `xml:"errors,attr"`
	Suites   []struct {
		Name       string `xml:"name,attr"`
		Tests      int    `xml:"tests,attr"`
		Properties []struct {
			Name  string `xml:"name,attr"`
			Value string `xml:"value,attr"`
		} `xml:"properties>property"`
		Cases []struct {
			Name    string `xml:"name,attr"`
			Status  string `xml:"status,attr"`
			Failure *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Text    string `xml:",chardata"`
			} `xml:"failure"`
			Error *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
			} `xml:"error"`
			Skipped *struct {
				Message string `xml:"message,attr"`
			} `xml:"skipped"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func readJUnit(t *testing.T, path string) junitReport {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var j junitReport
	require.NoError(t, xml.Unmarshal(raw, &j), "valid XML:\n%s", raw)
	return j
}

func TestJUnitCarriesChecksSkipsAndReproduce(t *testing.T) {
	features := writeFeature(t, "reports.feature", reportsFeature)
	cases := []struct {
		name      string
		misbehave string
		verdict   Status
	}{
		{"a broken server", "eocr-500", "fail"},
		{"a correct server", "", "pass"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := reference(t, integrator.Options{Secret: testSecret, Misbehave: c.misbehave})
			file := filepath.Join(t.TempDir(), "junit.xml")
			var out bytes.Buffer
			res, _ := run(t, Config{Target: target, Secret: testSecret, Seed: 5},
				RunOptions{Features: features, Output: &out, Format: "compact,junit:" + file})
			require.Equal(t, c.verdict, res.Verdict, res.Reason)
			j := readJUnit(t, file)
			assert.Equal(t, len(res.Scenarios), j.Tests, "one test case per scenario")
			props := map[string]string{}
			for _, s := range j.Suites {
				for _, p := range s.Properties {
					props[p.Name] = p.Value
				}
			}
			assert.Equal(t, "5", props["seed"])
			assert.Equal(t, "now", props["clock"], "a run without a fixed clock says so")
			assert.Regexp(t, `^--seed 5 --clock \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$`, props["replay"], "the replay hint is ready to paste")
			assert.Equal(t, props["replay"], res.Replay)
			failed, skipped, cases := 0, 0, 0
			for _, s := range j.Suites {
				for _, tc := range s.Cases {
					cases++
					if tc.Skipped != nil {
						skipped++
						assert.Contains(t, tc.Skipped.Message, "--probe-api", "the skip says why")
					}
					if tc.Failure == nil {
						continue
					}
					failed++
					assert.Equal(t, check.HTTP2xx, tc.Failure.Type)
					assert.Contains(t, tc.Failure.Message, "http-2xx (dialect flireo): end-of-call-report answered HTTP 500")
					assert.Contains(t, tc.Failure.Text, "reproduce:\ncurl -sS -i '"+target+"'")
				}
			}
			assert.Equal(t, j.Tests, cases)
			assert.Equal(t, 1, skipped)
			assert.Equal(t, j.Skipped, skipped)
			assert.Equal(t, j.Failures, failed)
			want := 0
			if c.verdict == "fail" {
				want = 2
			}
			assert.Equal(t, want, failed)
			assert.Zero(t, j.Errors)
		})
	}
}

func TestInterruptedRunSaysSo(t *testing.T) {
	features := writeFeature(t, "reports.feature", reportsFeature)
	target := reference(t, integrator.Options{Secret: testSecret, Misbehave: "hang"})
	lib, err := New(Config{Target: target, Secret: testSecret, Seed: 5})
	require.NoError(t, err)
	t.Cleanup(lib.Close)
	file := filepath.Join(t.TempDir(), "junit.xml")
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(300*time.Millisecond, cancel)
	res, err := lib.Run(ctx, RunOptions{Features: features, Format: "junit:" + file})
	require.NoError(t, err)
	assert.True(t, res.Interrupted)
	assert.Contains(t, res.InterruptedReason, "interrupted")
	assert.Equal(t, StatusFail, res.Verdict)
	assert.True(t, strings.HasPrefix(res.Reason, "interrupted: "), res.Reason)
	var score bytes.Buffer
	WriteScore(&score, res, false)
	assert.Contains(t, score.String(), "interrupted: ")
	// The stop cut the scenarios short: none of them failed for it, and
	// the cancelled deliveries grade nothing.
	for _, s := range res.Scenarios {
		assert.Equal(t, StatusSkip, s.Status, s.Name)
	}
	assert.Contains(t, res.InterruptedReason, "1 of 3 scenarios finished", "the @probe-api one was skipped before the stop")
	assert.Zero(t, res.Score.ScenarioFailures)
	assert.Equal(t, StatusSkip, byIDOf(res, check.HTTP2xx).Status)
	assert.Empty(t, res.Unreachable)

	j := readJUnit(t, file)
	assert.Equal(t, 1, j.Errors, "an interrupted run is never green")
	last := j.Suites[len(j.Suites)-1]
	require.Len(t, last.Cases, 1)
	require.NotNil(t, last.Cases[0].Error)
	assert.Equal(t, "interrupted", last.Cases[0].Error.Type)
}

// The compact format also works in a suite run with godog directly.
func TestCompactFormatterInAGodogSuite(t *testing.T) {
	cases := []struct {
		name      string
		misbehave string
		want      []string
	}{
		{"a broken server", "eocr-500", []string{"✗ a whole call is answered (every webhook is answered with a 2xx in time: ", "- a call the server stores (skipped: at step: "}},
		{"a correct server", "", []string{"✓ a whole call is answered\n", "✓ another whole call is answered\n", "- a call the server stores (skipped: "}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			target := reference(t, integrator.Options{Secret: testSecret, Misbehave: c.misbehave})
			lib, err := New(Config{Target: target, Secret: testSecret, Seed: 5})
			require.NoError(t, err)
			t.Cleanup(lib.Close)
			var out bytes.Buffer
			suite := godog.TestSuite{ScenarioInitializer: lib.Register, Options: &godog.Options{Format: FormatCompact, Output: &out,
				Strict: true, NoColors: true, FeatureContents: []godog.Feature{{Name: "reports.feature", Contents: []byte(reportsFeature)}}}}
			suite.Run()
			lines := strings.Split(strings.TrimSpace(out.String()), "\n")
			assert.Len(t, lines, 3, out.String())
			for _, w := range c.want {
				assert.Contains(t, out.String(), w)
			}
			assert.NotContains(t, out.String(), "scenarios (")
		})
	}
}
