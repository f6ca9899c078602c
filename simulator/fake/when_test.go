package fake

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// clocks are the moments the property tests place calls at: winter and
// summer time, both DST switches, a Friday evening after office hours, a
// Sunday, New Year's Eve.
var clocks = []time.Time{
	time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC),
	time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC),  // before the switch to CEST
	time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC),  // after it
	time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC), // before the switch to CET
	time.Date(2026, 12, 4, 16, 30, 0, 0, time.UTC), // Friday 17:30 in Amsterdam
	time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC),  // Sunday
	time.Date(2026, 12, 31, 23, 30, 0, 0, time.UTC),
	time.Date(2027, 7, 15, 14, 0, 0, 0, time.UTC),
}

func TestAmsterdamOffset(t *testing.T) {
	for _, tc := range []struct {
		at   time.Time
		want time.Duration
	}{
		{time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), time.Hour},
		{time.Date(2026, 3, 29, 0, 59, 0, 0, time.UTC), time.Hour},
		{time.Date(2026, 3, 29, 1, 0, 0, 0, time.UTC), 2 * time.Hour},
		{time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC), 2 * time.Hour},
		{time.Date(2026, 10, 25, 0, 59, 0, 0, time.UTC), 2 * time.Hour},
		{time.Date(2026, 10, 25, 1, 0, 0, 0, time.UTC), time.Hour},
		{time.Date(2027, 3, 28, 1, 0, 0, 0, time.UTC), 2 * time.Hour},
	} {
		assert.Equal(t, tc.want, amsterdamOffset(tc.at), "%v", tc.at)
	}
	if loc, err := time.LoadLocation("Europe/Amsterdam"); err == nil {
		for at := clocks[0]; at.Before(clocks[0].AddDate(2, 0, 0)); at = at.Add(37 * time.Hour) {
			_, off := at.In(loc).Zone()
			require.Equal(t, time.Duration(off)*time.Second, amsterdamOffset(at), "%v", at)
		}
	}
}

// TestDatesRelativeToClock: over many seeds and clocks, the appointment is
// on a coming business day (never the call's own day) in office hours, the
// order was placed in the recent past and birth dates are 18 to 90 years
// before the clock.
func TestDatesRelativeToClock(t *testing.T) {
	base := newFactory(t, 5)
	for _, now := range clocks {
		f := base.WithClock(func() time.Time { return now })
		today := localDay(now)
		for n := range 150 {
			p, c := f.Call(n, Options{})
			require.Equal(t, now, p.Anchor)
			appt := localInstant(c.apptDay, c.apptMin)
			require.True(t, c.apptDay.After(today), "%v: appointment day %v is not after today", now, c.apptDay)
			require.True(t, c.apptDay.Before(today.AddDate(0, 0, 15)), "%v: appointment %v too far", now, c.apptDay)
			require.NotContains(t, []time.Weekday{time.Saturday, time.Sunday}, c.apptDay.Weekday())
			local := appt.UTC().Add(amsterdamOffset(appt))
			require.True(t, local.Hour() >= 9 && (local.Hour() < 16 || local.Hour() == 16 && local.Minute() <= 30), "%v: slot %v", now, local)
			require.True(t, appt.After(now))
			require.True(t, c.orderAt.Before(now) && c.orderAt.After(now.AddDate(0, 0, -30)), "%v: order %v", now, c.orderAt)

			g := &gen{c: c, r: c.r, p: p}
			b, err := time.Parse(time.DateOnly, g.birthDate())
			require.NoError(t, err)
			require.True(t, !b.After(today.AddDate(-18, 0, 0)) && b.After(today.AddDate(-90, 0, 0)), "%v: birth %v", now, b)
		}
	}
}

// TestSchemaDatesRelativeToClock: format date, date-time and time in tool
// arguments follow the property's name relative to the clock.
func TestSchemaDatesRelativeToClock(t *testing.T) {
	params := json.RawMessage(`{"type":"object","required":["appointment_date","starts_at","order_date","ordered_at","date_of_birth","birth_ts","preferred_time","day"],
	"properties":{
	"appointment_date":{"type":"string","format":"date"},
	"starts_at":{"type":"string","format":"date-time"},
	"order_date":{"type":"string","format":"date"},
	"ordered_at":{"type":"string","format":"date-time"},
	"date_of_birth":{"type":"string","format":"date"},
	"birth_ts":{"type":"string","format":"date-time"},
	"preferred_time":{"type":"string","format":"time"},
	"day":{"type":"string","format":"date"}}}`)
	tool := simulator.Tool{Name: "book", Parameters: params}
	base := newFactory(t, 8)
	for _, now := range clocks {
		f := base.WithClock(func() time.Time { return now })
		today := localDay(now)
		for n := range 100 {
			p, c := f.Call(n, Options{Intent: simulator.BookAppointment})
			var args map[string]string
			require.NoError(t, json.Unmarshal(c.ToolArguments(p, tool), &args))
			msg := fmt.Sprintf("clock %v call %d: %v", now, n, args)
			for _, k := range []string{"appointment_date", "day"} {
				d := mustParse(t, time.DateOnly, args[k])
				require.True(t, d.After(today), "%s in the future: %s", k, msg)
				require.NotContains(t, []time.Weekday{time.Saturday, time.Sunday}, d.Weekday(), msg)
			}
			s := mustParse(t, time.RFC3339, args["starts_at"])
			require.True(t, s.After(now), msg)
			_, off := s.Zone()
			require.Equal(t, amsterdamOffset(s), time.Duration(off)*time.Second, msg)
			h := s.UTC().Add(amsterdamOffset(s)).Hour()
			require.True(t, h >= 9 && h < 17, msg)
			o := mustParse(t, time.DateOnly, args["order_date"])
			require.True(t, !o.After(today) && o.After(today.AddDate(0, 0, -30)), "order date in the recent past: %s", msg)
			oa := mustParse(t, time.RFC3339, args["ordered_at"])
			require.True(t, oa.Before(now) && oa.After(now.AddDate(0, 0, -30)), msg)
			for _, k := range []string{"date_of_birth", "birth_ts"} {
				layout := time.DateOnly
				if k == "birth_ts" {
					layout = time.RFC3339
				}
				b := mustParse(t, layout, args[k])
				require.True(t, b.Before(now.AddDate(-18, 0, 0)) && b.After(now.AddDate(-91, 0, 0)), "%s: %s", k, msg)
			}
			tm := mustParse(t, "15:04", args["preferred_time"])
			require.True(t, tm.Hour() >= 9 && tm.Hour() < 17, msg)
		}
	}
}

func mustParse(t *testing.T, layout, v string) time.Time {
	t.Helper()
	d, err := time.Parse(layout, v)
	require.NoError(t, err, "%q as %s", v, layout)
	return d
}

// TestClockIsNow: without a fixed clock, a call is placed now and its
// timeline ends by then.
func TestClockIsNow(t *testing.T) {
	f, err := New(3)
	require.NoError(t, err)
	before := time.Now().Truncate(time.Millisecond)
	p, _ := f.Call(1, Options{})
	after := time.Now()
	require.False(t, p.Anchor.Before(before) || p.Anchor.After(after), "anchor %v not in [%v, %v]", p.Anchor, before, after)
	require.Equal(t, p.Anchor.Add(-p.Length), p.Start)
}
