package main

import (
	"fmt"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator/kit"
)

// seedLine says which seed and clock a run uses: "seed 7 · clock
// 2026-01-05T09:00:00Z", or "seed 7 · clock now (…)" when the calls are dated
// when they are sent.
func seedLine(seed int64, clock time.Time) string {
	if c := kit.FormatClock(clock); c != "" {
		return fmt.Sprintf("seed %d · clock %s", seed, c)
	}
	return fmt.Sprintf("seed %d · clock now", seed)
}

// orNow is the fixed clock, or the time now (to the second) for a replay
// hint that dates the calls as this run did.
func orNow(clock time.Time) time.Time {
	if !clock.IsZero() {
		return clock
	}
	return time.Now().UTC().Truncate(time.Second)
}
