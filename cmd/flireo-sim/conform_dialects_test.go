package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/check"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
)

// wrapped serves the reference integrator behind a filter that sees every
// webhook body first: it may answer itself (a crash) or pass the request on.
func wrapped(t *testing.T, o integrator.Options, filter func(w http.ResponseWriter, r *http.Request, body []byte) bool) string {
	t.Helper()
	return integratortest.Start(t, integratortest.With(o), integratortest.Wrap(func(srv http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost {
				body, err := io.ReadAll(r.Body)
				if err != nil {
					http.Error(w, err.Error(), http.StatusBadRequest)
					return
				}
				r.Body = io.NopCloser(bytes.NewReader(body))
				if filter(w, r, body) {
					return
				}
			}
			srv.ServeHTTP(w, r)
		})
	})).Webhook()
}

// dialectReport is the part of the --report file about dialects.
type dialectReport struct {
	Verdict         string   `json:"verdict"`
	Dialect         string   `json:"dialect"`
	Dialects        []string `json:"dialects"`
	SkippedDialects []struct {
		Dialect, Reason string
	} `json:"skipped_dialects"`
	Checks []struct {
		ID, Status, Detail, Dialect string
		FailedDialects              []string `json:"failed_dialects"`
	} `json:"checks"`
	Scenarios []struct {
		Name, Dialect, Status, Error, Skip string
	} `json:"scenarios"`
}

func readDialectReport(t *testing.T, path string) dialectReport {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var r dialectReport
	require.NoError(t, json.Unmarshal(b, &r))
	return r
}

// TestConformSignedDialectsAgainstASignatureCheckingServer: a server that
// refuses every unsigned webhook with 401 passes conform --secret in every
// signed dialect; the only unsigned request it gets is the signature
// scenario's own probe. An unsigned dialect with --secret is a usage error,
// and skipped with the reason in a run of several; sent without a secret to
// that server it fails http-2xx, naming the dialect.
func TestConformSignedDialectsAgainstASignatureCheckingServer(t *testing.T) {
	const secret = "conform-dialect-secret"
	var unsigned atomic.Int64
	target := wrapped(t, integrator.Options{Secret: secret}, func(w http.ResponseWriter, r *http.Request, _ []byte) bool {
		if r.Header.Get("X-Webhook-Signature") == "" {
			unsigned.Add(1)
			http.Error(w, `{"error":"missing signature"}`, http.StatusUnauthorized)
			return true
		}
		return false
	})
	dir := t.TempDir()
	for _, d := range []string{"flireo", "flireo-camel", "interactly"} {
		t.Run(d, func(t *testing.T) {
			unsigned.Store(0)
			rep := filepath.Join(dir, d+".json")
			code, out, stderr := cli(t, nil, "conform", "--target", target, "--secret", secret, "--dialect", d,
				"--concurrency", "4", "--format", "progress", "--report", rep)
			assert.Equal(t, exitPass, code, "%s\n%s", stderr, out)
			assert.Contains(t, out, "verdict PASS")
			r := readDialectReport(t, rep)
			assert.Equal(t, d, r.Dialect)
			for _, s := range r.Scenarios {
				assert.Equal(t, d, s.Dialect, s.Name)
			}
			assert.Equal(t, "pass", checkStatus(r, check.SignatureEnforced), "the signature scenarios ran")
			assert.Equal(t, int64(1), unsigned.Load(), "only the probe without a signature goes unsigned")
		})
	}

	code, _, stderr := cli(t, nil, "conform", "--target", target, "--secret", secret, "--dialect", "flireo-legacy")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, stderr, "--dialect flireo-legacy with --secret")
	assert.Contains(t, stderr, "unsigned")

	unsigned.Store(0)
	rep := filepath.Join(dir, "several.json")
	code, out, stderr := cli(t, nil, "conform", "--target", target, "--secret", secret, "--dialects", "flireo-legacy,flireo",
		"--concurrency", "4", "--format", "progress", "--report", rep)
	assert.Equal(t, exitPass, code, "%s\n%s", stderr, out)
	assert.Contains(t, out, "dialect flireo-legacy not played")
	r := readDialectReport(t, rep)
	assert.Equal(t, []string{"flireo"}, r.Dialects)
	require.Len(t, r.SkippedDialects, 1)
	assert.Equal(t, "flireo-legacy", r.SkippedDialects[0].Dialect)
	assert.Contains(t, r.SkippedDialects[0].Reason, "unsigned")
	assert.Equal(t, int64(1), unsigned.Load())

	// What the old suite did: the unsigned dialect sent to this server.
	rep = filepath.Join(dir, "legacy.json")
	code, _, _ = cli(t, nil, "conform", "--target", target, "--dialect", "flireo-legacy", "--tags", "@lifecycle",
		"--concurrency", "4", "--format", "progress", "--report", rep)
	assert.Equal(t, exitFail, code)
	r = readDialectReport(t, rep)
	assert.Equal(t, "fail", checkStatus(r, check.HTTP2xx))
	for _, c := range r.Checks {
		if c.Status == "fail" {
			assert.Contains(t, c.Detail, "sent in the flireo-legacy dialect", c.ID)
			assert.Equal(t, "flireo-legacy", c.Dialect)
		}
	}
	for _, s := range r.Scenarios {
		if s.Status == "fail" {
			assert.Contains(t, s.Error, "flireo-legacy dialect", s.Name)
		}
	}
}

