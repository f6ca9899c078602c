package delivery

import (
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// TestHostileRepliesAreReadThroughTheCap: against servers that send a 1 GB
// body, endless chunks or 9 MB of headers, on both transports, a delivery
// allocates at most a buffer grown by doubling to the cap (1 MiB, about
// 2 MiB allocated in all) and keeps a few KiB: the bytes allocated per
// delivery (runtime.MemStats.TotalAlloc, which does not depend on the
// machine's speed, though it counts the test servers' own TLS work) stay
// under 4 MiB and the reply kept is at most
// keepOversized bytes. Reading a 1 GB body into a bytes.Buffer and keeping
// the cap's worth allocated 5 MiB per delivery; net/http's default header
// limit let 9 MB of headers through.
func TestHostileRepliesAreReadThroughTheCap(t *testing.T) {
	chunk := []byte(strings.Repeat("x", 64<<10))
	forever := func(frame func(w io.Writer) error) func(io.Writer) error {
		return func(w io.Writer) error {
			for n := 0; n < 1<<30; n += len(chunk) {
				if err := frame(w); err != nil {
					return err
				}
			}
			return nil
		}
	}
	raw := forever(func(w io.Writer) error { _, err := w.Write(chunk); return err })
	frame := fmt.Appendf(nil, "%x\r\n%s\r\n", len(chunk), chunk)
	chunks := forever(func(w io.Writer) error { _, err := w.Write(frame); return err })
	headers := "HTTP/1.1 200 OK\r\n" + strings.Repeat("X-Padding: "+strings.Repeat("p", 1000)+"\r\n", 9<<10) + "Content-Length: 2\r\n\r\n{}"
	tests := []struct {
		name   string
		script string
		then   func(io.Writer) error
		kind   simulator.FailureKind
	}{
		{"1 GB body", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1073741824\r\n\r\n", raw, simulator.FailOversized},
		{"endless chunks", "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n", chunks, simulator.FailOversized},
		{"9 MB headers", headers, nil, simulator.FailIncomplete},
	}
	const sends = 8
	for _, tr := range []string{"http", "https"} {
		for _, tt := range tests {
			t.Run(tr+"/"+tt.name, func(t *testing.T) {
				url, c := streaming(t, tr == "https", tt.script, tt.then, endClose)
				send := func() simulator.Response {
					return c.Send(t.Context(), simulator.Request{URL: url, Event: simulator.StatusUpdate, Body: testBody, Deadline: 30 * time.Second})
				}
				send() // warm up: the TLS session, pools
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				kept := 0
				for range sends {
					r := send()
					require.NotNil(t, r.Failure)
					assert.Equal(t, tt.kind, r.Failure.Kind, r.Failure.Detail)
					kept += len(r.Body)
				}
				runtime.ReadMemStats(&after)
				per := (after.TotalAlloc - before.TotalAlloc) / sends
				t.Logf("%s: %d KiB allocated per delivery, %d bytes of reply kept in all", tt.name, per>>10, kept)
				assert.LessOrEqual(t, kept, sends*keepOversized)
				assert.Less(t, per, uint64(4<<20), "allocated per delivery")
			})
		}
	}
}

// endless is a reader that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'x'
	}
	return len(p), nil
}

// TestReadCappedNeverGrowsPastWhatItKeeps: the buffer of a capped read
// grows by doubling up to what it keeps and no further, whatever the reader
// holds; the count stops at the limit.
func TestReadCappedNeverGrowsPastWhatItKeeps(t *testing.T) {
	for _, tc := range []struct{ keep, limit int64 }{
		{1 << 20, 1 << 20}, {keepOversized, 1 << 20}, {1000, 1000}, {0, 64 << 10},
	} {
		b, n, err := readCapped(endless{}, nil, tc.keep, tc.limit)
		require.NoError(t, err)
		assert.Equal(t, tc.limit, n)
		assert.Equal(t, tc.keep, int64(len(b)))
		assert.LessOrEqual(t, int64(cap(b)), tc.keep, "keep %d, limit %d", tc.keep, tc.limit)
	}
	b, n, err := readCapped(strings.NewReader(`{"a":1}`), make([]byte, 0, 3), 1<<20, 1<<20)
	require.NoError(t, err)
	assert.Equal(t, int64(7), n)
	assert.Equal(t, `{"a":1}`, string(b))
}
