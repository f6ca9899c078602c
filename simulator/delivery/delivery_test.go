package delivery

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strconv"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
)

const (
	testSecret = "whsec_test_secret_12345"
	testTS     = int64(1714000000)
)

var (
	testBody = []byte(`{"message":{"type":"assistant-request","call":{"id":"0d8f8a51-1c4e-4b2e-9a1f-3c5b7d9e0f12","customer":{"number":"+31612345678","name":"Anna de Vries"}}}}`)
	bareHex  = regexp.MustCompile(`^[a-f0-9]{64}$`)
)

func fixedNow() time.Time { return time.Unix(testTS, 0) }

// received is what a test server saw.
type received struct {
	header http.Header
	body   []byte
}

// recorder is a server that records every request and answers with reply.
func recorder(t *testing.T, reply string) (*httptest.Server, <-chan received) {
	t.Helper()
	ch := make(chan received, 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, err := io.ReadAll(r.Body)
		if !assert.NoError(t, err) {
			return
		}
		ch <- received{header: r.Header.Clone(), body: b}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, reply)
	}))
	t.Cleanup(srv.Close)
	return srv, ch
}

func one(t *testing.T, ch <-chan received) received {
	t.Helper()
	select {
	case r := <-ch:
		return r
	default:
		require.FailNow(t, "the server received nothing")
		return received{}
	}
}

func TestSendHeaders(t *testing.T) {
	tests := []struct {
		name  string
		opt   Options
		plain bool
		check func(t *testing.T, got received)
	}{
		{
			name: "signed",
			opt:  Options{Secret: testSecret},
			check: func(t *testing.T, got received) {
				sig := got.header.Get(HeaderSignature)
				assert.Regexp(t, sdkFormat, sig)
				assert.Equal(t, "sha256="+refHMAC(testSecret, testTS, got.body), sig, "signature is not over the bytes received")
				assert.Equal(t, "1714000000", got.header.Get(HeaderTimestamp))
				assert.Equal(t, "assistant-request", got.header.Get(HeaderEvent))
				assert.Equal(t, "HMS-Sovereign/1.0", got.header.Get("User-Agent"))
				assert.Equal(t, "application/json", got.header.Get("Content-Type"))
				assert.Empty(t, got.header.Get("Accept-Encoding"), "the platform asks for no compression")
			},
		},
		{
			name: "bare hex",
			opt:  Options{Secret: testSecret, BareHex: true},
			check: func(t *testing.T, got received) {
				sig := got.header.Get(HeaderSignature)
				assert.Regexp(t, bareHex, sig)
				assert.Equal(t, refHMAC(testSecret, testTS, got.body), sig)
			},
		},
		{
			name: "no secret, no signature",
			opt:  Options{UserAgent: "custom/2"},
			check: func(t *testing.T, got received) {
				assert.NotContains(t, got.header, HeaderSignature)
				assert.Equal(t, "1714000000", got.header.Get(HeaderTimestamp))
				assert.Equal(t, "assistant-request", got.header.Get(HeaderEvent))
				assert.Equal(t, "custom/2", got.header.Get("User-Agent"))
			},
		},
		{
			name:  "plain",
			opt:   Options{Secret: testSecret},
			plain: true,
			check: func(t *testing.T, got received) {
				for _, h := range []string{HeaderSignature, HeaderTimestamp, HeaderEvent} {
					assert.NotContains(t, got.header, h)
				}
				assert.Equal(t, "application/json", got.header.Get("Content-Type"))
				assert.Equal(t, "HMS-Sovereign/1.0", got.header.Get("User-Agent"))
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, ch := recorder(t, `{"ok":true}`)
			tt.opt.Now = fixedNow
			c := New(tt.opt)
			defer c.Close()
			resp := c.Send(t.Context(), simulator.Request{URL: srv.URL, Event: simulator.AssistantRequest, Body: testBody, Deadline: 5 * time.Second, Plain: tt.plain})
			require.Nil(t, resp.Failure)
			got := one(t, ch)
			assert.Equal(t, testBody, got.body)
			tt.check(t, got)

			assert.Equal(t, http.StatusOK, resp.Status)
			assert.Equal(t, `{"ok":true}`, string(resp.Body))
			assert.EqualValues(t, len(`{"ok":true}`), resp.Size)
			assert.Equal(t, got.body, resp.SentBody)
			for k, v := range resp.SentHeader {
				assert.Equal(t, v, got.header[k], "sent header %s", k)
			}
			assert.Positive(t, resp.Latency)
			assert.Equal(t, fixedNow(), resp.SentAt)
			if tt.plain {
				assert.Zero(t, resp.Timestamp)
			} else {
				assert.Equal(t, testTS, resp.Timestamp)
			}
		})
	}
}

