package integrator

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The agenda is seen from the request: Wednesday 2027-03-03, 12:10 Dutch time
// (slots start at least an hour ahead: 13:00 is gone, and taken that day).
func TestAgendaFollowsTheRequest(t *testing.T) {
	ev := &event{At: time.Date(2027, 3, 3, 11, 10, 0, 0, time.UTC)}
	tests := []struct {
		tool, args string
		want       map[string]any // subset of the result value
		text       string         // in the legacy text
	}{
		{"check_availability", `{"date":"2027-03-04"}`, map[string]any{"date": "2027-03-04", "available": true}, "2027-03-04"},
		{"check_availability", `{}`, map[string]any{"date": "2027-03-03", "available": true, "slots": []string{"14:30", "16:00"}}, "14:30, 16:00"},
		{"check_availability", `{"date":"2026-01-28"}`, map[string]any{"available": false,
			"next_available": map[string]any{"date": "2027-03-03", "slots": []string{"14:30", "16:00"}}}, "verleden"},
		{"check_availability", `{"date":"2027-03-07"}`, map[string]any{"available": false,
			"next_available": map[string]any{"date": "2027-03-08", "slots": slotsOn(time.Date(2027, 3, 8, 0, 0, 0, 0, time.UTC))}}, "2027-03-08"},
		{"book_appointment", `{"name":"Jan","date":"2027-03-04","time":"` + slotsOn(time.Date(2027, 3, 4, 0, 0, 0, 0, time.UTC))[0] + `"}`,
			map[string]any{"confirmed": true}, "bevestigd"},
		{"book_appointment", `{"name":"Jan","date":"2027-03-04","time":"14:15"}`, map[string]any{"confirmed": false,
			"reason": "14:15 op 2027-03-04 is niet vrij", "requested_time": "14:15",
			"available": map[string]any{"date": "2027-03-04", "slots": slotsOn(time.Date(2027, 3, 4, 0, 0, 0, 0, time.UTC))}}, "niet gemaakt"},
		{"book_appointment", `{"name":"Jan","date":"2026-01-28","time":"09:00"}`, map[string]any{"confirmed": false,
			"reason": "2026-01-28 ligt in het verleden"}, "verleden"},
		{"book_appointment", `{"name":"Jan","date":"2027-03-03","time":"09:00"}`, map[string]any{"confirmed": false}, "niet vrij"},
		{"book_appointment", `{"name":"Jan","date":"2027-03-07","time":"10:00"}`, map[string]any{"confirmed": false,
			"available": map[string]any{"date": "2027-03-08", "slots": slotsOn(time.Date(2027, 3, 8, 0, 0, 0, 0, time.UTC))}}, "Vrij op 2027-03-08"},
	}
	for _, tt := range tests {
		t.Run(tt.tool+" "+tt.args, func(t *testing.T) {
			spec, ok := findTool(tt.tool)
			require.True(t, ok)
			out, err := spec.Handle(json.RawMessage(tt.args), ev)
			require.NoError(t, err)
			for k, want := range tt.want {
				assert.Equal(t, want, out.Value[k], k)
			}
			assert.Contains(t, out.Text, tt.text)
		})
	}
}

func TestEventTime(t *testing.T) {
	for raw, want := range map[string]time.Time{
		`"2027-03-03T11:10:00.000Z"`: time.Date(2027, 3, 3, 11, 10, 0, 0, time.UTC),
		`1756278882619`:              time.UnixMilli(1756278882619),
		`null`:                       {},
		`"gisteren"`:                 {},
	} {
		assert.True(t, want.Equal(eventTime(json.RawMessage(raw))), raw)
	}
}
