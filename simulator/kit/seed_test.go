package kit

import (
	"testing"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator/fake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseClock(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Time
		bad  bool
	}{
		{"", time.Time{}, false},
		{"now", time.Time{}, false},
		{"2026-01-05T09:00:00Z", time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), false},
		{"2026-01-05T10:00:00+01:00", time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC), false},
		{"2026-01-05T09:00:00.250Z", time.Date(2026, 1, 5, 9, 0, 0, 250e6, time.UTC), false},
		{"2026-01-05", time.Time{}, true},
		{"2026-01-05 09:00:00", time.Time{}, true},
		{"1767603600", time.Time{}, true},
		{"yesterday", time.Time{}, true},
	} {
		got, err := ParseClock(tc.in)
		if tc.bad {
			require.Error(t, err, tc.in)
			assert.Contains(t, err.Error(), "Clock", "the error names the option")
			continue
		}
		require.NoError(t, err, tc.in)
		assert.True(t, tc.want.Equal(got), "%s: %v", tc.in, got)
		assert.Equal(t, tc.in != "" && tc.in != "now", FormatClock(got) != "")
	}
}

func TestDrawSeed(t *testing.T) {
	seen := map[int64]bool{}
	for range 200 {
		s, err := DrawSeed()
		require.NoError(t, err)
		require.True(t, s >= 1 && s <= maxDrawnSeed, "%d", s)
		require.False(t, seen[s], "seed %d drawn twice", s)
		seen[s] = true
	}
}

func TestReplayFlagsAndRunClock(t *testing.T) {
	fixed := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	assert.Equal(t, "--seed 7", ReplayFlags(7, time.Time{}))
	assert.Equal(t, "--seed 7 --clock 2026-01-05T09:00:00Z", ReplayFlags(7, fixed))
	shown, replay := RunClock(7, fixed, time.Now())
	assert.Equal(t, "2026-01-05T09:00:00Z", shown)
	assert.Equal(t, "--seed 7 --clock 2026-01-05T09:00:00Z", replay)
	started := time.Date(2026, 12, 3, 1, 2, 3, 456e6, time.UTC)
	shown, replay = RunClock(7, time.Time{}, started)
	assert.Equal(t, "now", shown)
	assert.Equal(t, "--seed 7 --clock 2026-12-03T01:02:03Z", replay)
}

// TestKitClock: a kit's fixed clock places every call at it, so two kits of
// the same seed and clock draw the same plans; without one, calls are
// placed now.
func TestKitClock(t *testing.T) {
	fixed := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	o := Options{Target: "http://127.0.0.1:1/webhook", Seed: 3, Clock: fixed}
	a, err := New(o)
	require.NoError(t, err)
	defer a.Close()
	b, err := New(o)
	require.NoError(t, err)
	defer b.Close()
	pa, _ := a.Calls.Call(1, fake.Options{})
	pb, _ := b.Calls.Call(1, fake.Options{})
	assert.Equal(t, fixed, pa.Anchor)
	assert.Equal(t, pa, pb)

	o.Clock = time.Time{}
	c, err := New(o)
	require.NoError(t, err)
	defer c.Close()
	before := time.Now().Add(-time.Millisecond)
	pc, _ := c.Calls.Call(1, fake.Options{})
	assert.True(t, pc.Anchor.After(before) && !pc.Anchor.After(time.Now()), "placed now: %v", pc.Anchor)
}
