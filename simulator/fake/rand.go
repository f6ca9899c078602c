package fake

import (
	"math"
	"math/rand/v2"
	"time"

	"github.com/brianvoe/gofakeit/v7"
)

// splitmix64 is the SplitMix64 finaliser: a bijective 64-bit mixer whose
// outputs for neighbouring inputs are unrelated.
func splitmix64(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// callSeeds derives the two PCG seed words of call n in run runSeed.
func callSeeds(runSeed int64, n int) (uint64, uint64) {
	h := splitmix64(splitmix64(uint64(runSeed)) ^ uint64(int64(n)))
	return h, splitmix64(h)
}

// newFaker returns the call's faker: gofakeit on a PCG source seeded from
// (runSeed, n). It is unlocked because a call's generator is used by one
// goroutine, and it never falls back to a crypto seed (gofakeit.New does for 0).
func newFaker(runSeed int64, n int) *gofakeit.Faker {
	a, b := callSeeds(runSeed, n)
	return gofakeit.NewFaker(rand.NewPCG(a, b), false)
}

// rnd adds the draws the package needs to a faker.
type rnd struct{ f *gofakeit.Faker }

// intn is uniform in [0, n); 0 when n <= 0.
func (r rnd) intn(n int) int { return r.f.IntN(n) }

// between is uniform in [lo, hi].
func (r rnd) between(lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.f.IntN(hi-lo+1)
}

// float is uniform in [0, 1).
func (r rnd) float() float64 { return r.f.Float64() }

// chance is true with probability p.
func (r rnd) chance(p float64) bool { return r.f.Float64() < p }

// normal is a standard normal draw (Box-Muller).
func (r rnd) normal() float64 {
	u1 := 1 - r.f.Float64() // (0, 1]
	u2 := r.f.Float64()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// lognormal has the given median and log-space spread.
func (r rnd) lognormal(median, sigma float64) float64 {
	return median * math.Exp(sigma*r.normal())
}

// pickString is a uniformly chosen element.
func (r rnd) pickString(l []string) string {
	if len(l) == 0 {
		return ""
	}
	return l[r.f.IntN(len(l))]
}

func (r rnd) pick(l []tmpl) tmpl {
	if len(l) == 0 {
		return tmpl{}
	}
	return l[r.f.IntN(len(l))]
}

// digits appends n random decimal digits; the first is in [first, 9].
func (r rnd) digits(dst []byte, n int, first byte) []byte {
	for i := 0; i < n; i++ {
		lo := byte(0)
		if i == 0 {
			lo = first
		}
		dst = append(dst, '0'+lo+byte(r.f.IntN(int(10-lo))))
	}
	return dst
}

// seconds converts seconds to a Duration rounded to the millisecond.
func seconds(s float64) time.Duration {
	return time.Duration(math.Round(s*1000)) * time.Millisecond
}

func clamp(x, lo, hi float64) float64 {
	return math.Max(lo, math.Min(hi, x))
}
