package delivery

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// scripted is a raw HTTP/1.1 server on loopback that answers every request
// with reply, byte for byte, and closes the connection afterwards when
// closeAfter says so. It counts the connections it accepted.
func scripted(t *testing.T, reply string, closeAfter bool) (string, *atomic.Int32) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var conns atomic.Int32
	var wg sync.WaitGroup
	var mu sync.Mutex
	var open []net.Conn
	t.Cleanup(func() {
		ln.Close()
		mu.Lock()
		for _, c := range open {
			c.Close()
		}
		mu.Unlock()
		wg.Wait()
	})
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			conns.Add(1)
			mu.Lock()
			open = append(open, c)
			mu.Unlock()
			wg.Go(func() {
				defer c.Close()
				br := bufio.NewReader(c)
				for {
					req, err := http.ReadRequest(br)
					if err != nil {
						return
					}
					_, _ = io.Copy(io.Discard, req.Body)
					if _, err := io.WriteString(c, reply); err != nil || closeAfter {
						return
					}
				}
			})
		}
	})
	return "http://" + ln.Addr().String() + "/hook", &conns
}

// TestLeanClientFraming: the lean client reads every framing a server may
// use and reuses a connection exactly when HTTP/1.1 allows it.
func TestLeanClientFraming(t *testing.T) {
	tests := []struct {
		name       string
		reply      string
		closeAfter bool
		pause      time.Duration // between the deliveries
		status     int
		body       string
		conns      int32 // connections for three deliveries
		header     [2]string
	}{
		{name: "content-length", reply: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}",
			status: 200, body: `{"a":1}`, conns: 1, header: [2]string{"Content-Type", "application/json"}},
		{name: "chunked with a trailer", reply: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n{\"a\":\r\n2\r\n1}\r\n0\r\nX-Trailer: yes\r\n\r\n",
			status: 200, body: `{"a":1}`, conns: 1},
		{name: "interim replies first", reply: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </x>\r\n\r\nHTTP/1.1 200 OK\r\nX-Final: 1\r\nContent-Length: 2\r\n\r\n{}",
			status: 200, body: `{}`, conns: 1, header: [2]string{"X-Final", "1"}},
		{name: "no content", reply: "HTTP/1.1 204 No Content\r\n\r\n", status: 204, conns: 1},
		{name: "connection close", reply: "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}", closeAfter: true,
			status: 200, body: `{}`, conns: 3},
		{name: "HTTP/1.0", reply: "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\n{}", status: 200, body: `{}`, conns: 3},
		{name: "body until close", reply: "HTTP/1.1 200 OK\r\n\r\n{\"x\":true}", closeAfter: true, status: 200, body: `{"x":true}`, conns: 3},
		{name: "closed while idle", reply: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", closeAfter: true, pause: peekAfter + 50*time.Millisecond,
			status: 200, body: `{}`, conns: 3},
		{name: "stray bytes after the reply", reply: "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}garbage", status: 200, body: `{}`, conns: 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			url, conns := scripted(t, tt.reply, tt.closeAfter)
			c := New(Options{Secret: testSecret})
			defer c.Close()
			for i := range 3 {
				if i > 0 {
					time.Sleep(tt.pause)
				}
				r := c.Send(t.Context(), simulator.Request{URL: url, Event: simulator.StatusUpdate, Body: testBody, Deadline: 2 * time.Second})
				require.Nil(t, r.Failure, "delivery %d: %v", i+1, r.Failure)
				assert.Equal(t, tt.status, r.Status)
				assert.Equal(t, tt.body, string(r.Body))
				if tt.header[0] != "" {
					assert.Equal(t, tt.header[1], r.Header.Get(tt.header[0]))
				}
			}
			assert.Equal(t, tt.conns, conns.Load(), "connections for three deliveries")
		})
	}
}

