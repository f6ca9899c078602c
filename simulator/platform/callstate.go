package platform

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/timeline"
)

// REST call statuses (spec §2.2).
const (
	statusDialing        = "dialing"
	statusRinging        = "ringing"
	statusInProgress     = "in-progress"
	statusEnded          = "ended"
	statusEndedWithError = "ended-with-error"
	statusTransferred    = "transferred"
	statusFailed         = "failed"
	statusRejected       = "rejected"
)

// listStatuses are the values GET /calls?status= accepts (spec §2.2).
var listStatuses = []string{"connecting", statusDialing, statusRinging, statusInProgress, statusEnded,
	statusEndedWithError, statusTransferred, statusFailed, statusRejected, "insufficient-credits"}

// Outbound outcomes.
const (
	outcomeAnswered  = "answered"
	outcomeNoAnswer  = "no-answer"
	outcomeVoicemail = "voicemail"
)

// maxEntries bounds a call's timeline (webhooks and control commands).
const maxEntries = 500

// callState is one simulated call: what the REST API and the dashboard show,
// and the live-control queue the engine polls.
type callState struct {
	// Set when the call is created, read-only afterwards.
	id           string
	owner        string
	direction    sim.Direction
	outcome      string
	plan         *sim.CallPlan
	created      time.Time
	placed       time.Time // created_at: when the call rings on its own timeline (placed)
	webhook      string    // redacted for display
	assistantID  string
	agentName    string
	businessName string
	numberID     string
	roomName     string
	done         chan struct{} // closed when the call has ended
	now          func() time.Time
	secrets      []string // never shown in a body on the dashboard

	mu     sync.Mutex
	status string // live (ringing, dialing, in-progress) until ended publishes the final one
	// The call's own clock (the times its webhooks carry): when it was
	// answered (set once), how far it got, and when it ended.
	startedAt, progress, endedAt time.Time
	updated                      time.Time
	closed                       bool // the engine takes no more commands
	queue                        []sim.Command
	entries                      []entry
	dropped                      int // entries left out past maxEntries
	cmdWin                       window
	// ended: the call is over and its final object is published; reason,
	// errText and report are shown only from then on.
	ended   bool
	reason  string
	errText string
	report  *sim.Report
	counts  timeline.Counts
}

// entry is one line of a call's timeline: a webhook exchange or a control
// command.
type entry struct {
	wall time.Time
	hook *hookEntry
	cmd  *cmdEntry
}

// hookEntry is what the dashboard shows of one webhook delivery.
type hookEntry struct {
	seq        int
	event      sim.EventType
	detail     string        // status or tool names
	offset     time.Duration // on the call's own timeline
	url        string        // redacted
	httpStatus int
	failure    string
	latency    time.Duration
	deadline   time.Duration
	action     string
	counts     timeline.Counts
	failed     []string // "check: detail"
	request    string   // the body sent and the reply's, as shown (shownBody)
	reply      string
}

// cmdEntry is one control command as it arrived.
type cmdEntry struct {
	cmd      sim.Command
	accepted bool
	why      string // why it was refused
}

// controller is the engine's view of a call's control queue.
type controller struct{ c *callState }

var _ sim.Controller = controller{}

// Status learns the call's status from the engine, which reports it once
// the wall clock has reached it: the call goes in-progress when it is
// answered, and started_at is the answer's time on the call's own clock.
// An end is published by finish, with the rest of the final object.
func (k controller) Status(s sim.Status, at time.Time) {
	c := k.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advanceTo(at)
	if s == sim.StatusInProgress && (c.status == statusRinging || c.status == statusDialing) && !c.ended {
		c.status, c.startedAt = statusInProgress, at
		c.updated = c.now()
	}
}

// advanceTo moves the call's known progress on its own clock forward; the
// caller holds c.mu.
func (c *callState) advanceTo(at time.Time) {
	if at.After(c.progress) {
		c.progress = at
	}
}

// Poll hands the engine the commands accepted since the last poll.
func (k controller) Poll(at time.Time) []sim.Command {
	c := k.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.advanceTo(at)
	q := c.queue
	c.queue = nil
	return q
}

// End closes the queue and hands over the last accepted commands.
func (k controller) End() []sim.Command {
	c := k.c
	c.mu.Lock()
	defer c.mu.Unlock()
	c.closed = true
	q := c.queue
	c.queue = nil
	return q
}

// offer queues a command if the call is in progress; otherwise it says why
// not. Either way the command joins the timeline.
func (c *callState) offer(cmd sim.Command) (bool, string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ok, why := true, ""
	switch {
	case c.ended || c.closed:
		ok, why = false, "the call has ended"
	case c.status != statusInProgress:
		ok, why = false, "the call is "+c.status+", not in-progress yet"
	}
	if ok {
		c.queue = append(c.queue, cmd)
	}
	c.add(entry{wall: c.now(), cmd: &cmdEntry{cmd: cmd, accepted: ok, why: why}})
	return ok, why
}

