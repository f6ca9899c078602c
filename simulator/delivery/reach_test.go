package delivery

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return addr
}

func TestReach(t *testing.T) {
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	self := httptest.NewTLSServer(http.NotFoundHandler())
	defer self.Close()
	// A listener that accepts TCP but never speaks TLS.
	mute, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer mute.Close()

	cases := []struct {
		name, target string
		want         simulator.FailureKind // "": reachable
		detail       string
	}{
		{"listening http", plain.URL + "/webhook", "", ""},
		{"refused", "http://" + closedAddr(t) + "/webhook", simulator.FailRefused, "is the server running"},
		{"dns", "http://no-such-host.invalid/webhook", simulator.FailDNS, "no-such-host.invalid"},
		{"self-signed https", self.URL, simulator.FailTLS, "TLS handshake"},
		{"https on a port that never answers the handshake", "https://" + mute.Addr().String(), simulator.FailTimeout, "within"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Reach(context.Background(), c.target, 2*time.Second)
			if c.want == "" {
				assert.Nil(t, got)
				return
			}
			if assert.NotNil(t, got) {
				assert.Equal(t, c.want, got.Kind, got.Detail)
				assert.Contains(t, got.Detail, c.detail)
			}
		})
	}
}

func TestReachStopsWithItsContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.Nil(t, Reach(ctx, "http://"+closedAddr(t), time.Second), "a cancelled run is not the target's fault")
}
