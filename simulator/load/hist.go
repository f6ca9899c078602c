package load

import (
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// The histograms are log-linear (the HDR layout): values below 2^subBits
// nanoseconds have a bucket each, and every power of two above is split into
// 2^subBits equal buckets, so a bucket is never wider than 1/128 of its
// lower bound (the value reported for a bucket, its midpoint, is within
// 0.4 % of every value it holds). Recording is one atomic add; two
// histograms merge exactly by adding their buckets.
const (
	subBits    = 7
	subCount   = 1 << subBits
	maxValueNS = 1<<40 - 1 // ~18 minutes: larger values are clamped
	numBuckets = (40-subBits)*subCount + subCount
)

// bucketOf returns the bucket index of v (nanoseconds, clamped).
func bucketOf(v int64) int {
	if v < 0 {
		v = 0
	}
	if v > maxValueNS {
		v = maxValueNS
	}
	u := uint64(v)
	if u < subCount {
		return int(u)
	}
	e := bits.Len64(u) - subBits - 1
	return (e+1)*subCount + int(u>>uint(e)) - subCount
}

// bucketBounds returns the lowest value of bucket i and its width.
func bucketBounds(i int) (lo, width int64) {
	if i < 2*subCount {
		return int64(i), 1
	}
	e := i/subCount - 1
	m := int64(i%subCount + subCount)
	return m << uint(e), 1 << uint(e)
}

// bucketValue is the value reported for bucket i: its midpoint.
func bucketValue(i int) int64 {
	lo, w := bucketBounds(i)
	return lo + (w-1)/2
}

// Histogram records durations; it is safe for concurrent use and never
// allocates while recording.
type Histogram struct {
	counts [numBuckets]atomic.Int64
	sum    atomic.Int64
	max    atomic.Int64
	min    atomic.Int64 // stored as value+1 so that zero means "none"
	// snap lets one snapshot run at a time: an empty snapshot gives back
	// what it took, and a second snapshot between its take and its give
	// would see a count without its min.
	snap sync.Mutex
}

// Record adds one duration. The bucket is counted last, so that a snapshot
// that has the count also has the value's sum, max and min (Snapshot takes
// the buckets first).
func (h *Histogram) Record(d time.Duration) {
	v := int64(d)
	if v < 0 {
		v = 0
	}
	h.sum.Add(v)
	for {
		m := h.max.Load()
		if v <= m || h.max.CompareAndSwap(m, v) {
			break
		}
	}
	for {
		m := h.min.Load()
		if (m != 0 && v+1 >= m) || h.min.CompareAndSwap(m, v+1) {
			break
		}
	}
	h.counts[bucketOf(v)].Add(1)
}

// restore gives back what an empty snapshot took (min is -1 for none).
func (h *Histogram) restore(sum, maxV, minV int64) {
	h.sum.Add(sum)
	for {
		m := h.max.Load()
		if maxV <= m || h.max.CompareAndSwap(m, maxV) {
			break
		}
	}
	for minV >= 0 {
		m := h.min.Load()
		if (m != 0 && minV+1 >= m) || h.min.CompareAndSwap(m, minV+1) {
			break
		}
	}
}

// Snapshot returns the recorded values as a sparse, mergeable histogram.
// With reset, the histogram is emptied at the same time (values recorded
// while it runs land in this snapshot or the next, never in both).
func (h *Histogram) Snapshot(reset bool) *Hist {
	h.snap.Lock()
	defer h.snap.Unlock()
	s := &Hist{}
	var total int64
	for i := range h.counts {
		var c int64
		if reset {
			c = h.counts[i].Swap(0)
		} else {
			c = h.counts[i].Load()
		}
		if c != 0 {
			s.Buckets = append(s.Buckets, Bucket{Index: i, Count: c})
			total += c
		}
	}
	if reset {
		s.SumNS = h.sum.Swap(0)
		s.MaxNS = h.max.Swap(0)
		s.MinNS = h.min.Swap(0) - 1
	} else {
		s.SumNS, s.MaxNS, s.MinNS = h.sum.Load(), h.max.Load(), h.min.Load()-1
	}
	// Concurrent recorders may have added a value's sum, max and min but not
	// yet its count; the buckets are authoritative.
	s.Count = total
	if total == 0 {
		if reset {
			// What was taken goes with a count of the next snapshot.
			h.restore(s.SumNS, s.MaxNS, s.MinNS)
		}
		s.MinNS, s.MaxNS, s.SumNS = 0, 0, 0
	}
	if total > 0 {
		boundByBuckets(s)
	}
	if s.MinNS < 0 {
		s.MinNS = 0
	}
	return s
}

// boundByBuckets keeps a snapshot's min and max within its buckets: a
// value whose count lands in this snapshot may have left its min and max
// (recorded before its count) in the previous one, which then holds the
// exact figure. The bucket's bound stands in for it here, on the side that
// keeps the merged min and max exact.
func boundByBuckets(s *Hist) {
	lo, w := bucketBounds(s.Buckets[0].Index)
	if s.MinNS < 0 || s.MinNS > lo+w-1 {
		s.MinNS = lo + w - 1
	}
	if last, _ := bucketBounds(s.Buckets[len(s.Buckets)-1].Index); s.MaxNS < last {
		s.MaxNS = last
	}
}

// Bucket is one non-empty bucket of a Hist.
type Bucket struct {
	Index int
	Count int64
}

// Hist is a sparse histogram: the form that reports carry and merge. The
// zero value is empty. Buckets are sorted by index.
type Hist struct {
	Count   int64
	SumNS   int64
	MinNS   int64
	MaxNS   int64
	Buckets []Bucket
}

// Merge adds o to h exactly.
func (h *Hist) Merge(o *Hist) {
	if o == nil || o.Count == 0 {
		return
	}
	if h.Count == 0 || o.MinNS < h.MinNS {
		h.MinNS = o.MinNS
	}
	if o.MaxNS > h.MaxNS {
		h.MaxNS = o.MaxNS
	}
	h.Count += o.Count
	h.SumNS += o.SumNS
	out := make([]Bucket, 0, len(h.Buckets)+len(o.Buckets))
	i, j := 0, 0
	for i < len(h.Buckets) || j < len(o.Buckets) {
		switch {
		case j == len(o.Buckets) || i < len(h.Buckets) && h.Buckets[i].Index < o.Buckets[j].Index:
			out = append(out, h.Buckets[i])
			i++
		case i == len(h.Buckets) || o.Buckets[j].Index < h.Buckets[i].Index:
			out = append(out, o.Buckets[j])
			j++
		default:
			out = append(out, Bucket{h.Buckets[i].Index, h.Buckets[i].Count + o.Buckets[j].Count})
			i++
			j++
		}
	}
	h.Buckets = out
}

// Clone returns a deep copy.
func (h *Hist) Clone() *Hist {
	c := *h
	c.Buckets = append([]Bucket(nil), h.Buckets...)
	return &c
}

// Quantile returns the value at quantile q (0..1): the smallest recorded
// value for q = 0, the exact maximum for q = 1, else the midpoint of the
// bucket holding the q-th value (clamped to the recorded range).
func (h *Hist) Quantile(q float64) time.Duration {
	if h == nil || h.Count == 0 {
		return 0
	}
	if q <= 0 {
		return time.Duration(h.MinNS)
	}
	if q >= 1 {
		return time.Duration(h.MaxNS)
	}
	rank := int64(math.Ceil(q * float64(h.Count)))
	if rank < 1 {
		rank = 1
	}
	var seen int64
	for _, b := range h.Buckets {
		seen += b.Count
		if seen >= rank {
			v := bucketValue(b.Index)
			return time.Duration(min(max(v, h.MinNS), h.MaxNS))
		}
	}
	return time.Duration(h.MaxNS)
}

// Mean is the average value.
func (h *Hist) Mean() time.Duration {
	if h == nil || h.Count == 0 {
		return 0
	}
	return time.Duration(h.SumNS / h.Count)
}

// CountAbove is the number of values that are certainly above d (in buckets
// whose lowest value exceeds d).
func (h *Hist) CountAbove(d time.Duration) int64 {
	var n int64
	for _, b := range h.Buckets {
		if lo, _ := bucketBounds(b.Index); lo > int64(d) {
			n += b.Count
		}
	}
	return n
}

// histJSON is the wire form: buckets as [index, count] pairs, which keeps
// reports small and makes the layout explicit for other readers.
type histJSON struct {
	Layout  string     `json:"layout"`
	Count   int64      `json:"count"`
	SumNS   int64      `json:"sum_ns"`
	MinNS   int64      `json:"min_ns"`
	MaxNS   int64      `json:"max_ns"`
	Buckets [][2]int64 `json:"buckets"`
}

// HistLayout names the bucket layout in reports; a report with another
// layout cannot be merged exactly and is refused.
const HistLayout = "log-linear-ns-7"

// MarshalJSON writes the histogram with its layout name.
func (h Hist) MarshalJSON() ([]byte, error) {
	j := histJSON{Layout: HistLayout, Count: h.Count, SumNS: h.SumNS, MinNS: h.MinNS, MaxNS: h.MaxNS,
		Buckets: make([][2]int64, len(h.Buckets))}
	for i, b := range h.Buckets {
		j.Buckets[i] = [2]int64{int64(b.Index), b.Count}
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads a histogram and checks that it is consistent.
func (h *Hist) UnmarshalJSON(b []byte) error {
	var j histJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	if j.Layout != HistLayout {
		return fmt.Errorf("histogram layout %q is not %q: the report comes from another version of flireo-sim", j.Layout, HistLayout)
	}
	*h = Hist{Count: j.Count, SumNS: j.SumNS, MinNS: j.MinNS, MaxNS: j.MaxNS, Buckets: make([]Bucket, 0, len(j.Buckets))}
	var total int64
	for _, p := range j.Buckets {
		if p[0] < 0 || p[0] >= numBuckets || p[1] <= 0 {
			return fmt.Errorf("histogram bucket %v is out of range", p)
		}
		h.Buckets = append(h.Buckets, Bucket{Index: int(p[0]), Count: p[1]})
		total += p[1]
	}
	if !sort.SliceIsSorted(h.Buckets, func(a, b int) bool { return h.Buckets[a].Index < h.Buckets[b].Index }) {
		sort.Slice(h.Buckets, func(a, b int) bool { return h.Buckets[a].Index < h.Buckets[b].Index })
	}
	if total != h.Count {
		return fmt.Errorf("histogram count %d does not match its buckets (%d)", h.Count, total)
	}
	return nil
}
