package scenarios

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

const serialFeature = `Feature: serial and concurrent scenarios

  Scenario Outline: a concurrent scenario (<n>)
    Given an inbound call from "+3161111111<n>" to "+31850835037"
    When the platform sends the assistant-request

    Examples:
      | n |
      | 1 |
      | 2 |
      | 3 |
      | 4 |
      | 5 |
      | 6 |

  @serial
  Scenario: a scenario that must run alone
    Given an inbound call from "+31699999990" to "+31850835037"
    When the platform sends the assistant-request
`

// overlapServer answers every webhook with {} and records which webhooks were
// in flight together. A request of a concurrent scenario waits (up to 2 s)
// for a second one, so that concurrency shows however slow the machine is.
type overlapServer struct {
	mu       sync.Mutex
	inFlight map[string]int // marker → requests in flight
	maxPlain int            // most concurrent-scenario requests in flight at once
	serialed []string       // what was in flight next to the serial scenario's requests
	twoPlain chan struct{}
	once     sync.Once
}

func (s *overlapServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	b, _ := io.ReadAll(r.Body)
	marker := "plain"
	if bytes.Contains(b, []byte("+31699999990")) {
		marker = "serial"
	}
	s.mu.Lock()
	s.inFlight[marker]++
	if marker == "serial" && s.inFlight["plain"] > 0 || marker == "plain" && s.inFlight["serial"] > 0 {
		s.serialed = append(s.serialed, marker)
	}
	if s.inFlight["plain"] > s.maxPlain {
		s.maxPlain = s.inFlight["plain"]
	}
	if s.inFlight["plain"] >= 2 {
		s.once.Do(func() { close(s.twoPlain) })
	}
	s.mu.Unlock()
	if marker == "plain" {
		select {
		case <-s.twoPlain:
		case <-time.After(2 * time.Second):
		}
	}
	time.Sleep(20 * time.Millisecond)
	s.mu.Lock()
	s.inFlight[marker]--
	s.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write([]byte(`{}`))
}

func TestSerialScenariosRunAlone(t *testing.T) {
	srv := &overlapServer{inFlight: map[string]int{}, twoPlain: make(chan struct{})}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	res, _ := run(t, Config{Target: ts.URL + "/webhook", Seed: 1},
		RunOptions{Features: writeFeature(t, "serial.feature", serialFeature)})
	assert.Len(t, res.Scenarios, 7)
	srv.mu.Lock()
	defer srv.mu.Unlock()
	assert.GreaterOrEqual(t, srv.maxPlain, 2, "scenarios run concurrently by default")
	assert.Empty(t, srv.serialed, "nothing runs next to a @serial scenario")
}

// timing strips what differs between two runs of the same scenarios: the
// run's duration in the summary.
var timing = regexp.MustCompile(`(?m)^\d+m[\d.]+s$|^[\d.]+m?s$`)

func TestConcurrentPrettyOutputIsInFeatureOrder(t *testing.T) {
	target := reference(t, integrator.Options{Secret: testSecret})
	outputs := map[int]string{}
	for _, c := range []int{1, 8} {
		var out bytes.Buffer
		run(t, Config{Target: target, Secret: testSecret, Seed: 1, TimeoutScale: roomyScale},
			RunOptions{Tags: "@assistant-request,@lifecycle", Format: "pretty", Output: &out, Concurrency: c})
		outputs[c] = timing.ReplaceAllString(out.String(), "")
	}
	assert.Equal(t, outputs[1], outputs[8], "a concurrent run prints what a sequential one prints, in the same order")
	assert.Contains(t, outputs[8], "Feature: assistant-request")
	assert.Less(t, strings.Index(outputs[8], "Feature: assistant-request"), strings.Index(outputs[8], "Feature: call lifecycle"))
}

// Which checks fail does not depend on how many scenarios run at once: the
// modes of the reference integrator whose failures live in per-call state
// (redeliveries, ordering, tool call ids) or in deadlines fail the same checks
// one at a time and concurrently, and the waiting mode is faster concurrently.
func TestResultsDoNotDependOnConcurrency(t *testing.T) {
	// The waiting mode gets short deadlines (every reply is missed anyway);
	// the others roomy ones, so that only the mode's own fault fails a check.
	modes := map[string]float64{ // mode → deadline scale
		"hang": 0.02, "eocr-500": roomyScale, "reject-duplicate-report": roomyScale, "report-needs-ended": roomyScale,
		"wrong-tool-call-id": roomyScale,
	}
	type outcome struct {
		failed []string
		took   time.Duration
		err    error
	}
	var mu sync.Mutex
	got := map[string]map[int]outcome{}
	var wg sync.WaitGroup
	busy := make(chan struct{}, 2)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	for mode, scale := range modes {
		got[mode] = map[int]outcome{}
		for _, conc := range []int{1, 0} {
			target := reference(t, integrator.Options{Secret: testSecret, Misbehave: mode})
			o := Config{Target: target, Secret: testSecret, Seed: 1, TimeoutScale: scale}
			if mode != "hang" {
				o.AckDeadline = 20 * time.Second
			}
			lib, err := New(probing(o))
			require.NoError(t, err)
			t.Cleanup(lib.Close)
			wg.Add(1)
			go func() {
				defer wg.Done()
				if mode != "hang" {
					busy <- struct{}{}
					defer func() { <-busy }()
				}
				began := time.Now()
				res, err := lib.Run(ctx, RunOptions{Concurrency: conc})
				oc := outcome{took: time.Since(began), err: err}
				if err == nil {
					oc.failed = failedChecks(res)
					sort.Strings(oc.failed)
				}
				mu.Lock()
				got[mode][conc] = oc
				mu.Unlock()
			}()
		}
	}
	wg.Wait()
	for mode, by := range got {
		t.Run(mode, func(t *testing.T) {
			require.NoError(t, by[1].err)
			require.NoError(t, by[0].err)
			assert.NotEmpty(t, by[1].failed)
			assert.Equal(t, by[1].failed, by[0].failed, "failed checks one at a time and concurrently")
			t.Logf("%s: one at a time %s, concurrently %s", mode, by[1].took.Round(time.Millisecond), by[0].took.Round(time.Millisecond))
		})
	}
	// The waiting mode spends its time in deadlines, which overlap when
	// scenarios run concurrently (a ratio, not a wall-clock bound).
	assert.Less(t, got["hang"][0].took, got["hang"][1].took*4/5)
}

// probing is cfg with the @probe-api scenarios on.
func probing(cfg Config) Config {
	cfg.ProbeAPI = true
	return cfg
}
