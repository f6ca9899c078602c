package kit

import (
	"context"
	"fmt"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
)

// UnreachableError says that the target refused the connection, could not
// be resolved, failed the TLS handshake or did not accept a connection in
// time, so nothing was played.
type UnreachableError struct {
	Target  string
	Failure sim.Failure
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("the target %s could not be reached: %s", e.Target, e.Failure.Detail)
}

// Reach is the pre-flight check of every command that plays against a
// server: the target must accept a connection (and a TLS handshake for
// https) within timeout (0: delivery.DefaultReachTimeout). It returns nil or
// an *UnreachableError.
func Reach(ctx context.Context, target string, timeout time.Duration) error {
	if f := delivery.Reach(ctx, target, timeout); f != nil {
		return &UnreachableError{Target: target, Failure: *f}
	}
	return nil
}
