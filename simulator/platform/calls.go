package platform

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/mux"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
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
	webhook      string // redacted for display
	assistantID  string
	agentName    string
	businessName string
	numberID     string
	roomName     string
	done         chan struct{} // closed when the call has ended
	now          func() time.Time

	mu       sync.Mutex
	status   string
	answered time.Time // wall clock, when it went in-progress
	// The call's own timeline, from its status-updates (as their payloads
	// carry it): when it was answered and when it ended.
	answeredAt, endedAt time.Time
	updated             time.Time
	closed              bool // the engine takes no more commands
	queue               []sim.Command
	entries             []entry
	dropped             int // entries left out past maxEntries
	cmdWin              window
	ended               bool
	reason              string
	errText             string
	report              *sim.Report
	counts              timeline.Counts
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

// Status learns the call's status from the engine.
func (k controller) Status(s sim.Status) {
	c := k.c
	c.mu.Lock()
	defer c.mu.Unlock()
	if s == sim.StatusInProgress && (c.status == statusRinging || c.status == statusDialing) {
		c.status = statusInProgress
		c.answered = c.now()
		c.updated = c.answered
	}
}

// Poll hands the engine the commands accepted since the last poll.
func (k controller) Poll() []sim.Command {
	c := k.c
	c.mu.Lock()
	defer c.mu.Unlock()
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
	h := &hookEntry{
		seq: x.Seq, event: x.Event, offset: x.At.Sub(c.plan.Start), url: redactURL(x.Request.URL),
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
	c.mu.Lock()
	defer c.mu.Unlock()
	if x.Event == sim.StatusUpdate && !c.ended {
		// The call has ended once its final status-update is out; the
		// report follows (finish settles errors).
		switch x.Status {
		case sim.StatusInProgress:
			c.answeredAt = x.At
		case sim.StatusEnded:
			c.status = statusEnded
			if x.EndReason == sim.EndRejected {
				c.status = statusRejected
			}
		case sim.StatusEndedWithError:
			c.status = statusEndedWithError
		case sim.StatusTransferred:
			c.status = statusTransferred
		}
		if x.Status != sim.StatusInProgress {
			c.endedAt = x.At
			if x.EndReason != "" {
				c.reason = x.EndReason
			}
		}
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

// finish records how the call ended.
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
		case res.Status == sim.StatusTransferred:
			c.status = statusTransferred
		case res.EndReason == sim.EndRejected:
			c.status = statusRejected
		default:
			c.status = statusEnded
		}
	}
	if res != nil && c.reason == "" {
		c.reason = res.EndReason
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

// callSpec is a call about to start.
type callSpec struct {
	owner        string
	direction    sim.Direction
	outcome      string
	plan         *sim.CallPlan
	gen          sim.Generator
	cfg          *sim.AssistantConfig // the assistant driving the call; nil: the account's default agent
	hook         hook
	assistantID  string
	agentName    string
	businessName string
	numberID     string
	roomName     string
}

// start registers a call and plays it in the background. It refuses when
// the platform is shutting down or too many calls are live.
func (p *Platform) start(s callSpec) (*callState, *requestError) {
	if p.opt.adjustPlan != nil {
		p.opt.adjustPlan(s.plan)
	}
	now := p.now()
	c := &callState{
		id: s.plan.ID, owner: s.owner, direction: s.direction, outcome: s.outcome, plan: s.plan,
		created: now, updated: now, webhook: redactURL(s.hook.url), assistantID: s.assistantID,
		agentName: s.agentName, businessName: s.businessName, numberID: s.numberID, roomName: s.roomName,
		done: make(chan struct{}), now: p.now, status: statusRinging,
	}
	if s.direction == sim.Outbound {
		c.status = statusDialing
	}
	p.mu.Lock()
	switch {
	case p.closing:
		p.mu.Unlock()
		return nil, &requestError{status: http.StatusServiceUnavailable, code: errUnavailable,
			message: "the simulator is shutting down and starts no new calls"}
	case p.live >= p.opt.MaxLive:
		p.mu.Unlock()
		return nil, &requestError{status: http.StatusTooManyRequests, code: errTooManyCalls,
			message: fmt.Sprintf("%d calls are live, the most this simulator plays at once: wait for one to end", p.live)}
	}
	p.calls[c.id] = c
	p.order = append(p.order, c)
	p.evict()
	p.live++
	p.wg.Add(1)
	ctx, cancel := context.WithCancel(p.ctx)
	p.mu.Unlock()

	o, own := p.callOptions(s, c)
	attrs := []any{"call", c.id, "direction", string(s.direction), "intent", string(s.plan.Intent), "webhook", c.webhook}
	if s.outcome != "" {
		attrs = append(attrs, "outcome", s.outcome)
	}
	p.log.Info("call started", attrs...)
	go func() {
		defer p.wg.Done()
		defer cancel()
		var res *sim.CallResult
		var err error
		if s.outcome == outcomeNoAnswer {
			res, err = p.noAnswer(ctx, c, s.gen, o)
		} else {
			o.Controller = controller{c}
			res, err = p.kit.Engine.Play(ctx, s.plan, s.gen, o)
		}
		if own != nil {
			own.Close()
		}
		p.mu.Lock()
		p.live--
		p.mu.Unlock()
		c.finish(res, err)
		close(c.done)
		c.mu.Lock()
		st, reason, counts := c.status, c.reason, c.counts
		c.mu.Unlock()
		p.log.Info("call ended", "call", c.id, "status", st, "end_reason", reason,
			"must_passed", counts.MustPass, "must_failed", counts.MustFail)
	}()
	return c, nil
}

// evict drops the oldest ended calls beyond MaxCalls; the caller holds p.mu.
func (p *Platform) evict() {
	over := len(p.order) - p.opt.MaxCalls
	if over <= 0 {
		return
	}
	p.order = slices.DeleteFunc(p.order, func(c *callState) bool {
		if over == 0 {
			return false
		}
		select {
		case <-c.done:
			over--
			delete(p.calls, c.id)
			return true
		default:
			return false
		}
	})
}

// callOptions are the options of a call of the spec: its hook's target,
// secret and events, its assistant and the call's observer. own is the
// delivery client of a hook with its own secret, to close after the call
// (nil when the platform's client signs for it).
func (p *Platform) callOptions(s callSpec, c *callState) (o sim.CallOptions, own *delivery.Client) {
	o = sim.CallOptions{Target: s.hook.url, Default: s.cfg, Events: s.hook.events, Observe: c.observe}
	if obs := p.opt.Observe; obs != nil {
		o.Observe = func(x *sim.Exchange) { c.observe(x); obs(x) }
	}
	if s.hook.secret != p.opt.Sim.Secret {
		own = delivery.New(delivery.Options{Secret: s.hook.secret, BareHex: p.opt.Sim.BareHex, MaxBody: p.opt.Sim.MaxBody})
		o.Sender = own
	}
	return o, own
}

// noAnswer plays an outbound call nobody answers: it rings, then a single
// status-update ended with end reason no_answer is sent (no in-progress, no
// end-of-call-report).
func (p *Platform) noAnswer(ctx context.Context, c *callState, gen sim.Generator, o sim.CallOptions) (*sim.CallResult, error) {
	ctl := controller{c}
	defer ctl.End()
	s := p.kit.Engine.NewSession(c.plan, gen, o)
	_, err := s.Unanswered(ctx, NoAnswerAfter, EndNoAnswer)
	res := s.Result()
	if err != nil && ctx.Err() != nil {
		res.Aborted = ctx.Err()
		return res, nil
	}
	return res, err
}

// call finds a call by id for the request's account, answering 404 or 403.
func (p *Platform) call(w http.ResponseWriter, r *http.Request) *callState {
	id := mux.Vars(r)["id"]
	p.mu.Lock()
	c := p.calls[id]
	p.mu.Unlock()
	if c == nil {
		notFound("id", "Call not found: no call with id %q", id).write(w)
		return nil
	}
	if !allowed(w, r, c.owner) {
		return nil
	}
	return c
}

// callJSON is the call object (spec §6.2).
type callJSON struct {
	ID              string          `json:"id"`
	CallerPhone     *string         `json:"caller_phone"`
	AssistantPhone  *string         `json:"assistant_phone"`
	Status          string          `json:"status"`
	Direction       string          `json:"direction"`
	EndReason       *string         `json:"end_reason"`
	Error           *string         `json:"error"`
	StartedAt       *string         `json:"started_at"`
	EndedAt         *string         `json:"ended_at"`
	DurationSeconds int64           `json:"duration_seconds"`
	Summary         *string         `json:"summary"`
	AnalysisResult  json.RawMessage `json:"analysis_result"`
	Messages        []messageJSON   `json:"messages"`
	RoomName        *string         `json:"room_name"`
	RecordingURL    *string         `json:"recording_url"`
	AgentID         *string         `json:"agent_id"`
	AssistantID     *string         `json:"assistant_id"`
	NumberID        *string         `json:"number_id"`
	AgentName       *string         `json:"agent_name"`
	BusinessName    *string         `json:"business_name"`
	PhoneNumber     *string         `json:"phone_number"`
	CreatedAt       string          `json:"created_at"`
	UpdatedAt       string          `json:"updated_at"`
}

// callListJSON is a call in the list (spec §6.2's list example, plus
// direction and end_reason).
type callListJSON struct {
	ID              string  `json:"id"`
	CallerPhone     *string `json:"caller_phone"`
	AssistantPhone  *string `json:"assistant_phone"`
	Status          string  `json:"status"`
	Direction       string  `json:"direction"`
	EndReason       *string `json:"end_reason"`
	DurationSeconds int64   `json:"duration_seconds"`
	Summary         *string `json:"summary"`
	AgentName       *string `json:"agent_name"`
	BusinessName    *string `json:"business_name"`
	StartedAt       *string `json:"started_at"`
	EndedAt         *string `json:"ended_at"`
	CreatedAt       string  `json:"created_at"`
}

type messageJSON struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

func opt(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func optTime(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := isoTime(t)
	return &s
}

// object is the call as GET /calls/{id} returns it. Messages, summary and
// analysis come from the end-of-call-report, so they are filled once the
// call has ended.
func (c *callState) object() callJSON {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.plan
	o := callJSON{
		ID: c.id, CallerPhone: opt(p.Customer), AssistantPhone: opt(p.PhoneNumber), Status: c.status,
		Direction: string(c.direction), EndReason: opt(c.reason), Error: opt(c.errText),
		RoomName: opt(c.roomName), AgentID: opt(c.assistantID), AssistantID: opt(c.assistantID),
		NumberID: opt(c.numberID), AgentName: opt(c.agentName), BusinessName: opt(c.businessName),
		PhoneNumber: opt(p.PhoneNumber), CreatedAt: isoTime(c.created), UpdatedAt: isoTime(c.updated),
		Messages: []messageJSON{}, AnalysisResult: json.RawMessage("null"),
	}
	o.StartedAt, o.EndedAt, o.DurationSeconds = c.times()
	if r := c.report; r != nil {
		o.Summary = opt(r.Summary)
		o.RecordingURL = opt(r.RecordingURL)
		if len(r.Analysis) > 0 {
			o.AnalysisResult = r.Analysis
		}
		for _, m := range r.Messages {
			o.Messages = append(o.Messages, messageJSON{Role: string(m.Role), Content: m.Content})
		}
	}
	return o
}

// times are started_at, ended_at and the duration on the call's own
// timeline, as its webhooks carry them: from the report once there is one,
// else from the status-updates; a live call's duration runs on the wall
// clock since it was answered.
func (c *callState) times() (*string, *string, int64) {
	if r := c.report; r != nil && !r.Started.IsZero() {
		return optTime(r.Started), optTime(r.Ended), wholeSeconds(r.Duration())
	}
	started := c.answeredAt
	if started.IsZero() {
		started = c.answered
	}
	switch {
	case started.IsZero():
		return nil, optTime(c.endedAt), 0
	case !c.endedAt.IsZero():
		return optTime(started), optTime(c.endedAt), wholeSeconds(c.endedAt.Sub(started))
	case c.ended:
		return optTime(started), nil, 0
	}
	return optTime(started), nil, wholeSeconds(c.now().Sub(c.answered))
}

func wholeSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Second/2) / time.Second)
}

