package delivery

import (
	"bytes"
	"context"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// hijack takes over the connection after reading the request and lets act
// finish it.
func hijack(act func(conn net.Conn, rw io.Writer)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		conn, rw, err := http.NewResponseController(w).Hijack()
		if err != nil {
			panic(err)
		}
		act(conn, rw)
		rw.Flush()
		conn.Close()
	}
}

// reset makes closing conn send a RST; under TLS it resets the TCP
// connection beneath.
func reset(conn net.Conn) {
	if tc, ok := conn.(interface{ NetConn() net.Conn }); ok {
		conn = tc.NetConn()
	}
	if tc, ok := conn.(*net.TCPConn); ok {
		tc.SetLinger(0) // close with RST
	}
}

// misbehaviours is every failure a server can cause, by path, and how much
// the flood handlers wrote and how often a redirect was followed. Handlers
// blocked on stop return when it closes.
type misbehaviours struct {
	mux        *http.ServeMux
	flooded    atomic.Int64
	redirected atomic.Int32
}

func newMisbehaviours(stop <-chan struct{}) *misbehaviours {
	m := &misbehaviours{mux: http.NewServeMux()}
	m.mux.HandleFunc("/hang", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body) // lets the server notice the client going away
		select {
		case <-r.Context().Done():
		case <-stop:
		}
	})
	m.mux.HandleFunc("/drip", func(w http.ResponseWriter, r *http.Request) { drip(w, r, stop) })
	m.mux.HandleFunc("/flood", m.flood)
	m.mux.HandleFunc("/late", func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		select {
		case <-time.After(150 * time.Millisecond): // well past the 50 ms deadline
		case <-r.Context().Done():
			return
		}
		io.WriteString(w, `{}`)
	})
	m.mux.HandleFunc("/redirect", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, "/elsewhere", http.StatusFound)
	})
	m.mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) { m.redirected.Add(1) })
	m.mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><body>It works</body></html>")
	})
	m.mux.HandleFunc("/reset-before", hijack(func(conn net.Conn, _ io.Writer) { reset(conn) }))
	m.mux.HandleFunc("/reset-body", hijack(func(conn net.Conn, w io.Writer) {
		io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"partial\":")
		w.(interface{ Flush() error }).Flush()
		reset(conn)
	}))
	m.mux.HandleFunc("/close-body", hijack(func(conn net.Conn, w io.Writer) {
		io.WriteString(w, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n{\"partial\":")
	}))
	return m
}

// drip sends a status and then a space every 50 ms, never ending the body.
func drip(w http.ResponseWriter, r *http.Request, stop <-chan struct{}) {
	io.Copy(io.Discard, r.Body)
	w.WriteHeader(http.StatusOK)
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if _, err := w.Write([]byte(" ")); err != nil {
			return
		}
		http.NewResponseController(w).Flush()
		select {
		case <-r.Context().Done():
			return
		case <-stop:
			return
		case <-tick.C:
		}
	}
}

// flood writes a 1 GB reply, counting what it wrote.
func (m *misbehaviours) flood(w http.ResponseWriter, r *http.Request) {
	io.Copy(io.Discard, r.Body)
	chunk := bytes.Repeat([]byte("x"), 64<<10)
	for i := 0; i < (1<<30)/len(chunk); i++ { // 1 GB
		n, err := w.Write(chunk)
		m.flooded.Add(int64(n))
		if err != nil {
			return
		}
	}
}

// transport is one way a Client delivers: the lean HTTP/1 client (http://
// targets by default) or net/http's transport (https:// targets, MaxConns,
// Options.Transport), over plain HTTP or TLS.
type transport struct {
	name string
	base string                       // the misbehaving server's base URL for it
	set  func(o *Options)             // makes a Client use it; nil: the default
	addr func(hostPort string) string // the URL of a bare address
}

const (
	lean       = "lean"
	netHTTP    = "net-http"
	netHTTPTLS = "net-http-tls"
)

