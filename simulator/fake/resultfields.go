package fake

import (
	"strings"
	"time"
)

// fieldKind classifies a result key.
type fieldKind uint8

const (
	fOther fieldKind = iota
	fTicket
	fOrder
	fConfirmation
	fEmail
	fStatus
	fDate
	fTime
	fName
	fMessage
	numFieldKinds
)

var fieldRules = []wordRule[fieldKind]{
	{fTicket, []string{"ticket*", "case", "caseid", "dossier*", "complaint*", "klacht*"}},
	{fOrder, []string{"order*", "bestel*"}},
	{fConfirmation, []string{"confirmation*", "bevestig*", "reference", "referentie*", "ref", "booking*", "reservation*", "reservering*", "appointmentid", "afspraaknummer"}},
	{fEmail, []string{"email*", "mail"}},
	{fStatus, []string{"status", "state", "toestand"}},
	{fDate, []string{"date", "datum", "day", "dag", "delivery", "bezorg*", "lever*", "eta", "expected", "verwacht*"}},
	{fTime, []string{"time", "tijd", "tijdstip", "slot*", "start", "hour", "uur", "times", "tijden"}},
	{fName, []string{"name", "naam", "fullname"}},
	{fMessage, []string{"message", "bericht", "text", "tekst", "note", "notes", "details", "description", "omschrijving",
		"info", "summary", "hours", "opening*", "openingstijd*", "result"}},
}

func classifyField(key string) fieldKind { return classify(fieldRules, key) }

// resultFields are the speakable values of a tool result.
type resultFields struct {
	f      [numFieldKinds]string
	others []string // "key value" of unclassified scalars
}

// collect gathers scalars first, then looks into nested objects and arrays.
func (c *Call) collect(lb *langBank, obj *jv, depth int, rf *resultFields) {
	for i, k := range obj.keys {
		x := obj.vals[i]
		switch x.kind {
		case 's', 'n':
			c.field(lb, rf, classifyField(k), k, scalarText(x))
		case 'a':
			c.collectList(lb, rf, k, x.arr)
		}
	}
	if depth >= 2 {
		return
	}
	for _, x := range obj.vals {
		switch {
		case x.kind == 'o':
			c.collect(lb, x, depth+1, rf)
		case x.kind == 'a' && len(x.arr) > 0 && x.arr[0].kind == 'o':
			c.collect(lb, x.arr[0], depth+1, rf)
		}
	}
}

// collectList stores up to three scalar items of an array as one value.
func (c *Call) collectList(lb *langBank, rf *resultFields, key string, arr []*jv) {
	if len(arr) == 0 || arr[0].kind == 'o' || arr[0].kind == 'a' {
		return
	}
	items := scalars(arr, 3)
	if len(items) == 0 {
		return
	}
	kind := classifyField(key)
	if kind == fDate || kind == fTime {
		for j := range items {
			items[j] = c.spoken(lb, kind, items[j])
		}
	}
	c.field(lb, rf, kind, key, joinList(items, lb.or))
}

// field stores a value under its kind (the first value of a kind wins).
func (c *Call) field(lb *langBank, rf *resultFields, kind fieldKind, key, val string) {
	val = strings.TrimSpace(val)
	if val == "" || strings.HasPrefix(val, "http://") || strings.HasPrefix(val, "https://") {
		return
	}
	// A timestamp in any field is a date and a time.
	if kind == fDate || kind == fTime || kind == fOther {
		if t, err := time.Parse(time.RFC3339, val); err == nil {
			rf.timestamp(lb, t)
			return
		}
	}
	switch kind {
	case fDate, fTime:
		val = c.spoken(lb, kind, val)
	case fOther:
		rf.other(key, val)
		return
	}
	if kind != fMessage {
		// The templates end the sentence themselves.
		val = strings.TrimRight(val, ".!")
	}
	if rf.f[kind] == "" {
		rf.f[kind] = truncate(val, 160)
	}
}

// timestamp stores t as the date and the time, unless either is known.
func (rf *resultFields) timestamp(lb *langBank, t time.Time) {
	if rf.f[fDate] == "" && rf.f[fTime] == "" {
		rf.f[fDate] = lb.spokenDate(t)
		rf.f[fTime] = clock(t.Hour()*60 + t.Minute())
	}
}

// other keeps up to three short unclassified values with their keys.
func (rf *resultFields) other(key, val string) {
	if len(rf.others) < 3 && len(val) <= 60 {
		rf.others = append(rf.others, humanKey(key)+" "+val)
	}
}

// spoken turns ISO dates and HH:MM:SS times into how they are said.
func (c *Call) spoken(lb *langBank, kind fieldKind, val string) string {
	if kind == fDate {
		if t, err := time.Parse(time.DateOnly, val); err == nil {
			return lb.spokenDate(t)
		}
	}
	if kind == fTime && len(val) == 8 && val[2] == ':' && val[5] == ':' {
		return val[:5]
	}
	return val
}

func scalarText(x *jv) string {
	if x.kind == 'n' {
		return string(x.num)
	}
	return x.str
}

// scalars returns the text of up to n string or number items.
func scalars(arr []*jv, n int) []string {
	var out []string
	for _, x := range arr {
		if len(out) == n {
			break
		}
		if x.kind == 's' || x.kind == 'n' {
			if s := strings.TrimSpace(scalarText(x)); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}
