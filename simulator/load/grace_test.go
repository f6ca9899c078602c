package load

import (
	"context"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// The grace a run needs is how long its call that ends last plays after the
// schedule, at the pace, for the calls of the shard.
func TestGraceNeededCoversTheCallThatEndsLast(t *testing.T) {
	// 10 calls a second for 10 s: call n starts at (n-1)/10 s. Call 50
	// (at 4.9 s) lasts 20 s, every other one 5 s.
	length := func(n int, _ sim.Intent) time.Duration {
		if n == 50 {
			return 20 * time.Second
		}
		return 5 * time.Second
	}
	sched := Constant(10, 10*time.Second)
	tests := []struct {
		name  string
		shard Shard
		pace  float64
		want  time.Duration
	}{
		{"real time: the long call in the middle ends last", Shard{}, 1, 15 * time.Second}, // 4.9 + 20 - 10 = 14.9
		{"twice as fast", Shard{}, 2, 5 * time.Second},                                     // 4.9 + 10 - 10 = 4.9
		{"a shard without the long call", Shard{0, 2}, 1, 5 * time.Second},                 // call 99 at 9.8 s: 4.8
		{"the shard with the long call", Shard{1, 2}, 1, 15 * time.Second},                 // call 50 is k = 49
		{"instant: replies only", Shard{}, 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := GraceNeeded(Config{Schedule: sched, Shard: tt.shard}, tt.pace, length)
			assert.Equal(t, tt.want, got)
		})
	}
	assert.Equal(t, 15*time.Second+ReplyAllowance, AutoGrace(15*time.Second, 1))
	assert.Equal(t, DefaultGrace, AutoGrace(0, 0), "at pace instant the grace is the fixed default")
}

// The grace search draws calls with the intents of the mix, by call number.
func TestGraceNeededUsesTheMix(t *testing.T) {
	mix := Mix{Intents: []sim.Intent{sim.BookAppointment, sim.Complaint}, Weights: []int{1, 1}}
	cfg := Config{Schedule: Constant(10, 2*time.Second), Mix: mix, Seed: 4}
	var mu sync.Mutex
	seen := map[int]sim.Intent{}
	GraceNeeded(cfg, 1, func(n int, in sim.Intent) time.Duration {
		mu.Lock()
		defer mu.Unlock()
		seen[n] = in
		return time.Second
	})
	require.Len(t, seen, 20, "every call of a short run")
	for n, in := range seen {
		assert.Equal(t, mix.Pick(4, n), in, "call %d", n)
	}
}

// PlanLength adds up the plan's timeline.
func TestPlanLength(t *testing.T) {
	p := &sim.CallPlan{Ring: 2 * time.Second, Goodbye: "bye then",
		Turns: []sim.Turn{{Gap: time.Second, Speak: 2 * time.Second, Think: time.Second, Talk: 3 * time.Second}}}
	// ring 2 + answer 1 + turn 7 + goodbye 0.7+0.8 + report 1.5+0.04*4
	assert.Equal(t, 13160*time.Millisecond, PlanLength(p))
}

// Calls still live when the grace period ends are interrupted; the live
// view counts the grace period down; a run that completed no call fails.
func TestGraceEndInterruptsCallsAndIsCountedDown(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var r *Runner
		var mu sync.Mutex
		var views []Progress
		cfg := Config{Schedule: Constant(10, time.Second), Grace: 3 * time.Second, Tick: 500 * time.Millisecond,
			Progress: func(p Progress) { mu.Lock(); views = append(views, p); mu.Unlock() }}
		r = NewRunner(cfg)
		rep, err := r.Run(context.Background(), fakeCall(&r, time.Minute, nil))
		require.NoError(t, err)
		assert.Equal(t, int64(10), rep.Calls.Interrupted)
		assert.Equal(t, int64(0), rep.Calls.Completed)
		assert.False(t, rep.Run.Interrupted, "the run itself went to its end")
		assert.Equal(t, 3.0, rep.Run.GraceS)
		assert.Equal(t, "fail", rep.Verdict, "no call completed")
		var left []time.Duration
		for _, p := range views {
			if p.Phase == "finishing" {
				left = append(left, p.GraceLeft)
			} else {
				assert.Zero(t, p.GraceLeft, "no grace while %s", p.Phase)
			}
		}
		require.NotEmpty(t, left)
		assert.LessOrEqual(t, left[0], 3*time.Second)
		for i := 1; i < len(left); i++ {
			assert.Less(t, left[i], left[i-1], "the grace period counts down")
		}
	})
}