func (c *callState) listItem() callListJSON {
	o := c.object()
	return callListJSON{
		ID: o.ID, CallerPhone: o.CallerPhone, AssistantPhone: o.AssistantPhone, Status: o.Status,
		Direction: o.Direction, EndReason: o.EndReason, DurationSeconds: o.DurationSeconds, Summary: o.Summary,
		AgentName: o.AgentName, BusinessName: o.BusinessName, StartedAt: o.StartedAt, EndedAt: o.EndedAt,
		CreatedAt: o.CreatedAt,
	}
}

func (p *Platform) handleGetCall(w http.ResponseWriter, r *http.Request) {
	if c := p.call(w, r); c != nil {
		writeJSON(w, http.StatusOK, c.object())
	}
}

// Pagination bounds of GET /calls.
const (
	defaultLimit = 50
	maxLimit     = 100
)

// handleListCalls answers GET /calls?limit=&offset=&status=&start_date=&end_date=
// with the documented envelope, newest first; the dates filter created_at.
func (p *Platform) handleListCalls(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, rerr := intParam(q, "limit", defaultLimit, 1, maxLimit)
	if rerr == nil {
		var offset int
		offset, rerr = intParam(q, "offset", 0, 0, 1<<31-1)
		if rerr == nil {
			p.listCalls(w, r, limit, offset)
			return
		}
	}
	rerr.write(w)
}

