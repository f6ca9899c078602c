package load

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A run that completed no call is not a pass, whatever else happened; the
// summary, the HTML report and the JSON say why.
func TestNoCompletedCallFails(t *testing.T) {
	tests := []struct {
		name    string
		calls   CallStats
		run     RunInfo
		verdict string
		why     string
	}{
		{"interrupted before any call ended", CallStats{Scheduled: 5, Started: 5, Interrupted: 5}, RunInfo{Interrupted: true},
			"fail", "no call completed: of 5 started, 0 rejected, 0 failed, 5 interrupted"},
		{"every call rejected", CallStats{Scheduled: 3, Started: 3, Rejected: 3}, RunInfo{},
			"fail", "no call completed: of 3 started, 3 rejected, 0 failed, 0 interrupted"},
		{"nothing started", CallStats{Scheduled: 2, Dropped: 2}, RunInfo{},
			"fail", "no call completed: none started (2 scheduled, 2 dropped)"},
		{"one call completed", CallStats{Scheduled: 3, Started: 3, Completed: 1, Interrupted: 2}, RunInfo{},
			"pass", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := &Report{Run: tt.run, Calls: tt.calls}
			rep.finish()
			assert.Equal(t, tt.verdict, rep.Verdict)
			assert.Equal(t, tt.why, rep.NoneCompletedWhy())
			var sum, page, js bytes.Buffer
			rep.Summary(&sum)
			require.NoError(t, rep.WriteHTML(&page))
			require.NoError(t, rep.WriteJSON(&js))
			assert.Contains(t, js.String(), `"verdict":"`+tt.verdict+`"`)
			if tt.why != "" {
				assert.Contains(t, sum.String(), "FAIL    "+tt.why)
				assert.Contains(t, page.String(), tt.why)
			} else {
				assert.NotContains(t, sum.String(), "no call completed")
			}
		})
	}
}

// Calls cut off at the end of the grace period are named in the summary
// and the HTML report, and merged reports add them up.
func TestInterruptedCallsAreAFigureEverywhere(t *testing.T) {
	a := &Report{Run: RunInfo{GraceS: 60, Shards: []string{"0/2"}}, Calls: CallStats{Started: 600, Completed: 459, Interrupted: 141}}
	b := &Report{Run: RunInfo{GraceS: 60, Shards: []string{"1/2"}}, Calls: CallStats{Started: 600, Completed: 590, Interrupted: 10}}
	a.finish()
	b.finish()
	var sum, page bytes.Buffer
	a.Summary(&sum)
	require.NoError(t, a.WriteHTML(&page))
	assert.Contains(t, sum.String(), "141 interrupted")
	assert.Contains(t, sum.String(), "note    141 of 600 calls were still live when the grace period (1m0s) ended")
	assert.Contains(t, page.String(), `<div class="tile bad"><div class="l">interrupted</div><div class="v">141</div>`)
	m, err := Merge([]*Report{a, b}, nil)
	require.NoError(t, err)
	assert.Equal(t, int64(151), m.Calls.Interrupted)
	var js bytes.Buffer
	require.NoError(t, m.WriteJSON(&js))
	assert.Contains(t, js.String(), `"interrupted":151`)
}

// A merge knows which shards of a sharded run it did not get.
func TestMergeNamesMissingShards(t *testing.T) {
	shard := func(s string) *Report {
		r := &Report{Run: RunInfo{Shards: []string{s}}, Calls: CallStats{Started: 1, Completed: 1}}
		r.finish()
		return r
	}
	tests := []struct {
		name    string
		shards  []string
		missing []string
	}{
		{"one of two", []string{"0/2"}, []string{"1/2"}},
		{"all of three", []string{"2/3", "0/3", "1/3"}, nil},
		{"two of four", []string{"3/4", "1/4"}, []string{"0/4", "2/4"}},
		{"whole runs", []string{"whole", "whole"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var in []*Report
			for _, s := range tt.shards {
				r := shard(s)
				if s == "whole" {
					r.Run.Shards = nil
				}
				in = append(in, r)
			}
			m, err := Merge(in, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.missing, m.Run.MissingShards)
			var sum, page, js bytes.Buffer
			m.Summary(&sum)
			require.NoError(t, m.WriteHTML(&page))
			require.NoError(t, m.WriteJSON(&js))
			if tt.missing == nil {
				assert.NotContains(t, sum.String()+page.String()+js.String(), "missing")
				return
			}
			note := strings.Join(tt.missing, ", ") + " missing"
			assert.Contains(t, sum.String(), "warning shard")
			assert.Contains(t, sum.String(), note)
			assert.Contains(t, page.String(), note)
			assert.Contains(t, js.String(), `"missing_shards":["`+strings.Join(tt.missing, `","`)+`"]`)
		})
	}
}
