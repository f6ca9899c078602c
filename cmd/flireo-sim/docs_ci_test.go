package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// The CI examples of docs/ci work: every flag of their flireo-sim command
// lines exists for that command, and the conform and load lines, run in a
// shell as written, pass against the reference integrator.

var ciExamples = []string{"docs/ci/github-actions.yml", "docs/ci/gitlab-ci.yml"}

// ciCommandPattern finds a flireo-sim command line in a workflow: the
// command, then its arguments up to a redirection, "||" or "&".
var ciCommandPattern = regexp.MustCompile(`(?m)^[ \t]*(?:- )?(?:nohup )?flireo-sim ([a-z-]+)([^&|>\n]*)`)

// ciCommand is one flireo-sim command line of an example.
type ciCommand struct {
	name, args string
}

func (c ciCommand) line() string { return "flireo-sim " + c.name + strings.TrimRight(c.args, " ") }

func ciCommands(t *testing.T, file string) []ciCommand {
	t.Helper()
	var out []ciCommand
	for _, m := range ciCommandPattern.FindAllStringSubmatch(readDoc(t, file), -1) {
		out = append(out, ciCommand{name: m[1], args: m[2]})
	}
	return out
}

func TestCIExamplesUseExistingFlags(t *testing.T) {
	for _, file := range ciExamples {
		cmds := ciCommands(t, file)
		names := map[string]bool{}
		for _, c := range cmds {
			names[c.name] = true
			assertFlagsExist(t, file, docCommand{name: c.name, args: shellWords(c.args)})
		}
		assert.True(t, names["conform"] && names["load"], "%s runs conform and load", file)
		assert.NotContains(t, readDoc(t, file), "\t", "%s: YAML indents with spaces", file)
		assert.Contains(t, readDoc(t, file), "LOAD_DURATION: ", "%s exposes the load's duration", file)
	}
}

func TestCIExamplesPassAgainstTheReferenceIntegrator(t *testing.T) {
	sh := needTool(t, "sh", "a POSIX shell")
	bin := buildFlireoSim(t)
	const secret = "ci-test-secret"
	target := server(t, integrator.Options{Secret: secret})
	for _, file := range ciExamples {
		t.Run(filepath.Base(file), func(t *testing.T) {
			dir := t.TempDir()
			for _, c := range ciCommands(t, file) {
				if c.name != "conform" && c.name != "load" {
					continue // the example's stand-in server: the test runs its own
				}
				ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
				run := exec.CommandContext(ctx, sh, "-c", `mkdir -p "$REPORTS" && `+c.line())
				run.Dir = dir
				run.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"),
					"TARGET="+target, "FLIREO_WEBHOOK_SECRET="+secret, "REPORTS=reports", "LOAD_DURATION=1s", "LOAD_PACE=instant")
				out, err := run.CombinedOutput()
				cancel()
				require.NoError(t, err, "%s: %s\n%s", file, c.line(), out)
			}
			for _, report := range []string{"conform.json", "conform-junit.xml", "load.json", "load.html"} {
				assert.FileExists(t, filepath.Join(dir, "reports", report), "%s writes %s", file, report)
			}
		})
	}
}

// commandFlagNames are the flags a command's own flag set registers, read
// from its --help.
func commandFlagNames(t *testing.T, name string) map[string]bool {
	t.Helper()
	known := map[string]bool{}
	for _, f := range commandFlags(t, name) {
		known[f.name] = true
	}
	return known
}

// buildFlireoSim builds the command into a temporary directory.
func buildFlireoSim(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "flireo-sim")
	out, err := exec.Command(needTool(t, "go", "the Go toolchain"), "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

// shellWords splits a command line into words as sh would, for the quotes
// the examples use ('…' and "…"); it expands nothing.
func shellWords(s string) []string {
	var words []string
	var cur strings.Builder
	var quote rune
	inWord := false
	for _, r := range s {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == ' ' || r == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(r)
			inWord = true
		}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words
}

func TestShellWords(t *testing.T) {
	assert.Equal(t, []string{"--target", "$TARGET", "--threshold", "a.p99<1s", "--format", "compact,junit:$R/x.xml"},
		shellWords(` --target "$TARGET" --threshold 'a.p99<1s' --format compact,junit:"$R"/x.xml `))
}