// add puts a timeline entry in wall-clock order within the bound; the
// caller holds c.mu. A webhook is recorded when its reply has been read but
// placed at the time it was sent, before commands that arrived meanwhile.
func (c *callState) add(e entry) {
	if len(c.entries) >= maxEntries {
		c.dropped++
		return
	}
	i := len(c.entries)
	for i > 0 && c.entries[i-1].wall.After(e.wall) {
		i--
	}
	c.entries = slices.Insert(c.entries, i, e)
	c.updated = c.now()
}

// observe records a finished exchange (the engine's Observe).
func (c *callState) observe(x *sim.Exchange) {
	h := newHookEntry(x, c.plan.Start)
	h.request, h.reply = shownBody(x.Request.Body, c.secrets), shownBody(x.Response.Body, c.secrets)
	h.failure = maskSecrets(h.failure, c.secrets) // failures and verdicts quote replies
	for i, f := range h.failed {
		h.failed[i] = maskSecrets(f, c.secrets)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if x.Event == sim.StatusUpdate && !c.ended {
		c.statusSent(x)
	}
	if (x.Event == sim.StatusUpdate || x.Event == sim.ToolCalls) && !c.ended {
		c.advanceTo(x.At)
	}
	c.counts.MustPass += h.counts.MustPass
	c.counts.MustFail += h.counts.MustFail
	c.counts.ShouldPass += h.counts.ShouldPass
	c.counts.ShouldFail += h.counts.ShouldFail
	wall := x.Response.SentAt
	if wall.IsZero() {
		wall = c.now()
	}
	c.add(entry{wall: wall, hook: h})
}

// newHookEntry is what the dashboard shows of the exchange x of a call that
// started at start.
func newHookEntry(x *sim.Exchange, start time.Time) *hookEntry {
	h := &hookEntry{
		seq: x.Seq, event: x.Event, offset: x.At.Sub(start), url: redactURL(x.Request.URL),
		httpStatus: x.Response.Status, latency: x.Response.Latency, deadline: x.Request.Deadline,
		action: x.Action, counts: timeline.Count(x.Findings),
	}
	switch x.Event {
	case sim.StatusUpdate:
		h.detail = string(x.Status)
	case sim.ToolCalls:
		names := make([]string, len(x.ToolCalls))
		for i, t := range x.ToolCalls {
			names[i] = t.Name
		}
		h.detail = strings.Join(names, ", ")
	}
	if f := x.Response.Failure; f != nil {
		h.failure = string(f.Kind) + ": " + f.Detail
	}
	for _, f := range x.Findings {
		if f.Verdict == sim.Fail {
			h.failed = append(h.failed, string(f.Severity)+" "+f.Check+": "+f.Detail)
		}
	}
	return h
}

// statusSent records when the final status-update x of a live call was
// due on the call's clock; the REST object shows it once finish publishes
// the end. The caller holds c.mu.
func (c *callState) statusSent(x *sim.Exchange) {
	if x.Status != sim.StatusInProgress && x.Status != "" {
		c.endedAt = x.At
		if x.EndReason != "" {
			c.reason = x.EndReason
		}
	}
}

// finish publishes how the call ended: status, end reason, error, ended_at,
// duration and the report's messages, summary and analysis change in one
// step, so that no reader sees an ended call without them. A transferred
// call is ended with end reason transferred, as its webhooks say (spec
// §2.1 knows no webhook status transferred).
func (c *callState) finish(res *sim.CallResult, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.ended, c.closed = true, true
	c.queue = nil
	c.updated = c.now()
	switch {
	case err != nil:
		c.status, c.errText = statusFailed, "the simulator could not play the call: "+err.Error()
	case res.Aborted != nil:
		c.status, c.errText = statusFailed, "the call was cancelled: the simulator was stopped"
	default:
		c.reason, c.errText, c.report = res.EndReason, res.Error, res.Report
		switch {
		case res.Status == sim.StatusEndedWithError:
			c.status = statusEndedWithError
		case res.EndReason == sim.EndRejected:
			c.status = statusRejected
		default:
			c.status = statusEnded
		}
	}
	if res != nil && c.reason == "" {
		c.reason = res.EndReason
	}
	if r := c.report; r != nil && !r.Ended.IsZero() && !c.startedAt.IsZero() {
		c.endedAt = r.Ended
	}
	if c.endedAt.IsZero() && !c.startedAt.IsZero() {
		c.endedAt = c.progress
	}
}

// takeCommand applies the per-call command limit (spec §5.1).
func (c *callState) takeCommand(w http.ResponseWriter, limit int, now time.Time) bool {
	c.mu.Lock()
	if c.cmdWin.start.IsZero() || !now.Before(c.cmdWin.start.Add(time.Minute)) {
		c.cmdWin = window{start: now}
	}
	ok, remaining, reset := c.cmdWin.take(limit, time.Minute)
	c.mu.Unlock()
	return rateResult(w, ok, limit, remaining, reset, now, "control commands for this call")
}
