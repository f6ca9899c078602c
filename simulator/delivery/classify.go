package delivery

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"syscall"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// classify turns a transport error into a failure in plain words. hostPort
// names the target in the message.
func classify(err error, hostPort string) *simulator.Failure {
	err = unwrapURLError(err)
	msg := err.Error()
	var (
		dnsErr  *net.DNSError
		certErr *tls.CertificateVerificationError
		recErr  tls.RecordHeaderError
		alert   tls.AlertError
		unknown x509.UnknownAuthorityError
		host    x509.HostnameError
		invalid x509.CertificateInvalidError
		netErr  net.Error
	)
	switch {
	case errors.Is(err, errHeadersTooLarge), strings.Contains(msg, "server response headers exceeded"):
		return fail(simulator.FailIncomplete, "%v: keep webhook reply headers small", errHeadersTooLarge)
	case isChunkError(msg):
		return fail(simulator.FailIncomplete, "the chunked reply body is malformed (%s)", msg)
	case errors.Is(err, syscall.ECONNREFUSED):
		return fail(simulator.FailRefused, "connection refused: is the server running on %s?", hostPort)
	case errors.As(err, &dnsErr):
		what := dnsErr.Err
		if dnsErr.IsNotFound {
			what = "no such host"
		}
		return fail(simulator.FailDNS, "cannot resolve host %q (%s): check the host name in the target URL", dnsErr.Name, what)
	case errors.As(err, &certErr):
		return fail(simulator.FailTLS, "TLS handshake failed: %v; serve a certificate from a public CA that matches the host name", certErr.Err)
	case errors.As(err, &unknown), errors.As(err, &host), errors.As(err, &invalid):
		return fail(simulator.FailTLS, "TLS handshake failed: %v", err)
	case strings.Contains(msg, "server gave HTTP response to HTTPS client"), errors.As(err, &recErr):
		return fail(simulator.FailTLS, "TLS handshake failed: %s does not speak TLS; use an http:// URL for a plain HTTP server", hostPort)
	case errors.As(err, &alert), strings.HasPrefix(msg, "tls:"), strings.Contains(msg, "TLS handshake"):
		return fail(simulator.FailTLS, "TLS handshake failed: %v", err)
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE):
		return fail(simulator.FailReset, "connection reset by the server")
	case strings.Contains(msg, "server closed idle connection"):
		return fail(simulator.FailReset, "the server closed a kept-alive connection as the request went out; keep idle connections open longer than 90s or answer with Connection: close")
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return fail(simulator.FailReset, "the server closed the connection before the reply was complete")
	case errors.As(err, &netErr) && netErr.Timeout():
		return fail(simulator.FailTimeout, "no connection to %s in time: %v", hostPort, err)
	}
	return fail(simulator.FailOther, "delivery failed: %v", err)
}

// isChunkError reports a malformed chunked body, in the words of
// net/http/internal's chunked reader (used by both transports).
func isChunkError(msg string) bool {
	for _, m := range []string{"malformed chunked encoding", "invalid byte in chunk length", "chunked encoding contains too much non-data", "http chunk length too large", "empty hex number for chunk length", "invalid hex number"} {
		if strings.Contains(msg, m) {
			return true
		}
	}
	return false
}

func fail(kind simulator.FailureKind, format string, args ...any) *simulator.Failure {
	return &simulator.Failure{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// unwrapURLError drops the "Post URL:" wrapper, which repeats what the
// report shows elsewhere.
func unwrapURLError(err error) error {
	var u *url.Error
	if errors.As(err, &u) {
		return u.Err
	}
	return err
}
