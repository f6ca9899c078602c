package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Comparing a sample output shown on a page with what the command printed.
//
// Only what varies from run to run is normalised, on both sides: a reply's
// measured latency ("3.3ms of 5.00s" reads "<latency> of 5.00s") and the
// length of a curl command, which holds the target's port. The test's
// loopback address is written back as the documented one before comparing.
// A sample line that is only "…" stands for any number of lines.

const elision = "…"

var sampleNormalisers = []struct {
	pattern *regexp.Regexp
	with    string
}{
	{regexp.MustCompile(`\b\d+(?:\.\d+)?(?:ns|µs|ms|s) of `), "<latency> of "},
	{regexp.MustCompile(`the curl command is \d+ bytes long`), "the curl command is <n> bytes long"},
}

func normaliseSampleLine(line string) string {
	for _, n := range sampleNormalisers {
		line = n.pattern.ReplaceAllString(line, n.with)
	}
	return strings.TrimRight(line, " ")
}

// sampleMatches says whether the output fits the sample: every run of
// sample lines between elisions appears in order, the first at the start
// and the last at the end unless an elision stands there.
func sampleMatches(sample []string, output string) bool {
	out := strings.Split(strings.TrimRight(output, "\n"), "\n")
	for i := range out {
		out[i] = normaliseSampleLine(out[i])
	}
	runs := [][]string{{}}
	for _, line := range sample {
		if strings.TrimSpace(line) == elision {
			runs = append(runs, []string{})
			continue
		}
		runs[len(runs)-1] = append(runs[len(runs)-1], normaliseSampleLine(line))
	}
	return matchRuns(runs, out)
}

// matchRuns places each run at its earliest position after the previous one.
func matchRuns(runs [][]string, out []string) bool {
	last := len(runs) - 1
	if last == 0 {
		return equalLines(runs[0], out)
	}
	if !hasPrefixLines(out, runs[0]) || !hasPrefixLines(reversed(out), reversed(runs[last])) {
		return false
	}
	pos, end := len(runs[0]), len(out)-len(runs[last])
	for _, run := range runs[1:last] {
		found := indexLines(out[pos:end], run)
		if found < 0 {
			return false
		}
		pos += found + len(run)
	}
	return pos <= end
}

func equalLines(a, b []string) bool { return len(a) == len(b) && hasPrefixLines(a, b) }

func hasPrefixLines(lines, prefix []string) bool {
	if len(prefix) > len(lines) {
		return false
	}
	for i := range prefix {
		if lines[i] != prefix[i] {
			return false
		}
	}
	return true
}

func indexLines(lines, run []string) int {
	for i := 0; i+len(run) <= len(lines); i++ {
		if hasPrefixLines(lines[i:], run) {
			return i
		}
	}
	return -1
}

func reversed(lines []string) []string {
	out := make([]string, len(lines))
	for i, l := range lines {
		out[len(lines)-1-i] = l
	}
	return out
}

func TestSampleMatches(t *testing.T) {
	output := "head\n  a 1.2ms of 5.00s\n  b\n  c\ntail\n"
	cases := []struct {
		sample string
		want   bool
	}{
		{"head\n  a 40µs of 5.00s\n  b\n  c\ntail", true},
		{"head\n…\ntail", true},
		{"head\n…\n  b\n…\ntail", true},
		{"head\n  a 3s of 5.00s\n…", true},
		{"…\n  c\ntail", true},
		{"head\n…\n  c\n  b\n…\ntail", false},
		{"head\n  b\n…", false},
		{"head\ntail", false},
		{"head\n  a 1.2ms of 9.00s\n…", false},
		{"head\n…\n  c\ntail\n…\ntail", false},
	}
	for _, c := range cases {
		assert.Equal(t, c.want, sampleMatches(strings.Split(c.sample, "\n"), output), "sample:\n%s", c.sample)
	}
}
