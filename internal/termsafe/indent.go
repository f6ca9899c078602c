package termsafe

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Limits bound what IndentJSON prints.
type Limits struct {
	// MaxDepth is the deepest level indented; a value nested deeper
	// prints on one line, whitespace removed, after a marker.
	MaxDepth int
	// MaxBytes and MaxLines cut the output (0: no limit) with a marker
	// that says how much of the document was shown.
	MaxBytes, MaxLines int
}

// IndentJSON writes the JSON document b for people: indented by two spaces
// a level, each line after prefix, escaped for a terminal, within the
// limits. It streams: whatever the size or depth of b, it holds no more
// than a small buffer, so a hostile reply cannot make it grow. b should be
// valid JSON; anything else still prints safely, if oddly.
func IndentJSON(w io.Writer, b []byte, prefix string, lim Limits) error {
	bw := bufio.NewWriter(w)
	out := &capWriter{w: bw, maxBytes: lim.MaxBytes, maxLines: lim.MaxLines}
	p := &indenter{out: out, prefix: prefix, maxDepth: lim.MaxDepth}
	io.WriteString(out, prefix)
	end := p.run(b)
	if out.full {
		fmt.Fprintf(bw, "\n%s… (cut: %d of %d bytes shown)", prefix, end, len(b))
	}
	bw.WriteString("\n")
	if out.err != nil {
		return out.err
	}
	return bw.Flush()
}

// indenter writes JSON tokens with the layout of one level per line.
type indenter struct {
	out      *capWriter
	prefix   string
	maxDepth int
	depth    int
}

// run writes the tokens of b and returns how far it got.
func (p *indenter) run(b []byte) int {
	i := 0
	for i < len(b) && !p.out.full {
		switch c := b[i]; {
		case isSpace(c):
			i++
		case c == '{' || c == '[':
			i = p.open(b, i)
		case c == '}' || c == ']':
			p.depth = max(p.depth-1, 0)
			p.newline()
			p.out.Write(b[i : i+1])
			i++
		case c == ',':
			io.WriteString(p.out, ",")
			p.newline()
			i++
		case c == ':':
			io.WriteString(p.out, ": ")
			i++
		default:
			end := scalarEnd(b, i)
			Write(p.out, b[i:end], false)
			i = end
		}
	}
	return i
}

// open writes the container that starts at b[i] and returns where its
// contents start, or, past the depth limit, where it ends.
func (p *indenter) open(b []byte, i int) int {
	if p.maxDepth > 0 && p.depth >= p.maxDepth {
		fmt.Fprintf(p.out, "«deeper than %d levels, not indented» ", p.maxDepth)
		end := valueEnd(b, i)
		p.compact(b[i:end])
		return end
	}
	next := skipSpace(b, i+1)
	if next < len(b) && b[next] == closing(b[i]) {
		p.out.Write([]byte{b[i], b[next]})
		return next + 1
	}
	p.out.Write(b[i : i+1])
	p.depth++
	p.newline()
	return i + 1
}

func (p *indenter) newline() {
	io.WriteString(p.out, "\n"+p.prefix)
	for range p.depth {
		io.WriteString(p.out, "  ")
	}
}

// compact writes a value on one line: the whitespace between its tokens
// left out.
func (p *indenter) compact(b []byte) {
	for i := 0; i < len(b) && !p.out.full; {
		if isSpace(b[i]) {
			i++
			continue
		}
		end := i + 1
		if b[i] == '"' {
			end = scalarEnd(b, i)
		}
		for end < len(b) && !isSpace(b[end]) && b[end] != '"' {
			end++
		}
		Write(p.out, b[i:end], false)
		i = end
	}
}

// scalarEnd is the end of the string, number or literal at b[i].
func scalarEnd(b []byte, i int) int {
	if b[i] != '"' {
		for i < len(b) && !isSpace(b[i]) && !strings.ContainsRune("{}[],:\"", rune(b[i])) {
			i++
		}
		return i
	}
	for i++; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(b)
}

// valueEnd is the end of the container at b[i]: a count of open brackets
// (outside strings) is all it needs, whatever the depth.
func valueEnd(b []byte, i int) int {
	open := 0
	for i < len(b) {
		switch b[i] {
		case '"':
			i = scalarEnd(b, i)
			continue
		case '{', '[':
			open++
		case '}', ']':
			if open--; open == 0 {
				return i + 1
			}
		}
		i++
	}
	return len(b)
}

func closing(c byte) byte {
	if c == '{' {
		return '}'
	}
	return ']'
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func skipSpace(b []byte, i int) int {
	for i < len(b) && isSpace(b[i]) {
		i++
	}
	return i
}

// capWriter passes bytes on until a limit of bytes or lines, then drops
// them and says it is full.
type capWriter struct {
	w                  io.Writer
	maxBytes, maxLines int
	bytes, lines       int
	full               bool
	err                error
}

func (c *capWriter) Write(b []byte) (int, error) {
	if c.full || c.err != nil {
		return len(b), nil
	}
	if c.maxBytes > 0 && c.bytes+len(b) > c.maxBytes {
		b, c.full = b[:c.maxBytes-c.bytes], true
	}
	for i, ch := range b {
		if ch == '\n' {
			if c.lines++; c.maxLines > 0 && c.lines >= c.maxLines {
				b, c.full = b[:i], true
				break
			}
		}
	}
	c.bytes += len(b)
	_, c.err = c.w.Write(b)
	return len(b), nil
}
