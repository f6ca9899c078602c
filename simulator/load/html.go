package load

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// eventColors are the colours of the event types in every chart.
var eventColors = map[string]string{
	"assistant-request":  "#2563eb",
	"tool-calls":         "#d97706",
	"status-update":      "#059669",
	"end-of-call-report": "#7c3aed",
}

const errorColor = "#dc2626"

// WriteHTML writes the report as one self-contained HTML page: inline CSS
// and SVG, no script, no external asset, readable offline.
func (r *Report) WriteHTML(w io.Writer) error {
	return htmlPage.Execute(w, r.htmlData())
}

type htmlTile struct {
	Label, Value, Sub string
	Bad               bool
}

type htmlEvent struct {
	Name, Color                         string
	Count, OK, Timeouts, Errors, Misses string
	P50, P90, P95, P99, Max             string
	ErrorClasses, Checks, Lateness      string
	BadOK, BadTimeouts, BadErrors       bool
}

type htmlData struct {
	Title, Verdict, VerdictClass, Subtitle string
	Facts                                  [][2]string
	Tiles                                  []htmlTile
	Thresholds                             []ThresholdResult
	Events                                 []htmlEvent
	Charts                                 []htmlChart
	Checks                                 []CheckStat
	Slowest                                []SlowCall
	Legend                                 []htmlLegend
	ShowClasses, ShowChecks, ShowLateness  bool
	Generated, Schema                      string
}

type htmlChart struct {
	Title, Caption string
	SVG            template.HTML
	Legend         []htmlLegend
}

type htmlLegend struct {
	Name, Color string
	Dash        bool
}

func (r *Report) htmlData() htmlData {
	ru := r.Run
	d := htmlData{Title: "flireo-sim load report", Schema: Schema}
	d.Verdict, d.VerdictClass = r.htmlVerdict()
	d.Subtitle = fmt.Sprintf("%s · dialect %s · pace %s", ru.Target, ru.Dialect, ru.Pace)
	d.Facts = ru.htmlFacts()
	if why := r.NoneCompletedWhy(); why != "" {
		d.Facts = append(d.Facts, [2]string{"fail", why})
	}
	d.Tiles = r.htmlTiles()
	d.Thresholds = r.Thresholds
	for _, e := range append(append([]*EventStats{}, r.Events...), r.All) {
		he := htmlEventOf(e)
		d.ShowClasses = d.ShowClasses || he.ErrorClasses != ""
		d.ShowChecks = d.ShowChecks || he.Checks != ""
		d.ShowLateness = d.ShowLateness || he.Lateness != ""
		d.Events = append(d.Events, he)
	}
	d.Charts = r.charts()
	d.Checks = r.Checks
	d.Slowest = r.Slowest
	d.Generated = fmt.Sprintf("generated %s", time.Now().UTC().Format("2006-01-02 15:04 MST"))
	if r.Version != "" {
		d.Generated += " by flireo-sim " + r.Version
	}
	return d
}

// htmlVerdict is the badge's text and class.
func (r *Report) htmlVerdict() (verdict, class string) {
	ru := r.Run
	switch {
	case ru.Interrupted:
		verdict, class = "INTERRUPTED", "warn"
	case ru.Aborted != "":
		verdict, class = "ABORTED", "bad"
	case r.Verdict == "fail":
		verdict, class = "FAIL", "bad"
	case len(r.Thresholds) == 0:
		verdict, class = "DONE", "neutral"
	default:
		verdict, class = "PASS", "good"
	}
	if r.Verdict == "fail" && (ru.Interrupted || ru.Aborted != "") {
		verdict += " · FAIL"
	}
	return verdict, class
}

