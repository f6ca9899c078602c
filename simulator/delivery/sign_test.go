package delivery

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sdkFormat is the official SDK test's pattern for the signature header (spec §3.2).
var sdkFormat = regexp.MustCompile(`^sha256=[a-f0-9]{64}$`)

// refHMAC is the reference computation with crypto/hmac: lowercase hex of
// HMAC-SHA256(secret, ts + "." + body).
func refHMAC(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10) + "."))
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

func TestSignKnownAnswers(t *testing.T) {
	tests := []struct {
		name   string
		secret string
		ts     int64
		body   string
		want   string
	}{
		{
			// spec/peers.md Appendix A: the Vapi HMAC vector uses the same
			// message (ts + "." + body) and lowercase hex.
			name:   "peers appendix A vector",
			secret: "vapi_secret",
			ts:     1714000000,
			body:   `{"event":"call_started","call":{"call_id":"call_abc"}}`,
			want:   "sha256=ea271539e8fc494834c08a46b843a62a2e62b2e09f171fc3c524554f111e5859",
		},
		{
			// Computed with Python's hmac/hashlib, SDK test secret format.
			name:   "sdk secret format",
			secret: "whsec_test_secret_12345",
			ts:     1714000000,
			body:   `{"message":{"type":"assistant-request"}}`,
			want:   "sha256=9d207937a30b7b8d21e5cd44370300acdfab8d95dd3661c28a94638a3b4e6ce8",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Sign(tt.secret, tt.ts, []byte(tt.body))
			assert.Equal(t, tt.want, got)
			assert.Regexp(t, sdkFormat, got)
		})
	}
}

// TestSignMatchesHMAC covers key lengths around the SHA-256 block size (keys
// longer than 64 bytes are hashed first), empty bodies and negative timestamps.
func TestSignMatchesHMAC(t *testing.T) {
	body := bytes.Repeat([]byte(`{"k":"v\u00e9"}`), 100)
	for _, n := range []int{0, 1, 31, 32, 63, 64, 65, 100, 128, 200} {
		secret := strings.Repeat("s", n)
		for _, ts := range []int64{0, 1714000000, -5} {
			for _, b := range [][]byte{nil, body} {
				want := "sha256=" + refHMAC(secret, ts, b)
				require.Equal(t, want, Sign(secret, ts, b), "key length %d ts %d body %d", n, ts, len(b))
			}
		}
	}
}

func BenchmarkSign(b *testing.B) {
	body := bytes.Repeat([]byte("a"), 10<<10)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		Sign("whsec_test_secret_12345", 1714000000, body)
	}
}
