package main

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Reading the examples of a Markdown page: its fenced blocks, the command
// lines in them, and the flags those lines use.

// fence is one fenced block of a page.
type fence struct {
	lang       string // the info string: "sh", "json", "" for output and synopses
	lines      []string
	start, end int // 1-based lines of the opening and the closing fence
}

var fenceOpenPattern = regexp.MustCompile("^```([a-z]*)$")

// pageFences returns the fenced blocks of a page in order.
func pageFences(page string) []fence {
	var out []fence
	var cur *fence
	for i, line := range strings.Split(page, "\n") {
		switch {
		case cur == nil:
			if m := fenceOpenPattern.FindStringSubmatch(line); m != nil {
				cur = &fence{lang: m[1], start: i + 1}
			}
		case line == "```":
			cur.end = i + 1
			out = append(out, *cur)
			cur = nil
		default:
			cur.lines = append(cur.lines, line)
		}
	}
	return out
}

// isSynopsis says whether a block shows a command's usage.
func (f fence) isSynopsis() bool {
	return f.lang == "" && len(f.lines) > 0 && strings.HasPrefix(f.lines[0], "flireo-sim ")
}

// isSampleOf says whether f is the output shown for the shell block before
// it: an untyped block that is not a synopsis, one blank line below it.
func (f fence) isSampleOf(before fence) bool {
	return f.lang == "" && !f.isSynopsis() && before.lang == "sh" && f.start == before.end+2
}

// logicalLines joins what a reader reads as one command: shell lines ending
// with a backslash, and a synopsis's indented continuation lines. Comments
// and blank lines are left out.
func (f fence) logicalLines() []string {
	var out []string
	joinNext := false
	for _, line := range f.lines {
		continuation := joinNext || (f.isSynopsis() && strings.HasPrefix(line, " ") && len(out) > 0)
		joinNext = strings.HasSuffix(line, `\`)
		line = strings.TrimSpace(stripComment(strings.TrimSuffix(line, `\`)))
		switch {
		case line == "":
		case continuation:
			out[len(out)-1] += " " + line
		default:
			out = append(out, line)
		}
	}
	return out
}

var commentPattern = regexp.MustCompile(`(^|\s)#.*$`)

func stripComment(line string) string { return commentPattern.ReplaceAllString(line, "") }

// docCommand is one flireo-sim command line of a page.
type docCommand struct {
	name       string   // the subcommand
	args       []string // its arguments as the shell splits them
	background bool     // started with a trailing &
	mayFail    bool     // followed by || true
}

// commandLinePattern finds flireo-sim and its subcommand in a line, as run
// from PATH, bin/ or under another program (time -v).
var commandLinePattern = regexp.MustCompile(`(?:^|[\s/])flireo-sim ([a-z][a-z-]*)(.*)$`)

// commandEndPattern ends a command's arguments: a pipe into another program,
// a redirection, && or ||, or a ;.
var commandEndPattern = regexp.MustCompile(`\|\||&&|;|\s\d?>|\s\|\s+[a-z/]`)

// parseDocCommand reads the flireo-sim command of a logical line.
func parseDocCommand(line string) (docCommand, bool) {
	m := commandLinePattern.FindStringSubmatch(line)
	if m == nil {
		return docCommand{}, false
	}
	rest, mayFail := m[2], false
	if loc := commandEndPattern.FindStringIndex(rest); loc != nil {
		mayFail = strings.HasPrefix(strings.TrimSpace(rest[loc[0]:]), "|| true")
		rest = rest[:loc[0]]
	}
	rest = strings.TrimSpace(rest)
	background := strings.HasSuffix(rest, "&")
	return docCommand{name: m[1], args: shellWords(strings.TrimSuffix(rest, "&")), background: background, mayFail: mayFail}, true
}

// flagNames are the --flags a command line uses, synopsis brackets and
// alternatives included.
func (c docCommand) flagNames() []string {
	var out []string
	for _, word := range c.args {
		for _, alt := range strings.FieldsFunc(word, func(r rune) bool { return r == '[' || r == ']' || r == '|' }) {
			if name, ok := strings.CutPrefix(alt, "--"); ok {
				name, _, _ = strings.Cut(name, "=")
				out = append(out, strings.TrimRight(name, "…"))
			}
		}
	}
	return out
}

// commandFlags are the flags a command's own flag set registers, read from
// its --help.
func commandFlags(t *testing.T, name string) []completionFlag {
	t.Helper()
	for _, c := range commands() {
		if c.name == name {
			return parseHelpFlags(commandHelp(context.Background(), c, environment{getenv: func(string) string { return "" }}))
		}
	}
	t.Fatalf("flireo-sim has no command %q", name)
	return nil
}

func TestParseDocCommand(t *testing.T) {
	cases := []struct {
		line string
		want docCommand
	}{
		{"bin/flireo-sim example-server --addr 127.0.0.1:8080 --secret s3cret &",
			docCommand{name: "example-server", args: []string{"--addr", "127.0.0.1:8080", "--secret", "s3cret"}, background: true}},
		{"flireo-sim conform --target $URL --report baseline.json || true",
			docCommand{name: "conform", args: []string{"--target", "$URL", "--report", "baseline.json"}, mayFail: true}},
		{"/usr/bin/time -v flireo-sim load --target SINK --quiet --report run.json",
			docCommand{name: "load", args: []string{"--target", "SINK", "--quiet", "--report", "run.json"}}},
		{"bin/flireo-sim serve --webhook http://x/webhook | tee out.txt",
			docCommand{name: "serve", args: []string{"--webhook", "http://x/webhook"}}},
	}
	for _, c := range cases {
		got, ok := parseDocCommand(c.line)
		assert.True(t, ok, c.line)
		assert.Equal(t, c.want, got, c.line)
	}
	_, ok := parseDocCommand("go build -o bin/flireo-sim ./cmd/flireo-sim")
	assert.False(t, ok, "building the binary is not a flireo-sim command")
	synopsis := docCommand{name: "load", args: shellWords(`--target URL [--ramp 0→50/s:1m] [--report out.html|out.json|-]… [--dialect D | --dialects all] [--transcript=false] [--threshold EXPR]…`)}
	assert.Equal(t, []string{"target", "ramp", "report", "dialect", "dialects", "transcript", "threshold"}, synopsis.flagNames())
}

func TestLogicalLines(t *testing.T) {
	page := "```sh\nflireo-sim a \\\n  --b c   # d\n# only a comment\n\nmake x\n```\n\n```\nflireo-sim e [--f]\n             [--g]\n```\n"
	fs := pageFences(page)
	assert.Equal(t, []string{"flireo-sim a --b c", "make x"}, fs[0].logicalLines())
	assert.Equal(t, []string{"flireo-sim e [--f] [--g]"}, fs[1].logicalLines())
	assert.True(t, fs[1].isSynopsis())
	assert.False(t, fs[1].isSampleOf(fs[0]), "a synopsis is no sample")
}
