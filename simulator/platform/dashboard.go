package platform

import (
	_ "embed"
	"fmt"
	"html/template"
	"net/http"
	"strings"
	"time"

	"github.com/gorilla/mux"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/timeline"
)

// The dashboard is server-rendered HTML with inline styles and no scripts or
// external assets; pages refresh themselves while something is live.

//go:embed dashboard.html
var dashboardHTML string

var dashboardTmpl = template.Must(template.New("dashboard").Parse(dashboardHTML))

// refreshSeconds is how often a page reloads itself.
const refreshSeconds = 2

// dashboardCalls is how many calls the overview lists.
const dashboardCalls = 100

type pageView struct {
	Title    string
	Refresh  int
	Updated  string
	Settings []fact
	// Overview.
	Live     []rowView
	Finished []rowView
	Hidden   int // calls not listed
	// One call.
	Call *callView
}

type fact struct{ Label, Value string }

// rowView is one call in the overview.
type rowView struct {
	ID, Link, Direction, Intent, Customer, Status, StatusClass string
	Started, Duration, EndReason, Slowest, SlowClass           string
	Webhooks, Commands                                         int
	Checks                                                     string
	ChecksClass                                                string
}

// callView is one call's page.
type callView struct {
	rowView
	Facts      []fact
	Summary    string
	Error      string
	Entries    []entryView
	Dropped    int
	Transcript []lineView
	Ended      bool
}

type entryView struct {
	Kind                   string // webhook or control
	Wall, Offset           string
	What, Detail           string
	Reply, ReplyClass      string
	Latency, Deadline      string
	Pct                    int
	BarClass               string
	Result                 string
	ResultClass            string
	Failed                 []string
	Passed                 string
	URL                    string
	CommandText            string
	CommandAccepted, IsCmd bool
	Request, ReplyBody     string // bodies as shown (capped, escaped)
}

type lineView struct{ Offset, Role, Content, Class string }

func (p *Platform) settings() []fact {
	o := p.opt.Sim
	pace := "instant"
	switch {
	case o.Pace == 1:
		pace = "real time"
	case o.Pace > 0:
		pace = fmt.Sprintf("%gx real time", o.Pace)
	}
	auth := "open (no API key)"
	if n := len(p.opt.APIKeys); n > 0 {
		auth = fmt.Sprintf("Bearer API key required (%d configured)", n)
	}
	signed := "unsigned"
	if o.Secret != "" {
		signed = "signed (secret set)"
	}
	d := o.Dialect
	if d == "" {
		d = "flireo"
	}
	return []fact{
		{"Webhook", redactURL(o.Target) + " · " + signed},
		{"Dialect", d},
		{"Pace", pace},
		{"API", auth},
	}
}

func (p *Platform) handleDashboard(w http.ResponseWriter, r *http.Request) {
	owner, all := dashboardOwner(r)
	p.mu.Lock()
	calls := make([]*callState, 0, min(len(p.order), dashboardCalls))
	hidden := 0
	for i := len(p.order) - 1; i >= 0; i-- {
		switch c := p.order[i]; {
		case !all && c.owner != owner:
		case len(calls) < dashboardCalls:
			calls = append(calls, c)
		default:
			hidden++
		}
	}
	p.mu.Unlock()
	v := pageView{Title: "flireo-sim · calls", Refresh: refreshSeconds, Updated: clock(p.now()), Settings: p.settings(), Hidden: hidden}
	for _, c := range calls {
		row := c.row()
		if row.StatusClass == "live" || row.StatusClass == "waiting" {
			v.Live = append(v.Live, row)
		} else {
			v.Finished = append(v.Finished, row)
		}
	}
	render(w, &v)
}

func (p *Platform) handleDashboardCall(w http.ResponseWriter, r *http.Request) {
	id := mux.Vars(r)["id"]
	p.mu.Lock()
	c := p.calls[id]
	p.mu.Unlock()
	if owner, all := dashboardOwner(r); c != nil && !all && c.owner != owner {
		c = nil // another account's call: as if there were none
	}
	if c == nil {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprintf(w, "No call %q: it never existed or was dropped from memory. Back to the list: /\n", id)
		return
	}
	cv := c.view()
	v := pageView{Title: "flireo-sim · " + cv.ID, Updated: clock(p.now()), Settings: p.settings(), Call: &cv}
	if !cv.Ended {
		v.Refresh = refreshSeconds
	}
	render(w, &v)
}

