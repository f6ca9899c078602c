package fake

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// slot is a time a server offered: a day (midnight UTC; zero when the offer
// named no day and the call knows none) and a local wall-clock time in
// minutes after midnight.
type slot struct {
	day time.Time
	min int
}

func (s slot) same(o slot) bool { return s.day.Equal(o.day) && s.min == o.min }

// offers is what a tool result offered: times (with their day) and days
// without a time.
type offers struct {
	slots []slot
	days  []time.Time
}

func (o *offers) addSlot(s slot) {
	if !slices.ContainsFunc(o.slots, s.same) {
		o.slots = append(o.slots, s)
	}
}

func (o *offers) addDay(d time.Time) {
	if !slices.ContainsFunc(o.days, d.Equal) {
		o.days = append(o.days, d)
	}
}

// extractOffers reads the times and days a tool result offers, whatever its
// shape: a list of times ("09:00"), ISO dates and date-times, objects with
// date and time or start fields, nested lists, or a sentence such as "Vrij op
// 2027-03-04: 09:15, 11:45 en 15:30" or "Thursday 4 March at 9.15am". A time
// without a day of its own takes the day of its object or sentence, else
// ctx (the day the caller asked about). A spoken day without a year is the
// first such day from ctx on. Keys that hold no offer (creation times, birth
// dates, opening hours, the end of a slot) are skipped.
func extractOffers(raw []byte, ctx time.Time) offers {
	var o offers
	v, err := parseJSON(raw)
	if err != nil {
		// Not JSON: read it as text.
		scanText(&o, string(raw), ctx)
		return o
	}
	walkOffers(&o, v, ctx, 0)
	return o
}

// skipKeys are result keys whose values are no offers.
var skipKeys = []string{"created", "updated", "modified", "timestamp", "birth", "geboorte", "expire", "generated",
	"now", "opening", "hours", "openingstijd", "end", "until", "eind", "tot", "duration", "duur", "requested", "gevraagd",
	"phone", "telefoon", "id", "nummer", "number", "confirmation", "bevestiging", "reference"}

func skipKey(key string) bool {
	ws := words(key)
	joined := strings.Join(ws, "")
	for _, s := range skipKeys {
		if slices.Contains(ws, s) || (len(s) > 4 && strings.HasPrefix(joined, s)) {
			return true
		}
	}
	return false
}

// walkOffers collects the offers of a JSON value whose day is ctx.
func walkOffers(o *offers, v *jv, ctx time.Time, depth int) {
	if depth > 8 {
		return
	}
	switch v.kind {
	case 's':
		scanText(o, v.str, ctx)
	case 'a':
		for _, x := range v.arr {
			walkOffers(o, x, ctx, depth+1)
		}
	case 'o':
		walkObject(o, v, ctx, depth)
	}
}

// walkObject reads an object: its own day (a date, day or datum field)
// dates every time in it.
func walkObject(o *offers, v *jv, ctx time.Time, depth int) {
	day, own := objectDay(v, ctx)
	if own {
		ctx = day
	}
	found := len(o.slots)
	for i, k := range v.keys {
		x := v.vals[i]
		if skipKey(k) || (own && classifyField(k) == fDate && x.kind == 's') {
			continue
		}
		if x.kind == 'n' && classifyField(k) == fTime {
			continue // a number of slots, hours or minutes: no clock time
		}
		walkOffers(o, x, ctx, depth+1)
	}
	if own && len(o.slots) == found {
		o.addDay(day)
	}
}

// objectDay is the day an object names in a date field.
func objectDay(v *jv, ctx time.Time) (time.Time, bool) {
	for i, k := range v.keys {
		x := v.vals[i]
		if x.kind != 's' || skipKey(k) || classifyField(k) != fDate {
			continue
		}
		var o offers
		scanText(&o, x.str, ctx)
		if len(o.slots) > 0 && !o.slots[0].day.IsZero() {
			return o.slots[0].day, true
		}
		if len(o.days) > 0 {
			return o.days[0], true
		}
	}
	return time.Time{}, false
}

// Text patterns: ISO date-times, ISO and numeric dates, spoken dates (Dutch
// and English month names), clock times (09:15, 9.15, 9:15 am, 3pm, 10 uur).
var (
	reDateTime = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})[T ](\d{1,2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?`)
	reISODate  = regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})\b`)
	reNumDate  = regexp.MustCompile(`\b(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})\b`)
	reDayMonth = regexp.MustCompile(`(?i)\b(\d{1,2})(?:st|nd|rd|th|e)?\s+(` + monthAlt + `)\b\.?(?:,?\s+(\d{4}))?`)
	reMonthDay = regexp.MustCompile(`(?i)\b(` + monthAlt + `)\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4}))?`)
	reClock    = regexp.MustCompile(`(?i)\b([01]?\d|2[0-3])[:.]([0-5]\d)(?:\s*(a\.?m\.?|p\.?m\.?)(?:\s|$|[,;!?)]))?`)
	reHour     = regexp.MustCompile(`(?i)\b(1[0-2]|0?[1-9])\s*(am|pm|a\.m\.|p\.m\.)|\b([01]?\d|2[0-3])\s*uur\b`)
)

