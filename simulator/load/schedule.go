package load

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// Stage is one part of the arrival-rate profile: the rate goes linearly
// from From to To calls per second over Duration.
type Stage struct {
	From, To float64
	Duration time.Duration
}

// Schedule is when calls start: an open model, fixed before the run, that
// does not depend on what the server does. Call k (0-based) starts when the
// integral of the rate reaches k, so the first call starts at once.
type Schedule struct {
	// Stages run in order; after the last one the rate holds at its To until
	// Duration ends.
	Stages   []Stage
	Duration time.Duration
}

// Constant is a schedule at a fixed rate.
func Constant(rate float64, d time.Duration) Schedule {
	return Schedule{Stages: []Stage{{From: rate, To: rate, Duration: d}}, Duration: d}
}

// At returns the start offset of call k, and false when call k falls at or
// after the end of the schedule.
func (s Schedule) At(k int) (time.Duration, bool) {
	target := float64(k)
	var n0, t0 float64 // calls and seconds before the current stage
	end := s.Duration.Seconds()
	last := 0.0
	for _, st := range s.Stages {
		T := st.Duration.Seconds()
		n := (st.From + st.To) / 2 * T
		if target < n0+n {
			t, ok := solve(st.From, st.To, T, target-n0)
			if !ok {
				break
			}
			at := t0 + t
			if at >= end {
				return 0, false
			}
			return seconds(at), true
		}
		n0 += n
		t0 += T
		last = st.To
	}
	if last <= 0 {
		return 0, false
	}
	at := t0 + (target-n0)/last
	if at >= end {
		return 0, false
	}
	return seconds(at), true
}

// solve returns t in [0, T] with from·t + (to-from)·t²/(2T) = n.
func solve(from, to, T, n float64) (float64, bool) {
	if n <= 0 {
		return 0, true
	}
	if from == to || T <= 0 {
		if from <= 0 {
			return 0, false
		}
		return n / from, true
	}
	a := (to - from) / (2 * T)
	disc := from*from + 4*a*n
	if disc < 0 {
		return 0, false
	}
	d := from + math.Sqrt(disc)
	if d <= 0 {
		return 0, false
	}
	return 2 * n / d, true
}

func seconds(f float64) time.Duration { return time.Duration(f * float64(time.Second)) }

// Expected is the number of calls the whole schedule starts (all shards).
func (s Schedule) Expected() int {
	lo, hi := 0, 1
	for {
		if _, ok := s.At(hi); !ok {
			break
		}
		lo, hi = hi, hi*2
		if hi > 1<<40 {
			return hi
		}
	}
	return lo + sort.Search(hi-lo, func(i int) bool { _, ok := s.At(lo + i); return !ok })
}

// String describes the schedule: "20/s for 2m0s" or "0→50/s over 1m0s, then 50/s to 2m0s".
func (s Schedule) String() string {
	var parts []string
	var t time.Duration
	for _, st := range s.Stages {
		if st.From == st.To {
			parts = append(parts, fmt.Sprintf("%s/s for %s", num(st.To), st.Duration))
		} else {
			parts = append(parts, fmt.Sprintf("%s→%s/s over %s", num(st.From), num(st.To), st.Duration))
		}
		t += st.Duration
	}
	if n := len(s.Stages); n > 0 && t < s.Duration {
		parts = append(parts, fmt.Sprintf("then %s/s to %s", num(s.Stages[n-1].To), s.Duration))
	}
	return strings.Join(parts, ", ")
}

func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// ParseRate reads an arrival rate: "20/s", "600/m", "1.5/s", "20" (per second).
func ParseRate(s string) (float64, error) {
	v, unit, _ := strings.Cut(strings.TrimSpace(s), "/")
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || f < 0 || math.IsInf(f, 0) || math.IsNaN(f) {
		return 0, fmt.Errorf("rate %q: use calls per second or minute, e.g. 20/s or 600/m", s)
	}
	switch strings.TrimSpace(unit) {
	case "", "s", "sec", "second":
	case "m", "min", "minute":
		f /= 60
	case "h", "hour":
		f /= 3600
	default:
		return 0, fmt.Errorf("rate %q: unknown unit %q, use /s, /m or /h", s, unit)
	}
	return f, nil
}

// ParseRamp reads the Ramp option: one or more comma-separated stages FROM→TO/s:DUR
// ("->" works as well as "→"), e.g. "0→50/s:1m" or "0->50/s:1m,50->10/s:30s".
func ParseRamp(s string) ([]Stage, error) {
	var out []Stage
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(strings.ReplaceAll(part, "→", "->"))
		spec, dur, ok := strings.Cut(part, ":")
		from, to, ok2 := strings.Cut(spec, "->")
		if !ok || !ok2 {
			return nil, sim.BadOption("Ramp", s, "write FROM→TO/s:DURATION, e.g. 0→50/s:1m (or 0->50/s:1m)")
		}
		d, err := time.ParseDuration(strings.TrimSpace(dur))
		if err != nil || d <= 0 {
			return nil, sim.BadOption("Ramp", s, "%q is not a positive duration such as 1m or 30s", dur)
		}
		unit := ""
		if _, u, ok := strings.Cut(to, "/"); ok {
			unit = "/" + u
		}
		if !strings.Contains(from, "/") {
			from += unit
		}
		f, err := ParseRate(from)
		if err != nil {
			return nil, sim.BadOption("Ramp", "", "%w", err)
		}
		t, err := ParseRate(to)
		if err != nil {
			return nil, sim.BadOption("Ramp", "", "%w", err)
		}
		out = append(out, Stage{From: f, To: t, Duration: d})
	}
	return out, nil
}