func checkStatus(r dialectReport, id string) string {
	for _, c := range r.Checks {
		if c.ID == id {
			return c.Status
		}
	}
	return ""
}

// TestConformServersOfOneDialect: servers built for one platform
// generation crash (500) on the shapes of the others. Each passes the suite
// in its own dialect; in another dialect the crash is found, which shows
// that the suite sends nothing of other dialects.
func TestConformServersOfOneDialect(t *testing.T) {
	camel, legacy := camelOnly(t, "camel-secret"), legacyOnly(t)
	cases := []struct {
		name, target, secret, own, other string
	}{
		{"camel-only", camel, "camel-secret", "flireo-camel", "flireo"},
		{"legacy-only", legacy, "", "flireo-legacy", "flireo-camel"},
	}
	dir := t.TempDir()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			args := []string{"conform", "--target", c.target, "--concurrency", "4", "--format", "progress"}
			if c.secret != "" {
				args = append(args, "--secret", c.secret)
			}
			code, out, stderr := cli(t, nil, append(args, "--dialect", c.own)...)
			assert.Equal(t, exitPass, code, "%s\n%s", stderr, out)
			assert.Contains(t, out, "verdict PASS")

			rep := filepath.Join(dir, c.name+".json")
			code, out, _ = cli(t, nil, append(args, "--dialect", c.other, "--tags", "@lifecycle", "--report", rep)...)
			assert.Equal(t, exitFail, code, out)
			r := readDialectReport(t, rep)
			assert.Equal(t, "fail", checkStatus(r, check.HTTP2xx))
			assert.True(t, strings.Contains(out, "sent in the "+c.other+" dialect"), out)
		})
	}
}

func crash(w http.ResponseWriter) bool {
	http.Error(w, "panic: runtime error: invalid memory address or nil pointer dereference", http.StatusInternalServerError)
	return true
}

// camelOnly is a G2 server: camelCase only, it crashes on anything else.
func camelOnly(t *testing.T, secret string) string {
	return wrapped(t, integrator.Options{Secret: secret}, func(w http.ResponseWriter, _ *http.Request, body []byte) bool {
		for _, other := range []string{`"eventType"`, `"phone_number"`, `"tool_call_list"`, `"ended_reason"`, `"_phone_call"`, `"web_call"`} {
			if bytes.Contains(body, []byte(other)) {
				return crash(w)
			}
		}
		return false
	})
}

// legacyOnly is a G1 server: the flat legacy events only, unsigned.
func legacyOnly(t *testing.T) string {
	return wrapped(t, integrator.Options{}, func(w http.ResponseWriter, _ *http.Request, body []byte) bool {
		var ev struct {
			EventType string `json:"eventType"`
		}
		if json.Unmarshal(body, &ev) != nil || ev.EventType == "" {
			return crash(w)
		}
		return false
	})
}

