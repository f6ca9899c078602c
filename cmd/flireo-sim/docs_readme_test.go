package main

import (
	"encoding/json"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// The README's examples run: its shell blocks are played against the
// reference integrator they start, and its sample output is what that seed
// prints today.

// readmeNotRun are the README lines the test does not run, and why.
var readmeNotRun = []notRun{
	{"make demo", "builds the binary and runs flireo-sim demo, which TestDemo runs; the Makefile must have it", makeTargetExists},
	{"make ", "a make target builds, lints, tests or measures the whole project; the Makefile must have it", makeTargetExists},
	{"go build ", "the test runs flireo-sim in-process, built from this package", nil},
	{"go test ", "rewrites golden files; the package must exist", packageExists},
}

func TestReadmeExamplesRun(t *testing.T) {
	commands, samples := playPage(t, docPage{file: "README.md", notRun: readmeNotRun})
	assert.GreaterOrEqual(t, commands, 2, "the README starts the reference integrator and plays a call")
	assert.GreaterOrEqual(t, samples, 1, "the README shows what a call prints")
}

// docPages are the pages whose command lines and synopses must use existing
// commands and flags.
var docPages = []string{"README.md", "docs/conformance.md", "docs/load.md", "docs/platform.md"}

func TestDocsCommandsUseExistingFlags(t *testing.T) {
	for _, file := range docPages {
		n := 0
		for _, f := range pageFences(readDoc(t, file)) {
			if f.lang != "sh" && !f.isSynopsis() {
				continue
			}
			for _, line := range f.logicalLines() {
				if c, ok := parseDocCommand(line); ok {
					assertFlagsExist(t, fmt.Sprintf("%s:%d", file, f.start), c)
					n++
				}
			}
		}
		assert.NotZero(t, n, "%s shows flireo-sim commands", file)
	}
}

// inlineCommandPattern finds a flireo-sim command quoted in running text.
var inlineCommandPattern = regexp.MustCompile("`(flireo-sim [a-z][^`]*)`")

func TestDocsInlineCommandsUseExistingFlags(t *testing.T) {
	for _, file := range append([]string{"docs/webhooks.md", "docs/ci/README.md", "docs/architecture.md"}, docPages...) {
		for _, m := range inlineCommandPattern.FindAllStringSubmatch(readDoc(t, file), -1) {
			if c, ok := parseDocCommand(m[1]); ok {
				assertFlagsExist(t, file+": `"+m[1]+"`", c)
			}
		}
	}
}

// conformanceNotRun are the lines of docs/conformance.md the test does not
// run, and why.
var conformanceNotRun = []notRun{
	{"flireo-sim conform --target $URL --report conformance.json", "the first half of a replay, which needs a fixed build the reader starts by hand", nil},
	{"flireo-sim replay conformance.json --target http://127.0.0.1:9090", "replays to a fixed build the reader starts by hand; replay_test.go replays reports", nil},
	{"FLIREO_WEBHOOK_SECRET=s3cret python3 scenarios/testdata/zoo/", "a zoo server: scenarios/zoo_test.go runs them", nil},
	{"(cd scenarios/testdata/zoo/", "builds a zoo server: scenarios/zoo_test.go runs them", nil},
	{"FLIREO_WEBHOOK_SECRET=s3cret /tmp/garage-webhook", "a zoo server: scenarios/zoo_test.go runs them", nil},
	{"flireo-sim conform --target http://127.0.0.1:809", "targets a zoo server: scenarios/zoo_test.go runs the suite against each", nil},
}

func TestConformanceDocExamplesRun(t *testing.T) {
	page := readDoc(t, "docs/conformance.md")
	commands, samples := playPage(t, docPage{file: "docs/conformance.md", notRun: conformanceNotRun,
		vars: map[string]string{"$URL": "http://127.0.0.1:8080/webhook"}}) // the server the page starts first
	assert.GreaterOrEqual(t, commands, 2, "docs/conformance.md starts a misbehaving integrator and runs the suite")
	assert.GreaterOrEqual(t, samples, 1, "docs/conformance.md shows what conform prints")
	assertReportExampleFigures(t, page, "conformance.json") // playPage left the test in the run's directory
}

// assertReportExampleFigures checks that the report example of
// docs/conformance.md shows the verdict and figures of the report its
// example run wrote (the entries of checks and scenarios are abridged).
func assertReportExampleFigures(t *testing.T, page, written string) {
	t.Helper()
	at := strings.Index(page, "## The report file")
	require.Positive(t, at, "docs/conformance.md has its report section")
	block := jsonBlockPattern.FindStringSubmatch(page[at:])
	require.NotNil(t, block, "the report section shows a report")
	var shown, wrote map[string]any
	require.NoError(t, json.Unmarshal([]byte(block[1]), &shown))
	b, err := os.ReadFile(written)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(b, &wrote))
	for _, k := range []string{"verdict", "reason", "score", "index", "exercised", "catalogue", "seed", "clock", "replay", "dialect", "dialects", "deselected"} {
		assert.Equal(t, wrote[k], shown[k], "docs/conformance.md: the report example's %q is not what the example above writes", k)
	}
}