func (p *Platform) listCalls(w http.ResponseWriter, r *http.Request, limit, offset int) {
	q := r.URL.Query()
	status := q.Get("status")
	if status != "" && !slices.Contains(listStatuses, status) {
		badRequest("status", "status %q is not a call status; use one of %s", status, strings.Join(listStatuses, ", ")).write(w)
		return
	}
	from, rerr := dateParam(q, "start_date", false)
	if rerr != nil {
		rerr.write(w)
		return
	}
	to, rerr := dateParam(q, "end_date", true)
	if rerr != nil {
		rerr.write(w)
		return
	}
	owner := ownerOf(r)
	p.mu.Lock()
	var match []*callState
	for i := len(p.order) - 1; i >= 0; i-- {
		c := p.order[i]
		if c.owner != owner || (!from.IsZero() && c.created.Before(from)) || (!to.IsZero() && !c.created.Before(to)) {
			continue
		}
		match = append(match, c)
	}
	p.mu.Unlock()
	items := make([]callListJSON, 0, min(limit, len(match)))
	total := 0
	for _, c := range match {
		item := c.listItem()
		if status != "" && item.Status != status {
			continue
		}
		if total >= offset && len(items) < limit {
			items = append(items, item)
		}
		total++
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"calls":      items,
		"pagination": map[string]int{"total": total, "limit": limit, "offset": offset},
	})
}