// transports starts the misbehaving server plain and over TLS and returns
// the three ways to reach it.
func transports(t *testing.T, m *misbehaviours, stop chan struct{}) []transport {
	srv := httptest.NewServer(m.mux)
	tlsSrv := httptest.NewUnstartedServer(m.mux)
	tlsSrv.Config.ErrorLog = log.New(io.Discard, "", 0) // the failed handshakes are expected
	tlsSrv.StartTLS()
	t.Cleanup(func() {
		close(stop)
		srv.Close()
		tlsSrv.Close()
	})
	plain := func(hp string) string { return "http://" + hp }
	return []transport{
		{name: lean, base: srv.URL, addr: plain},
		{name: netHTTP, base: srv.URL, addr: plain, set: func(o *Options) { o.Transport = newTransport(0) }},
		{name: netHTTPTLS, base: tlsSrv.URL, addr: func(hp string) string { return "https://" + hp }, set: func(o *Options) {
			// The Client's own https transport, trusting httptest's certificate.
			tr := newTransport(0)
			tr.TLSClientConfig = tlsSrv.Client().Transport.(*http.Transport).TLSClientConfig.Clone()
			o.Transport = tr
		}},
	}
}

// failureCase is one row of the failure table.
type failureCase struct {
	name     string
	url      func(tr transport) string
	deadline time.Duration
	opt      Options
	cancel   time.Duration // cancel the caller's context after this
	kind     simulator.FailureKind
	detail   []string
	// on lists the transports the row runs on when not all; why says why
	// the others differ.
	on  []string
	why string
	// differs gives another kind and detail on one transport, with the reason.
	differs map[string]difference
	check   func(t *testing.T, tr transport, r simulator.Response)
}

// difference is how a transport legitimately differs from the table's row.
type difference struct {
	kind   simulator.FailureKind
	detail []string
	why    string
}

// closeNotify is how a reset reads over TLS: the server's TLS stack sends
// its close_notify alert before the TCP reset, so the client sees the
// connection closed cleanly; the failure is of the same kind.
func closeNotify(kind simulator.FailureKind) difference {
	return difference{kind: kind, detail: []string{"the server closed the connection before the reply was complete"},
		why: "over TLS the close_notify alert arrives before the reset"}
}

// path is the misbehaving server's path on each transport.
func path(p string) func(tr transport) string {
	return func(tr transport) string { return tr.base + p }
}

