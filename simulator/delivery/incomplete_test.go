package delivery

import (
	"bufio"
	"crypto/tls"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
)

// ending says how a misbehaving server ends a connection after its script.
type ending int

const (
	endClose ending = iota // FIN
	endReset               // RST
	endHold                // keep it open until the test ends
)

// misbehaving is a raw HTTP/1.1 server on loopback, plain or TLS, that
// answers every request with script and then ends the connection as told.
// It returns the server's URL and a Client that trusts it.
func misbehaving(t *testing.T, useTLS bool, script string, end ending) (string, *Client) {
	return streaming(t, useTLS, script, nil, end)
}

// streaming is misbehaving with more to write after the script: then
// writes until it fails (the client went away).
func streaming(t *testing.T, useTLS bool, script string, then func(w io.Writer) error, end ending) (string, *Client) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	c := New(Options{Secret: testSecret})
	scheme := "http"
	var cfg *tls.Config
	if useTLS {
		// httptest's certificate, served by the raw listener and trusted
		// by the Client's own https transport (its header cap included).
		ts := httptest.NewUnstartedServer(http.NotFoundHandler())
		ts.StartTLS()
		cfg = ts.TLS.Clone()
		cfg.NextProtos = []string{"http/1.1"}
		tr := c.rt.(*http.Transport)
		tr.TLSClientConfig = ts.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
		ts.Close()
		scheme = "https"
	}
	reply := []byte(script) // converted once: the server allocates nothing per request
	hold := make(chan struct{})
	var wg sync.WaitGroup
	t.Cleanup(func() {
		c.Close()
		close(hold)
		ln.Close()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			raw, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() { serveScript(raw, cfg, reply, then, end, hold) })
		}
	})
	return scheme + "://" + ln.Addr().String() + "/hook", c
}

func serveScript(raw net.Conn, cfg *tls.Config, script []byte, then func(io.Writer) error, end ending, hold <-chan struct{}) {
	conn := raw
	if cfg != nil {
		conn = tls.Server(raw, cfg)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	req, err := http.ReadRequest(bufio.NewReader(conn))
	if err != nil {
		return
	}
	_, _ = io.Copy(io.Discard, req.Body)
	if _, err := conn.Write(script); err != nil {
		return
	}
	if then != nil && then(conn) != nil {
		return
	}
	switch end {
	case endReset:
		if tc, ok := raw.(*net.TCPConn); ok {
			_ = tc.SetLinger(0)
		}
		_ = raw.Close()
	case endHold:
		<-hold
	}
}

// TestIncompleteReplies: a reply that does not arrive whole is an
// incomplete delivery that fails the must check reply-complete on both
// transports (the lean client for http://, net/http for https://), whatever
// its status; a whole reply passes it.
func TestIncompleteReplies(t *testing.T) {
	bigHeaders := "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-Padding: "+strings.Repeat("p", 1000)+"\r\n", 1100) + "Content-Length: 2\r\n\r\n{}"
	tests := []struct {
		name   string
		script string
		end    ending
		status int      // status the exchange keeps (0: none arrived)
		detail []string // in the failure's detail, on both transports
	}{
		{name: "reset mid-body", script: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"assistant\":", end: endReset,
			status: 200, detail: []string{"status 200 arrived", "of the 1000 announced by Content-Length"}},
		{name: "short body then close", script: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"assistant\":{}}", end: endClose,
			status: 200, detail: []string{"closed the connection before the reply was complete", "then 16 bytes of the body of the 1000 announced"}},
		{name: "malformed chunk size", script: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", end: endClose,
			status: 200, detail: []string{"status 200 arrived"}},
		{name: "chunked body cut short", script: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n40\r\n{\"results\":[", end: endClose,
			status: 200, detail: []string{"status 200 arrived"}},
		{name: "chunk without its line end", script: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}XX0\r\n\r\n", end: endHold,
			status: 200, detail: []string{"malformed", "status 200 arrived"}},
		{name: "headers over the cap", script: bigHeaders, end: endClose,
			detail: []string{"headers are larger than 1 MiB"}},
	}
	checks, err := check.New(check.ReplyComplete, check.HTTP2xx)
	require.NoError(t, err)
	for _, tr := range []string{"http", "https"} {
		for _, tt := range tests {
			t.Run(tr+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				url, c := misbehaving(t, tr == "https", tt.script, tt.end)
				r := c.Send(t.Context(), simulator.Request{URL: url, Event: simulator.AssistantRequest, Body: testBody, Deadline: 10 * time.Second})
				require.NotNil(t, r.Failure, "an incomplete reply is a failure")
				assert.Equal(t, simulator.FailIncomplete, r.Failure.Kind, r.Failure.Detail)
				for _, d := range tt.detail {
					assert.Contains(t, r.Failure.Detail, d)
				}
				assert.Equal(t, tt.status, r.Status)
				x := &simulator.Exchange{Seq: 1, Event: simulator.AssistantRequest, Response: r, ReplyUsed: true}
				got := map[string]simulator.Verdict{}
				for _, f := range checks.Check(x) {
					got[f.Check] = f.Verdict
				}
				assert.Equal(t, simulator.Fail, got[check.ReplyComplete], "reply-complete fails")
				assert.NotEqual(t, simulator.Fail, got[check.HTTP2xx], "http-2xx does not report it twice")
				t.Logf("%s: %s", r.Failure.Kind, r.Failure.Detail)
			})
		}
		t.Run(tr+"/whole reply", func(t *testing.T) {
			t.Parallel()
			url, c := misbehaving(t, tr == "https", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}", endClose)
			r := c.Send(t.Context(), simulator.Request{URL: url, Event: simulator.AssistantRequest, Body: testBody, Deadline: 10 * time.Second})
			require.Nil(t, r.Failure)
			x := &simulator.Exchange{Seq: 1, Event: simulator.AssistantRequest, Response: r, ReplyUsed: true}
			for _, f := range checks.Check(x) {
				assert.Equal(t, simulator.Pass, f.Verdict, f.Check)
			}
		})
	}
}
