package adapt

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
)

type state struct{ calls []string }

type skipKey struct{}

func TestAdaptersFindTheStateOnce(t *testing.T) {
	st := &state{}
	refused := errors.New("skipped")
	begin := func(ctx context.Context) (*state, error) {
		if ctx.Value(skipKey{}) != nil {
			return nil, refused
		}
		return st, nil
	}
	h0 := Do(begin, func(s *state, _ context.Context) error { s.calls = append(s.calls, "0"); return nil })
	h1 := Do1(begin, func(s *state, _ context.Context, n int) error { s.calls = append(s.calls, "1"); return nil })
	h2 := Do2(begin, func(s *state, _ context.Context, a string, f float64) error { s.calls = append(s.calls, a); return nil })
	ctx := context.Background()
	assert.NoError(t, h0(ctx))
	assert.NoError(t, h1(ctx, 3))
	assert.NoError(t, h2(ctx, "2", 1.5))
	assert.Equal(t, []string{"0", "1", "2"}, st.calls)

	skipped := context.WithValue(ctx, skipKey{}, true)
	assert.ErrorIs(t, h0(skipped), refused)
	assert.ErrorIs(t, h1(skipped, 3), refused)
	assert.ErrorIs(t, h2(skipped, "x", 0), refused)
	assert.Len(t, st.calls, 3, "a refused step does not run its handler")
}
