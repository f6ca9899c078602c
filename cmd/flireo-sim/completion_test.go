package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompletionScriptsNameEveryCommandAndFlag(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			code, script, errOut := cli(t, nil, "completion", shell)
			require.Equal(t, 0, code, errOut)
			for _, c := range commands() {
				assert.Contains(t, script, c.name, "command %s", c.name)
			}
			// A few flags of different commands, read from their flag sets.
			for _, flag := range []string{"target", "dialects", "threshold", "misbehave", "print", "checks", "webhook"} {
				assert.Contains(t, script, flag, "flag --%s", flag)
			}
			assert.Contains(t, script, "flireo-camel", "the values of --dialect")
			assert.Contains(t, script, "end-of-call-report", "the events of send")
		})
	}
}

func TestCompletionScriptsParse(t *testing.T) {
	for _, shell := range []string{"bash", "zsh", "fish"} {
		t.Run(shell, func(t *testing.T) {
			bin, err := exec.LookPath(shell)
			if err != nil {
				t.Skipf("%s is not installed: its script is produced but not parsed here", shell)
			}
			_, script, _ := cli(t, nil, "completion", shell)
			path := filepath.Join(t.TempDir(), "flireo-sim."+shell)
			require.NoError(t, os.WriteFile(path, []byte(script), 0o600))
			args := []string{"-n", path}
			if shell == "fish" {
				args = []string{"--no-execute", path}
			}
			out, err := exec.Command(bin, args...).CombinedOutput()
			require.NoError(t, err, "%s -n: %s", shell, out)
		})
	}
}

func TestBashCompletionCompletes(t *testing.T) {
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash is not installed")
	}
	_, script, _ := cli(t, nil, "completion", "bash")
	path := filepath.Join(t.TempDir(), "flireo-sim.bash")
	require.NoError(t, os.WriteFile(path, []byte(script), 0o600))
	cases := []struct{ words, want string }{
		{"flireo-sim se", "send serve"},
		{"flireo-sim send --pri", "--print"},
		{"flireo-sim send tool", "tool-calls"},
		{"flireo-sim conform --dialect flireo-l", "flireo-legacy"},
		{"flireo-sim load --thr", "--threshold"},
		{"flireo-sim completion f", "fish"},
	}
	for _, c := range cases {
		words := strings.Fields(c.words)
		prog := `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _flireo_sim; echo "${COMPREPLY[*]}"`
		out, err := exec.Command(bash, append([]string{"-c", prog, "bash", path}, words...)...).CombinedOutput()
		require.NoError(t, err, string(out))
		assert.Equal(t, c.want, strings.TrimSpace(string(out)), "completing %q", c.words)
	}
}

func TestCompletionUsage(t *testing.T) {
	code, _, errOut := cli(t, nil, "completion", "tcsh")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "bash, zsh or fish")
	code, out, _ := cli(t, nil, "completion", "--help")
	assert.Equal(t, exitPass, code)
	assert.Contains(t, out, "source <(flireo-sim completion bash)")
}

func TestParseHelpFlags(t *testing.T) {
	help := "Usage: x\n\nFlags:\n  -json\n    \tprint JSON\n  -target string\n    \twebhook URL (required)\n  -seed value\n    \trun seed\n"
	assert.Equal(t, []completionFlag{
		{name: "json", usage: "print JSON"},
		{name: "target", usage: "webhook URL (required)", takesValue: true},
		{name: "seed", usage: "run seed", takesValue: true},
	}, parseHelpFlags(help))
}

func TestParseHelpFlagsUnderHeadings(t *testing.T) {
	help := "Usage: x\n\nTarget:\n  --target string\n    \twebhook URL (required)\n\nOutput:\n  --json\n    \tprint JSON\n"
	assert.Equal(t, []completionFlag{
		{name: "target", usage: "webhook URL (required)", takesValue: true},
		{name: "json", usage: "print JSON"},
	}, parseHelpFlags(help))
}