func render(w http.ResponseWriter, v *pageView) {
	var b strings.Builder
	if err := dashboardTmpl.Execute(&b, v); err != nil {
		http.Error(w, "the dashboard could not be rendered: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	_, _ = w.Write([]byte(b.String()))
}

func clock(t time.Time) string { return t.Local().Format("15:04:05") }

func statusClass(s string) string {
	switch s {
	case statusInProgress:
		return "live"
	case statusRinging, statusDialing:
		return "waiting"
	case statusEnded:
		return "ended"
	case statusTransferred:
		return "transferred"
	case statusRejected:
		return "rejected"
	}
	return "error"
}

// row snapshots the call for the overview.
func (c *callState) row() rowView {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.rowLocked()
}

func (c *callState) rowLocked() rowView {
	p := c.plan
	r := rowView{
		ID: c.id, Link: "/calls/" + c.id, Direction: string(c.direction), Intent: string(p.Intent),
		Customer: p.Customer, Status: c.status, StatusClass: statusClass(c.status),
		Started: clock(c.created),
	}
	if c.outcome != "" && c.outcome != outcomeAnswered {
		r.Intent += " (" + c.outcome + ")"
	}
	if r.Customer == "" {
		r.Customer = "web caller"
	}
	if c.ended {
		r.EndReason = c.reason
	}
	_, _, secs := c.times()
	r.Duration = (time.Duration(secs) * time.Second).String()
	worst := -1.0
	for _, e := range c.entries {
		switch {
		case e.hook != nil:
			r.Webhooks++
			if e.hook.deadline > 0 {
				ratio := float64(e.hook.latency) / float64(e.hook.deadline)
				if ratio > worst {
					worst = ratio
					r.Slowest = timeline.Duration(e.hook.latency) + " of " + timeline.Duration(e.hook.deadline)
					r.SlowClass = barClass(ratio, e.hook.failure != "")
				}
			}
		case e.cmd != nil:
			r.Commands++
		}
	}
	r.Checks, r.ChecksClass = checkText(c.counts)
	return r
}

func checkText(n timeline.Counts) (string, string) {
	if n.MustPass+n.MustFail+n.ShouldPass+n.ShouldFail == 0 {
		return "—", ""
	}
	text := fmt.Sprintf("must %d/%d · should %d/%d", n.MustPass, n.MustPass+n.MustFail, n.ShouldPass, n.ShouldPass+n.ShouldFail)
	switch {
	case n.MustFail > 0:
		return text, "bad"
	case n.ShouldFail > 0:
		return text, "warn"
	}
	return text, "good"
}

func barClass(ratio float64, failed bool) string {
	switch {
	case failed || ratio >= 1:
		return "bad"
	case ratio >= 0.5:
		return "warn"
	}
	return "good"
}

// view snapshots the call for its page.
func (c *callState) view() callView {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.plan
	v := callView{rowView: c.rowLocked(), Ended: c.ended, Error: c.errText, Dropped: c.dropped}
	facts := []fact{
		{"Direction", string(c.direction)},
		{"Intent", string(p.Intent) + " · " + p.Lang},
		{"Customer", v.Customer + " (" + p.Persona.Name() + ")"},
		{"Assistant number", p.PhoneNumber + " · " + p.PhoneName},
		{"Webhook", c.webhook},
		{"Created", clock(c.created)},
	}
	if c.assistantID != "" {
		facts = append(facts, fact{"Assistant", c.agentName + " (" + c.assistantID + ")"})
	}
	answered, ended := c.startedAt, c.endedAt // the call's own clock, as in its webhooks
	if !c.ended {
		ended = time.Time{}
	}
	if !answered.IsZero() {
		facts = append(facts, fact{"Answered", clock(answered)})
	}
	if !ended.IsZero() {
		facts = append(facts, fact{"Ended", clock(ended)})
	}
	facts = append(facts, fact{"Duration", v.Duration})
	if c.reason != "" && c.ended {
		facts = append(facts, fact{"End reason", c.reason})
	}
	if c.report != nil && c.report.TransferTo != "" {
		facts = append(facts, fact{"Transferred to", c.report.TransferTo})
	}
	facts = append(facts, fact{"Checks", v.Checks}, fact{"Seed", fmt.Sprintf("%d, call %d", p.RunSeed, p.Number)})
	v.Facts = facts
	for _, e := range c.entries {
		ev := entryOf(&e, c.created)
		if ev.URL == c.webhook {
			ev.URL = "" // shown only for deliveries elsewhere (a tool's own url)
		}
		v.Entries = append(v.Entries, ev)
	}
	if r := c.report; r != nil {
		v.Summary = r.Summary
		for _, m := range r.Messages {
			v.Transcript = append(v.Transcript, lineView{
				Offset: fmt.Sprintf("%+.1fs", m.At.Sub(p.Start).Seconds()), Role: string(m.Role),
				Content: m.Content, Class: string(m.Role),
			})
		}
	}
	return v
}

func entryOf(e *entry, created time.Time) entryView {
	v := entryView{Wall: e.wall.Local().Format("15:04:05.000")}
	if h := e.hook; h != nil {
		v.Kind = "webhook"
		v.Offset = fmt.Sprintf("%+.1fs", h.offset.Seconds())
		v.What = string(h.event)
		v.Detail = h.detail
		v.URL = h.url
		if h.httpStatus > 0 {
			v.Reply = fmt.Sprintf("%d %s", h.httpStatus, http.StatusText(h.httpStatus))
			v.ReplyClass = "good"
			if h.httpStatus < 200 || h.httpStatus > 299 {
				v.ReplyClass = "bad"
			}
		} else {
			v.Reply, v.ReplyClass = "no reply", "bad"
		}
		if h.failure != "" {
			v.Reply += " · " + h.failure
			v.ReplyClass = "bad"
		}
		v.Latency = timeline.Duration(h.latency)
		if h.deadline > 0 {
			ratio := float64(h.latency) / float64(h.deadline)
			v.Deadline = timeline.Duration(h.deadline)
			v.Pct = int(min(ratio, 1) * 100)
			v.Pct = max(v.Pct, 1)
			v.BarClass = barClass(ratio, h.failure != "")
		}
		v.Result = h.action
		v.Request, v.ReplyBody = h.request, h.reply
		v.Failed = h.failed
		if n := h.counts.MustPass + h.counts.ShouldPass; len(h.failed) == 0 && n > 0 {
			v.Passed = fmt.Sprintf("%d checks passed", n)
		}
		return v
	}
	c := e.cmd
	v.Kind, v.IsCmd = "control", true
	v.Offset = fmt.Sprintf("%+.1fs", e.wall.Sub(created).Seconds())
	v.What = c.cmd.Type
	v.CommandText = commandText(c.cmd)
	v.CommandAccepted = c.accepted
	if c.accepted {
		v.Result, v.ResultClass = "accepted: acts at the call's next step", "good"
		v.Reply, v.ReplyClass = "200 OK", "good"
	} else {
		v.Result, v.ResultClass = "refused: "+c.why, "bad"
		v.Reply, v.ReplyClass = "400 Bad Request", "bad"
	}
	return v
}

// commandText describes a control command in a line.
func commandText(c sim.Command) string {
	q := func(s string) string {
		if r := []rune(s); len(r) > 120 {
			s = string(r[:120]) + "…"
		}
		return "“" + s + "”"
	}
	switch c.Type {
	case sim.CommandInjectContext:
		s := q(c.Content)
		if c.TriggerResponse {
			s += " · the assistant responds"
		} else {
			s += " · silently"
		}
		return s
	case sim.CommandSay:
		s := q(c.Content)
		if c.EndAfter {
			s += " · then ends the call"
		}
		return s
	case sim.CommandEndCall:
		if c.Message == "" {
			return "no final message"
		}
		return q(c.Message)
	case sim.CommandTransfer:
		s := "to " + c.Destination
		if c.Message != "" {
			s += " · " + q(c.Message)
		}
		return s
	}
	return ""
}
