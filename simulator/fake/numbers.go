package fake

import (
	"math"
	"strconv"
)

// intRange is the inclusive integer range allowed by s; ok is false when s
// sets no bound.
func intRange(s *schema) (lo, hi int64, ok bool) {
	hasMin, hasMax := !math.IsNaN(s.min), !math.IsNaN(s.max)
	if !hasMin && !hasMax {
		return 0, 0, false
	}
	if hasMin {
		lo = int64(math.Ceil(s.min))
		if s.exMin && float64(lo) == s.min {
			lo++
		}
	}
	if hasMax {
		hi = int64(math.Floor(s.max))
		if s.exMax && float64(hi) == s.max {
			hi--
		}
	}
	switch {
	case !hasMin:
		lo = min(1, hi)
	case !hasMax:
		hi = lo + 100
	}
	if hi < lo {
		hi = lo
	}
	return lo, hi, true
}

// integer is a plausible integer for the name, inside the schema's range.
func (g *gen) integer(s *schema, name string) int64 {
	v := g.plausibleInt(name)
	if lo, hi, ok := intRange(s); ok && (v < lo || v > hi) {
		span := hi - lo + 1
		if span <= 0 || span > math.MaxInt32 {
			span = math.MaxInt32
		}
		v = lo + int64(g.r.intn(int(span)))
	}
	if m := s.multipleOf; m >= 1 && m == math.Trunc(m) {
		v = multipleInRange(v, int64(m), s)
	}
	return v
}

// plausibleInt is an integer that fits what the name says it counts.
func (g *gen) plausibleInt(name string) int64 {
	switch nameKind(name) {
	case kQuantity:
		return int64(g.r.between(1, 4))
	case kAge:
		return int64(g.r.between(18, 85))
	case kDuration:
		return int64(15 * g.r.between(1, 4))
	case kAmount:
		return int64(g.r.between(10, 250))
	case kYear:
		return int64(g.c.apptDay.Year())
	}
	return int64(g.r.between(1, 100))
}

// multipleInRange rounds v down to a multiple of m, then steps it into the
// schema's range where it can.
func multipleInRange(v, m int64, s *schema) int64 {
	v = v / m * m
	if lo, hi, ok := intRange(s); ok {
		for v < lo {
			v += m
		}
		if v > hi {
			v -= m
		}
	}
	return v
}

// number appends a plausible number (two decimals) inside the schema's range.
func (g *gen) number(dst []byte, s *schema, name string) []byte {
	v := math.Round(g.plausibleNumber(name)*100) / 100
	v = g.numberInRange(v, s)
	if m := s.multipleOf; m > 0 {
		v = math.Round(v/m) * m
		return strconv.AppendFloat(dst, v, 'f', decimals(m), 64)
	}
	return strconv.AppendFloat(dst, v, 'f', -1, 64)
}

// plausibleNumber is a number that fits what the name says it measures.
func (g *gen) plausibleNumber(name string) float64 {
	switch nameKind(name) {
	case kAmount:
		return 10 + 240*g.r.float()
	case kQuantity:
		return float64(g.r.between(1, 4))
	case kAge:
		return float64(g.r.between(18, 85))
	case kDuration:
		return float64(15 * g.r.between(1, 4))
	}
	return 100 * g.r.float()
}

// numberInRange keeps v when the schema's range allows it, else draws a
// value inside the range (its middle when the draw falls on an excluded end).
func (g *gen) numberInRange(v float64, s *schema) float64 {
	lo, hi := s.min, s.max
	if math.IsNaN(lo) && math.IsNaN(hi) {
		return v
	}
	if math.IsNaN(lo) {
		lo = math.Min(0, hi-100)
	}
	if math.IsNaN(hi) {
		hi = lo + 100
	}
	if inside(v, lo, hi, s) {
		return v
	}
	v = math.Round((lo+(hi-lo)*(0.05+0.9*g.r.float()))*100) / 100
	if !inside(v, lo, hi, s) {
		v = (lo + hi) / 2
	}
	return v
}

// inside reports whether x is in [lo, hi], each end excluded as the schema says.
func inside(x, lo, hi float64, s *schema) bool {
	return (x > lo || (!s.exMin && x == lo)) && (x < hi || (!s.exMax && x == hi))
}

// decimals is how many decimals a multipleOf step needs.
func decimals(m float64) int {
	for d := 0; d < 10; d++ {
		if math.Abs(m*math.Pow10(d)-math.Round(m*math.Pow10(d))) < 1e-9 {
			return d
		}
	}
	return -1
}
