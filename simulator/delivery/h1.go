package delivery

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net"
	"net/http"
	"net/http/httputil"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"time"
)

// h1 is a lean keep-alive HTTP/1.1 client for plain http:// targets. The
// goroutine that sends a webhook writes the request and reads the reply
// itself, so a delivery costs one wake-up instead of net/http's hand-offs
// between the caller, a writer and a reader goroutine per connection. The
// delivery's deadline is the connection's deadline; when the caller's
// context ends, the deadline moves into the past, which interrupts any
// pending read or write.
//
// A kept-alive connection is reused only after a reply that was read to its
// end and did not ask to close, and, once it has been idle for peekAfter,
// only when the server has neither closed it nor sent anything meanwhile
// (idleUsable).
type h1 struct {
	dialer  net.Dialer
	maxIdle int // idle connections kept per host

	mu   sync.Mutex
	idle map[string][]*h1Conn // by host:port, most recently used last
}

// Limits of the lean client.
const (
	// maxHeaderBytes bounds a reply's status line and headers.
	maxHeaderBytes = 1 << 20
	// idleTimeout closes a kept-alive connection unused for this long.
	idleTimeout = 90 * time.Second
	// peekAfter: a connection idle this long is checked for a close by the
	// server before reuse. Servers close idle connections after seconds
	// (Node 5 s, gunicorn 2 s, nginx 75 s); one that closes without saying
	// so at once after its reply is told so by the failed delivery.
	peekAfter = 100 * time.Millisecond
	// writeBufMax is the largest request buffer a connection keeps.
	writeBufMax = 64 << 10
)

// errHeadersTooLarge reports a reply whose headers (or trailer) pass
// maxHeaderBytes.
var errHeadersTooLarge = fmt.Errorf("the reply's headers are larger than %s; the rest was not read", byteSize(maxHeaderBytes))

// errIdleClosed reports a kept-alive connection that the server closed as the
// request went out; classify explains it.
var errIdleClosed = errors.New("server closed idle connection")

// aLongTimeAgo is a deadline in the past: setting it interrupts blocked I/O.
var aLongTimeAgo = time.Unix(1, 0)

func newH1(maxIdle int) *h1 {
	return &h1{
		dialer:  net.Dialer{Timeout: dialTimeout, KeepAlive: 30 * time.Second},
		maxIdle: maxIdle,
		idle:    make(map[string][]*h1Conn),
	}
}

// h1Conn is one kept-alive connection with its reader and request buffer.
type h1Conn struct {
	nc    net.Conn
	limit capReader // bufio reads through it; it caps the header bytes
	br    *bufio.Reader
	tp    *textproto.Reader
	wbuf  []byte
	since time.Time // when it went idle
}

// capReader returns errHeadersTooLarge once n bytes have been read.
type capReader struct {
	r io.Reader
	n int64
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.n <= 0 {
		return 0, errHeadersTooLarge
	}
	if int64(len(p)) > c.n {
		p = p[:c.n]
	}
	n, err := c.r.Read(p)
	c.n -= int64(n)
	return n, err
}

// do sends one POST on a kept-alive or new connection and reads the status
// line and headers. The caller reads the body: reading it to the end
// returns the connection for reuse, closing it earlier drops the connection.
// deadline (zero: none) bounds the whole exchange, the body included.
func (t *h1) do(ctx context.Context, tg *target, hdr http.Header, body []byte, deadline time.Time) (*http.Response, error) {
	pc, reused, err := t.conn(ctx, tg.addr, deadline)
	if err != nil {
		return nil, err
	}
	stop := func() bool { return true }
	if ctx.Done() != nil {
		stop = context.AfterFunc(ctx, func() { _ = pc.nc.SetDeadline(aLongTimeAgo) })
	}
	fail := func(err error) (*http.Response, error) {
		stop()
		_ = pc.nc.Close()
		return nil, err
	}
	if err := pc.writeRequest(tg, hdr, body); err != nil {
		return fail(err)
	}
	resp, err := pc.readHead()
	if err != nil {
		if reused && errors.Is(err, io.ErrUnexpectedEOF) && pc.br.Buffered() == 0 {
			err = errIdleClosed
		}
		return fail(err)
	}
	b := &h1Body{t: t, pc: pc, addr: tg.addr, stop: stop, keep: !resp.Close}
	b.frame(resp)
	resp.Body = b
	if resp.ContentLength == 0 {
		b.finish(b.keep && pc.br.Buffered() == 0)
	}
	return resp, nil
}

