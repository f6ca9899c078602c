package load

import (
	"fmt"
	"html/template"
	"math"
	"strings"
)

// A tiny SVG chart renderer: the HTML report draws its charts at build time,
// so it needs no script and no external asset.

type series struct {
	Name  string
	Color string
	Dash  bool
	Width float64
	X, Y  []float64 // NaN in Y breaks the line
}

type barSeries struct {
	Name  string
	Color string
	X, Y  []float64 // bars centred on X, BarW wide (x units)
	BarW  float64
}

type tick struct {
	V     float64
	Label string
}

type chart struct {
	Title  string
	YLabel string
	XLabel string
	Lines  []series
	Bars   []barSeries
	XMin   float64
	XMax   float64
	YMax   float64 // 0: from the data
	XTicks []tick  // nil: automatic
	YFmt   func(float64) string
	XFmt   func(float64) string
	Note   string // shown instead of an empty plot
}

const (
	chartW, chartH         = 760, 260
	padL, padR, padT, padB = 64, 16, 14, 40
	plotW, plotH           = chartW - padL - padR, chartH - padT - padB
)

// niceStep returns a round step (1, 2, 2.5 or 5 × 10^k) that splits span
// into about n parts.
func niceStep(span float64, n int) float64 {
	if span <= 0 || math.IsNaN(span) || math.IsInf(span, 0) {
		return 1
	}
	raw := span / float64(n)
	mag := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*mag >= raw {
			return m * mag
		}
	}
	return 10 * mag
}

func (c chart) svg() template.HTML {
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-label="%s">`,
		chartW, chartH, template.HTMLEscapeString(c.Title))
	ymax, empty := c.dataMax()
	ystep := niceStep(ymax, 4)
	ymax = math.Ceil(ymax/ystep-1e-9) * ystep
	p := c.plot(ymax)
	p.grid(&b, ystep)
	p.xTicks(&b, c.XTicks)
	c.labels(&b, empty)
	for _, s := range c.Bars {
		p.bars(&b, s)
	}
	for _, s := range c.Lines {
		p.line(&b, s)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// dataMax is the top of the y axis before rounding: YMax, or else the
// largest value (1 and empty when there is none above 0).
func (c chart) dataMax() (ymax float64, empty bool) {
	ymax = c.YMax
	if ymax <= 0 {
		for _, s := range c.Lines {
			for _, y := range s.Y {
				if !math.IsNaN(y) {
					ymax = max(ymax, y)
				}
			}
		}
		for _, s := range c.Bars {
			for _, y := range s.Y {
				ymax = max(ymax, y)
			}
		}
	}
	if ymax <= 0 {
		return 1, true
	}
	return ymax, false
}

// plot maps values to the chart's coordinates and formats them.
type plot struct {
	xmin, xmax, ymax float64
	yf, xf           func(float64) string
}

func (c chart) plot(ymax float64) plot {
	p := plot{xmin: c.XMin, xmax: c.XMax, ymax: ymax, yf: c.YFmt, xf: c.XFmt}
	if p.xmax <= p.xmin {
		p.xmax = p.xmin + 1
	}
	if p.yf == nil {
		p.yf = func(v float64) string { return trimFloat(v) }
	}
	if p.xf == nil {
		p.xf = func(v float64) string { return trimFloat(v) }
	}
	return p
}

func (p plot) px(x float64) float64 { return padL + (x-p.xmin)/(p.xmax-p.xmin)*plotW }

func (p plot) py(y float64) float64 { return padT + plotH - y/p.ymax*plotH }

// grid draws the horizontal grid lines and the y axis labels.
func (p plot) grid(b *strings.Builder, ystep float64) {
	for y := 0.0; y <= p.ymax+ystep/2; y += ystep {
		fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%.1f" y2="%.1f" class="grid"/>`, padL, padL+plotW, p.py(y), p.py(y))
		fmt.Fprintf(b, `<text x="%d" y="%.1f" class="yt">%s</text>`, padL-6, p.py(y)+4, template.HTMLEscapeString(p.yf(y)))
	}
}

