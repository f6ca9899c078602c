package load

import (
	"fmt"
	"sync"
	"sync/atomic"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// eventIndex maps the four event types to 0..3.
func eventIndex(ev sim.EventType) int {
	switch ev {
	case sim.AssistantRequest:
		return 0
	case sim.ToolCalls:
		return 1
	case sim.StatusUpdate:
		return 2
	case sim.EndOfCallReport:
		return 3
	}
	return -1
}

// counters of one event type for the current tick (swapped to zero by the
// collector); the histograms are the hot path's only other cost.
type counters struct {
	hist                                Histogram
	late                                Histogram
	count, ok, timeouts, errors, misses atomic.Int64
	sent, recv                          atomic.Int64
	sawAny                              atomic.Bool
	classMu                             sync.Mutex
	classes                             map[string]int64
	checks                              map[string]int64
}

// Observe records one exchange. It is safe for concurrent use and cheap: a
// handful of atomic adds, and a lock only for failed deliveries and checks.
func (r *Runner) Observe(x *sim.Exchange) {
	i := eventIndex(x.Event)
	if i < 0 || x.Request.Probe != sim.ProbeNone {
		return
	}
	c := r.ev[i]
	class := c.record(x)
	failed := failedFindings(x.Findings)
	if class == "" && len(failed) == 0 {
		return
	}
	c.noteFailures(class, failed)
	for _, f := range failed {
		r.checkSev.LoadOrStore(f.Check, string(f.Severity))
	}
}

// record counts the exchange, its latency and whether its reply was OK, a
// timeout or an error, and returns its error class ("" for a usable 2xx
// reply).
func (c *counters) record(x *sim.Exchange) string {
	resp := &x.Response
	c.sawAny.Store(true)
	c.count.Add(1)
	c.hist.Record(resp.Latency)
	c.sent.Add(int64(len(x.Request.Body)))
	c.recv.Add(resp.Size)
	d := x.Request.Deadline
	if d > 0 && resp.Latency > d {
		c.misses.Add(1)
	}
	switch {
	case resp.Failure != nil:
		if resp.Failure.Kind == sim.FailTimeout {
			c.timeouts.Add(1)
			if d > 0 {
				c.late.Record(resp.Latency - d)
			}
		}
		return string(resp.Failure.Kind)
	case resp.Status < 200 || resp.Status > 299:
		return fmt.Sprintf("http-%dxx", resp.Status/100)
	}
	c.ok.Add(1)
	return ""
}

// failedFindings are the findings that failed.
func failedFindings(fs []sim.Finding) []sim.Finding {
	var failed []sim.Finding
	for _, f := range fs {
		if f.Verdict == sim.Fail {
			failed = append(failed, f)
		}
	}
	return failed
}

// noteFailures counts an error class (unless "") and failed checks.
func (c *counters) noteFailures(class string, failed []sim.Finding) {
	if class != "" {
		c.errors.Add(1)
	}
	c.classMu.Lock()
	if class != "" {
		c.classes[class]++
	}
	for _, f := range failed {
		c.checks[f.Check]++
	}
	c.classMu.Unlock()
}
