package scenarios

import (
	"context"
	"sync"

	"github.com/cucumber/godog"
)

// SerialTag marks a scenario that must run alone, with no other scenario
// of the run at the same time (many calls at once, timing-sensitive
// checks): it waits until the scenarios running finish, and the others wait
// for it. Without the tag, scenarios run concurrently (RunOptions.Concurrency).
const SerialTag = "@serial"

// DefaultConcurrency is how many scenarios run at once unless
// RunOptions.Concurrency says otherwise.
const DefaultConcurrency = 16

type releaseKey struct{}

// registerSerial makes @serial scenarios run alone: every scenario holds
// the library's gate while it runs, shared, or exclusively when tagged.
// Register it first; releaseSerial last, so that the gate covers every
// other hook.
func (l *Library) registerSerial(sc *godog.ScenarioContext) {
	sc.Before(func(ctx context.Context, p *godog.Scenario) (context.Context, error) {
		release := l.serial.RUnlock
		if isSerial(p) {
			l.serial.Lock()
			release = l.serial.Unlock
		} else {
			l.serial.RLock()
		}
		return context.WithValue(ctx, releaseKey{}, sync.OnceFunc(release)), nil
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

// concurrency is the number of scenarios a run plays at once.
func concurrency(n int) int {
	if n <= 0 {
		return DefaultConcurrency
	}
	return n
}
