package main

import (
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

func TestOptionErrorsNameTheFlag(t *testing.T) {
	tests := []struct {
		name string
		err  error
		want string
		code int
	}{
		{"known option", sim.BadOption("Pace", "fast", "use instant, realtime or 10x"),
			`flireo-sim: --pace "fast": use instant, realtime or 10x` + "\n", exitUsage},
		{"wrapped", fmt.Errorf("load: %w", sim.BadOption("Ramp", "", "give a duration")),
			"flireo-sim: load: --ramp: give a duration\n", exitUsage},
		{"unknown option keeps its name", sim.BadOption("Other", "x", "no"),
			`flireo-sim: Other "x": no` + "\n", exitUsage},
		{"other errors unchanged", errors.New("boom"), "flireo-sim: boom\n", exitFail},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			assert.Equal(t, tt.code, exitCode(&buf, tt.err, false))
			assert.Equal(t, tt.want, buf.String())
		})
	}
}