// failureCases is the table: one row per way a delivery fails.
func failureCases(m *misbehaviours, closedAddr string, plain, overTLS transport) []failureCase {
	plainAddr := strings.TrimPrefix(plain.base, "http://")
	return []failureCase{
		{
			name: "hang", url: path("/hang"), deadline: 200 * time.Millisecond,
			kind: simulator.FailTimeout, detail: []string{"no complete reply within 200ms", "no status line"},
			check: func(t *testing.T, _ transport, r simulator.Response) {
				assert.Zero(t, r.Status)
				assert.GreaterOrEqual(t, r.Latency, 200*time.Millisecond)
			},
		},
		{
			name: "drip", url: path("/drip"), deadline: 300 * time.Millisecond,
			kind: simulator.FailTimeout, detail: []string{"no complete reply within 300ms", "status 200 arrived", "body was incomplete"},
			check: func(t *testing.T, _ transport, r simulator.Response) {
				assert.Equal(t, http.StatusOK, r.Status)
				assert.Positive(t, r.Size)
				assert.GreaterOrEqual(t, r.Latency, 300*time.Millisecond)
			},
		},
		{
			name: "grace", url: path("/late"), deadline: 50 * time.Millisecond, opt: Options{Grace: 5 * time.Second},
			kind: simulator.FailTimeout, detail: []string{"no complete reply within 50ms", "the reply completed after"},
			check: func(t *testing.T, _ transport, r simulator.Response) {
				assert.Equal(t, http.StatusOK, r.Status)
				assert.Equal(t, "{}", string(r.Body), "a reply within the grace is read")
			},
		},
		{
			name: "cancelled", url: path("/hang"), cancel: 100 * time.Millisecond,
			kind: simulator.FailOther, detail: []string{"delivery cancelled", "context canceled"},
		},
		{
			name: "reset before reply", url: path("/reset-before"), deadline: 2 * time.Second,
			kind: simulator.FailReset, detail: []string{"connection reset by the server"},
			differs: map[string]difference{netHTTPTLS: closeNotify(simulator.FailReset)},
			check:   func(t *testing.T, _ transport, r simulator.Response) { assert.Zero(t, r.Status) },
		},
		{
			name: "reset mid-body", url: path("/reset-body"), deadline: 2 * time.Second,
			kind: simulator.FailIncomplete, detail: []string{"connection reset by the server", "status 200 arrived"},
			differs: map[string]difference{netHTTPTLS: closeNotify(simulator.FailIncomplete)},
		},
		{
			name: "closed mid-body", url: path("/close-body"), deadline: 2 * time.Second,
			kind: simulator.FailIncomplete, detail: []string{"closed the connection before the reply was complete", "status 200 arrived"},
			check: func(t *testing.T, _ transport, r simulator.Response) {
				assert.Equal(t, http.StatusOK, r.Status)
				assert.Equal(t, `{"partial":`, string(r.Body))
			},
		},
		{
			name: "flood", url: path("/flood"), deadline: 10 * time.Second,
			kind: simulator.FailOversized, detail: []string{"reply is larger than 1 MiB (read 1048577+ bytes)"},
			check: func(t *testing.T, _ transport, r simulator.Response) {
				assert.Equal(t, http.StatusOK, r.Status)
				assert.Len(t, r.Body, keepOversized, "only a prefix of an oversized reply is kept")
				assert.GreaterOrEqual(t, r.Size, int64(DefaultMaxBody+1))
				assert.LessOrEqual(t, r.Size, int64(DefaultMaxBody+1+drainLimit))
			},
		},
		{
			name: "flood small cap", url: path("/flood"), deadline: 10 * time.Second, opt: Options{MaxBody: 1000},
			kind: simulator.FailOversized, detail: []string{"larger than 1000 bytes (read 1001+ bytes)"},
			check: func(t *testing.T, _ transport, r simulator.Response) {
				assert.Len(t, r.Body, 1000)
				assert.LessOrEqual(t, r.Size, int64(1001+drainLimit))
			},
		},
		{
			name: "redirect", url: path("/redirect"), deadline: 2 * time.Second,
			kind: simulator.FailRedirect, detail: []string{"302 Found"},
			check: func(t *testing.T, tr transport, r simulator.Response) {
				assert.Contains(t, r.Failure.Detail, "redirected to "+tr.base+"/elsewhere")
				assert.Equal(t, http.StatusFound, r.Status)
				assert.Zero(t, m.redirected.Load(), "the redirect must not be followed")
			},
		},
		{
			name: "untrusted certificate", url: func(transport) string { return overTLS.base + "/html" }, deadline: 2 * time.Second,
			kind: simulator.FailTLS, detail: []string{"TLS handshake failed: x509: "},
			on: []string{lean, netHTTP}, why: "the net-http-tls client trusts the test certificate; the others check it against the system roots",
		},
		{
			name: "https to a plain server", url: func(transport) string { return "https://" + plainAddr + "/html" }, deadline: 2 * time.Second,
			kind: simulator.FailTLS, detail: []string{"does not speak TLS", "http:// URL"},
		},
		{
			name: "refused", url: func(tr transport) string { return tr.addr(closedAddr) + "/webhook" }, deadline: 2 * time.Second,
			kind: simulator.FailRefused, detail: []string{"connection refused: is the server running on " + closedAddr + "?"},
		},
		{
			name: "bad scheme", url: func(transport) string { return "ftp://example.com/x" }, kind: simulator.FailOther, detail: []string{"invalid target URL", "http://"},
		},
		{
			name: "html 200", url: path("/html"), deadline: 2 * time.Second,
			check: func(t *testing.T, _ transport, r simulator.Response) {
				assert.Equal(t, http.StatusOK, r.Status)
				assert.Equal(t, "<html><body>It works</body></html>", string(r.Body))
				assert.Equal(t, "text/html", r.Header.Get("Content-Type"))
			},
		},
	}
}