// xTicks draws the x axis with its ticks (automatic when ticks is nil).
func (p plot) xTicks(b *strings.Builder, ticks []tick) {
	if ticks == nil {
		step := niceStep(p.xmax-p.xmin, 8)
		for x := math.Ceil(p.xmin/step) * step; x <= p.xmax+1e-9; x += step {
			ticks = append(ticks, tick{x, p.xf(x)})
		}
	}
	for _, t := range ticks {
		fmt.Fprintf(b, `<line x1="%.1f" x2="%.1f" y1="%d" y2="%d" class="xtick"/>`, p.px(t.V), p.px(t.V), padT+plotH, padT+plotH+4)
		fmt.Fprintf(b, `<text x="%.1f" y="%d" class="xt">%s</text>`, p.px(t.V), padT+plotH+16, template.HTMLEscapeString(t.Label))
	}
	fmt.Fprintf(b, `<line x1="%d" x2="%d" y1="%d" y2="%d" class="axis"/>`, padL, padL+plotW, padT+plotH, padT+plotH)
}

// labels draws the axis labels, and the note of an empty chart.
func (c chart) labels(b *strings.Builder, empty bool) {
	if c.XLabel != "" {
		fmt.Fprintf(b, `<text x="%d" y="%d" class="xl">%s</text>`, padL+plotW/2, chartH-4, template.HTMLEscapeString(c.XLabel))
	}
	if c.YLabel != "" {
		fmt.Fprintf(b, `<text x="12" y="%d" class="yl" transform="rotate(-90 12 %d)">%s</text>`, padT+plotH/2, padT+plotH/2, template.HTMLEscapeString(c.YLabel))
	}
	if empty && c.Note != "" {
		fmt.Fprintf(b, `<text x="%d" y="%d" class="note">%s</text>`, padL+plotW/2, padT+plotH/2, template.HTMLEscapeString(c.Note))
	}
}

// bars draws a bar series (bars of 0 or less are left out).
func (p plot) bars(b *strings.Builder, s barSeries) {
	w := s.BarW / (p.xmax - p.xmin) * plotW
	for i, x := range s.X {
		if s.Y[i] <= 0 {
			continue
		}
		fmt.Fprintf(b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s" opacity="0.75"><title>%s: %s</title></rect>`,
			p.px(x)-w/2, p.py(s.Y[i]), max(w, 1), p.py(0)-p.py(s.Y[i]), s.Color, template.HTMLEscapeString(s.Name), template.HTMLEscapeString(p.yf(s.Y[i])))
	}
}

// line draws a line series: a polyline for each run of values between
// NaNs, a dot for a single value.
func (p plot) line(b *strings.Builder, s series) {
	width := s.Width
	if width == 0 {
		width = 2
	}
	dash := ""
	if s.Dash {
		dash = ` stroke-dasharray="5 4"`
	}
	var pts []string
	flush := func() {
		if len(pts) == 1 {
			var x, y float64
			fmt.Sscanf(pts[0], "%f,%f", &x, &y)
			fmt.Fprintf(b, `<circle cx="%.1f" cy="%.1f" r="2.5" fill="%s"/>`, x, y, s.Color)
		} else if len(pts) > 1 {
			fmt.Fprintf(b, `<polyline fill="none" stroke="%s" stroke-width="%.1f"%s stroke-linejoin="round" points="%s"/>`,
				s.Color, width, dash, strings.Join(pts, " "))
		}
		pts = pts[:0]
	}
	for i, x := range s.X {
		if math.IsNaN(s.Y[i]) {
			flush()
			continue
		}
		pts = append(pts, fmt.Sprintf("%.1f,%.1f", p.px(x), p.py(min(s.Y[i], p.ymax))))
	}
	flush()
}