// loadNotRun are the lines of docs/load.md the test does not run, and why:
// the page shows no example that runs on one machine in seconds.
var loadNotRun = []notRun{
	{"kubectl ", "needs a Kubernetes cluster; deploy_test.go checks the manifest", nil},
	{"for i in ", "collects the shards' logs from Kubernetes", nil},
	{"done", "collects the shards' logs from Kubernetes", nil},
	{"flireo-sim report merge shard-", "merges the shards' reports of the Kubernetes job; the merge is tested in simulator/load", nil},
	{"flireo-sim sink --addr 127.0.0.1:0 [", "what make bench-load starts for each measurement", nil},
	{"/usr/bin/time -v ", "make bench-load's measurements: loads of 10 to 40 s", nil},
}

func TestLoadDocExamplesAreListed(t *testing.T) {
	playPage(t, docPage{file: "docs/load.md", notRun: loadNotRun})
}

// platformNotRun are the lines of docs/platform.md the test does not run, and
// why: the curl session plays calls in real time (the API's answers are
// tested in simulator/platform); the servers it starts are started here.
var platformNotRun = []notRun{
	{"go build ", "the test runs flireo-sim in-process, built from this package", nil},
	{"export ", "sets the reader's shell", nil},
	{"sleep ", "waits for a call in real time", nil},
	{"API=", "sets the reader's shell", nil},
	{"AUTH=", "sets the reader's shell", nil},
	{"ID=", "reads the call id of the session", nil},
	{"curl ", "the curl session plays calls in real time (about two minutes); simulator/platform's tests check each reply", nil},
	{"kill ", "stops the reader's background jobs; the test stops its servers itself", nil},
}

func TestPlatformDocServersStart(t *testing.T) {
	commands, _ := playPage(t, docPage{file: "docs/platform.md", notRun: platformNotRun})
	assert.GreaterOrEqual(t, commands, 2, "docs/platform.md starts the reference integrator and serve")
}

// The hints the README quotes are the lines call prints.
func TestReadmeQuotesTheHintsCallPrints(t *testing.T) {
	readme := strings.Join(strings.Fields(readDoc(t, "README.md")), " ") // as read, whatever the line breaks
	target := server(t, integrator.Options{Secret: "s3cret"})
	for _, secret := range []string{"wrong-secret", ""} {
		args := []string{"call", "--target", target, "--no-probes", "--transcript=false"}
		if secret != "" {
			args = append(args, "--secret", secret)
		}
		_, out, _ := cli(t, nil, args...)
		hint := hintPattern.FindString(out)
		require.NotEmpty(t, hint, "call %v prints a hint:\n%s", args, out)
		assert.True(t, strings.Contains(readme, `"`+hint+`"`), "the README quotes the hint of call %v: %q", args, hint)
	}
}

var hintPattern = regexp.MustCompile(`hint: [^\n]+`)
