package main

import (
	"fmt"
	"io"
	"sort"
	"strings"
)

// This file renders the completion scripts of bash, zsh and fish from the
// commands and flags that completion.go collects.

func writeBashCompletion(w io.Writer, cmds []completionCommand) {
	fmt.Fprintf(w, `# bash completion for flireo-sim: source <(flireo-sim completion bash)
_flireo_sim() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W %q -- "$cur"))
        return
    fi
    local flags="" valued="" words=""
    case ${COMP_WORDS[1]} in
`, strings.Join(commandNames(cmds), " "))
	for _, c := range cmds {
		fmt.Fprintf(w, "        %s) flags=%q; valued=%q; words=%q ;;\n",
			c.name, strings.Join(flagWords(c.flags, false), " "), strings.Join(flagWords(c.flags, true), " "), strings.Join(c.words, " "))
	}
	fmt.Fprint(w, "    esac\n    case $prev in\n")
	values := flagValues()
	for _, name := range sortedKeys(values) {
		fmt.Fprintf(w, "        --%s|-%s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", name, name, strings.Join(values[name], " "))
	}
	fmt.Fprint(w, `    esac
    if [[ " $valued " == *" $prev "* ]]; then
        return # a flag's value: the default (file) completion
    fi
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$flags" -- "$cur"))
    elif [[ -n $words ]]; then
        COMPREPLY=($(compgen -W "$words" -- "$cur"))
    fi
}
complete -o default -F _flireo_sim flireo-sim
`)
}

func writeZshCompletion(w io.Writer, cmds []completionCommand) {
	fmt.Fprint(w, `#compdef flireo-sim
# zsh completion for flireo-sim: flireo-sim completion zsh > "${fpath[1]}/_flireo-sim"

_flireo_sim() {
  local -a commands
  commands=(
`)
	for _, c := range cmds {
		fmt.Fprintf(w, "    %s\n", zshQuote(c.name+":"+summaryLine(c.summary)))
	}
	fmt.Fprint(w, `  )
  if (( CURRENT == 2 )); then
    _describe -t commands 'flireo-sim command' commands
    return
  fi
  local cmd=$words[2]
  shift words
  (( CURRENT-- ))
  case $cmd in
`)
	values := flagValues()
	for _, c := range cmds {
		fmt.Fprintf(w, "    (%s)\n      _arguments \\\n", c.name)
		for _, f := range c.flags {
			fmt.Fprintf(w, "        %s \\\n", zshQuote(zshFlagSpec(f, values[f.name])))
		}
		if len(c.words) > 0 {
			fmt.Fprintf(w, "        %s \\\n", zshQuote("1:argument:("+strings.Join(c.words, " ")+")"))
		}
		fmt.Fprint(w, "        '*:file:_files'\n      ;;\n")
	}
	fmt.Fprint(w, `  esac
}

if [[ $zsh_eval_context[-1] == loadautoload ]]; then
  _flireo_sim "$@"
else
  compdef _flireo_sim flireo-sim
fi
`)
}

// zshFlagSpec is an _arguments spec: --name[usage], then for a flag that
// takes a value, its values or files.
func zshFlagSpec(f completionFlag, values []string) string {
	desc := strings.NewReplacer("[", "(", "]", ")", ":", " ", "\\", "").Replace(summaryLine(f.usage))
	spec := "--" + f.name + "[" + desc + "]"
	switch {
	case !f.takesValue:
		return spec
	case len(values) > 0:
		return spec + ":" + f.name + ":(" + strings.Join(values, " ") + ")"
	}
	return spec + ":" + f.name + ":_files"
}

func writeFishCompletion(w io.Writer, cmds []completionCommand) {
	fmt.Fprint(w, "# fish completion for flireo-sim: flireo-sim completion fish > ~/.config/fish/completions/flireo-sim.fish\ncomplete -c flireo-sim -f\n")
	for _, c := range cmds {
		fmt.Fprintf(w, "complete -c flireo-sim -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(summaryLine(c.summary)))
	}
	values := flagValues()
	for _, c := range cmds {
		cond := fishQuote("__fish_seen_subcommand_from " + c.name)
		if len(c.words) > 0 {
			fmt.Fprintf(w, "complete -c flireo-sim -n %s -a %s\n", cond, fishQuote(strings.Join(c.words, " ")))
		}
		for _, f := range c.flags {
			arg := ""
			switch {
			case f.takesValue && len(values[f.name]) > 0:
				arg = " -x -a " + fishQuote(strings.Join(values[f.name], " "))
			case f.takesValue:
				arg = " -r -F"
			}
			fmt.Fprintf(w, "complete -c flireo-sim -n %s -l %s%s -d %s\n", cond, f.name, arg, fishQuote(summaryLine(f.usage)))
		}
	}
}

func commandNames(cmds []completionCommand) []string {
	names := make([]string, len(cmds))
	for i, c := range cmds {
		names[i] = c.name
	}
	return names
}

// flagWords are the --names of the flags (only those that take a value, when
// valued).
func flagWords(flags []completionFlag, valued bool) []string {
	var out []string
	for _, f := range flags {
		if !valued || f.takesValue {
			out = append(out, "--"+f.name)
		}
	}
	return out
}

func sortedKeys(m map[string][]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// zshQuote single-quotes s for zsh.
func zshQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }

// fishQuote single-quotes s for fish.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}
