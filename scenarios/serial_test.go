package scenarios

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// The gate never deadlocks godog's queue and never lets a @serial scenario
// run next to another: each case plays scenarios in queue order with a
// bounded number of slots, as godog does.
func TestGate(t *testing.T) {
	cases := []struct {
		name    string
		queue   []bool // true: @serial
		slots   int
		unknown bool // steps registered in a suite of one's own
	}{
		{"serial in the middle", []bool{false, false, true, false, false}, 2, false},
		{"serial scenarios fill every slot", []bool{true, true, false, false, false}, 2, false},
		{"one at a time", []bool{false, true, false}, 1, false},
		{"serial last", []bool{false, false, false, true}, 16, false},
		{"own suite", []bool{false, true, false, false, true, false}, 3, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			g := &gate{pending: -1}
			if !c.unknown {
				n := 0
				for _, s := range c.queue {
					if !s {
						n++
					}
				}
				g.reset(n, c.slots)
			}
			var mu sync.Mutex
			running, serialRunning, overlaps := 0, false, 0
			slots := make(chan struct{}, c.slots)
			var wg sync.WaitGroup
			for _, serial := range c.queue {
				slots <- struct{}{}
				wg.Add(1)
				go func() {
					defer wg.Done()
					defer func() { <-slots }()
					release := g.enter(serial)
					mu.Lock()
					running++
					if serial && running > 1 || !serial && serialRunning {
						overlaps++
					}
					serialRunning = serialRunning || serial
					mu.Unlock()
					time.Sleep(time.Millisecond)
					mu.Lock()
					running--
					if serial {
						serialRunning = false
					}
					mu.Unlock()
					release()
				}()
			}
			done := make(chan struct{})
			go func() { wg.Wait(); close(done) }()
			select {
			case <-done:
			case <-time.After(20 * time.Second):
				t.Fatal("the scenarios never finished: the gate deadlocked")
			}
			assert.Zero(t, overlaps, "a @serial scenario ran next to another")
		})
	}
}
