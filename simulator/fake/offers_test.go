package fake

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestExtractOffers(t *testing.T) {
	ctx := time.Date(2027, 3, 4, 0, 0, 0, 0, time.UTC) // Thursday
	tests := []struct {
		name string
		raw  string
		want string // "2027-03-04 09:15" items, comma-separated; days as "day 2027-03-08"
	}{
		{"list of times", `["09:00","10:30","13:00"]`, "2027-03-04 09:00,2027-03-04 10:30,2027-03-04 13:00"},
		{"reference slots", `{"date":"2027-03-05","available":true,"slots":["09:00","16:00"]}`, "2027-03-05 09:00,2027-03-05 16:00"},
		{"times with seconds", `{"datum":"2027-03-05","tijden":["09:00:00","14:30:00"]}`, "2027-03-05 09:00,2027-03-05 14:30"},
		{"iso list", `{"available_slots":["2027-03-08T09:15:00+01:00","2027-03-08T11:45:00+01:00"]}`, "2027-03-08 09:15,2027-03-08 11:45"},
		{"iso utc", `{"slots":["2027-03-08T08:15:00Z"]}`, "2027-03-08 09:15"},
		{"iso summer utc", `["2027-06-08T08:15:00Z"]`, "2027-06-08 10:15"},
		{"objects date time", `{"slots":[{"date":"2027-03-09","time":"10:00"},{"date":"2027-03-10","time":"15:30"}]}`, "2027-03-09 10:00,2027-03-10 15:30"},
		{"objects start end", `{"options":[{"start":"2027-03-09T10:00:00+01:00","end":"2027-03-09T10:30:00+01:00"}]}`, "2027-03-09 10:00"},
		{"objects start time only", `[{"start":"10:00","end":"10:30"},{"start":"11:00","end":"11:30"}]`, "2027-03-04 10:00,2027-03-04 11:00"},
		{"nested days", `{"days":[{"day":"2027-03-05","times":["09:00"]},{"day":"2027-03-06","times":["10:00","11:00"]}]}`, "2027-03-05 09:00,2027-03-06 10:00,2027-03-06 11:00"},
		{"dutch sentence", `"Vrij op 2027-03-04: 09:15, 11:45 en 15:30"`, "2027-03-04 09:15,2027-03-04 11:45,2027-03-04 15:30"},
		{"dutch spoken", `{"message":"Op vrijdag 5 maart kan het om 9.30 uur of om 14 uur."}`, "2027-03-05 09:30,2027-03-05 14:00"},
		{"english spoken", `{"text":"We have Monday March 8th at 9:15am and 2:30 pm."}`, "2027-03-08 09:15,2027-03-08 14:30"},
		{"english day month year", `"Free on 9 March 2027 at 10:00."`, "2027-03-09 10:00"},
		{"numeric date", `"Beschikbaar: 10-03-2027 om 13:00"`, "2027-03-10 13:00"},
		{"two days in a sentence", `"Tuesday 9 March: 09:00, 10:00; Wednesday 10 March: 16:00"`, "2027-03-09 09:00,2027-03-09 10:00,2027-03-10 16:00"},
		{"time before day", `"10:00 and 11:00 on 9 March"`, "2027-03-09 10:00,2027-03-09 11:00"},
		{"not json", `free at 10:15 or 11:15`, "2027-03-04 10:15,2027-03-04 11:15"},
		{"range is one offer", `{"slots":["09:00-09:30","13:00 - 13:30"]}`, "2027-03-04 09:00,2027-03-04 13:00"},
		{"3pm", `"Only 3pm is left"`, "2027-03-04 15:00"},
		{"next year", `"1 februari om 10:00"`, "2028-02-01 10:00"},
		{"day only", `{"available":false,"next_available":"2027-03-08"}`, "day 2027-03-08"},
		{"camel case end", `[{"startTime":"10:00","endTime":"10:30"}]`, "2027-03-04 10:00"},
		{"skipped keys", `{"created_at":"2027-03-01T12:00:00Z","slots":["11:00"],"duration_minutes":30}`, "2027-03-04 11:00"},
		{"numbers are no times", `{"slots":3,"time":10}`, ""},
		{"nothing", `{"ok":true}`, ""},
		{"refusal with alternatives", `{"confirmed":false,"reason":"14:15 is niet vrij op 2027-03-04","alternatives":["09:00","10:30"]}`,
			"2027-03-04 14:15,2027-03-04 09:00,2027-03-04 10:30"},
		{"german-style dots", `"Am 05.03.2027 um 08:45"`, "2027-03-05 08:45"},
		{"date time with space", `["2027-03-05 09:45"]`, "2027-03-05 09:45"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := extractOffers([]byte(tt.raw), ctx)
			var got []string
			for _, s := range o.slots {
				got = append(got, s.day.Format(time.DateOnly)+" "+clock(s.min))
			}
			if len(o.slots) == 0 {
				for _, d := range o.days {
					got = append(got, "day "+d.Format(time.DateOnly))
				}
			}
			if g := strings.Join(got, ","); g != tt.want {
				t.Errorf("extractOffers(%s)\n got %s\nwant %s", tt.raw, g, tt.want)
			}
		})
	}
}

func TestExtractOffersDeterministic(t *testing.T) {
	raw := []byte(`{"days":[{"day":"2027-03-05","times":["09:00","10:00"]}],"text":"of 6 maart om 11:00"}`)
	ctx := time.Date(2027, 3, 4, 0, 0, 0, 0, time.UTC)
	first := fmt.Sprint(extractOffers(raw, ctx))
	for range 20 {
		if got := fmt.Sprint(extractOffers(raw, ctx)); got != first {
			t.Fatalf("extractOffers is not deterministic: %s != %s", got, first)
		}
	}
	if o := extractOffers(raw, ctx); !slices.ContainsFunc(o.slots, func(s slot) bool { return s.min == 11*60 && s.day.Day() == 6 }) {
		t.Errorf("sentence offer missing: %+v", o.slots)
	}
}