// frame sets how the body of resp is read and whether its connection can
// carry another request afterwards.
func (b *h1Body) frame(resp *http.Response) {
	br := b.pc.br
	switch {
	case resp.StatusCode < 200 || resp.StatusCode == http.StatusNoContent || resp.StatusCode == http.StatusNotModified:
		resp.ContentLength = 0
		b.r = http.NoBody
		b.keep = b.keep && resp.StatusCode != http.StatusSwitchingProtocols
	case chunked(resp.Header):
		resp.ContentLength = -1
		b.r, b.chunked = httputil.NewChunkedReader(br), true
	case resp.ContentLength >= 0:
		b.r = &lengthReader{r: br, n: resp.ContentLength}
	default: // the body ends when the server closes the connection
		b.r, b.keep = br, false
	}
}

// conn returns an idle connection to addr that is still usable, or dials
// one, with the deadline set.
func (t *h1) conn(ctx context.Context, addr string, deadline time.Time) (pc *h1Conn, reused bool, err error) {
	for {
		t.mu.Lock()
		list := t.idle[addr]
		if n := len(list); n > 0 {
			pc = list[n-1]
			list[n-1] = nil
			t.idle[addr] = list[:n-1]
		}
		t.mu.Unlock()
		if pc == nil {
			break
		}
		idle := time.Since(pc.since)
		if idle < idleTimeout && pc.nc.SetDeadline(deadline) == nil && (idle < peekAfter || idleUsable(pc.nc)) {
			return pc, true, nil
		}
		_ = pc.nc.Close()
		pc = nil
	}
	d := t.dialer
	d.Deadline = deadline
	nc, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, false, err
	}
	if err := nc.SetDeadline(deadline); err != nil {
		_ = nc.Close()
		return nil, false, err
	}
	pc = &h1Conn{nc: nc}
	pc.limit.r = nc
	pc.br = bufio.NewReaderSize(&pc.limit, 4096)
	pc.tp = textproto.NewReader(pc.br)
	return pc, false, nil
}

// put keeps a connection whose reply was read completely for reuse.
func (t *h1) put(addr string, pc *h1Conn) {
	pc.since = time.Now()
	if cap(pc.wbuf) > writeBufMax {
		pc.wbuf = nil
	}
	t.mu.Lock()
	if len(t.idle[addr]) < t.maxIdle {
		t.idle[addr] = append(t.idle[addr], pc)
		pc = nil
	}
	t.mu.Unlock()
	if pc != nil {
		_ = pc.nc.Close()
	}
}

// closeIdle closes the kept-alive connections. The client stays usable.
func (t *h1) closeIdle() {
	t.mu.Lock()
	all := t.idle
	t.idle = make(map[string][]*h1Conn)
	t.mu.Unlock()
	for _, list := range all {
		for _, pc := range list {
			_ = pc.nc.Close()
		}
	}
}

// writeRequest writes the request line, Host, the headers, Content-Length
// and the body in one write.
func (pc *h1Conn) writeRequest(tg *target, hdr http.Header, body []byte) error {
	w := append(pc.wbuf[:0], "POST "...)
	w = append(w, tg.uri...)
	w = append(w, " HTTP/1.1\r\nHost: "...)
	w = append(w, tg.url.Host...)
	w = append(w, "\r\n"...)
	for k, vs := range hdr {
		for _, v := range vs {
			if strings.ContainsAny(v, "\r\n") || strings.ContainsAny(k, "\r\n: ") {
				return fmt.Errorf("invalid header %q: header names and values cannot contain line breaks", k)
			}
			w = append(append(append(append(w, k...), ": "...), v...), "\r\n"...)
		}
	}
	w = append(w, "Content-Length: "...)
	w = strconv.AppendInt(w, int64(len(body)), 10)
	w = append(w, "\r\n\r\n"...)
	w = append(w, body...)
	pc.wbuf = w
	_, err := pc.nc.Write(w)
	return err
}

// readHead reads the status line and headers of the reply, skipping
// interim 1xx replies.
func (pc *h1Conn) readHead() (*http.Response, error) {
	pc.limit.n = maxHeaderBytes
	defer func() { pc.limit.n = math.MaxInt64 }()
	for {
		line, err := pc.tp.ReadLine()
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		resp, err := parseStatusLine(line)
		if err != nil {
			return nil, err
		}
		mh, err := pc.tp.ReadMIMEHeader()
		if err != nil {
			return nil, unexpectedEOF(err)
		}
		if resp.StatusCode < 200 && resp.StatusCode != http.StatusSwitchingProtocols {
			continue // 100 Continue, 103 Early Hints: the reply follows
		}
		resp.Header = http.Header(mh)
		resp.Close = resp.ProtoMajor != 1 || resp.ProtoMinor == 0 || hasToken(resp.Header["Connection"], "close")
		if resp.ContentLength, err = bodyLength(resp.Header); err != nil {
			return nil, err
		}
		return resp, nil
	}
}

