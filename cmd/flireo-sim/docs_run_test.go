package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Playing the shell blocks of a page as a reader would paste them: servers
// started with & run in-process on a free loopback port (the documented
// address is swapped for it in later commands and back in their output),
// other flireo-sim commands run in-process, and the sample block under a
// shell block must be what its last command printed. Lines that cannot run
// here are listed by the page's test with the reason.

// notRun is a kind of line a page shows but the test does not run.
type notRun struct {
	prefix, reason string
	check          func(t *testing.T, root, line string) // what the test checks instead, if anything
}

// docPage is a page to play and what its test knows about it.
type docPage struct {
	file   string
	notRun []notRun
	vars   map[string]string // shell variables the page leaves to the reader ("$URL") and what they stand for here
}

// docPlay plays one page.
type docPlay struct {
	docPage
	t        *testing.T
	root     string            // the repository, read before the test leaves it
	addrs    map[string]string // documented host:port → the test's
	lastLine string            // the last foreground command, as written
	lastCode int
	lastOut  string
	failed   []failedLine // the block's commands that exited non-zero with no || true
}

// playPage runs every shell block of the page in a temporary directory and
// returns how many flireo-sim commands and samples it ran and compared.
func playPage(t *testing.T, page docPage) (commands, samples int) {
	text := readDoc(t, page.file)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	t.Chdir(t.TempDir()) // reports the examples write land here
	p := &docPlay{docPage: page, t: t, root: root, addrs: map[string]string{}}
	fences := pageFences(text)
	for i, f := range fences {
		switch {
		case f.lang == "sh":
			commands += p.playBlock(f)
			p.checkFailures(f, i+1 < len(fences) && fences[i+1].isSampleOf(f))
		case i > 0 && f.isSampleOf(fences[i-1]) && p.lastLine != "":
			p.compareSample(f)
			samples++
		}
	}
	return commands, samples
}

// failedLine is a command of a page that exited non-zero.
type failedLine struct {
	line string
	code int
}

// checkFailures accepts a command that failed only when it is the block's
// last and its sample shows the failure (compareSample checks that).
func (p *docPlay) checkFailures(f fence, sampled bool) {
	for _, failed := range p.failed {
		if failed.line != p.lastLine || !sampled {
			p.t.Errorf("%s:%d: `%s` fails (exit %d) and the page neither shows it failing nor adds || true", p.file, f.start, failed.line, failed.code)
		}
	}
}

func (p *docPlay) playBlock(f fence) (commands int) {
	p.lastLine, p.lastOut, p.failed = "", "", nil
	p.reserveServerAddrs(f)
	for _, line := range f.logicalLines() {
		if s := p.notRunFor(line); s != nil {
			p.checkNotRun(f, line, s)
			continue
		}
		c, ok := parseDocCommand(p.expand(line))
		if !ok || strings.ContainsAny(strings.Join(c.args, " "), "$") {
			p.t.Errorf("%s:%d: the test does not know how to run %q: run it, or list it in the page's test with the reason", p.file, f.start, line)
			continue
		}
		assertFlagsExist(p.t, fmt.Sprintf("%s:%d", p.file, f.start), c)
		if c.background {
			p.startServer(c)
		} else {
			p.runCommand(f, line, c)
		}
		commands++
	}
	return commands
}

func (p *docPlay) notRunFor(line string) *notRun {
	for i, s := range p.notRun {
		if strings.HasPrefix(line, s.prefix) {
			return &p.notRun[i]
		}
	}
	return nil
}

// checkNotRun checks what can be checked of a line the test does not run:
// its flags, and what the page's test asks.
func (p *docPlay) checkNotRun(f fence, line string, s *notRun) {
	if s.check != nil {
		s.check(p.t, p.root, line)
	}
	if c, ok := parseDocCommand(line); ok {
		assertFlagsExist(p.t, fmt.Sprintf("%s:%d (not run: %s)", p.file, f.start, s.reason), c)
	}
}

// reserveServerAddrs gives every server the block starts a free loopback
// port before anything runs, so a command may name a server started after it.
func (p *docPlay) reserveServerAddrs(f fence) {
	for _, line := range f.logicalLines() {
		c, ok := parseDocCommand(line)
		if !ok || !c.background || p.notRunFor(line) != nil {
			continue
		}
		documented := serverAddr(p.t, c)
		if _, taken := p.addrs[documented]; taken {
			continue
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		require.NoError(p.t, err)
		p.addrs[documented] = ln.Addr().String()
		require.NoError(p.t, ln.Close())
	}
}

// serverAddr is where a server command listens: its --addr, or the default.
func serverAddr(t *testing.T, c docCommand) string {
	if addr := flagValue(c.args, "--addr"); addr != "" {
		return addr
	}
	for _, f := range commandFlags(t, c.name) {
		if m := defaultPattern.FindStringSubmatch(f.usage); f.name == "addr" && m != nil {
			return m[1]
		}
	}
	t.Fatalf("flireo-sim %s is started with & but listens on no --addr", c.name)
	return ""
}

var defaultPattern = regexp.MustCompile(`\(default "([^"]+)"\)`)

// startServer runs a server command until the test ends, on a free port.
func (p *docPlay) startServer(c docCommand) {
	t := p.t
	documented := serverAddr(t, c)
	if flagValue(c.args, "--addr") == "" {
		c.args = append(c.args, "--addr", documented)
	}
	args := p.localArgs(c)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, args, io.Discard, io.Discard, environment{getenv: func(string) string { return "" }})
	}()
	t.Cleanup(func() { cancel(); <-done })
	waitListening(t, p.addrs[documented], done)
}

