package simulator_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
	"github.com/flireo-sim/flireo-sim/simulator/simtest"
	"github.com/stretchr/testify/require"
)

// refuseBookings wraps a server so that every tool-call that books is
// answered with an error: the caller retries, asks for another day and for
// a callback, so the repairs after a turn are as many as they get.
type refuseBookings struct{ next http.Handler }

func (h refuseBookings) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body bytes.Buffer
	_, _ = body.ReadFrom(r.Body)
	r.Body.Close()
	r.Body = io.NopCloser(bytes.NewReader(body.Bytes()))
	rec := httptest.NewRecorder()
	h.next.ServeHTTP(rec, r)
	out := rec.Body.Bytes()
	if bytes.Contains(body.Bytes(), []byte(`"book_appointment"`)) {
		var res struct {
			Results []map[string]any `json:"results"`
		}
		if json.Unmarshal(out, &res) == nil && len(res.Results) > 0 {
			for _, e := range res.Results {
				delete(e, "result")
				e["error"] = "That time is no longer available."
			}
			out, _ = json.Marshal(res)
		}
	}
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(out)
}

// instantFigures are what instant pace did to one group of calls: how far
// each call's timeline ended before its last payload was sent, and the
// catch-up waits.
type instantFigures struct {
	ahead  []time.Duration // sent - timeline end, per call
	waits  []time.Duration // catch-up wait per call (0: none)
	rounds int             // tool rounds played
}

// playInstant plays call n at instant pace on the fake wall with the clock
// now and returns how far its timeline ended before the last send and how
// long it waited for the wall clock.
func playInstant(t *testing.T, h http.Handler, seed int64, n int, o fake.Options) (ahead, waited time.Duration, rounds int) {
	t.Helper()
	wall := &fakeWall{t: time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)}
	snd := &wallSender{wall: wall, next: &simtest.Sender{Handler: h}}
	f, err := fake.New(seed)
	require.NoError(t, err)
	sleep := func(ctx context.Context, d time.Duration) error {
		waited += d
		return wall.Sleep(ctx, d)
	}
	d, err := dialect.ByName("flireo")
	require.NoError(t, err)
	e := &sim.Engine{Dialect: d, Sender: snd, Target: "http://127.0.0.1/webhook", Deadlines: sim.DefaultDeadlines(),
		Sleep: sleep, Now: wall.Now}
	p, g := f.WithClock(wall.Now).Call(n, o)
	res, err := e.Play(context.Background(), p, g, sim.CallOptions{})
	require.NoError(t, err)
	require.NotEmpty(t, res.Exchanges)
	var end time.Time
	for _, x := range res.Exchanges {
		if x.Event == sim.ToolCalls {
			rounds++
		}
		if x.At.After(end) {
			end = x.At
		}
	}
	last := snd.log[len(snd.log)-1].at
	return last.Sub(end), waited, rounds
}

// TestInstantPaceRarelyWaits plays seeded calls at instant pace with the
// clock now, inbound and outbound, in both languages, against the
// reference integrator and against one that refuses every booking: the
// plan's length bounds the call, so the engine waits for the wall clock
// (the catch-up wait that keeps timestamps behind the sending) in at most
// 1% of the calls. It logs the distribution of (sent - timeline end) and
// of the waits.
func TestInstantPaceRarelyWaits(t *testing.T) {
	perGroup := 40
	if testing.Short() {
		perGroup = 5
	}
	ref, err := integrator.New(integrator.Options{})
	require.NoError(t, err)
	backends := []struct {
		name string
		h    http.Handler
	}{{"reference", ref}, {"refuses-bookings", refuseBookings{ref}}}
	var all instantFigures
	for _, b := range backends {
		for _, dir := range []sim.Direction{sim.Inbound, sim.Outbound} {
			for _, lang := range []string{"nl", "en"} {
				var g instantFigures
				for n := 1; n <= perGroup; n++ {
					ahead, waited, rounds := playInstant(t, b.h, int64(1000+n), n, fake.Options{Lang: lang, Direction: dir})
					g.ahead, g.waits = append(g.ahead, ahead), append(g.waits, waited)
					g.rounds += rounds
				}
				t.Logf("%-16s %-8s %s: %s", b.name, dir, lang, g.summary())
				all.ahead, all.waits = append(all.ahead, g.ahead...), append(all.waits, g.waits...)
				all.rounds += g.rounds
			}
		}
	}
	t.Logf("all %d calls: %s", len(all.ahead), all.summary())
	waited := len(all.waits) - count(all.waits, 0)
	require.LessOrEqual(t, waited*100, len(all.waits), "%d of %d calls waited for the wall clock: %s", waited, len(all.waits), all.summary())
}

func count(ds []time.Duration, v time.Duration) int {
	n := 0
	for _, d := range ds {
		if d == v {
			n++
		}
	}
	return n
}

// summary is the group's percentiles.
func (f instantFigures) summary() string {
	q := func(ds []time.Duration, p float64) time.Duration {
		s := slices.Clone(ds)
		slices.Sort(s)
		return s[int(p*float64(len(s)-1))].Round(100 * time.Millisecond)
	}
	waited := len(f.waits) - count(f.waits, 0)
	return fmt.Sprintf("%d tool rounds; sent-end min %v p10 %v median %v p90 %v max %v; waited %d/%d calls, max wait %v",
		f.rounds, q(f.ahead, 0), q(f.ahead, 0.1), q(f.ahead, 0.5), q(f.ahead, 0.9), q(f.ahead, 1), waited, len(f.waits), q(f.waits, 1))
}
