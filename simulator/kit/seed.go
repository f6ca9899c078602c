package kit

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// maxDrawnSeed bounds drawn seeds: twelve digits are short enough to read
// and type, and two runs draw the same seed about once in a trillion.
const maxDrawnSeed = 1_000_000_000_000

// DrawSeed draws a fresh run seed (1 to 10^12) from crypto/rand, for runs
// without a chosen seed: call ids never repeat by accident across runs,
// and the printed seed replays the run.
func DrawSeed() (int64, error) {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return 0, fmt.Errorf("draw a seed: %w", err)
	}
	return 1 + int64(binary.BigEndian.Uint64(b[:])%maxDrawnSeed), nil
}

// ParseClock reads a fixed clock: an RFC 3339 time such as
// 2026-01-05T09:00:00Z; "" or "now" is the time each call is placed (the
// zero time).
func ParseClock(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "now" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, sim.BadOption("Clock", s, "use an RFC 3339 time such as 2026-01-05T09:00:00Z (or now)")
	}
	return t.UTC(), nil
}

// FormatClock is a fixed clock as ParseClock reads it ("" for now).
func FormatClock(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// ReplayFlags are the flags that replay a run exactly: --seed N and, with a
// fixed clock, --clock T.
func ReplayFlags(seed int64, clock time.Time) string {
	s := fmt.Sprintf("--seed %d", seed)
	if c := FormatClock(clock); c != "" {
		s += " --clock " + c
	}
	return s
}

// RunClock is how a run's clock is reported: the fixed clock (RFC 3339) or
// "now", and the flags that replay the run: --seed and --clock (the fixed
// clock, or the moment the run started, to the second).
func RunClock(seed int64, clock, started time.Time) (shown, replay string) {
	shown = FormatClock(clock)
	if shown == "" {
		shown = "now"
		clock = started.UTC().Truncate(time.Second)
	}
	return shown, ReplayFlags(seed, clock)
}
