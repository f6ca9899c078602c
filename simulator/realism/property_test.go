package realism_test

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/dialect"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest"
	"github.com/flireo-sim/flireo-sim/simulator/kit"
	"github.com/flireo-sim/flireo-sim/simulator/realism"
)

// The property tests play seeded calls against correct servers and measure
// the properties: the share of book-appointment calls that end in a
// confirmed booking (target ≥ 95%), and bookings at an unoffered time,
// bookings in the past, transcript contradictions and timestamp violations
// (target 0 each). FLIREO_REALISM_FULL=1 (make realism) plays the full
// sample; FLIREO_REALISM_CALLS=N sets the calls per sample.

const (
	propSecret  = "realism-secret"
	smallSample = 40  // calls per sample in go test
	fullSample  = 500 // calls per sample with FLIREO_REALISM_FULL=1
	propWorkers = 4   // calls played at the same time
)

func sampleSize(t *testing.T) int {
	if s := os.Getenv("FLIREO_REALISM_CALLS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("FLIREO_REALISM_CALLS=%q: give a positive number of calls", s)
		}
		return n
	}
	if os.Getenv("FLIREO_REALISM_FULL") != "" {
		return fullSample
	}
	return smallSample
}

// callShape is call n's options: every other call books an appointment
// (with no platform error, so that only the server and the conversation
// decide whether it books), the others draw their intent; the language
// alternates between nl and en in pairs, so both banks meet both kinds.
func callShape(n int) fake.Options {
	o := fake.Options{Lang: []string{"nl", "en"}[(n/2)%2], ErrorRate: -1}
	if n%2 == 0 {
		o.Intent, o.ErrorRate = sim.BookAppointment, 0
	}
	return o
}

// sample is one server and dialect to measure.
type sample struct {
	label   string
	target  string
	dialect string
	secret  string
	saved   []byte // the saved agent (--default-assistant), nil for none
}

// measure plays n seeded calls of the sample and adds them up.
func measure(ctx context.Context, t *testing.T, s sample, n int) *realism.Figures {
	t.Helper()
	f := &realism.Figures{Label: s.label}
	measureInto(ctx, t, s, f, 1, n)
	return f
}

// measureInto plays calls first..last of the sample and adds them to f.
func measureInto(ctx context.Context, t *testing.T, s sample, f *realism.Figures, first, last int) {
	t.Helper()
	k, err := kit.New(kit.Options{Target: s.target, Dialect: s.dialect, Secret: s.secret, Seed: 7, DefaultAssistant: s.saved})
	if err != nil {
		t.Fatalf("%s: %v", s.label, err)
	}
	defer k.Close()
	var mu sync.Mutex
	next := make(chan int)
	var wg sync.WaitGroup
	for range propWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				plan, gen := k.Calls.Call(i, callShape(i))
				res, err := k.Play(ctx, plan, gen, false, sim.CallOptions{})
				if err != nil {
					t.Errorf("%s call %d: %v", s.label, i, err)
					continue
				}
				mu.Lock()
				f.Add(res, realism.Options{})
				mu.Unlock()
			}
		}()
	}
	for i := first; i <= last; i++ {
		next <- i
	}
	close(next)
	wg.Wait()
}

// report logs the table and fails the test for every target missed.
func report(t *testing.T, rows []*realism.Figures) {
	t.Helper()
	var b bytes.Buffer
	if err := realism.WriteTable(&b, rows); err != nil {
		t.Fatal(err)
	}
	t.Logf("realism figures (%d calls per sample):\n%s", rows[0].Calls, b.String())
	for _, f := range rows {
		for _, p := range f.Problems() {
			t.Error(p)
		}
		for _, v := range f.Examples {
			t.Logf("%s: e.g. %s", f.Label, v)
		}
	}
}

// TestRealismAgainstTheReference plays the sample in every dialect against
// the reference integrator.
func TestRealismAgainstTheReference(t *testing.T) {
	n := sampleSize(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(n)*time.Second+time.Minute)
	defer cancel()
	signed := integratortest.Start(t, integratortest.Secret(propSecret))
	plain := integratortest.Start(t)
	var rows []*realism.Figures
	for _, d := range dialect.Names() {
		s := sample{label: "reference/" + d, target: signed.Webhook(), dialect: d, secret: propSecret}
		if dd, err := dialect.ByName(d); err == nil && dd.Plain() {
			s.target, s.secret = plain.Webhook(), ""
		}
		rows = append(rows, measure(ctx, t, s, n))
	}
	report(t, rows)
}

// TestRealismAgainstTheZoo plays the sample against the zoo's booking
// backends, each in its own dialect: servers with their own clock and
// calendar, that offer times in their own shape and refuse bookings in the
// past or at times they did not offer.
// zooCalls is how many calls share one zoo backend's calendar.
const zooCalls = 40

func TestRealismAgainstTheZoo(t *testing.T) {
	n := sampleSize(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Duration(n)*time.Second+time.Minute)
	defer cancel()
	var rows []*realism.Figures
	for _, z := range zooBackends {
		label := "zoo/" + z.name + "/" + z.dialect
		f := &realism.Figures{Label: label}
		// A backend's calendar has a few free times a day for a month:
		// each run of zooCalls calls books into a fresh one, as a day's
		// callers would, rather than into a calendar hundreds of calls
		// have filled.
		for first := 1; first <= n; first += zooCalls {
			target := startZoo(t, z, propSecret)
			measureInto(ctx, t, sample{label: label, target: target, dialect: z.dialect, secret: propSecret}, f, first, min(first+zooCalls-1, n))
		}
		rows = append(rows, f)
	}
	report(t, rows)
}