// closedAddress is a loopback address nothing listens on.
func closedAddress(t *testing.T) string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// TestFailures runs the failure table on every transport: the lean HTTP/1
// client, and net/http's transport over plain HTTP and over TLS. A row that
// runs on some transports only, or differs on one, says why.
func TestFailures(t *testing.T) {
	stop := make(chan struct{}) // releases blocked handlers before the servers close
	m := newMisbehaviours(stop)
	trs := transports(t, m, stop)
	cases := failureCases(m, closedAddress(t), trs[0], trs[2])
	t.Run("cases", func(t *testing.T) {
		for _, tr := range trs {
			for _, tt := range cases {
				if tt.on != nil && !slices.Contains(tt.on, tr.name) {
					continue
				}
				t.Run(tr.name+"/"+tt.name, func(t *testing.T) {
					t.Parallel()
					runFailure(t, tr, tt)
				})
			}
		}
	})
	// The flood cases read about the cap: the servers wrote far less than 1 GB.
	t.Logf("flood servers wrote %d bytes in all", m.flooded.Load())
	assert.Less(t, m.flooded.Load(), int64(3*256<<20))
}

// runFailure sends one row's delivery over tr and checks the failure.
func runFailure(t *testing.T, tr transport, tt failureCase) {
	tt.opt.Secret = testSecret
	if tr.set != nil {
		tr.set(&tt.opt)
	}
	c := New(tt.opt)
	defer c.Close()
	began := time.Now()
	r := sendWatched(t, c, tt, tt.url(tr))
	took := time.Since(began)

	kind, detail := tt.kind, tt.detail
	if d, ok := tt.differs[tr.name]; ok {
		kind, detail = d.kind, d.detail
		t.Logf("differs on %s: %s", tr.name, d.why)
	}
	if kind == "" {
		assert.Nil(t, r.Failure)
	} else if assert.NotNil(t, r.Failure) {
		assert.Equal(t, kind, r.Failure.Kind, r.Failure.Detail)
		for _, d := range detail {
			assert.Contains(t, r.Failure.Detail, d)
		}
		t.Logf("%s: %s", r.Failure.Kind, r.Failure.Detail)
	}
	assert.Positive(t, r.Latency)
	assert.LessOrEqual(t, r.Latency, took)
	assert.False(t, r.SentAt.IsZero())
	assert.Equal(t, testBody, r.SentBody)
	assert.NotEmpty(t, r.SentHeader.Get(HeaderSignature))
	if tt.check != nil {
		tt.check(t, tr, r)
	}
}

// sendWatched runs Send under a watchdog so that a delivery that overruns
// its deadline fails the test instead of hanging it; the goroutine ends at
// the latest when the test releases the handlers.
func sendWatched(t *testing.T, c *Client, tt failureCase, url string) simulator.Response {
	ctx := t.Context()
	if tt.cancel > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithCancel(ctx)
		time.AfterFunc(tt.cancel, cancel)
	}
	limit := tt.deadline + tt.cancel + tt.opt.Grace + 2*time.Second
	done := make(chan simulator.Response, 1)
	go func() {
		done <- c.Send(ctx, simulator.Request{URL: url, Event: simulator.ToolCalls, Body: testBody, Deadline: tt.deadline})
	}()
	select {
	case r := <-done:
		return r
	case <-time.After(limit):
		require.FailNow(t, "Send overran its deadline", "still running after %s", limit)
		return simulator.Response{}
	}
}