// TestBadReplies: replies that are not HTTP a client can trust fail
// plainly and leave no connection behind for reuse, on the lean client and
// on net/http's transport. Where net/http words the failure differently,
// the row says so.
func TestBadReplies(t *testing.T) {
	tests := []struct {
		name    string
		reply   string
		kind    simulator.FailureKind
		detail  string
		netHTTP string // net/http's own words for the same failure, when they differ
	}{
		{"not HTTP", "SSH-2.0-OpenSSH_9.2\r\n", simulator.FailOther, `malformed HTTP response "SSH-2.0-OpenSSH_9.2"`, ""},
		{"conflicting lengths", "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\n{}", simulator.FailOther, "conflicting Content-Length", "multiple Content-Length headers"},
		{"bad length", "HTTP/1.1 200 OK\r\nContent-Length: -2\r\n\r\n{}", simulator.FailOther, `bad Content-Length "-2"`, ""},
		{"unknown transfer encoding", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n{}", simulator.FailOther, `unsupported transfer encoding "gzip"`, `unsupported transfer encoding: "gzip"`},
		{"broken chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n", simulator.FailIncomplete, "chunked reply body is malformed", ""},
		{"huge headers", "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-Padding: "+strings.Repeat("p", 1000)+"\r\n", 1100) + "\r\n{}",
			simulator.FailIncomplete, "headers are larger than 1 MiB", ""},
		{"huge trailer", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n" + strings.Repeat("X-Padding: "+strings.Repeat("p", 1000)+"\r\n", 1100) + "\r\n",
			simulator.FailIncomplete, "headers are larger than 1 MiB", "suspiciously long trailer"}, // net/http caps trailers by its own limit
	}
	for _, tr := range []string{lean, netHTTP} {
		for _, tt := range tests {
			t.Run(tr+"/"+tt.name, func(t *testing.T) {
				t.Parallel()
				url, conns := scripted(t, tt.reply, false)
				o := Options{Secret: testSecret}
				detail := tt.detail
				if tr == netHTTP {
					o.Transport = newTransport(0)
					if tt.netHTTP != "" {
						detail = tt.netHTTP
					}
				}
				c := New(o)
				defer c.Close()
				for range 2 {
					r := c.Send(t.Context(), simulator.Request{URL: url, Event: simulator.ToolCalls, Body: testBody, Deadline: 2 * time.Second})
					require.NotNil(t, r.Failure)
					assert.Equal(t, tt.kind, r.Failure.Kind, r.Failure.Detail)
					assert.Contains(t, r.Failure.Detail, detail)
					t.Logf("%s: %s", r.Failure.Kind, r.Failure.Detail)
				}
				assert.EqualValues(t, 2, conns.Load(), "a connection that carried a bad reply is not reused")
			})
		}
	}
}

// TestLeanClientDeadlineReuse: a connection whose last delivery had a short
// deadline that has long passed carries the next delivery normally.
func TestLeanClientDeadlineReuse(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := New(Options{})
	defer c.Close()
	for i, d := range []time.Duration{30 * time.Millisecond, 0, 30 * time.Millisecond} {
		if i > 0 {
			time.Sleep(60 * time.Millisecond) // the previous deadline passes while the connection is idle
		}
		r := c.Send(t.Context(), simulator.Request{URL: srv.URL, Event: simulator.StatusUpdate, Body: testBody, Deadline: d})
		require.Nil(t, r.Failure, "delivery %d: %v", i+1, r.Failure)
	}
	assert.EqualValues(t, 1, conns.Load())
}

// TestLeanClientServerIdleTimeout: a server that closes idle connections
// sooner than the client does costs a new connection, never a failure.
func TestLeanClientServerIdleTimeout(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{}`)
	}))
	srv.Config.IdleTimeout = 20 * time.Millisecond
	srv.Start()
	defer srv.Close()
	c := New(Options{})
	defer c.Close()
	for i := range 3 {
		if i > 0 {
			time.Sleep(peekAfter + 50*time.Millisecond) // long enough to be checked before reuse
		}
		r := c.Send(t.Context(), simulator.Request{URL: srv.URL, Event: simulator.StatusUpdate, Body: testBody, Deadline: 2 * time.Second})
		require.Nil(t, r.Failure, "delivery %d: %v", i+1, r.Failure)
	}
}
