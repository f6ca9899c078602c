package main

import (
	"flag"
	"fmt"
	"io"
	"strings"
)

// flagGroup is a heading of a command's help and the flags under it, in
// the order they are printed.
type flagGroup struct {
	title string
	names []string
}

// group puts flags under a heading of the help; a heading given again
// gets the flags added to it.
func (fs *flagSet) group(title string, names ...string) {
	for i := range fs.groups {
		if fs.groups[i].title == title {
			fs.groups[i].names = append(fs.groups[i].names, names...)
			return
		}
	}
	fs.groups = append(fs.groups, flagGroup{title: title, names: names})
}

// printHelp prints the usage and the flags under their headings, each as
// "  --name type" with its usage on the next line; flags in no group come
// last, under "Other flags".
func (fs *flagSet) printHelp(w io.Writer) {
	fmt.Fprintln(w, strings.TrimSpace(fs.usage))
	shown := map[string]bool{}
	for _, g := range fs.groups {
		fmt.Fprintf(w, "\n%s:\n", g.title)
		for _, name := range g.names {
			if f := fs.Lookup(name); f != nil {
				printFlag(w, f)
				shown[name] = true
			}
		}
	}
	var rest []*flag.Flag
	fs.VisitAll(func(f *flag.Flag) {
		if !shown[f.Name] {
			rest = append(rest, f)
		}
	})
	if len(rest) > 0 {
		fmt.Fprintf(w, "\n%s:\n", otherFlagsTitle(len(fs.groups)))
		for _, f := range rest {
			printFlag(w, f)
		}
	}
}

// otherFlagsTitle is the heading of the flags in no group.
func otherFlagsTitle(groups int) string {
	if groups == 0 {
		return "Flags"
	}
	return "Other flags"
}

// printFlag prints one flag as the flag package does, with two dashes.
func printFlag(w io.Writer, f *flag.Flag) {
	typ, usage := flag.UnquoteUsage(f)
	if typ == "value" { // a flag.Value of this package: text, or a number for --seed
		typ = "string"
		if _, isSeed := f.Value.(*seedFlag); isSeed {
			typ = "int"
		}
	}
	line := "  --" + f.Name
	if typ != "" {
		line += " " + typ
	}
	if d := shownDefault(f); d != "" {
		usage += " (default " + d + ")"
	}
	fmt.Fprintf(w, "%s\n    \t%s\n", line, strings.ReplaceAll(usage, "\n", "\n    \t"))
}

// shownDefault is a flag's default as the help shows it: "" for a zero
// value, quoted for a string.
func shownDefault(f *flag.Flag) string {
	switch f.DefValue {
	case "", "0", "false", "[]", "0s":
		return ""
	}
	if g, ok := f.Value.(flag.Getter); ok {
		if _, isString := g.Get().(string); isString {
			return fmt.Sprintf("%q", f.DefValue)
		}
	}
	return f.DefValue
}
