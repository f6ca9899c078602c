package integrator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSignatureVerification(t *testing.T) {
	const secret = "whsec_test_secret_12345"
	now := time.Date(2025, 12, 13, 12, 0, 0, 0, time.UTC)
	body := compact(t, g3StatusInProgress)
	var indented bytes.Buffer
	require.NoError(t, json.Indent(&indented, []byte(body), "", "    "))

	tests := []struct {
		name   string
		secret string // server secret
		body   string // body sent
		header http.Header
		status int
		reason string
	}{
		{"valid with sha256= prefix", secret, body, signedHeader(secret, now, body, true), http.StatusOK, ""},
		{"valid bare hex", secret, body, signedHeader(secret, now, body, false), http.StatusOK, ""},
		{"valid, non-compact body verified on raw bytes", secret, indented.String(), signedHeader(secret, now, indented.String(), true), http.StatusOK, ""},
		{"valid at the edge of the window (-300 s)", secret, body, signedHeader(secret, now.Add(-300*time.Second), body, true), http.StatusOK, ""},
		{"valid at the edge of the window (+300 s)", secret, body, signedHeader(secret, now.Add(300*time.Second), body, true), http.StatusOK, ""},
		{"missing headers", secret, body, nil, http.StatusUnauthorized, "missing signature"},
		{"missing signature header", secret, body, http.Header{headerTimestamp: {"1765627200"}}, http.StatusUnauthorized, "missing signature"},
		{"missing timestamp header", secret, body, http.Header{headerSignature: signedHeader(secret, now, body, true)[headerSignature]}, http.StatusUnauthorized, "missing signature"},
		{"tampered body", secret, compact(t, g3StatusEnded), signedHeader(secret, now, body, true), http.StatusUnauthorized, "invalid signature"},
		{"re-indented after signing", secret, indented.String(), signedHeader(secret, now, body, true), http.StatusUnauthorized, "invalid signature"},
		{"wrong secret", secret, body, signedHeader("another-secret", now, body, true), http.StatusUnauthorized, "invalid signature"},
		{"signature not hex", secret, body, http.Header{headerTimestamp: {"1765627200"}, headerSignature: {"sha256=zzzz"}}, http.StatusUnauthorized, "invalid signature"},
		{"timestamp not a number", secret, body, http.Header{headerTimestamp: {"yesterday"}, headerSignature: {"sha256=00"}}, http.StatusUnauthorized, "invalid signature"},
		{"stale (-600 s)", secret, body, signedHeader(secret, now.Add(-600*time.Second), body, true), http.StatusUnauthorized, "stale timestamp"},
		{"future (+600 s)", secret, body, signedHeader(secret, now.Add(600*time.Second), body, true), http.StatusUnauthorized, "stale timestamp"},
		{"just outside the window (-301 s)", secret, body, signedHeader(secret, now.Add(-301*time.Second), body, true), http.StatusUnauthorized, "stale timestamp"},
		{"legacy body without headers accepted", secret, compact(t, g1StatusInProgress), nil, http.StatusOK, ""},
		{"legacy body with only a timestamp accepted", secret, compact(t, g1StatusInProgress), http.Header{headerTimestamp: {"1765627200"}}, http.StatusOK, ""},
		{"legacy body with a bad signature refused", secret, compact(t, g1StatusInProgress), signedHeader("another-secret", now, compact(t, g1StatusInProgress), true), http.StatusUnauthorized, "invalid signature"},
		{"envelope pretending to be legacy refused", secret, `{"eventType":"status-update","message":{"type":"status-update","call":{"id":"x"}}}`, nil, http.StatusUnauthorized, "missing signature"},
		{"no secret: unsigned accepted", "", body, nil, http.StatusOK, ""},
		{"no secret: bad signature accepted", "", body, signedHeader("another-secret", now.Add(-time.Hour), body, true), http.StatusOK, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, ts := newTestServer(t, Options{Secret: tt.secret, Now: func() time.Time { return now }})
			r := do(t, http.MethodPost, ts.URL+"/webhook", tt.body, tt.header)
			require.Equal(t, tt.status, r.Status, "body: %s", r.Body)
			if tt.reason != "" {
				assert.JSONEq(t, `{"error":"`+tt.reason+`"}`, string(r.Body))
			}
		})
	}
}

func TestRefusedDeliveryIsNotRecorded(t *testing.T) {
	now := time.Date(2025, 12, 13, 12, 0, 0, 0, time.UTC)
	s, ts := newTestServer(t, Options{Secret: "s3cret", Now: func() time.Time { return now }})
	r := post(t, ts.URL+"/webhook", g3StatusInProgress)
	require.Equal(t, http.StatusUnauthorized, r.Status)
	_, ok := s.Call("5c4d030f-43e3-4e65-899e-8148521e660f")
	assert.False(t, ok)
}
