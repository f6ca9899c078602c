package realism

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strings"
)

// slot is a date and a wall-clock time as written (no zone).
type slot struct {
	date  string // YYYY-MM-DD
	clock string // HH:MM
}

func (s slot) String() string { return s.date + " " + s.clock }

// slotToken finds, in order, ISO date-times, ISO dates and clock times
// (09:15, 9:15, 14.30 uur) in a text.
var slotToken = regexp.MustCompile(`(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}:\d{2}))?|\b(\d{1,2})[:.](\d{2})\b`)

// textSlots reads the slots a text offers: a time belongs to the date
// written before it ("Vrij op 2027-03-04: 09:15, 11:45 en 15:30"), or to
// date when the text names none.
func textSlots(text, date string) []slot {
	var out []slot
	for _, m := range slotToken.FindAllStringSubmatchIndex(text, -1) {
		g := func(i int) string {
			if m[2*i] < 0 {
				return ""
			}
			return text[m[2*i]:m[2*i+1]]
		}
		switch {
		case g(1) != "":
			date = g(1)
			if g(2) != "" {
				out = append(out, slot{date, clock(g(2))})
			}
		case date != "":
			if m[0] > 0 && strings.ContainsRune("+-:", rune(text[m[0]-1])) {
				continue // a zone offset (+01:00) or seconds, not a time
			}
			if text[m[6]+len(g(3))] == '.' && !strings.HasPrefix(strings.TrimSpace(text[m[1]:]), "uur") {
				continue // 12.50 is a number, 14.30 uur a time
			}
			if c := clock(g(3) + ":" + g(4)); c != "" {
				out = append(out, slot{date, c})
			}
		}
	}
	return out
}

// clock normalises H:MM to HH:MM; "" when it is no time of day.
func clock(s string) string {
	var h, m int
	if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil || h > 23 || m > 59 {
		return ""
	}
	return fmt.Sprintf("%02d:%02d", h, m)
}

// offeredSlots reads every slot a result offers, by structure: strings
// anywhere in it, a time taking the date of its object ({"date":
// "2027-03-04", "slots": ["09:15"]}) when the string names none.
func offeredSlots(raw json.RawMessage) []slot {
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return nil
	}
	var out []slot
	walkSlots(v, "", &out)
	return out
}

func walkSlots(v any, date string, out *[]slot) {
	switch v := v.(type) {
	case map[string]any:
		for _, k := range []string{"date", "day", "datum"} {
			if s, ok := v[k].(string); ok && isoDate.MatchString(s) {
				date = s[:10]
			}
		}
		for _, e := range v {
			walkSlots(e, date, out)
		}
	case []any:
		for _, e := range v {
			walkSlots(e, date, out)
		}
	case string:
		*out = append(*out, textSlots(v, date)...)
	}
}

var isoDate = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}`)

// bookingSlot is the slot a booking tool call asks for: its date and time
// arguments, or one date-time argument.
func bookingSlot(args json.RawMessage) (slot, bool) {
	var m map[string]any
	if json.Unmarshal(args, &m) != nil {
		return slot{}, false
	}
	str := func(k string) string { s, _ := m[k].(string); return s }
	var text string
	for _, k := range []string{"date", "datum", "day"} {
		text += str(k) + " "
	}
	for _, k := range []string{"time", "tijd", "start_time", "startTime", "datetime", "date_time", "dateTime", "start", "slot", "when", "appointment_time"} {
		text += str(k) + " "
	}
	s := textSlots(text, "")
	if len(s) == 0 {
		return slot{}, false
	}
	return s[len(s)-1], true
}