// unexpectedEOF is err, with the end of the stream before a whole head as
// io.ErrUnexpectedEOF.
func unexpectedEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}

// parseStatusLine reads "HTTP/1.1 200 OK" into a Response's protocol and
// status.
func parseStatusLine(line string) (*http.Response, error) {
	resp := &http.Response{}
	var ok bool
	var err error
	resp.Proto, resp.Status, ok = strings.Cut(line, " ")
	if ok {
		resp.ProtoMajor, resp.ProtoMinor, ok = http.ParseHTTPVersion(resp.Proto)
	}
	code, _, _ := strings.Cut(resp.Status, " ")
	if len(code) == 3 && ok {
		resp.StatusCode, err = strconv.Atoi(code)
	}
	if !ok || resp.StatusCode < 100 || resp.StatusCode > 999 || err != nil {
		return nil, fmt.Errorf("malformed HTTP response %q", truncate(line, 64))
	}
	return resp, nil
}

// bodyLength is the Content-Length the headers declare, -1 when the body is
// chunked or ends when the server closes the connection. It refuses a
// transfer encoding other than chunked and conflicting or bad lengths.
func bodyLength(h http.Header) (int64, error) {
	if te := h["Transfer-Encoding"]; len(te) > 0 && !chunked(h) {
		return 0, fmt.Errorf("unsupported transfer encoding %q", strings.Join(te, ", "))
	}
	cl := h["Content-Length"]
	if len(cl) == 0 || chunked(h) {
		return -1, nil
	}
	for _, v := range cl[1:] {
		if strings.TrimSpace(v) != strings.TrimSpace(cl[0]) {
			return 0, fmt.Errorf("the reply has conflicting Content-Length headers %q", cl)
		}
	}
	n, err := strconv.ParseInt(strings.TrimSpace(cl[0]), 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("the reply has a bad Content-Length %q", cl[0])
	}
	return n, nil
}

func chunked(h http.Header) bool {
	te := h["Transfer-Encoding"]
	return len(te) == 1 && strings.EqualFold(strings.TrimSpace(te[0]), "chunked")
}

func hasToken(vals []string, token string) bool {
	for _, v := range vals {
		for f := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(f), token) {
				return true
			}
		}
	}
	return false
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// lengthReader reads a Content-Length body; an early end is
// io.ErrUnexpectedEOF.
type lengthReader struct {
	r io.Reader
	n int64
}

func (l *lengthReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	if err == io.EOF && l.n > 0 {
		err = io.ErrUnexpectedEOF
	}
	if l.n == 0 && err == nil {
		err = io.EOF
	}
	return n, err
}

// h1Body is a reply body. At its end the connection goes back to the idle
// pool when it can be reused; any error or an early Close drops it.
type h1Body struct {
	t       *h1
	pc      *h1Conn
	addr    string
	r       io.Reader
	stop    func() bool
	keep    bool
	chunked bool
	done    bool
}

func (b *h1Body) Read(p []byte) (int, error) {
	if b.done {
		return 0, io.EOF
	}
	n, err := b.r.Read(p)
	switch {
	case err == io.EOF && b.chunked:
		b.pc.limit.n = maxHeaderBytes // the trailer is bounded like the headers
		_, terr := b.pc.tp.ReadMIMEHeader()
		b.pc.limit.n = math.MaxInt64
		if terr != nil {
			b.finish(false)
			if errors.Is(terr, errHeadersTooLarge) {
				return n, terr
			}
			return n, io.ErrUnexpectedEOF
		}
		b.finish(b.keep && b.pc.br.Buffered() == 0)
	case err == io.EOF:
		b.finish(b.keep && b.pc.br.Buffered() == 0)
	case err != nil:
		b.finish(false)
	}
	return n, err
}

func (b *h1Body) Close() error {
	if !b.done {
		b.finish(false)
	}
	return nil
}

// finish ends the delivery's use of the connection: the context no longer
// touches it, and it is kept or closed.
func (b *h1Body) finish(reuse bool) {
	b.done = true
	if !b.stop() { // the context ended: the connection's deadline is spent
		reuse = false
	}
	if reuse {
		b.t.put(b.addr, b.pc)
	} else {
		_ = b.pc.nc.Close()
	}
}
