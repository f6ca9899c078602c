package scenarios

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostile answers every webhook 200 with a body far past the read cap: 1 GB
// announced in Content-Length, or chunks without end. It writes until the
// client goes away.
func hostile(chunked bool) http.HandlerFunc {
	chunk := []byte(strings.Repeat("x", 64<<10))
	return func(w http.ResponseWriter, r *http.Request) {
		if !chunked {
			w.Header().Set("Content-Length", fmt.Sprint(1<<30))
		}
		w.Header().Set("Content-Type", "application/json")
		for n := 0; n < 1<<30; n += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return
			}
		}
	}
}

// TestSuiteKeepsOnlyWhatItReports runs the whole built-in suite against
// servers that answer every webhook with 1 GB or endless chunks, and
// measures the heap the finished run still holds (its results and records
// alive): bounded by what the reports use, not by what the server sent. On
// a run that kept every reply up to the 1 MiB cap it is hundreds of MiB.
func TestSuiteKeepsOnlyWhatItReports(t *testing.T) {
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprintf("chunked=%v", chunked), func(t *testing.T) {
			srv := httptest.NewServer(hostile(chunked))
			t.Cleanup(srv.Close)
			lib, err := New(Config{Target: srv.URL + "/webhook", Secret: testSecret, Seed: 1})
			require.NoError(t, err)
			t.Cleanup(lib.Close)
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			var before runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			res, err := lib.Run(ctx, RunOptions{Concurrency: 4})
			require.NoError(t, err)
			assert.Equal(t, StatusFail, res.Verdict)
			assert.Contains(t, failedChecks(res), "reply-size")
			var after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&after)
			held := int64(after.HeapAlloc) - int64(before.HeapAlloc)
			webhooks := 0
			for _, s := range res.Scenarios {
				webhooks += s.Webhooks
			}
			t.Logf("%d webhooks answered with oversized replies; the finished run holds %d KiB of heap", webhooks, held>>10)
			assert.Greater(t, webhooks, 100, "enough replies to show a leak of the cap's worth each")
			assert.Less(t, held, int64(32<<20), "the run holds far less than a cap's worth of reply per webhook")
			runtime.KeepAlive(res)
			runtime.KeepAlive(lib)
		})
	}
}
