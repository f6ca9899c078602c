package fake

import (
	"testing"

	"github.com/flireo-sim/flireo-sim/simulator"
)

func BenchmarkCall(b *testing.B) {
	f, err := New(1)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		p, _ := f.Call(n, Options{ErrorRate: -1})
		if len(p.Turns) == 0 && p.Intent != simulator.Silent {
			b.Fatal("empty plan")
		}
		n++
	}
}
