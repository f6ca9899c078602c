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
	shown := body[:min(len(body), rawReplyShown)]
	lines := strings.Split(strings.TrimRight(termsafe.Text(string(shown)), "\n"), "\n")
	for _, line := range lines {
		fmt.Fprintln(w, "    "+line)
	}
	if len(shown) < len(body) {
		fmt.Fprintf(w, "    … (cut: %d of %d bytes shown)\n", len(shown), len(body))
	}
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
// its method, URL and headers (signed as they would be now, the secret
// never shown), then the body.
func printRequestOf(ctx context.Context, w io.Writer, req sim.Request, o kit.Options, m printMode) {
	if m == printRequest {
		fmt.Fprintf(w, "POST %s\n", termsafe.Line(req.URL))
		h := signedHeaders(ctx, req, o)
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
	termsafe.IndentJSON(w, req.Body, "", printLimits)
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
