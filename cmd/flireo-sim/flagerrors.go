package main

import (
	"flag"
	"strings"

	"github.com/flireo-sim/flireo-sim/internal/suggest"
)

// undefinedFlag is how the flag package starts the error of a flag the
// set does not define.
const undefinedFlag = "flag provided but not defined: -"

// cleanFlagError rewrites the flag package's terse messages: flags with two
// dashes, and the nearest flag of the command for an unknown one.
func (fs *flagSet) cleanFlagError(err error) string {
	s := err.Error()
	if name, ok := strings.CutPrefix(s, undefinedFlag); ok {
		return "unknown flag --" + strings.TrimLeft(name, "-") + fs.flagHint(strings.TrimLeft(name, "-"))
	}
	s = strings.Replace(s, ": parse error", ": not a number", 1)
	for _, single := range []string{"flag -", "for -", "argument: -"} {
		s = strings.Replace(s, single, strings.TrimSuffix(single, "-")+"--", 1)
	}
	return s
}

// flagHint is " (did you mean --X?)" for the command's flag nearest to
// name, or "".
func (fs *flagSet) flagHint(name string) string {
	var names []string
	fs.VisitAll(func(f *flag.Flag) { names = append(names, f.Name) })
	if near, ok := suggest.Nearest(name, names); ok {
		return " (did you mean --" + near + "?)"
	}
	return ""
}