// htmlFacts are the facts about the run under the title.
func (ru RunInfo) htmlFacts() [][2]string {
	facts := [][2]string{
		{"schedule", ru.Schedule},
		{"started", ru.StartedAt.Format("2006-01-02 15:04:05 MST")},
		{"elapsed", fmtSeconds(ru.ElapsedS)},
		{"seed", fmt.Sprint(ru.Seed)},
		{"max in flight", fmt.Sprint(ru.MaxInFlight)},
	}
	if ru.Replay != "" {
		facts = append(facts, [2]string{"clock", ru.Clock}, [2]string{"replay", ru.Replay})
	}
	if ru.Mix != "" {
		facts = append(facts, [2]string{"mix", ru.Mix})
	}
	if len(ru.Shards) > 0 {
		facts = append(facts, [2]string{"shards", strings.Join(ru.Shards, ", ")})
	}
	if ru.Aborted != "" {
		facts = append(facts, [2]string{"aborted", ru.Aborted})
	}
	if ru.Interrupted {
		facts = append(facts, [2]string{"interrupted", "the run was stopped early: these are partial results"})
	}
	if len(ru.MissingShards) > 0 {
		facts = append(facts, [2]string{"missing", ru.missingNote() + ": the merged figures leave out their calls"})
	}
	return facts
}

// htmlTiles are the headline figures.
func (r *Report) htmlTiles() []htmlTile {
	c := r.Calls
	tiles := []htmlTile{
		{Label: "calls started", Value: fmt.Sprint(c.Started), Sub: fmt.Sprintf("peak %d live", c.MaxLive)},
		{Label: "completed", Value: fmt.Sprint(c.Completed), Sub: pct(c.Completed, c.Started) + " of started"},
		{Label: "failed", Value: fmt.Sprint(c.Failed), Sub: pct(c.Failed, c.Started) + " of started", Bad: c.Failed > 0},
		{Label: "rejected", Value: fmt.Sprint(c.Rejected), Sub: "by the server"},
		{Label: "dropped", Value: fmt.Sprint(c.Dropped), Sub: "max in flight reached", Bad: c.Dropped > 0},
		{Label: "interrupted", Value: fmt.Sprint(c.Interrupted), Sub: "still live at the end", Bad: c.Interrupted > 0},
		{Label: "events", Value: fmt.Sprint(r.All.Count), Sub: fmt.Sprintf("%.1f/s", r.eventRate())},
		{Label: "2xx", Value: fmt.Sprintf("%.2f%%", 100*r.All.OKShare), Bad: r.All.Count > 0 && r.All.OK < r.All.Count},
		{Label: "timeouts", Value: fmt.Sprint(r.All.Timeouts), Bad: r.All.Timeouts > 0},
		{Label: "errors", Value: fmt.Sprint(r.All.Errors), Bad: r.All.Errors > 0},
	}
	if e := r.Event(sim.AssistantRequest); e != nil {
		tiles = append(tiles, htmlTile{Label: "assistant-request p99", Value: fmtMS(e.Latency.P99), Sub: "deadline 5s", Bad: e.Latency.P99 > 5000})
	}
	return tiles
}

// htmlEventOf is one row of the events table.
func htmlEventOf(e *EventStats) htmlEvent {
	he := htmlEvent{
		Name: e.Event, Color: eventColors[e.Event], Count: fmt.Sprint(e.Count), OK: fmt.Sprintf("%.2f%%", 100*e.OKShare),
		Timeouts: fmt.Sprint(e.Timeouts), Errors: fmt.Sprint(e.Errors), Misses: fmt.Sprint(e.DeadlineMisses),
		P50: fmtMS(e.Latency.P50), P90: fmtMS(e.Latency.P90), P95: fmtMS(e.Latency.P95), P99: fmtMS(e.Latency.P99), Max: fmtMS(e.Latency.Max),
		BadOK: e.OK < e.Count, BadTimeouts: e.Timeouts > 0, BadErrors: e.Errors > 0,
	}
	he.ErrorClasses = strings.Join(countList(e.ErrorsByClass, " "), ", ")
	he.Checks = strings.Join(countList(e.ChecksFailed, " "), ", ")
	if e.Lateness != nil && e.Lateness.Count > 0 {
		he.Lateness = fmt.Sprintf("p99 %s, max %s", fmtDur(e.Lateness.Quantile(.99)), fmtDur(e.Lateness.Quantile(1)))
	}
	return he
}

func pct(n, of int64) string {
	if of == 0 {
		return "0%"
	}
	return fmt.Sprintf("%.1f%%", 100*float64(n)/float64(of))
}

