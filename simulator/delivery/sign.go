package delivery

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// Header names of a platform delivery (spec §3.1).
const (
	HeaderEvent     = "X-Webhook-Event"
	HeaderTimestamp = "X-Webhook-Timestamp"
	HeaderSignature = "X-Webhook-Signature"
)

// SignaturePrefix starts a prefixed signature header value (spec §3.2, §8 row 13).
const SignaturePrefix = "sha256="

// Sign returns the X-Webhook-Signature value of a delivery (spec §3.2):
// "sha256=" followed by the lowercase hex HMAC-SHA256, keyed with secret, of
// the decimal timestamp, a dot and the body exactly as sent.
//
// It computes the HMAC (RFC 2104) directly on SHA-256 with its working bytes
// on the stack: the returned string is the only allocation.
func Sign(secret string, ts int64, body []byte) string {
	var key [sha256.BlockSize]byte
	if len(secret) > sha256.BlockSize {
		sum := sha256.Sum256([]byte(secret))
		copy(key[:], sum[:])
	} else {
		copy(key[:], secret)
	}
	var s signScratch
	for i, k := range key {
		s.ipad[i] = k ^ 0x36
		s.outer[i] = k ^ 0x5c
	}
	inner := sha256.New()
	inner.Write(s.ipad[:])
	inner.Write(strconv.AppendInt(s.msg[:0], ts, 10))
	inner.Write([]byte{'.'})
	inner.Write(body)
	inner.Sum(s.outer[:sha256.BlockSize]) // fills outer[64:96] in place
	sum := sha256.Sum256(s.outer[:])
	copy(s.out[:], SignaturePrefix)
	hex.Encode(s.out[len(SignaturePrefix):], sum[:])
	return string(s.out[:])
}

// signScratch holds the working bytes of one Sign call.
type signScratch struct {
	ipad  [sha256.BlockSize]byte
	outer [sha256.BlockSize + sha256.Size]byte // key^opad, then the inner digest
	msg   [20]byte                             // the decimal timestamp
	out   [len(SignaturePrefix) + 2*sha256.Size]byte
}