func waitListening(t *testing.T, addr string, done <-chan error) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		select {
		case err := <-done:
			t.Fatalf("the server for %s ended at once: %v", addr, err)
		default:
		}
		if conn, err := net.Dial("tcp", addr); err == nil {
			require.NoError(t, conn.Close())
			return
		}
	}
	t.Fatalf("nothing listens on %s after 10 s", addr)
}

// loopbackPattern finds a loopback address in a command line.
var loopbackPattern = regexp.MustCompile(`(?:127\.0\.0\.1|localhost):[1-9]\d*`)

func (p *docPlay) runCommand(f fence, line string, c docCommand) {
	for _, addr := range loopbackPattern.FindAllString(strings.Join(c.args, " "), -1) {
		if _, started := p.addrs[addr]; !started {
			p.t.Errorf("%s:%d: %q needs a server on %s, which the block does not start: start it with &, or list the line with the reason", p.file, f.start, line, addr)
			return
		}
	}
	code, out, errOut := cli(p.t, nil, p.localArgs(c)...)
	require.NotEqual(p.t, exitUsage, code, "%s: %s: %s", p.file, line, errOut)
	for documented, local := range p.addrs {
		out = strings.ReplaceAll(out, local, documented)
	}
	p.lastLine, p.lastCode, p.lastOut = line, code, out
	if code != exitPass && !c.mayFail {
		p.failed = append(p.failed, failedLine{line, code})
	}
}

// expand replaces the page's shell variables by what they stand for here.
func (p *docPlay) expand(line string) string {
	for name, value := range p.vars {
		line = strings.ReplaceAll(line, name, value)
	}
	return line
}

// compareSample checks the sample under a shell block against the output of
// its last command; a command that failed must show its failure.
func (p *docPlay) compareSample(f fence) {
	t := p.t
	shown := strings.Join(f.lines, "\n")
	assert.True(t, sampleMatches(f.lines, p.lastOut),
		"%s:%d: the sample output differs from what `%s` prints now; it printed:\n%s", p.file, f.start, p.lastLine, p.lastOut)
	if p.lastCode != exitPass {
		assert.Contains(t, shown, "FAIL", "%s:%d: `%s` exits %d: its sample shows the failure", p.file, f.start, p.lastLine, p.lastCode)
	}
}

// localArgs are the command's arguments with the documented addresses
// replaced by the test's.
func (p *docPlay) localArgs(c docCommand) []string {
	args := append([]string{c.name}, c.args...)
	for i, a := range args {
		for documented, local := range p.addrs {
			a = strings.ReplaceAll(a, documented, local)
		}
		args[i] = a
	}
	return args
}

func flagValue(args []string, flag string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1]
		}
		if v, ok := strings.CutPrefix(a, flag+"="); ok {
			return v
		}
	}
	return ""
}

// assertFlagsExist checks the command exists and has every flag the line uses.
func assertFlagsExist(t *testing.T, where string, c docCommand) {
	t.Helper()
	known := commandFlagNames(t, c.name)
	for _, name := range c.flagNames() {
		assert.True(t, known[name], "%s: flireo-sim %s has no flag --%s", where, c.name, name)
	}
}

// makeTargetExists checks that the Makefile has the target of a `make X` line.
func makeTargetExists(t *testing.T, root, line string) {
	t.Helper()
	target := strings.Fields(line)[1]
	makefile, err := os.ReadFile(filepath.Join(root, "Makefile"))
	require.NoError(t, err)
	assert.Regexp(t, regexp.MustCompile(`(?m)^`+regexp.QuoteMeta(target)+`:`), string(makefile), "the Makefile has no target %q", target)
}

// packageExists checks that the package of a `go test ./pkg …` line exists.
func packageExists(t *testing.T, root, line string) {
	t.Helper()
	for _, word := range strings.Fields(line) {
		if strings.HasPrefix(word, "./") {
			assert.DirExists(t, filepath.Join(root, strings.TrimSuffix(word, "/...")), "%q names no package", line)
		}
	}
}
