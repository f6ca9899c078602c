package main

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
)

// The README's examples run: its shell blocks are played against the
// reference integrator they start, and its sample output is what that seed
// prints today.

// readmeNotRun are the README lines the test does not run, and why.
var readmeNotRun = []notRun{
	{"make ", "a make target builds and tests the whole project; the Makefile must have it", makeTargetExists},
	{"go build ", "the test runs flireo-sim in-process, built from this package", nil},
	{"go test ", "rewrites golden files; the package must exist", packageExists},
}

func TestReadmeExamplesRun(t *testing.T) {
	commands, samples := playPage(t, "README.md", readmeNotRun)
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
