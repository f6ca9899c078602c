package scenarios

import (
	"context"
	"sync"

	"github.com/cucumber/godog"
)

// SerialTag marks a scenario that must run alone, with no other scenario
// of the run at the same time (many calls at once, timing-sensitive
// checks). In a run started by Library.Run it runs once every other
// scenario has finished; registered in a suite of your own, it waits for
// the scenarios running and the others wait for it. Without the tag,
// scenarios run concurrently (RunOptions.Concurrency).
const SerialTag = "@serial"

// DefaultConcurrency is how many scenarios run at once unless
// RunOptions.Concurrency says otherwise.
const DefaultConcurrency = 16

// gate lets scenarios run together and @serial ones alone.
type gate struct {
	mu      sync.Mutex
	cond    *sync.Cond
	running int  // other scenarios running
	serial  bool // a @serial scenario is running
	waiting int  // @serial scenarios waiting for their turn
	// pending counts the other scenarios of the run not yet finished, and
	// slots how many scenarios run at once: a @serial scenario waits for
	// the others to finish (or for every slot to hold a waiting @serial
	// scenario). pending < 0: unknown (the steps were registered in a suite
	// of one's own), so a @serial scenario waits only for those running,
	// and holds back those not started.
	pending, slots int
}

func (g *gate) init() {
	if g.cond == nil {
		g.cond = sync.NewCond(&g.mu)
	}
}

// reset starts a run of pending other scenarios, slots at a time.
func (g *gate) reset(pending, slots int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	g.pending, g.slots = pending, slots
}

func (g *gate) enter(serial bool) (release func()) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.init()
	if !serial {
		for g.serial || g.pending < 0 && g.waiting > 0 {
			g.cond.Wait()
		}
		g.running++
		return sync.OnceFunc(func() { g.leave(false) })
	}
	g.waiting++
	for g.serial || g.running > 0 || g.pending > 0 && g.waiting < g.slots {
		g.cond.Wait()
	}
	g.waiting--
	g.serial = true
	return sync.OnceFunc(func() { g.leave(true) })
}

func (g *gate) leave(serial bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if serial {
		g.serial = false
	} else {
		g.running--
		if g.pending > 0 {
			g.pending--
		}
	}
	g.cond.Broadcast()
}

type releaseKey struct{}

// registerSerial passes every scenario through the library's gate. Register
// it first and releaseSerial last, so that the gate covers every other hook.
func (l *Library) registerSerial(sc *godog.ScenarioContext) {
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		return context.WithValue(ctx, releaseKey{}, l.gate.enter(isSerial(p))), nil
	})
}

// releaseSerial lets go of the gate when a scenario ends.
func (l *Library) releaseSerial(sc *godog.ScenarioContext) {
	sc.After(func(ctx context.Context, _ *godog.Scenario, err error) (context.Context, error) {
		if release, ok := ctx.Value(releaseKey{}).(func()); ok {
			release()
		}
		return ctx, nil
	})
}

func isSerial(p *godog.Scenario) bool {
	for _, t := range p.Tags {
		if t.Name == SerialTag {
			return true
		}
	}
	return false
}

// countsAsOther says whether a pickle of a run passes through the gate as
// one of the others (not @serial; a scenario without steps runs no hook).
func countsAsOther(p *godog.Scenario) bool { return len(p.Steps) > 0 && !isSerial(p) }

// concurrency is the number of scenarios a run plays at once.
func concurrency(n int) int {
	if n <= 0 {
		return DefaultConcurrency
	}
	return n
}
