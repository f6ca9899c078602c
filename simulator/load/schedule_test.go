package load

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

func TestConstantSchedule(t *testing.T) {
	s := Constant(20, 2*time.Second)
	for k, want := range map[int]time.Duration{0: 0, 1: 50 * time.Millisecond, 20: time.Second, 39: 1950 * time.Millisecond} {
		at, ok := s.At(k)
		require.True(t, ok, "call %d", k)
		assert.InDelta(t, float64(want), float64(at), float64(time.Microsecond), "call %d", k)
	}
	_, ok := s.At(40)
	assert.False(t, ok, "call 40 would start at 2s: the end")
	assert.Equal(t, 40, s.Expected())
	assert.Equal(t, "20/s for 2s", s.String())
}

func TestRampSchedule(t *testing.T) {
	stages, err := ParseRamp("0→50/s:1m")
	require.NoError(t, err)
	require.Equal(t, []Stage{{0, 50, time.Minute}}, stages)
	s := Schedule{Stages: stages, Duration: 2 * time.Minute}
	// 0→50/s over 60 s is 1500 calls, then 50/s for 60 s is 3000 more.
	assert.InDelta(t, 4500, s.Expected(), 1)
	// Within the ramp the k-th call starts at sqrt(2k·T/50).
	at, ok := s.At(375)
	require.True(t, ok)
	assert.InDelta(t, 30.0, at.Seconds(), 0.001, "a quarter of the ramp's calls by half its time")
	prev := time.Duration(-1)
	for k := 0; k < s.Expected(); k++ {
		at, ok := s.At(k)
		require.True(t, ok)
		require.Greater(t, at, prev, "start times grow")
		prev = at
	}
	assert.Equal(t, "0→50/s over 1m0s, then 50/s to 2m0s", s.String())

	down, err := ParseRamp("50->10/s:10s,10->10/s:5s")
	require.NoError(t, err)
	assert.InDelta(t, 350, Schedule{Stages: down, Duration: 15 * time.Second}.Expected(), 1)

	perMinute, err := ParseRamp("0->600/m:1m")
	require.NoError(t, err)
	assert.Equal(t, []Stage{{0, 10, time.Minute}}, perMinute, "the unit of TO applies to FROM")
}

func TestParseErrors(t *testing.T) {
	for _, s := range []string{"fast", "-3/s", "20/fortnight", ""} {
		_, err := ParseRate(s)
		assert.Error(t, err, s)
	}
	for _, s := range []string{"0-50/s:1m", "0→50/s", "0→50/s:-1m", "x→50/s:1m"} {
		_, err := ParseRamp(s)
		assertBadOption(t, err, "Ramp", s)
	}
	for _, s := range []string{"1", "4/4", "-1/4", "a/b", "auto/4"} {
		_, err := ParseShard(s, func(string) string { return "" })
		assertBadOption(t, err, "Shard", s)
	}
	for _, s := range []string{"pizza=1", "book-appointment=x", "book-appointment=0", "opening-hours,opening-hours"} {
		_, err := ParseMix(s)
		assertBadOption(t, err, "Mix", s)
	}
}

// assertBadOption asserts that err refuses the option by its name and
// never names a flag.
func assertBadOption(t *testing.T, err error, option, value string) {
	t.Helper()
	var oe *sim.OptionError
	if assert.ErrorAs(t, err, &oe, value) {
		assert.Equal(t, option, oe.Option, value)
		assert.NotContains(t, err.Error(), "--", value)
	}
}

func TestShardsSplitTheScheduleDisjointly(t *testing.T) {
	s, err := ParseShard("auto/4", func(k string) string { return map[string]string{"JOB_COMPLETION_INDEX": "2"}[k] })
	require.NoError(t, err)
	assert.Equal(t, Shard{2, 4}, s)
	owners := map[int]int{}
	for i := range 4 {
		sh := Shard{i, 4}
		for k := range 1000 {
			if sh.Owns(k) {
				owners[k]++
			}
		}
	}
	assert.Len(t, owners, 1000, "every call belongs to a shard")
	for k, n := range owners {
		require.Equal(t, 1, n, "call %d belongs to exactly one shard", k)
	}
	assert.True(t, Shard{0, 1}.Owns(7))
}

func TestMixPicksByWeightDeterministically(t *testing.T) {
	m, err := ParseMix("book-appointment=3, opening-hours=1")
	require.NoError(t, err)
	counts := map[sim.Intent]int{}
	for n := 1; n <= 8000; n++ {
		in := m.Pick(7, n)
		counts[in]++
		require.Equal(t, in, m.Pick(7, n), "the same call always gets the same intent")
	}
	assert.InDelta(t, 6000, counts[sim.BookAppointment], 200)
	assert.InDelta(t, 2000, counts[sim.OpeningHours], 200)
	assert.Equal(t, "book-appointment=3,opening-hours=1", m.String())
	assert.Equal(t, sim.Intent(""), Mix{}.Pick(1, 1), "no mix: the seed draws the intent")
}
