package integrator

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"time"
)

// eventTime reads an event's timestamp: an ISO 8601 string or a number of
// milliseconds since the epoch; zero when it is absent or unreadable.
func eventTime(raw json.RawMessage) time.Time {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return time.Time{}
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05.999999999Z0700"} {
			if t, err := time.Parse(layout, s); err == nil {
				return t
			}
		}
		return time.Time{}
	}
	if ms, err := strconv.ParseInt(string(raw), 10, 64); err == nil {
		return time.UnixMilli(ms)
	}
	return time.Time{}
}

// dutchTime is t on the Dutch wall clock (CET, CEST from April to October),
// as a UTC time with that wall clock.
func dutchTime(t time.Time) time.Time {
	t = t.UTC()
	if m := t.Month(); m >= time.April && m <= time.October {
		return t.Add(2 * time.Hour)
	}
	return t.Add(time.Hour)
}

// agenda is the appointment book as seen at the moment of a request: no
// bookings in the past, and on the day itself only slots at least an hour
// ahead. A zero moment (a handler called without an event time) knows no
// past.
type agenda struct {
	now time.Time // Dutch wall clock; zero: no past
}

func agendaAt(ev *event) agenda {
	if ev == nil || ev.At.IsZero() {
		return agenda{}
	}
	return agenda{now: dutchTime(ev.At)}
}

// today is the day of the request (zero for an agenda without a clock).
func (a agenda) today() time.Time {
	if a.now.IsZero() {
		return time.Time{}
	}
	return time.Date(a.now.Year(), a.now.Month(), a.now.Day(), 0, 0, 0, 0, time.UTC)
}

// past reports whether d is before the day of the request.
func (a agenda) past(d time.Time) bool { return !a.now.IsZero() && d.Before(a.today()) }

// free are the slots of day d still free at the moment of the request.
func (a agenda) free(d time.Time) []string {
	if a.past(d) {
		return []string{}
	}
	slots := slotsOn(d)
	if !a.now.IsZero() && d.Equal(a.today()) {
		soon := a.now.Add(time.Hour).Format("15:04")
		slots = slices.DeleteFunc(slots, func(s string) bool { return s < soon })
	}
	return slots
}

// next is the first day after d (and not before the request) with free
// slots, within three weeks, and those slots.
func (a agenda) next(d time.Time) (time.Time, []string) {
	if t := a.today(); !t.IsZero() && d.Before(t) {
		d = t.AddDate(0, 0, -1)
	}
	for i := 1; i <= 21; i++ {
		day := d.AddDate(0, 0, i)
		if slots := a.free(day); len(slots) > 0 {
			return day, slots
		}
	}
	return time.Time{}, nil
}