// Shard is this process's part of a sharded run: of the calls of the
// schedule, it plays those whose index k has k mod Count == Index, so n
// shards started together play exactly the calls (and call numbers, hence
// seeds) of one unsharded run, disjointly.
type Shard struct {
	Index, Count int
}

// Owns reports whether call k belongs to the shard.
func (s Shard) Owns(k int) bool { return s.Count <= 1 || k%s.Count == s.Index }

// String is "i/n", or "" for an unsharded run.
func (s Shard) String() string {
	if s.Count <= 1 {
		return ""
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// ParseShard reads the Shard option i/n (0 ≤ i < n). "auto/n" takes i from the
// environment variable JOB_COMPLETION_INDEX, which a Kubernetes Indexed Job
// sets in each pod; getenv is how the caller reads the environment.
func ParseShard(s string, getenv func(string) string) (Shard, error) {
	if s == "" {
		return Shard{0, 1}, nil
	}
	is, ns, ok := strings.Cut(s, "/")
	n, err := strconv.Atoi(strings.TrimSpace(ns))
	if !ok || err != nil || n < 1 {
		return Shard{}, sim.BadOption("Shard", s, "write INDEX/COUNT, e.g. 0/4 (first of four), or auto/4 to read JOB_COMPLETION_INDEX")
	}
	is = strings.TrimSpace(is)
	if is == "auto" {
		is = ""
		if getenv != nil {
			is = strings.TrimSpace(getenv("JOB_COMPLETION_INDEX"))
		}
		if is == "" {
			return Shard{}, sim.BadOption("Shard", s, "JOB_COMPLETION_INDEX is not set (it is set in the pods of a Kubernetes Indexed Job); give the index, e.g. 0/%d", n)
		}
	}
	i, err := strconv.Atoi(is)
	if err != nil || i < 0 || i >= n {
		return Shard{}, sim.BadOption("Shard", s, "the index must be a whole number from 0 to %d", n-1)
	}
	return Shard{i, n}, nil
}

// Mix picks each call's intent by weight. The zero Mix leaves the intent to
// the call's seed (the natural frequencies of the call generator).
type Mix struct {
	Intents []sim.Intent
	Weights []int
}

func (m Mix) total() int {
	t := 0
	for _, w := range m.Weights {
		t += w
	}
	return t
}

// ParseMix reads the Mix option: comma-separated intent=weight pairs, e.g.
// book-appointment=3,opening-hours=1 (a bare intent weighs 1).
func ParseMix(s string) (Mix, error) {
	var m Mix
	if strings.TrimSpace(s) == "" {
		return m, nil
	}
	seen := map[sim.Intent]bool{}
	for _, part := range strings.Split(s, ",") {
		name, w, hasW := strings.Cut(strings.TrimSpace(part), "=")
		in, ok := sim.ParseIntent(strings.TrimSpace(name))
		if !ok {
			return Mix{}, sim.BadOption("Mix", "", "unknown intent %q%s: use %s", name, sim.IntentHint(name), strings.Join(sim.IntentNames(), ", "))
		}
		weight := 1
		if hasW {
			n, err := strconv.Atoi(strings.TrimSpace(w))
			if err != nil || n < 0 {
				return Mix{}, sim.BadOption("Mix", "", "weight %q of %s is not a whole number ≥ 0", w, in)
			}
			weight = n
		}
		if seen[in] {
			return Mix{}, sim.BadOption("Mix", "", "%s is listed twice", in)
		}
		seen[in] = true
		if weight == 0 {
			continue
		}
		m.Intents = append(m.Intents, in)
		m.Weights = append(m.Weights, weight)
	}
	if m.total() == 0 {
		return Mix{}, sim.BadOption("Mix", s, "give at least one intent a weight above 0")
	}
	return m, nil
}

// Pick returns the intent of call number n in a run with this seed ("" when
// the mix is empty). It is a pure function of (seed, n), so shards agree.
func (m Mix) Pick(seed int64, n int) sim.Intent {
	total := m.total()
	if total == 0 || len(m.Weights) != len(m.Intents) {
		return ""
	}
	h := mix64(uint64(seed)*0x9e3779b97f4a7c15 ^ uint64(int64(n)))
	r := int(h % uint64(total))
	for i, w := range m.Weights {
		if r < w {
			return m.Intents[i]
		}
		r -= w
	}
	return m.Intents[len(m.Intents)-1]
}

// String is the mix as given (normalised), or "" for none.
func (m Mix) String() string {
	parts := make([]string, len(m.Intents))
	for i, in := range m.Intents {
		parts[i] = fmt.Sprintf("%s=%d", in, m.Weights[i])
	}
	return strings.Join(parts, ",")
}

func mix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