const monthAlt = `januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december|` +
	`january|february|march|may|june|july|august|october|` +
	`jan|feb|febr|mrt|mar|apr|jun|jul|aug|sep|sept|okt|oct|nov|dec`

var monthNames = map[string]time.Month{
	"januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2, "febr": 2,
	"maart": 3, "march": 3, "mrt": 3, "mar": 3, "april": 4, "apr": 4, "mei": 5, "may": 5,
	"juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "augustus": 8, "august": 8, "aug": 8,
	"september": 9, "sep": 9, "sept": 9, "oktober": 10, "october": 10, "okt": 10, "oct": 10,
	"november": 11, "nov": 11, "december": 12, "dec": 12,
}

// mention is a day or a time found in a text, at its byte offset.
type mention struct {
	at, end int
	day     time.Time // zero for a time alone
	min     int       // -1 for a day alone
}

// scanText collects the days and times of a sentence: each time takes the
// nearest day named before it (else the first one after it, else ctx).
func scanText(o *offers, text string, ctx time.Time) {
	ms := mentions(text, ctx)
	first := time.Time{}
	for _, m := range ms {
		if !m.day.IsZero() {
			first = m.day
			break
		}
	}
	day, prevEnd := first, -1
	if day.IsZero() {
		day = ctx
	}
	for _, m := range ms {
		switch {
		case m.min < 0:
			day = m.day
			if !slices.ContainsFunc(ms, func(x mention) bool { return x.min >= 0 && x.at > m.at }) {
				o.addDay(m.day)
			}
		case !m.day.IsZero():
			o.addSlot(slot{day: m.day, min: m.min})
		case prevEnd >= 0 && isRangeJoin(text[prevEnd:m.at]):
			// The end of a range such as 09:00-09:30: not a start time.
		default:
			o.addSlot(slot{day: day, min: m.min})
		}
		if m.min >= 0 {
			prevEnd = m.end
		} else {
			prevEnd = -1
		}
	}
}

func isRangeJoin(s string) bool {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "-", "–", "—", "tot", "to", "until", "till", "t/m":
		return true
	}
	return false
}

// mentions finds the days and times of text in order; a date-time counts
// once, and the digits of a date are no time.
func mentions(text string, ctx time.Time) []mention {
	var ms []mention
	taken := make([]bool, len(text)+1)
	claim := func(a, b int) bool {
		if slices.Contains(taken[a:b], true) {
			return false
		}
		for i := a; i < b; i++ {
			taken[i] = true
		}
		return true
	}
	for _, ix := range reDateTime.FindAllStringSubmatchIndex(text, -1) {
		if m, ok := dateTimeMention(text, ix); ok && claim(ix[0], ix[1]) {
			ms = append(ms, m)
		}
	}
	ms = appendDates(ms, text, ctx, claim)
	ms = appendTimes(ms, text, claim)
	slices.SortFunc(ms, func(a, b mention) int { return a.at - b.at })
	return ms
}

// dateRule is one pattern of a day and how to read its submatches.
type dateRule struct {
	re   *regexp.Regexp
	read func(text string, ix []int, ctx time.Time) (time.Time, bool)
}

var dateRules = []dateRule{
	{reISODate, func(t string, ix []int, _ time.Time) (time.Time, bool) {
		return ymd(sub(t, ix, 1), sub(t, ix, 2), sub(t, ix, 3))
	}},
	{reNumDate, func(t string, ix []int, _ time.Time) (time.Time, bool) {
		return ymd(sub(t, ix, 3), sub(t, ix, 2), sub(t, ix, 1))
	}},
	{reDayMonth, func(t string, ix []int, ctx time.Time) (time.Time, bool) {
		return spokenDay(sub(t, ix, 1), sub(t, ix, 2), sub(t, ix, 3), ctx)
	}},
	{reMonthDay, func(t string, ix []int, ctx time.Time) (time.Time, bool) {
		return spokenDay(sub(t, ix, 2), sub(t, ix, 1), sub(t, ix, 3), ctx)
	}},
}