// intParam reads a whole-number query parameter within bounds.
func intParam(q url.Values, name string, def, lo, hi int) (int, *requestError) {
	s := q.Get(name)
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < lo || n > hi {
		return 0, badRequest(name, "%s must be a whole number from %d to %d, got %q", name, lo, hi, s)
	}
	return n, nil
}

// dateParam reads start_date or end_date: RFC 3339 or YYYY-MM-DD (UTC). A
// plain end date includes that whole day. The returned bound is inclusive
// for the start and exclusive for the end.
func dateParam(q url.Values, name string, end bool) (time.Time, *requestError) {
	s := q.Get(name)
	if s == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		if end {
			t = t.Add(time.Nanosecond)
		}
		return t, nil
	}
	if d, err := time.Parse(time.DateOnly, s); err == nil {
		if end {
			d = d.AddDate(0, 0, 1)
		}
		return d, nil
	}
	return time.Time{}, badRequest(name, "%s %q is not a date: use YYYY-MM-DD or an RFC 3339 time such as 2026-01-05T09:00:00Z", name, s)
}

// redactURL keeps a webhook URL's scheme, host and path: credentials and
// query strings (where tokens hide) are not shown.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "(invalid URL)"
	}
	out := u.Scheme + "://" + u.Host + u.EscapedPath()
	if u.User != nil {
		out = u.Scheme + "://…@" + u.Host + u.EscapedPath()
	}
	if u.RawQuery != "" {
		out += "?…"
	}
	return out
}

// newID is a random token of n letters and digits.
func newID(n int) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}
