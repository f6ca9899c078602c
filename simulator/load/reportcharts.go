package load

import (
	"fmt"
	"math"
	"time"
)

// chartAxes is what the charts of a report share: the time series, its
// interval, the time axis and the event types.
type chartAxes struct {
	pts    []*Point
	iv     float64 // the interval in seconds
	xmax   float64 // the end of the time axis in seconds
	names  []string
	legend []htmlLegend
}

func (r *Report) chartAxes() chartAxes {
	a := chartAxes{pts: r.Series.Points, iv: r.Series.IntervalS, xmax: r.Run.ElapsedS}
	if a.iv <= 0 {
		a.iv = 1
	}
	for _, p := range a.pts {
		a.xmax = max(a.xmax, p.T+a.iv)
	}
	a.names = make([]string, 0, len(r.Events))
	for _, e := range r.Events {
		a.names = append(a.names, e.Event)
	}
	for _, n := range a.names {
		a.legend = append(a.legend, htmlLegend{Name: n, Color: eventColors[n]})
	}
	return a
}

func msFmt(v float64) string { return fmtMS(v) }

func secondsFmt(v float64) string { return clock(time.Duration(v * float64(time.Second))) }

// charts builds the report's charts from the time series and histograms.
func (r *Report) charts() []htmlChart {
	a := r.chartAxes()
	return []htmlChart{a.latencyChart(), r.distributionChart(a.legend), a.throughputChart(), a.callsChart()}
}

// latencyChart is latency over time: p95 (solid) and p50 (dashed) per event
// type.
func (a chartAxes) latencyChart() htmlChart {
	lat := chart{Title: "latency over time", YLabel: "latency", XLabel: "time since start", XMax: a.xmax, YFmt: msFmt, XFmt: secondsFmt, Note: "no replies"}
	for _, n := range a.names {
		s95 := series{Name: n + " p95", Color: eventColors[n]}
		s50 := series{Name: n + " p50", Color: eventColors[n], Dash: true, Width: 1.2}
		for _, p := range a.pts {
			x := p.T + a.iv/2
			pe := p.Events[n]
			y95, y50 := math.NaN(), math.NaN()
			if pe != nil && pe.Hist != nil && pe.Hist.Count > 0 {
				y95 = ms(pe.Hist.Quantile(.95))
				y50 = ms(pe.Hist.Quantile(.5))
			}
			s95.X, s95.Y = append(s95.X, x), append(s95.Y, y95)
			s50.X, s50.Y = append(s50.X, x), append(s50.Y, y50)
		}
		lat.Lines = append(lat.Lines, s50, s95)
	}
	latLegend := append(append([]htmlLegend{}, a.legend...), htmlLegend{Name: "p95 solid · p50 dashed", Color: "#6b7280", Dash: true})
	return htmlChart{Title: "Latency over time", Caption: fmt.Sprintf("per %s interval, per event type", fmtSeconds(a.iv)), SVG: lat.svg(), Legend: latLegend}
}

// distributionChart is the percentile spectrum per event type.
func (r *Report) distributionChart(legend []htmlLegend) htmlChart {
	dist := chart{Title: "latency distribution", YLabel: "latency", XLabel: "percentile", XMin: 0, XMax: 4, YFmt: msFmt, Note: "no replies",
		XTicks: []tick{{0, "0%"}, {1, "90%"}, {2, "99%"}, {3, "99.9%"}, {4, "99.99%"}}}
	var distMax float64
	for _, e := range r.Events {
		s := series{Name: e.Event, Color: eventColors[e.Event]}
		for i := 0; i <= 80; i++ {
			x := float64(i) / 20 // 0..4 on the log scale of 1/(1-q)
			q := 1 - math.Pow(10, -x)
			s.X = append(s.X, x)
			v := ms(e.Hist.Quantile(q))
			s.Y = append(s.Y, v)
			distMax = max(distMax, v)
		}
		dist.Lines = append(dist.Lines, s)
	}
	// Keep the body of the curve readable: cap the axis at 1.5 × p99.9 of
	// the slowest event type (the maximum is in the table).
	var p999 float64
	for _, e := range r.Events {
		p999 = max(p999, ms(e.Hist.Quantile(.999)))
	}
	if p999 > 0 && distMax > 1.5*p999 {
		dist.YMax = 1.5 * p999
	}
	return htmlChart{Title: "Latency distribution", Caption: "percentile spectrum of every reply (timeouts count at their deadline)", SVG: dist.svg(), Legend: legend}
}

// throughputChart is the events per second of each type over time, with
// errors as bars.
func (a chartAxes) throughputChart() htmlChart {
	thr := chart{Title: "throughput and errors", YLabel: "events per second", XLabel: "time since start", XMax: a.xmax, XFmt: secondsFmt,
		YFmt: func(v float64) string { return trimFloat(math.Round(v*10) / 10) }, Note: "no events"}
	errs := barSeries{Name: "errors and timeouts per second", Color: errorColor, BarW: a.iv * 0.8}
	for _, n := range a.names {
		s := series{Name: n, Color: eventColors[n]}
		for _, p := range a.pts {
			var v float64
			if pe := p.Events[n]; pe != nil {
				v = float64(pe.Count) / a.iv
			}
			s.X, s.Y = append(s.X, p.T+a.iv/2), append(s.Y, v)
		}
		thr.Lines = append(thr.Lines, s)
	}
	for _, p := range a.pts {
		var n int64
		for _, pe := range p.Events {
			n += pe.Errors
		}
		errs.X, errs.Y = append(errs.X, p.T+a.iv/2), append(errs.Y, float64(n)/a.iv)
	}
	thr.Bars = []barSeries{errs}
	thrLegend := append(append([]htmlLegend{}, a.legend...), htmlLegend{Name: "errors (timeouts included)", Color: errorColor})
	return htmlChart{Title: "Throughput and errors over time", Caption: "events delivered per second; red bars: deliveries without a usable 2xx reply", SVG: thr.svg(), Legend: thrLegend}
}

// callsChart is the live calls over time, with calls started and dropped.
func (a chartAxes) callsChart() htmlChart {
	calls := chart{Title: "calls", YLabel: "calls", XLabel: "time since start", XMax: a.xmax, XFmt: secondsFmt, Note: "no calls"}
	live := series{Name: "live", Color: "#0f766e"}
	started := series{Name: "started per second", Color: "#64748b", Dash: true, Width: 1.5}
	drop := barSeries{Name: "dropped per second", Color: errorColor, BarW: a.iv * 0.8}
	for _, p := range a.pts {
		x := p.T + a.iv/2
		live.X, live.Y = append(live.X, x), append(live.Y, float64(p.Live))
		started.X, started.Y = append(started.X, x), append(started.Y, float64(p.Started)/a.iv)
		drop.X, drop.Y = append(drop.X, x), append(drop.Y, float64(p.Dropped)/a.iv)
	}
	calls.Lines = []series{live, started}
	calls.Bars = []barSeries{drop}
	callLegend := []htmlLegend{{Name: "live calls", Color: "#0f766e"}, {Name: "started per second", Color: "#64748b", Dash: true}, {Name: "dropped per second", Color: errorColor}}
	return htmlChart{Title: "Calls over time", Caption: "open model: calls start on schedule whatever the server does", SVG: calls.svg(), Legend: callLegend}
}