var htmlPage = template.Must(template.New("report").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} · {{.Verdict}}</title>
<style>
:root { --fg:#111827; --muted:#6b7280; --line:#e5e7eb; --bg:#f8fafc; --good:#15803d; --bad:#dc2626; --warn:#b45309; }
* { box-sizing: border-box; }
body { margin:0; font:14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color:var(--fg); background:var(--bg); }
main { max-width:1180px; margin:0 auto; padding:24px 28px 48px; }
header { display:flex; align-items:center; gap:16px; flex-wrap:wrap; }
h1 { font-size:22px; margin:0; }
h2 { font-size:16px; margin:28px 0 10px; }
.badge { font-weight:700; font-size:15px; padding:4px 12px; border-radius:6px; color:#fff; letter-spacing:.04em; }
.badge.good { background:var(--good); } .badge.bad { background:var(--bad); } .badge.warn { background:var(--warn); } .badge.neutral { background:#475569; }
.sub { color:var(--muted); margin:4px 0 0; word-break:break-all; }
.facts { display:flex; flex-wrap:wrap; gap:6px 22px; margin:10px 0 0; color:var(--muted); font-size:13px; }
.facts b { color:var(--fg); font-weight:600; }
.tiles { display:grid; grid-template-columns:repeat(auto-fill, minmax(150px, 1fr)); gap:10px; margin-top:18px; }
.tile { background:#fff; border:1px solid var(--line); border-radius:8px; padding:10px 12px; }
.tile .v { font-size:24px; font-weight:700; font-variant-numeric:tabular-nums; }
.tile .l { color:var(--muted); font-size:12px; text-transform:uppercase; letter-spacing:.04em; }
.tile .s { color:var(--muted); font-size:12px; }
.tile.bad { border-color:#fecaca; background:#fef2f2; } .tile.bad .v { color:var(--bad); }
table { border-collapse:collapse; width:100%; background:#fff; border:1px solid var(--line); border-radius:8px; overflow:hidden; }
th, td { padding:6px 10px; border-bottom:1px solid var(--line); text-align:left; vertical-align:top; }
th { background:#f1f5f9; font-size:12px; text-transform:uppercase; letter-spacing:.03em; color:#334155; }
td.n, th.n { text-align:right; font-variant-numeric:tabular-nums; white-space:nowrap; }
tr.total td { font-weight:600; background:#f8fafc; }
td.ev { white-space:nowrap; }
.scroll { overflow-x:auto; }
table.events th, table.events td { padding:6px 7px; }
td.badv { color:var(--bad); font-weight:600; }
.ok { color:var(--good); font-weight:700; } .fail { color:var(--bad); font-weight:700; }
.dot { display:inline-block; width:10px; height:10px; border-radius:50%; margin-right:6px; vertical-align:baseline; }
.small { font-size:12px; color:var(--muted); }
.charts { display:grid; grid-template-columns:repeat(auto-fit, minmax(520px, 1fr)); gap:14px; }
.card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:12px 14px 8px; }
.card h3 { margin:0; font-size:14px; } .card p { margin:2px 0 6px; color:var(--muted); font-size:12px; }
.legend { display:flex; flex-wrap:wrap; gap:4px 14px; font-size:12px; color:#374151; margin-top:2px; }
.legend i { display:inline-block; width:16px; height:3px; margin-right:5px; vertical-align:middle; }
.legend i.dash { background:repeating-linear-gradient(90deg, currentColor 0 5px, transparent 5px 8px) !important; }
svg.chart { width:100%; height:auto; display:block; }
svg.chart text { font:11px system-ui, sans-serif; fill:#4b5563; }
svg.chart .yt { text-anchor:end; } svg.chart .xt, svg.chart .xl, svg.chart .note { text-anchor:middle; } svg.chart .yl { text-anchor:middle; }
svg.chart .grid { stroke:#eef0f3; } svg.chart .axis, svg.chart .xtick { stroke:#9ca3af; }
code { font:12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; background:#f1f5f9; padding:1px 4px; border-radius:4px; word-break:break-all; }
footer { margin-top:32px; color:var(--muted); font-size:12px; }
</style>
</head>
<body>
<main>
<header>
  <h1>{{.Title}}</h1>
  <span class="badge {{.VerdictClass}}">{{.Verdict}}</span>
</header>
<p class="sub">{{.Subtitle}}</p>
<div class="facts">{{range .Facts}}<span>{{index . 0}} <b>{{index . 1}}</b></span>{{end}}</div>

<section class="tiles">
{{range .Tiles}}<div class="tile{{if .Bad}} bad{{end}}"><div class="l">{{.Label}}</div><div class="v">{{.Value}}</div>{{if .Sub}}<div class="s">{{.Sub}}</div>{{end}}</div>
{{end}}</section>

{{if .Thresholds}}
<h2>Thresholds</h2>
<table>
<tr><th>threshold</th><th>result</th><th>measured</th><th class="n">samples</th></tr>
{{range .Thresholds}}<tr><td><code>{{.Expr}}</code></td><td>{{if .OK}}<span class="ok">pass</span>{{else}}<span class="fail">FAIL</span>{{end}}</td><td>{{.Detail}}</td><td class="n">{{.Samples}}</td></tr>
{{end}}</table>
{{end}}

<h2>Events</h2>
<div class="scroll"><table class="events">
<tr><th>event</th><th class="n">count</th><th class="n">2xx</th><th class="n">timeouts</th><th class="n">errors</th><th class="n">deadline misses</th><th class="n">p50</th><th class="n">p90</th><th class="n">p95</th><th class="n">p99</th><th class="n">max</th>{{if .ShowClasses}}<th>errors by class</th>{{end}}{{if .ShowChecks}}<th>failed checks</th>{{end}}{{if .ShowLateness}}<th>timeouts fired late</th>{{end}}</tr>
{{$d := .}}{{range .Events}}<tr{{if eq .Name "all"}} class="total"{{end}}><td class="ev">{{if .Color}}<span class="dot" style="background:{{.Color}}"></span>{{end}}{{.Name}}</td><td class="n">{{.Count}}</td><td class="n{{if .BadOK}} badv{{end}}">{{.OK}}</td><td class="n{{if .BadTimeouts}} badv{{end}}">{{.Timeouts}}</td><td class="n{{if .BadErrors}} badv{{end}}">{{.Errors}}</td><td class="n">{{.Misses}}</td><td class="n">{{.P50}}</td><td class="n">{{.P90}}</td><td class="n">{{.P95}}</td><td class="n">{{.P99}}</td><td class="n">{{.Max}}</td>{{if $d.ShowClasses}}<td class="small">{{.ErrorClasses}}</td>{{end}}{{if $d.ShowChecks}}<td class="small">{{.Checks}}</td>{{end}}{{if $d.ShowLateness}}<td class="small">{{.Lateness}}</td>{{end}}</tr>
{{end}}</table></div>

<h2>Over time</h2>
<div class="charts">
{{range .Charts}}<div class="card"><h3>{{.Title}}</h3><p>{{.Caption}}</p>{{.SVG}}<div class="legend">{{range .Legend}}<span><i{{if .Dash}} class="dash"{{end}} style="background:{{.Color}};color:{{.Color}}"></i>{{.Name}}</span>{{end}}</div></div>
{{end}}</div>

{{if .Checks}}
<h2>Failed checks</h2>
<table>
<tr><th>check</th><th>severity</th><th class="n">failures</th></tr>
{{range .Checks}}<tr><td><code>{{.Check}}</code></td><td>{{.Severity}}</td><td class="n">{{.Failed}}</td></tr>
{{end}}</table>
{{end}}

<h2>Slowest calls</h2>
{{if .Slowest}}<table>
<tr><th class="n">call</th><th>intent</th><th>outcome</th><th>slowest reply</th><th class="n">latency</th><th>status or failure</th><th>failed checks</th><th>play it again</th></tr>
{{range .Slowest}}<tr><td class="n">#{{.Number}}</td><td>{{.Intent}}</td><td>{{.Outcome}}</td><td>{{.Event}}</td><td class="n">{{printf "%.1f" .LatencyMS}} ms</td><td class="small">{{if .Failure}}{{.Failure}}{{else}}HTTP {{.Status}}{{end}}</td><td class="small">{{range $i, $c := .FailedChecks}}{{if $i}}, {{end}}{{$c}}{{end}}</td><td>{{if .Replay}}<code>{{.Replay}}</code>{{end}}</td></tr>
{{end}}</table>{{else}}<p class="small">No calls finished.</p>{{end}}

<footer>{{.Generated}} · report schema {{.Schema}} · latencies from log-linear histograms (bucket width under 0.8%, merged exactly across shards)</footer>
</main>
</body>
</html>
`))
