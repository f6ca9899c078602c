package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/flireo-sim/flireo-sim/internal/termsafe"
	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// The limits of a reply shown on the terminal: whatever a server answers,
// send and replay print a bounded, escaped text in bounded memory.
var (
	sendReplyLimits   = termsafe.Limits{MaxDepth: 32, MaxBytes: 64 << 10}
	replayReplyLimits = termsafe.Limits{MaxDepth: 32, MaxLines: 40}
	// printLimits bound the body of send --print: the user's own, shown
	// whole, as JSON, unless absurdly deep.
	printLimits = termsafe.Limits{MaxDepth: 64}
)

// rawReplyShown is how much of a reply that is not JSON is printed.
const rawReplyShown = 2048

// printOnlyTarget is the target of send --print without --target: the
// request line does not show it.
const printOnlyTarget = "http://127.0.0.1/print-only"

// printReply shows a reply body for people: indented when it is JSON,
// escaped for the terminal in any case, within the limits.
func printReply(w io.Writer, body []byte, lim termsafe.Limits) {
	if len(body) == 0 {
		return
	}
	fmt.Fprintln(w, "  reply:")
	if json.Valid(body) {
		termsafe.IndentJSON(w, body, "    ", lim)
		return
	}
	shown := firstLines(rawPrefix(body, rawReplyShown), lim.MaxLines)
	for _, line := range strings.Split(strings.TrimRight(termsafe.Text(string(shown)), "\n"), "\n") {
		fmt.Fprintln(w, "    "+line)
	}
	if len(shown) < len(body) {
		fmt.Fprintf(w, "    … (cut: %d of %d bytes shown)\n", len(shown), len(body))
	}
}

// firstLines is the first n lines of b (n <= 0: all of b).
func firstLines(b []byte, n int) []byte {
	if n <= 0 {
		return b
	}
	for i, c := range b {
		if c != '\n' {
			continue
		}
		if n--; n == 0 {
			return b[:i+1]
		}
	}
	return b
}

// rawPrefix is at most n bytes of b, not ending within a UTF-8 sequence.
func rawPrefix(b []byte, n int) []byte {
	if len(b) <= n {
		return b
	}
	for n > 0 && !utf8.RuneStart(b[n]) {
		n--
	}
	return b[:n]
}

// printMode is what send --print shows: nothing (send), the request's
// headers and body, or only the body.
type printMode string

const (
	printNothing printMode = ""
	printRequest printMode = "request"
	printBody    printMode = "body"
)

func (m *printMode) String() string   { return string(*m) }
func (m *printMode) IsBoolFlag() bool { return true }
func (m *printMode) Set(v string) error {
	switch v {
	case "true", "request":
		*m = printRequest
	case "body":
		*m = printBody
	case "false":
		*m = printNothing
	default:
		return fmt.Errorf("use --print (headers and body) or --print=body")
	}
	return nil
}

// printRequestOf prints the request send would make: with printRequest
// its request line and headers (signed as they would be now, the secret
// never shown), then the body.
func printRequestOf(ctx context.Context, w io.Writer, req sim.Request, o kit.Options, m printMode) {
	if m == printRequest {
		printHead(w, req.URL, signedHeaders(ctx, req, o))
	}
	termsafe.IndentJSON(w, req.Body, "", printLimits)
}

// printHead prints a request line and headers, sorted, and a blank line.
func printHead(w io.Writer, url string, h http.Header) {
	if url == printOnlyTarget {
		url = "{the --target URL}"
	}
	fmt.Fprintf(w, "POST %s\n", termsafe.Line(url))
	keys := make([]string, 0, len(h))
	for k := range h {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(w, "%s: %s\n", k, termsafe.Line(strings.Join(h[k], ", ")))
	}
	fmt.Fprintln(w)
}

// signedHeaders are the headers the delivery client would send with req
// now: it signs the request and hands it to a transport that answers in
// process, so nothing goes on the network.
func signedHeaders(ctx context.Context, req sim.Request, o kit.Options) http.Header {
	c := delivery.New(delivery.Options{Secret: o.Secret, BareHex: o.BareHex, Transport: inProcess{}})
	defer c.Close()
	return c.Send(ctx, req).SentHeader
}

// inProcess answers every request 204 without a network.
type inProcess struct{}

func (inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		r.Body.Close()
	}
	return &http.Response{StatusCode: http.StatusNoContent, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(nil)), Request: r}, nil
}
