package load

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestBucketLayout(t *testing.T) {
	prev := -1
	for _, v := range []int64{0, 1, 127, 128, 129, 255, 256, 257, 1000, 50_000_000, 5_000_000_000, maxValueNS} {
		i := bucketOf(v)
		require.GreaterOrEqual(t, i, prev, "bucket indexes grow with the value (%d)", v)
		prev = i
		lo, w := bucketBounds(i)
		assert.LessOrEqual(t, lo, v, "value %d is not below its bucket", v)
		assert.Less(t, v, lo+w, "value %d is not above its bucket", v)
		if v >= subCount {
			assert.LessOrEqual(t, float64(w)/float64(lo), 1.0/subCount+1e-12, "bucket width at %d", v)
		}
	}
	assert.Equal(t, numBuckets-1, bucketOf(math.MaxInt64), "huge values are clamped into the last bucket")
	assert.Equal(t, 0, bucketOf(-5))
	// Every bucket's bounds map back to it.
	for i := 0; i < numBuckets; i++ {
		lo, w := bucketBounds(i)
		require.Equal(t, i, bucketOf(lo), "bucket %d lower bound", i)
		require.Equal(t, i, bucketOf(lo+w-1), "bucket %d upper bound", i)
	}
}

func TestQuantilesAreWithinBucketPrecision(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h Histogram
	vals := make([]int64, 20000)
	for i := range vals {
		// log-normal latencies around 20 ms with a long tail
		v := int64(math.Exp(r.NormFloat64()*0.8+math.Log(20e6))) + 1
		vals[i] = v
		h.Record(time.Duration(v))
	}
	slices.Sort(vals)
	s := h.Snapshot(false)
	require.Equal(t, int64(len(vals)), s.Count)
	for _, q := range []float64{.5, .9, .95, .99, .999} {
		exact := float64(vals[int(math.Ceil(q*float64(len(vals))))-1])
		got := float64(s.Quantile(q))
		assert.InEpsilon(t, exact, got, 0.005, "p%v", q*100)
	}
	assert.Equal(t, time.Duration(vals[len(vals)-1]), s.Quantile(1), "max is exact")
	assert.Equal(t, time.Duration(vals[0]), s.Quantile(0), "min is exact")
}

func TestHistogramMergeIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var whole, a, b Histogram
	for i := range 10000 {
		v := time.Duration(r.Int64N(int64(3 * time.Second)))
		whole.Record(v)
		if i%3 == 0 {
			a.Record(v)
		} else {
			b.Record(v)
		}
	}
	m := a.Snapshot(false)
	m.Merge(b.Snapshot(false))
	w := whole.Snapshot(false)
	assert.Equal(t, w, m, "merging two histograms equals recording everything in one")

	// Through JSON, as report merge does it.
	raw, err := json.Marshal(m)
	require.NoError(t, err)
	var back Hist
	require.NoError(t, json.Unmarshal(raw, &back))
	assert.Equal(t, w, &back)
	for _, q := range []float64{0, .5, .99, 1} {
		assert.Equal(t, w.Quantile(q), back.Quantile(q))
	}
}

func TestHistJSONRefusesOtherLayoutsAndBadCounts(t *testing.T) {
	var h Hist
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"layout":"hdr-3","count":0,"buckets":[]}`), &h), "layout")
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"layout":"log-linear-ns-7","count":3,"buckets":[[5,1]]}`), &h), "does not match")
	assert.ErrorContains(t, json.Unmarshal([]byte(`{"layout":"log-linear-ns-7","count":1,"buckets":[[999999,1]]}`), &h), "out of range")
}

func TestSnapshotResetAndConcurrentRecording(t *testing.T) {
	var h Histogram
	var wg sync.WaitGroup
	total := &Hist{}
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		for {
			select {
			case <-stop:
				total.Merge(h.Snapshot(true))
				return
			default:
				total.Merge(h.Snapshot(true))
			}
		}
	}()
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 5000 {
				h.Record(time.Duration(g*1000 + i))
			}
		}()
	}
	wg.Wait()
	close(stop)
	<-done
	assert.Equal(t, int64(40000), total.Count, "no value is lost or counted twice across snapshots")
	assert.Equal(t, time.Duration(7*1000+4999), total.Quantile(1))
}

// TestSnapshotBetweenAValueAndItsCount plays the interleaving in which a
// snapshot takes a value's min, max and sum but not yet its count: the next
// snapshot has the count, and the merged min and max stay exact.
func TestSnapshotBetweenAValueAndItsCount(t *testing.T) {
	var h Histogram
	h.Record(50 * time.Millisecond) // u, counted
	v := int64(3 * time.Millisecond)
	// Record(v) up to, not including, its count.
	h.sum.Add(v)
	h.min.Store(v + 1)
	first := h.Snapshot(true)
	h.counts[bucketOf(v)].Add(1) // Record(v) ends
	second := h.Snapshot(true)
	assert.Equal(t, int64(1), first.Count)
	assert.Equal(t, int64(1), second.Count)
	assert.Positive(t, second.MinNS, "a snapshot with a count has a min")
	lo, w := bucketBounds(bucketOf(v))
	assert.LessOrEqual(t, second.MinNS, lo+w-1, "within the value's bucket")
	var merged Hist
	merged.Merge(first)
	merged.Merge(second)
	assert.Equal(t, v, merged.MinNS, "the merged min is exact")
	assert.Equal(t, int64(50*time.Millisecond), merged.MaxNS)
	assert.Equal(t, v+int64(50*time.Millisecond), merged.SumNS)
}