func TestProbes(t *testing.T) {
	valid := func(t *testing.T, got received, ts int64) {
		assert.Equal(t, strconv.FormatInt(ts, 10), got.header.Get(HeaderTimestamp))
		assert.Equal(t, "sha256="+refHMAC(testSecret, ts, got.body), got.header.Get(HeaderSignature), "not validly signed")
	}
	tests := []struct {
		probe simulator.Probe
		check func(t *testing.T, got received)
	}{
		{simulator.ProbeNone, func(t *testing.T, got received) {
			assert.Equal(t, testBody, got.body)
			valid(t, got, testTS)
		}},
		{simulator.ProbeUnsigned, func(t *testing.T, got received) {
			assert.Equal(t, testBody, got.body)
			assert.NotContains(t, got.header, HeaderSignature)
			assert.Equal(t, "1714000000", got.header.Get(HeaderTimestamp))
		}},
		{simulator.ProbeTampered, func(t *testing.T, got received) {
			require.Len(t, got.body, len(testBody))
			diff := 0
			for i := range got.body {
				if got.body[i] != testBody[i] {
					diff++
				}
			}
			assert.Equal(t, 1, diff, "exactly one byte changed")
			assert.True(t, json.Valid(got.body))
			sig := got.header.Get(HeaderSignature)
			assert.Regexp(t, sdkFormat, sig)
			assert.Equal(t, "sha256="+refHMAC(testSecret, testTS, testBody), sig, "signs the original bytes")
			assert.NotEqual(t, "sha256="+refHMAC(testSecret, testTS, got.body), sig, "must fail verification")
		}},
		{simulator.ProbeWrongSecret, func(t *testing.T, got received) {
			assert.Equal(t, testBody, got.body)
			sig := got.header.Get(HeaderSignature)
			assert.Regexp(t, sdkFormat, sig)
			assert.NotEqual(t, "sha256="+refHMAC(testSecret, testTS, got.body), sig)
		}},
		{simulator.ProbeStale, func(t *testing.T, got received) {
			assert.Equal(t, testBody, got.body)
			valid(t, got, testTS-600)
		}},
		{simulator.ProbeFuture, func(t *testing.T, got received) {
			assert.Equal(t, testBody, got.body)
			valid(t, got, testTS+600)
		}},
		{simulator.ProbeReformatted, func(t *testing.T, got received) {
			assert.True(t, json.Valid(got.body))
			assert.Contains(t, string(got.body), "\n  \"message\": {")
			var compact bytes.Buffer
			require.NoError(t, json.Compact(&compact, got.body))
			assert.Equal(t, testBody, compact.Bytes(), "same document")
			valid(t, got, testTS)
		}},
	}
	for _, tt := range tests {
		t.Run(string(tt.probe)+"-", func(t *testing.T) {
			srv, ch := recorder(t, `{}`)
			c := New(Options{Secret: testSecret, Now: fixedNow})
			orig := bytes.Clone(testBody)
			resp := c.Send(t.Context(), simulator.Request{URL: srv.URL, Event: simulator.AssistantRequest, Body: testBody, Probe: tt.probe})
			require.Nil(t, resp.Failure)
			assert.Equal(t, orig, testBody, "request body modified")
			got := one(t, ch)
			tt.check(t, got)
			assert.Equal(t, got.body, resp.SentBody)
			assert.Equal(t, got.header.Get(HeaderSignature), resp.SentHeader.Get(HeaderSignature))
			assert.Equal(t, got.header.Get(HeaderTimestamp), strconv.FormatInt(resp.Timestamp, 10))
		})
	}
}

func TestProbeNotApplicable(t *testing.T) {
	srv, ch := recorder(t, `{}`)
	c := New(Options{Secret: testSecret})
	resp := c.Send(t.Context(), simulator.Request{URL: srv.URL, Event: simulator.StatusUpdate, Body: []byte("not json"), Probe: simulator.ProbeReformatted})
	require.NotNil(t, resp.Failure)
	assert.Equal(t, simulator.FailOther, resp.Failure.Kind)
	assert.Contains(t, resp.Failure.Detail, "reformatted probe")
	assert.Empty(t, ch, "nothing may be sent")
	assert.Equal(t, []byte("not json"), resp.SentBody)
	assert.NotNil(t, resp.SentHeader)
	assert.False(t, resp.SentAt.IsZero())
}

