// Package delivery sends rendered webhooks over HTTP the way the Flireo
// platform does: one POST with the platform headers and HMAC signature
// (spec §3), no retries (spec §4), no redirects, a deadline around the whole
// round trip including the reply body, and a capped read of the reply. It
// also builds signature probes for testing a receiver's verification and
// copy-pasteable curl commands that replay a delivery.
package delivery

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// Defaults of Options.
const (
	DefaultUserAgent = "HMS-Sovereign/1.0" // spec §3.1
	DefaultMaxBody   = 1 << 20             // 1 MiB
)

const (
	// drainLimit bounds what is read past the cap of an oversized reply
	// before the connection is dropped.
	drainLimit = 64 << 10
	// poolBufMax is the largest reply buffer kept for reuse.
	poolBufMax = 64 << 10
	// dialTimeout bounds connecting when a request has no deadline.
	dialTimeout = 30 * time.Second
	// minIdlePerHost is the idle-connection pool per host for load runs.
	minIdlePerHost = 256
)

// Options configure a Client. The zero value sends unsigned deliveries with
// the platform's User-Agent and a 1 MiB reply cap.
type Options struct {
	Secret    string            // webhook secret; "" sends no X-Webhook-Signature (spec §8 row 14)
	BareHex   bool              // signature without the "sha256=" prefix (spec §8 row 13)
	UserAgent string            // default "HMS-Sovereign/1.0" (spec §3.1)
	MaxBody   int64             // reply read cap in bytes, default 1 MiB
	Grace     time.Duration     // extra wait after the deadline before giving up reading, default 0
	MaxConns  int               // per-host connection limit for load runs; 0: no limit
	Now       func() time.Time  // wall clock for X-Webhook-Timestamp and SentAt; default time.Now
	Transport http.RoundTripper // default: the lean keep-alive HTTP/1.1 transport (h1), net/http's for https:// and MaxConns
}

// Client delivers webhooks. It is safe for concurrent use; Close releases its
// idle connections.
type Client struct {
	opt     Options
	now     func() time.Time  // nil: the wall clock of the monotonic start
	h1      *h1               // http:// targets; nil: everything goes to rt
	rt      http.RoundTripper // https:// targets, Options.Transport and MaxConns
	bufs    sync.Pool
	targets sync.Map // URL → *target
	ntarget atomic.Int32
}

var _ simulator.Sender = (*Client)(nil)

// New returns a Client for the options, filling in defaults.
func New(o Options) *Client {
	if o.UserAgent == "" {
		o.UserAgent = DefaultUserAgent
	}
	if o.MaxBody <= 0 {
		o.MaxBody = DefaultMaxBody
	}
	if o.Grace < 0 {
		o.Grace = 0
	}
	if o.MaxConns < 0 {
		o.MaxConns = 0
	}
	c := &Client{opt: o, now: o.Now, rt: o.Transport}
	if c.rt == nil {
		c.rt = newTransport(o.MaxConns)
		if o.MaxConns == 0 {
			c.h1 = newH1(minIdlePerHost)
		}
	}
	c.bufs.New = func() any { return new(readBuf) }
	return c
}

// newTransport is a keep-alive HTTP/1.1 transport that ignores proxy settings
// from the environment, asks for no compression (so the reply cap counts wire
// bytes) and keeps enough idle connections per host for load runs.
func newTransport(maxConns int) *http.Transport {
	d := &net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second}
	var protos http.Protocols
	protos.SetHTTP1(true)
	return &http.Transport{
		Proxy:               nil,
		DialContext:         d.DialContext,
		Protocols:           &protos,
		MaxIdleConnsPerHost: max(maxConns, minIdlePerHost),
		MaxConnsPerHost:     maxConns,
		IdleConnTimeout:     90 * time.Second,
		TLSHandshakeTimeout: 10 * time.Second,
		DisableCompression:  true,
		// The same header cap as the lean client: a reply whose headers
		// pass it is incomplete, and is never buffered whole.
		MaxResponseHeaderBytes: maxHeaderBytes,
	}
}

// Close closes idle connections. The Client stays usable.
func (c *Client) Close() {
	if c.h1 != nil {
		c.h1.closeIdle()
	}
	if t, ok := c.rt.(interface{ CloseIdleConnections() }); ok {
		t.CloseIdleConnections()
	}
}

