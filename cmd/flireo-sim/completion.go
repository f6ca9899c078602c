package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator/dialect"
)

const completionUsage = `Usage: flireo-sim completion bash|zsh|fish

Prints a shell completion script for the commands, their flags and the values of
a few flags (--dialect, --status, --pace, --lang). Load it with:

  bash:  source <(flireo-sim completion bash)            # or save it in /etc/bash_completion.d/flireo-sim
  zsh:   flireo-sim completion zsh > "${fpath[1]}/_flireo-sim"   # then restart zsh
  fish:  flireo-sim completion fish > ~/.config/fish/completions/flireo-sim.fish`

// completionCommand is one command as the completion scripts know it.
type completionCommand struct {
	name, summary string
	flags         []completionFlag
	words         []string // the words that may stand where a flag does not
}

// completionFlag is one flag of a command.
type completionFlag struct {
	name, usage string
	takesValue  bool
}

// completionWriter renders the script of a shell (nil for another name).
func completionWriter(shell string) func(io.Writer, []completionCommand) {
	switch shell {
	case "bash":
		return writeBashCompletion
	case "zsh":
		return writeZshCompletion
	case "fish":
		return writeFishCompletion
	}
	return nil
}

func runCompletion(ctx context.Context, args []string, stdout, _ io.Writer, env environment) error {
	if len(args) == 1 && (args[0] == "--help" || args[0] == "-h" || args[0] == "-help") {
		fmt.Fprintln(stdout, completionUsage)
		return errHelp
	}
	var write func(io.Writer, []completionCommand)
	if len(args) == 1 {
		write = completionWriter(args[0])
	}
	if write == nil {
		return usagef("completion: name one shell: bash, zsh or fish (e.g. source <(flireo-sim completion bash))")
	}
	write(stdout, completionCommands(ctx, env))
	return nil
}

// completionCommands lists every command with the flags its own flag set
// registers, read from its --help.
func completionCommands(ctx context.Context, env environment) []completionCommand {
	var out []completionCommand
	var names []string
	for _, c := range commands() {
		cc := completionCommand{name: c.name, summary: c.summary, words: positionalWords(c.name)}
		if c.name != "completion" {
			cc.flags = parseHelpFlags(commandHelp(ctx, c, env))
		}
		out = append(out, cc)
		names = append(names, c.name)
	}
	return append(out, completionCommand{name: "help", summary: "print the commands, or a command's flags", words: names})
}

// commandHelp is what 'flireo-sim NAME --help' prints (for report, the help
// of report merge, its only action).
func commandHelp(ctx context.Context, c command, env environment) string {
	args := []string{"--help"}
	if c.name == "report" {
		args = []string{"merge", "--help"}
	}
	var out bytes.Buffer
	_ = c.run(ctx, args, &out, io.Discard, env)
	return out.String()
}

// parseHelpFlags reads the flags from a command's help: "  --name type" (no
// type for a boolean; one dash as the flag package prints it works too),
// then the usage indented; headings ("Target:") are skipped.
func parseHelpFlags(help string) []completionFlag {
	var flags []completionFlag
	sc := bufio.NewScanner(strings.NewReader(help))
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "  -"):
			f := strings.Fields(line)
			flags = append(flags, completionFlag{name: strings.TrimLeft(f[0], "-"), takesValue: len(f) > 1})
		case strings.HasPrefix(line, "    \t") && len(flags) > 0:
			last := &flags[len(flags)-1]
			last.usage = strings.TrimSpace(last.usage + " " + strings.TrimSpace(line))
		}
	}
	return flags
}

// positionalWords are the words a command takes besides flags.
func positionalWords(name string) []string {
	switch name {
	case "send":
		return []string{"assistant-request", "tool-calls", "status-update", "end-of-call-report"}
	case "report":
		return []string{"merge"}
	case "completion":
		return []string{"bash", "zsh", "fish"}
	}
	return nil
}

// flagValues are the values offered after a flag, by flag name.
func flagValues() map[string][]string {
	return map[string][]string{
		"dialect":  dialect.Names(),
		"dialects": append([]string{"all"}, dialect.Names()...),
		"status":   {"in-progress", "ended", "ended-with-error"},
		"pace":     {"instant", "realtime", "10x"},
		"lang":     {"nl", "en"},
	}
}

// summaryLine is a flag's or command's usage cut to its first sentence part,
// short enough for a completion menu.
func summaryLine(s string) string {
	if i := strings.IndexAny(s, ";("); i > 0 {
		s = s[:i]
	}
	return strings.TrimSpace(s)
}