func TestClassify(t *testing.T) {
	tests := []struct {
		err    error
		kind   simulator.FailureKind
		detail string
	}{
		{&net.DNSError{Err: "no such host", Name: "hooks.example.invalid", IsNotFound: true}, simulator.FailDNS, `cannot resolve host "hooks.example.invalid" (no such host)`},
		{&net.OpError{Op: "read", Net: "tcp", Err: os.NewSyscallError("read", syscall.ECONNRESET)}, simulator.FailReset, "connection reset by the server"},
		{io.ErrUnexpectedEOF, simulator.FailReset, "closed the connection"},
		{errors.New("net/http: server closed idle connection"), simulator.FailReset, "kept-alive connection"},
		{errors.New("something odd"), simulator.FailOther, "delivery failed: something odd"},
	}
	for _, tt := range tests {
		t.Run(tt.err.Error(), func(t *testing.T) {
			f := classify(tt.err, "127.0.0.1:8080")
			assert.Equal(t, tt.kind, f.Kind)
			assert.Contains(t, f.Detail, tt.detail)
		})
	}
}

// TestConnectionReuse: successive deliveries share one kept-alive connection,
// which requires every reply body to be read to the end and closed.
func TestConnectionReuse(t *testing.T) {
	var conns atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"results":[]}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	c := New(Options{Secret: testSecret})
	defer c.Close()
	for range 20 {
		r := c.Send(t.Context(), simulator.Request{URL: srv.URL, Event: simulator.ToolCalls, Body: testBody, Deadline: 2 * time.Second})
		require.Nil(t, r.Failure)
	}
	assert.EqualValues(t, 1, conns.Load())
}

func TestMaxConns(t *testing.T) {
	var active, peak atomic.Int32
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := active.Add(1)
		defer active.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		select {
		case <-release:
		case <-time.After(20 * time.Millisecond):
		}
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	defer close(release)
	c := New(Options{MaxConns: 2})
	defer c.Close()
	var wg sync.WaitGroup
	for range 10 {
		wg.Go(func() {
			r := c.Send(t.Context(), simulator.Request{URL: srv.URL, Event: simulator.StatusUpdate, Body: testBody, Deadline: 5 * time.Second})
			assert.Nil(t, r.Failure)
		})
	}
	wg.Wait()
	assert.LessOrEqual(t, peak.Load(), int32(2))
	assert.Positive(t, peak.Load())
}

func TestConcurrentSends(t *testing.T) {
	srv, ch := recorder(t, `{}`)
	c := New(Options{Secret: testSecret})
	defer c.Close()
	probes := []simulator.Probe{simulator.ProbeNone, simulator.ProbeStale, simulator.ProbeReformatted, simulator.ProbeFuture}
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Go(func() {
			body := []byte(`{"message":{"type":"status-update","n":` + strconv.Itoa(i) + `}}`)
			r := c.Send(t.Context(), simulator.Request{URL: srv.URL, Event: simulator.StatusUpdate, Body: body, Deadline: 5 * time.Second, Probe: probes[i%len(probes)]})
			if assert.Nil(t, r.Failure) {
				assert.Equal(t, "sha256="+refHMAC(testSecret, r.Timestamp, r.SentBody), r.SentHeader.Get(HeaderSignature))
			}
		})
	}
	wg.Wait()
	require.Len(t, ch, 50)
	for range 50 {
		got := <-ch
		ts, err := strconv.ParseInt(got.header.Get(HeaderTimestamp), 10, 64)
		require.NoError(t, err)
		assert.Equal(t, "sha256="+refHMAC(testSecret, ts, got.body), got.header.Get(HeaderSignature))
	}
}

func BenchmarkSend(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		io.WriteString(w, `{}`)
	}))
	defer srv.Close()
	c := New(Options{Secret: testSecret})
	defer c.Close()
	req := simulator.Request{URL: srv.URL, Event: simulator.StatusUpdate, Body: testBody, Deadline: 5 * time.Second}
	b.ReportAllocs()
	for b.Loop() {
		if r := c.Send(b.Context(), req); r.Failure != nil {
			b.Fatal(r.Failure.Detail)
		}
	}
}