// Send delivers req once and reads the reply through the cap. It always
// returns a Response with Latency, SentAt, SentHeader and SentBody set, and
// returns no later than req.Deadline plus Grace after it started (or when ctx
// ends). A reply that completes after the deadline but within Grace is read
// and still reported as a timeout. SentHeader holds every header of the
// request except Host and Content-Length, which follow from the URL and
// SentBody.
//
// Probes (simulator.Probe) change what goes out: unsigned omits the
// signature; tampered signs the body and then sends it with one letter's case
// flipped inside a string value (see tamper); wrong-secret signs with a fixed
// secret that differs from Options.Secret; stale and future move the
// timestamp 600 s back or ahead and sign correctly; reformatted sends the
// body re-indented by json.Indent and signs those bytes. Without a secret
// only wrong-secret carries a signature. Plain requests carry Content-Type
// and User-Agent only, and ignore probes. A request that cannot be sent (a bad URL, a probe that does not
// apply) fails with FailOther before anything goes on the wire.
func (c *Client) Send(ctx context.Context, req simulator.Request) (resp simulator.Response) {
	start := time.Now()
	wall := start
	if c.now != nil {
		wall = c.now()
	}
	resp.SentAt = wall
	defer func() { resp.Latency = time.Since(start) }()

	body, hdr, ts, err := c.prepare(req, wall)
	resp.SentHeader, resp.SentBody, resp.Timestamp = hdr, body, ts
	if err != nil {
		resp.Failure = &simulator.Failure{Kind: simulator.FailOther, Detail: err.Error()}
		return resp
	}

	t, err := c.target(req.URL)
	if err != nil {
		resp.Failure = &simulator.Failure{Kind: simulator.FailOther,
			Detail: fmt.Sprintf("invalid target URL %q: %v; give a URL such as http://127.0.0.1:8080/webhook", req.URL, err)}
		return resp
	}
	var deadline time.Time // the end of the delivery, Grace included
	if req.Deadline > 0 {
		deadline = start.Add(req.Deadline + c.opt.Grace)
	}
	hres, release, err := c.roundTrip(ctx, t, hdr, body, deadline)
	if err != nil {
		resp.Failure = c.failure(ctx, deadline, req, t, err, time.Since(start), nil)
		return resp
	}
	defer release()
	headAt := time.Since(start)
	resp.Status, resp.Header = hres.StatusCode, hres.Header

	var over bool
	resp.Body, resp.Size, over, err = c.read(hres)
	took := time.Since(start)
	switch {
	case err != nil:
		resp.Failure = c.failure(ctx, deadline, req, t, err, headAt, &resp)
	case over:
		resp.Failure = &simulator.Failure{Kind: simulator.FailOversized,
			Detail: fmt.Sprintf("reply is larger than %s (read %d+ bytes); the rest was not read: keep webhook replies small",
				byteSize(c.opt.MaxBody), c.opt.MaxBody+1)}
	case req.Deadline > 0 && took > req.Deadline:
		resp.Failure = &simulator.Failure{Kind: simulator.FailTimeout,
			Detail: fmt.Sprintf("no complete reply within %s (the reply completed after %s)", req.Deadline, round(took))}
	case hres.StatusCode >= 300 && hres.StatusCode < 400:
		resp.Failure = redirect(hres, t.url)
	}
	return resp
}

// target is a parsed webhook URL.
type target struct {
	url  *url.URL
	addr string // host:port to dial
	uri  string // the request-URI
}

// maxTargets bounds the parsed URLs a Client remembers.
const maxTargets = 1024

// target parses and checks a webhook URL, once per URL.
func (c *Client) target(raw string) (*target, error) {
	if t, ok := c.targets.Load(raw); ok {
		return t.(*target), nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return nil, unwrapURLError(err)
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return nil, errors.New("not an absolute http:// or https:// URL")
	}
	t := &target{url: u, addr: hostPort(u), uri: u.RequestURI()}
	if c.ntarget.Add(1) <= maxTargets {
		c.targets.Store(raw, t)
	}
	return t, nil
}

// roundTrip sends the request and returns the reply with its body unread;
// release ends the delivery's hold on the connection once the body is read.
// After the deadline (zero: none) or when ctx ends, it or the body read
// fails.
func (c *Client) roundTrip(ctx context.Context, t *target, hdr http.Header, body []byte, deadline time.Time) (hres *http.Response, release func(), err error) {
	if c.h1 != nil && t.url.Scheme == "http" {
		hres, err = c.h1.do(ctx, t, hdr, body, deadline)
		if err != nil {
			return nil, nil, err
		}
		return hres, func() { _ = hres.Body.Close() }, nil
	}
	cancel := context.CancelFunc(func() {})
	if !deadline.IsZero() {
		ctx, cancel = context.WithDeadline(ctx, deadline)
	}
	// net/http may read the body after RoundTrip returns; the caller may
	// reuse its buffer once Send returns.
	hreq, err := http.NewRequestWithContext(ctx, http.MethodPost, t.url.String(), bytes.NewReader(bytes.Clone(body)))
	if err != nil {
		cancel()
		return nil, nil, err
	}
	hreq.Header = hdr
	if hres, err = c.rt.RoundTrip(hreq); err != nil {
		cancel()
		return nil, nil, err
	}
	hres.Body = deadlineBody{ReadCloser: hres.Body, ctx: ctx}
	return hres, func() { _ = hres.Body.Close(); cancel() }, nil
}

