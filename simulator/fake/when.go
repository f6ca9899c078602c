package fake

import (
	"strings"
	"time"
)

// Office hours of the simulated businesses, in Dutch local time
// (Europe/Amsterdam): appointments start from officeOpen to officeLastSlot,
// in quarter hours.
const (
	officeOpen     = 9 * 60
	officeLastSlot = 16*60 + 30
)

// amsterdamOffset is the Dutch offset from UTC at the instant t: CEST (UTC+2)
// from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday
// of October (the EU rule), CET (UTC+1) otherwise. It needs no time zone
// database.
func amsterdamOffset(t time.Time) time.Duration {
	t = t.UTC()
	y := t.Year()
	if !t.Before(euSummerStart(y)) && t.Before(euSummerEnd(y)) {
		return 2 * time.Hour
	}
	return time.Hour
}

func euSummerStart(y int) time.Time { return lastSunday(y, time.March).Add(time.Hour) }
func euSummerEnd(y int) time.Time   { return lastSunday(y, time.October).Add(time.Hour) }

// lastSunday is midnight UTC of the month's last Sunday.
func lastSunday(y int, m time.Month) time.Time {
	d := time.Date(y, m+1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, -1)
	return d.AddDate(0, 0, -int(d.Weekday()))
}

// localDay is the Dutch calendar day of the instant t, as midnight UTC.
func localDay(t time.Time) time.Time {
	l := t.UTC().Add(amsterdamOffset(t))
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, time.UTC)
}

// localInstant is the instant of a Dutch wall-clock time: the day (midnight
// UTC) plus minutes after local midnight, with the offset in force then.
func localInstant(day time.Time, minutes int) time.Time {
	wall := day.Add(time.Duration(minutes) * time.Minute)
	off := amsterdamOffset(wall.Add(-time.Hour))
	return wall.Add(-off).In(time.FixedZone("", int(off/time.Second)))
}

// businessDayAfter is the n-th weekday (Monday to Friday) after day, n >= 1.
func businessDayAfter(day time.Time, n int) time.Time {
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
			n--
		}
	}
	return day
}

// when is which side of the clock a date of a named property falls on.
type when int

const (
	whenComing when = iota // the call's appointment: a coming business day
	whenPast               // an order, a delivery, a last visit: the recent past
	whenBirth              // a birth date: 18 to 90 years ago
)

// pastWords mark dates in the past; birthWords birth dates. Every other
// date is the coming appointment (what callers of a voice assistant ask
// about), named or not.
var (
	birthWords = []string{"birth", "geboorte", "dob", "born", "geboren"}
	pastWords  = []string{"order", "bestel", "purchase", "aankoop", "bought", "gekocht", "placed", "created", "aangemaakt",
		"shipped", "verzonden", "delivered", "geleverd", "bezorgd", "last", "laatst", "previous", "vorig", "since", "sinds", "issued", "invoice", "factuur", "paid", "betaald"}
)

// dateSide is where a date for the property name falls.
func dateSide(name string) when {
	n := strings.ToLower(name)
	for _, w := range birthWords {
		if strings.Contains(n, w) {
			return whenBirth
		}
	}
	for _, w := range pastWords {
		if strings.Contains(n, w) {
			return whenPast
		}
	}
	return whenComing
}
