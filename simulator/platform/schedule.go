package platform

import (
	"fmt"
	"strings"
	"time"
)

// schedule is a campaign's daily calling window: schedule_start_time and
// schedule_end_time ("HH:MM:SS", either may be unset) in timezone (IANA,
// default UTC). A window whose end is before its start runs over midnight.
type schedule struct {
	start, end     *int // seconds since midnight
	startS, endS   string
	tz             *time.Location
	tzName         string
	hasStart, hasE bool
}

const day = 24 * 60 * 60

func (s schedule) startText() *string { return optPtr(s.hasStart, s.startS) }
func (s schedule) endText() *string   { return optPtr(s.hasE, s.endS) }
func (s schedule) tzText() *string    { return optPtr(s.tzName != "", s.tzName) }

func optPtr(ok bool, v string) *string {
	if !ok {
		return nil
	}
	return &v
}

// with returns the schedule with the request's fields applied: a field
// given as "" clears it.
func (s schedule) with(req *campaignRequest) (schedule, *requestError) {
	var rerr *requestError
	if req.ScheduleStartTime != nil {
		if s.start, s.startS, rerr = clockTime(*req.ScheduleStartTime, "schedule_start_time"); rerr != nil {
			return s, rerr
		}
		s.hasStart = s.start != nil
	}
	if req.ScheduleEndTime != nil {
		if s.end, s.endS, rerr = clockTime(*req.ScheduleEndTime, "schedule_end_time"); rerr != nil {
			return s, rerr
		}
		s.hasE = s.end != nil
	}
	if req.Timezone != nil {
		name := strings.TrimSpace(*req.Timezone)
		s.tz, s.tzName = nil, name
		if name != "" {
			loc, err := time.LoadLocation(name)
			if err != nil || strings.EqualFold(name, "local") {
				return s, badRequest("timezone", "timezone %q is not an IANA time zone such as Europe/Amsterdam", name)
			}
			s.tz = loc
		}
	}
	if from, to := s.bounds(); from == to {
		return s, badRequest("schedule_end_time", "the calling window is empty: schedule_end_time must differ from schedule_start_time (00:00:00 when unset)")
	}
	return s, nil
}

// bounds are the window's start and end in seconds since midnight.
func (s schedule) bounds() (from, to int) {
	from, to = 0, day
	if s.start != nil {
		from = *s.start
	}
	if s.end != nil {
		to = *s.end
	}
	return from, to
}

// clockTime reads "HH:MM:SS" (or "HH:MM") into seconds since midnight; ""
// is unset.
func clockTime(v, param string) (*int, string, *requestError) {
	v = strings.TrimSpace(v)
	if v == "" {
		return nil, "", nil
	}
	for _, layout := range []string{"15:04:05", "15:04"} {
		if t, err := time.Parse(layout, v); err == nil {
			sec := t.Hour()*3600 + t.Minute()*60 + t.Second()
			return &sec, fmt.Sprintf("%02d:%02d:%02d", t.Hour(), t.Minute(), t.Second()), nil
		}
	}
	return nil, "", badRequest(param, "%s %q is not a time of day HH:MM:SS such as 09:00:00", param, v)
}

// wait is how long until the window is open at now (0: open now).
func (s schedule) wait(now time.Time) time.Duration {
	if s.start == nil && s.end == nil {
		return 0
	}
	loc := s.tz
	if loc == nil {
		loc = time.UTC
	}
	t := now.In(loc)
	sec := t.Hour()*3600 + t.Minute()*60 + t.Second()
	from, to := s.bounds()
	open := from <= sec && sec < to
	if from > to {
		open = sec >= from || sec < to
	}
	if open {
		return 0
	}
	return time.Duration(((from-sec)%day+day)%day) * time.Second
}
