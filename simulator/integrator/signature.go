package integrator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Signature headers (spec §3.1).
const (
	headerTimestamp = "X-Webhook-Timestamp"
	headerSignature = "X-Webhook-Signature"
)

// signatureTolerance is how far the signed timestamp may lie from now, in
// either direction (spec §3.3).
const signatureTolerance = 300 * time.Second

// Verification failures, as sent in the 401 body.
const (
	errMissingSignature = "missing signature"
	errInvalidSignature = "invalid signature"
	errStaleTimestamp   = "stale timestamp"
)

// verifySignature checks a delivery against the secret (spec §3.2):
// X-Webhook-Signature must be the lowercase or uppercase hex HMAC-SHA256 of
// X-Webhook-Timestamp + "." + the raw body, with or without the "sha256="
// prefix, and the timestamp (Unix seconds) must lie within 300 s of now. The
// comparison is constant-time and runs over the bytes as received, before any
// parsing. It returns "" when the delivery is authentic, else the reason.
//
// Legacy G1 deliveries are documented without any headers or signature
// (spec §1.1, §3.1), so a body in the legacy flat format that arrives without
// X-Webhook-Signature is accepted unsigned. A legacy body that does carry a
// signature is verified like any other. A server that only ever receives
// G2/G3 events should not keep this exception.
func verifySignature(secret string, h http.Header, body []byte, now time.Time) string {
	ts, sig := strings.TrimSpace(h.Get(headerTimestamp)), strings.TrimSpace(h.Get(headerSignature))
	if sig == "" && isLegacyBody(body) {
		return ""
	}
	if ts == "" || sig == "" {
		return errMissingSignature
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errInvalidSignature
	}
	if d := now.Sub(time.Unix(sec, 0)); d > signatureTolerance || d < -signatureTolerance {
		return errStaleTimestamp
	}
	got, err := hex.DecodeString(strings.TrimPrefix(sig, "sha256="))
	if err != nil {
		return errInvalidSignature
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts))
	mac.Write([]byte{'.'})
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return errInvalidSignature
	}
	return ""
}

// isLegacyBody reports whether body is a G1 flat event: a JSON object with
// "eventType" and no "message" envelope.
func isLegacyBody(body []byte) bool {
	var top map[string]json.RawMessage
	if json.Unmarshal(body, &top) != nil {
		return false
	}
	_, hasType := top["eventType"]
	msg, hasMessage := top["message"]
	return hasType && (!hasMessage || isNull(msg))
}
