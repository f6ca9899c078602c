package scenarios

import (
	"bytes"
	"io"
	"regexp"
	"sync"

	"github.com/flireo-sim/flireo-sim/internal/termsafe"
)

// stepLocation is the comment godog's pretty format puts after a step: the
// Go file, line and function of its definition ("# library.go:147 ->
// *state.fn"), in grey when coloured. It means nothing to a user of the
// built-in suite.
var stepLocation = regexp.MustCompile(` *(?:\x1b\[[0-9;]*m)?# [^\s#]+\.go:\d+ -> [^\x1b\n]*(?:\x1b\[[0-9;]*m)?`)

// sgr is an ANSI colour sequence, the only escape godog writes itself.
var sgr = regexp.MustCompile(`\x1b\[[0-9;]*m`)

// terminalWriter is where godog's formatters write for people: it escapes
// what came from the server (step errors quote replies) and leaves out the
// step-definition locations unless asked for. With colour on it keeps the
// colour sequences (godog's own) and escapes every other control
// character. Without colour godog writes a rune at a time: a line waits
// from its first space (a location comes after one) to its end, while
// progress marks and a line's first word pass at once.
type terminalWriter struct {
	w         io.Writer
	color     bool
	locations bool

	mu      sync.Mutex // formatters of concurrent scenarios may share it
	pending []byte     // the end of a line not yet written
}

// forTerminal wraps the writer of godog's formatters; io.Discard stays as
// it is.
func forTerminal(w io.Writer, color, locations bool) io.Writer {
	if w == io.Discard {
		return w
	}
	return &terminalWriter{w: w, color: color, locations: locations}
}

func (t *terminalWriter) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.locations {
		return len(p), t.emit(p)
	}
	t.pending = append(t.pending, p...)
	rest := t.pending
	for {
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		if err := t.emit(stepLocation.ReplaceAll(rest[:i+1], nil)); err != nil {
			return 0, err
		}
		rest = rest[i+1:]
	}
	if n := bytes.IndexByte(rest, ' '); n != 0 {
		if n < 0 {
			n = len(rest)
		}
		if err := t.emit(rest[:n]); err != nil {
			return 0, err
		}
		rest = rest[n:]
	}
	t.pending = t.pending[:copy(t.pending, rest)]
	return len(p), nil
}

// emit writes b escaped, keeping godog's colours when colour is on.
func (t *terminalWriter) emit(b []byte) error {
	if !t.color {
		return termsafe.Write(t.w, b, true)
	}
	start := 0
	for _, m := range sgr.FindAllIndex(b, -1) {
		if err := termsafe.Write(t.w, b[start:m[0]], true); err != nil {
			return err
		}
		if _, err := t.w.Write(b[m[0]:m[1]]); err != nil {
			return err
		}
		start = m[1]
	}
	return termsafe.Write(t.w, b[start:], true)
}