// deadlineBody is a net/http reply body that reports the end of its
// delivery's context as an error: net/http may end a body cut off by the
// deadline with a clean EOF, which would read as a reply that completed.
type deadlineBody struct {
	io.ReadCloser
	ctx context.Context
}

func (b deadlineBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF && b.ctx.Err() != nil {
		err = b.ctx.Err()
	}
	return n, err
}

// prepare builds the bytes and headers that go on the wire, applying the
// request's probe. The returned header is the one sent.
func (c *Client) prepare(req simulator.Request, now time.Time) (body []byte, h http.Header, ts int64, err error) {
	body = req.Body
	if req.Plain {
		vals := make([]string, 2)
		vals[0], vals[1] = "application/json", c.opt.UserAgent
		return body, http.Header{"Content-Type": vals[0:1:1], "User-Agent": vals[1:2:2]}, 0, nil
	}
	if req.Probe != simulator.ProbeNone {
		if body, err = probeBody(req.Probe, req.Body); err != nil {
			return req.Body, http.Header{}, 0, err // nothing is sent
		}
	}
	ts = now.Unix() + probeOffset(req.Probe)
	var sig string
	switch {
	case req.Probe == simulator.ProbeWrongSecret:
		sig = Sign(wrongSecret(c.opt.Secret), ts, body)
	case c.opt.Secret == "" || req.Probe == simulator.ProbeUnsigned:
	case req.Probe == simulator.ProbeTampered:
		sig = Sign(c.opt.Secret, ts, req.Body) // over the original bytes
	default:
		sig = Sign(c.opt.Secret, ts, body)
	}
	if c.opt.BareHex && sig != "" {
		sig = sig[len(SignaturePrefix):]
	}
	n := 4
	if sig != "" {
		n = 5
	}
	vals := make([]string, n)
	vals[0], vals[1], vals[2], vals[3] = "application/json", c.opt.UserAgent, string(req.Event), strconv.FormatInt(ts, 10)
	h = make(http.Header, n)
	h["Content-Type"] = vals[0:1:1]
	h["User-Agent"] = vals[1:2:2]
	h[HeaderEvent] = vals[2:3:3]
	h[HeaderTimestamp] = vals[3:4:4]
	if sig != "" {
		vals[4] = sig
		h[HeaderSignature] = vals[4:5:5]
	}
	return body, h, ts, nil
}

// readBuf is a pooled reply buffer.
type readBuf struct {
	buf []byte
}

// keepOversized is how much of a reply over the cap is kept: enough to show
// what the server sent, never the cap's worth per exchange.
const keepOversized = 4 << 10

// read reads the reply body through the cap into a buffer that grows by
// doubling but never past the cap. Past the cap it drains at most
// drainLimit more bytes, reports over and keeps only the first
// keepOversized bytes; the caller closes the body. A reply that announces
// more than the cap in Content-Length is never buffered beyond that prefix.
func (c *Client) read(hres *http.Response) (body []byte, size int64, over bool, err error) {
	rb := c.bufs.Get().(*readBuf)
	pooled := true
	defer func() {
		if pooled && cap(rb.buf) <= poolBufMax {
			rb.buf = rb.buf[:0]
			c.bufs.Put(rb)
		}
	}()
	limit := c.opt.MaxBody
	keep := limit
	if cl := hres.ContentLength; cl > limit {
		keep = min(limit, keepOversized)
	} else if cl > 0 && int64(cap(rb.buf)) < cl {
		rb.buf = make([]byte, 0, cl)
	}
	b, n, err := readCapped(hres.Body, rb.buf[:0], keep, limit)
	rb.buf = b[:0]
	size = n
	if err == nil && n == limit {
		var one [1]byte
		m, rerr := io.ReadFull(hres.Body, one[:])
		size += int64(m)
		if m == 0 && rerr != io.EOF && rerr != io.ErrUnexpectedEOF {
			err = rerr
		}
	}
	if size > limit {
		over = true
		d, _ := io.CopyN(io.Discard, hres.Body, drainLimit)
		size += d
		err = nil
		b = b[:min(len(b), keepOversized)]
	}
	if len(b) > 0 {
		if cap(b) > poolBufMax && len(b) == cap(b) {
			body, pooled = b, false // too big for the pool: hand it over
		} else {
			body = bytes.Clone(b)
		}
	}
	return body, size, over, err
}

