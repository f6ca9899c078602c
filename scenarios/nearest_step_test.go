package scenarios

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestUndefinedStepNamesTheNearestPhrase(t *testing.T) {
	cases := []struct{ text, want string }{
		{"the caller want to book an appointment", `(nearest step: "the caller wants to WHAT (`},
		{"the caller sings a song loudly in the rain", `undefined step "the caller sings a song loudly in the rain"`},
	}
	for _, c := range cases {
		assert.Contains(t, matchProblem(c.text), c.want, c.text)
	}
	assert.NotContains(t, matchProblem("the caller sings a song loudly in the rain"), "nearest step")
}