// TestConformSeveralDialects: --dialects plays the suite once per dialect
// with one verdict; a failure in one dialect fails the run and names that
// dialect; formats with files are written per dialect.
func TestConformSeveralDialects(t *testing.T) {
	target := camelOnly(t, "several-secret")
	dir := t.TempDir()
	rep, junit := filepath.Join(dir, "r.json"), filepath.Join(dir, "out.xml")
	code, out, stderr := cli(t, nil, "conform", "--target", target, "--secret", "several-secret", "--dialects", "flireo-camel,flireo",
		"--tags", "@lifecycle", "--concurrency", "4", "--format", "progress,junit:"+junit, "--report", rep)
	assert.Equal(t, exitFail, code, stderr)
	assert.Contains(t, out, "── dialect flireo-camel ──")
	assert.Contains(t, out, "── dialect flireo ──")
	assert.Contains(t, out, "dialect flireo-camel,flireo")
	r := readDialectReport(t, rep)
	assert.Equal(t, "fail", r.Verdict)
	assert.Equal(t, []string{"flireo-camel", "flireo"}, r.Dialects)
	per := map[string]map[string]int{}
	for _, s := range r.Scenarios {
		if per[s.Dialect] == nil {
			per[s.Dialect] = map[string]int{}
		}
		per[s.Dialect][s.Status]++
	}
	assert.Contains(t, stderr, "http-2xx (in flireo)", "the verdict names the dialect of the failure")
	assert.Zero(t, per["flireo-camel"]["fail"], "the camel server passes in its dialect")
	assert.Positive(t, per["flireo-camel"]["pass"])
	assert.Positive(t, per["flireo"]["fail"], "and crashes in the other")
	for _, c := range r.Checks {
		if c.Status == "fail" {
			assert.Equal(t, "flireo", c.Dialect, c.ID)
			assert.Equal(t, []string{"flireo"}, c.FailedDialects, c.ID)
			assert.Contains(t, c.Detail, "sent in the flireo dialect", c.ID)
		}
	}
	// One JUnit file covers both passes.
	xml, err := os.ReadFile(junit)
	require.NoError(t, err, "one JUnit file for the whole run")
	for _, d := range []string{"flireo-camel", "flireo"} {
		assert.Contains(t, string(xml), "dialect "+d, "the JUnit report names the dialect %s", d)
		_, err := os.Stat(filepath.Join(dir, "out."+d+".xml"))
		assert.True(t, os.IsNotExist(err), "no JUnit file per dialect")
	}
}

// TestConformOneDialectInTheList: --dialects with one name runs in it.
func TestConformOneDialectInTheList(t *testing.T) {
	target := legacyOnly(t)
	rep := filepath.Join(t.TempDir(), "r.json")
	code, out, stderr := cli(t, nil, "conform", "--target", target, "--dialects", "flireo-legacy", "--tags", "@lifecycle",
		"--concurrency", "4", "--format", "progress", "--report", rep)
	assert.Equal(t, exitPass, code, "%s\n%s", stderr, out)
	assert.Equal(t, "flireo-legacy", readDialectReport(t, rep).Dialect)
}

func TestConformDialectUsageErrors(t *testing.T) {
	target := "http://127.0.0.1:1/webhook"
	cases := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{[]string{"--dialect", "flireo-legacy", "--secret", "s"}, nil, "--dialect flireo-legacy with --secret"},
		{[]string{"--dialect", "flireo-legacy"}, map[string]string{"FLIREO_WEBHOOK_SECRET": "s"}, "FLIREO_WEBHOOK_SECRET"},
		{[]string{"--dialects", "flireo-legacy", "--secret", "s"}, nil, "unsigned dialects are never sent"},
		{[]string{"--dialects", "flireo,vapi-ish"}, nil, `unknown dialect "vapi-ish"`},
		{[]string{"--dialects", "flireo,flireo"}, nil, "listed twice"},
		{[]string{"--dialect", "flireo", "--dialects", "flireo-camel"}, nil, "give one of them"},
	}
	for _, c := range cases {
		code, _, stderr := cli(t, c.env, append([]string{"conform", "--target", target}, c.args...)...)
		assert.Equal(t, exitUsage, code, "%v: %s", c.args, stderr)
		assert.Contains(t, stderr, c.want, "%v", c.args)
	}
}

// TestUnsignedDialectWithASecretIsAUsageError: no command sends the unsigned
// dialect to a server configured with a secret.
func TestUnsignedDialectWithASecretIsAUsageError(t *testing.T) {
	target := "http://127.0.0.1:1/webhook"
	for _, cmd := range [][]string{{"call"}, {"send", "status-update"}, {"load", "--duration", "1s"}, {"conform"}} {
		args := append(append([]string{}, cmd...), "--target", target, "--dialect", "flireo-legacy", "--secret", "s")
		code, _, stderr := cli(t, nil, args...)
		assert.Equal(t, exitUsage, code, "%v: %s", args, stderr)
		assert.Contains(t, stderr, "--dialect flireo-legacy with --secret", "%v", args)
		assert.NotContains(t, stderr, "could not be reached", "%v: refused before anything is sent", args)
	}
	code, _, stderr := cli(t, nil, "call", "--target", target, "--dialect", "flireo-legacy")
	assert.NotEqual(t, exitUsage, code, "without a secret the unsigned dialect plays: %s", stderr)
}