// readCapped reads r until EOF or until limit bytes were read, keeping the
// first keep of them in buf (grown by doubling, never past keep) and
// counting the rest. It returns the kept bytes, the count read and the
// first error other than EOF.
func readCapped(r io.Reader, buf []byte, keep, limit int64) ([]byte, int64, error) {
	var scratch [4096]byte
	var n int64
	for n < limit {
		var p []byte
		if int64(len(buf)) < keep {
			if len(buf) == cap(buf) {
				c := min(max(2*int64(cap(buf)), 4096), keep)
				nb := make([]byte, len(buf), c)
				copy(nb, buf)
				buf = nb
			}
			p = buf[len(buf):min(int64(cap(buf)), keep)]
		} else {
			p = scratch[:]
		}
		if left := limit - n; int64(len(p)) > left {
			p = p[:left]
		}
		m, err := r.Read(p)
		if m > 0 {
			if int64(len(buf)) < keep {
				buf = buf[:len(buf)+m]
			}
			n += int64(m)
		}
		if err == io.EOF {
			return buf, n, nil
		}
		if err != nil {
			return buf, n, err
		}
	}
	return buf, n, nil
}

// failure classifies a transport or body-read error. resp is non-nil when a
// status line arrived (headAt is then when it did). An error at or after the
// delivery's deadline is a timeout, unless ctx ended first.
func (c *Client) failure(ctx context.Context, deadline time.Time, req simulator.Request, t *target, err error, headAt time.Duration, resp *simulator.Response) *simulator.Failure {
	cerr := ctx.Err()
	if !deadline.IsZero() && cerr == nil && !time.Now().Before(deadline) {
		return &simulator.Failure{Kind: simulator.FailTimeout, Detail: timeoutDetail(req.Deadline, headAt, resp)}
	}
	if cerr != nil {
		if errors.Is(cerr, context.DeadlineExceeded) {
			return &simulator.Failure{Kind: simulator.FailTimeout,
				Detail: "no complete reply before the run's own deadline ended the delivery" + progress(headAt, resp)}
		}
		return &simulator.Failure{Kind: simulator.FailOther,
			Detail: fmt.Sprintf("delivery cancelled (%v)%s", context.Cause(ctx), progress(headAt, resp))}
	}
	f := classify(err, t.addr)
	if resp != nil && (f.Kind == simulator.FailReset || f.Kind == simulator.FailOther || f.Kind == simulator.FailIncomplete) {
		// The status line arrived but the body did not arrive whole: the
		// reply is incomplete, whatever its status says.
		f.Kind = simulator.FailIncomplete
		f.Detail += fmt.Sprintf(" (status %d arrived, then %d bytes of the body%s)", resp.Status, resp.Size, declared(resp.Header))
	}
	return f
}

// declared names the Content-Length a reply announced, for the detail of an
// incomplete body.
func declared(h http.Header) string {
	if cl := h.Get("Content-Length"); cl != "" {
		return " of the " + cl + " announced by Content-Length"
	}
	return ""
}

func timeoutDetail(d, headAt time.Duration, resp *simulator.Response) string {
	if resp == nil {
		return fmt.Sprintf("no complete reply within %s (no status line arrived)", d)
	}
	return fmt.Sprintf("no complete reply within %s (status %d arrived after %s; the body was incomplete after %d bytes)",
		d, resp.Status, round(headAt), resp.Size)
}

func progress(headAt time.Duration, resp *simulator.Response) string {
	if resp == nil {
		return ""
	}
	return fmt.Sprintf("; status %d arrived after %s, then %d bytes of the body", resp.Status, round(headAt), resp.Size)
}

func redirect(hres *http.Response, base *url.URL) *simulator.Failure {
	status := fmt.Sprintf("%d %s", hres.StatusCode, http.StatusText(hres.StatusCode))
	var loc *url.URL
	err := http.ErrNoLocation
	if l := hres.Header.Get("Location"); l != "" {
		loc, err = base.Parse(l)
	}
	if err != nil {
		return &simulator.Failure{Kind: simulator.FailRedirect,
			Detail: fmt.Sprintf("replied %s without a usable Location header; webhook replies must not redirect", status)}
	}
	return &simulator.Failure{Kind: simulator.FailRedirect,
		Detail: fmt.Sprintf("redirected to %s (%s); webhooks do not follow redirects: configure that URL as the webhook URL", loc, status)}
}

// hostPort is the URL's host with the scheme's default port made explicit.
func hostPort(u *url.URL) string {
	if u.Port() != "" {
		return u.Host
	}
	if u.Scheme == "https" {
		return net.JoinHostPort(u.Hostname(), "443")
	}
	return net.JoinHostPort(u.Hostname(), "80")
}

// byteSize renders a cap: "1 MiB", "64 KiB" or "1000 bytes".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// round shortens a measured duration for messages.
func round(d time.Duration) time.Duration {
	if d >= time.Millisecond {
		return d.Round(time.Millisecond)
	}
	return d.Round(time.Microsecond)
}