// appendDates adds the days of text that no earlier match claimed.
func appendDates(ms []mention, text string, ctx time.Time, claim func(a, b int) bool) []mention {
	for _, r := range dateRules {
		for _, ix := range r.re.FindAllStringSubmatchIndex(text, -1) {
			d, ok := r.read(text, ix, ctx)
			if ok && claim(ix[0], ix[1]) {
				ms = append(ms, mention{at: ix[0], end: ix[1], day: d, min: -1})
			}
		}
	}
	return ms
}

// appendTimes adds the clock times of text that no date claimed.
func appendTimes(ms []mention, text string, claim func(a, b int) bool) []mention {
	for _, ix := range reClock.FindAllStringSubmatchIndex(text, -1) {
		h, _ := strconv.Atoi(sub(text, ix, 1))
		m, _ := strconv.Atoi(sub(text, ix, 2))
		h, ok := meridiem(h, sub(text, ix, 3))
		if ok && claim(ix[0], ix[1]) {
			ms = append(ms, mention{at: ix[0], end: ix[1], min: h*60 + m})
		}
	}
	for _, ix := range reHour.FindAllStringSubmatchIndex(text, -1) {
		var h int
		ok := true
		if s := sub(text, ix, 1); s != "" {
			h, _ = strconv.Atoi(s)
			h, ok = meridiem(h, sub(text, ix, 2))
		} else {
			h, _ = strconv.Atoi(sub(text, ix, 3))
		}
		if ok && claim(ix[0], ix[1]) {
			ms = append(ms, mention{at: ix[0], end: ix[1], min: h * 60})
		}
	}
	return ms
}

// meridiem turns a 12-hour clock hour with am/pm into a 24-hour one.
func meridiem(h int, ampm string) (int, bool) {
	switch strings.ToLower(strings.ReplaceAll(ampm, ".", "")) {
	case "":
		return h, true
	case "am":
		if h > 12 {
			return 0, false
		}
		return h % 12, true
	case "pm":
		if h > 12 {
			return 0, false
		}
		return h%12 + 12, true
	}
	return 0, false
}

// dateTimeMention reads an ISO date-time: with Z it is UTC and said in Dutch
// local time; with an offset or none, its wall clock is the offered time.
func dateTimeMention(text string, ix []int) (mention, bool) {
	d, ok := ymd(sub(text, ix, 1), sub(text, ix, 2), sub(text, ix, 3))
	h, _ := strconv.Atoi(sub(text, ix, 4))
	m, _ := strconv.Atoi(sub(text, ix, 5))
	if !ok || h > 23 || m > 59 {
		return mention{}, false
	}
	if strings.EqualFold(sub(text, ix, 6), "Z") {
		t := d.Add(time.Duration(h*60+m) * time.Minute)
		t = t.Add(amsterdamOffset(t))
		d = time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		h, m = t.Hour(), t.Minute()
	}
	return mention{at: ix[0], end: ix[1], day: d, min: h*60 + m}, true
}

// sub is submatch i of a match, "" when it did not take part.
func sub(text string, ix []int, i int) string {
	if 2*i+1 >= len(ix) || ix[2*i] < 0 {
		return ""
	}
	return text[ix[2*i]:ix[2*i+1]]
}

// ymd is the day of a year, month and day, false when there is none.
func ymd(y, m, d string) (time.Time, bool) {
	yy, e1 := strconv.Atoi(y)
	mm, e2 := strconv.Atoi(m)
	dd, e3 := strconv.Atoi(d)
	if e1 != nil || e2 != nil || e3 != nil || mm < 1 || mm > 12 || dd < 1 || dd > 31 || yy < 1900 || yy > 2200 {
		return time.Time{}, false
	}
	t := time.Date(yy, time.Month(mm), dd, 0, 0, 0, 0, time.UTC)
	if t.Day() != dd {
		return time.Time{}, false
	}
	return t, true
}

// spokenDay is "4 maart [2027]": without a year, the first such day from a
// month before ctx on (ctx zero: the year is unknown, no day).
func spokenDay(day, month, year string, ctx time.Time) (time.Time, bool) {
	mo, ok := monthNames[strings.ToLower(month)]
	if !ok {
		return time.Time{}, false
	}
	if year != "" {
		return ymd(year, strconv.Itoa(int(mo)), day)
	}
	if ctx.IsZero() {
		return time.Time{}, false
	}
	t, ok := ymd(strconv.Itoa(ctx.Year()), strconv.Itoa(int(mo)), day)
	if ok && t.Before(ctx.AddDate(0, -1, 0)) {
		t, ok = ymd(strconv.Itoa(ctx.Year()+1), strconv.Itoa(int(mo)), day)
	}
	return t, ok
}
