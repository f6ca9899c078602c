package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The container recipe builds the binary TestStaticBinaryRunsAlone runs, as
// an unprivileged user, with flireo-sim as the entrypoint.
func TestContainerRecipe(t *testing.T) {
	recipe := readDoc(t, "deploy/container/Containerfile")
	assert.Contains(t, recipe, "CGO_ENABLED=0 go build -trimpath", "the static build the test runs")
	assert.Contains(t, recipe, `ENTRYPOINT ["flireo-sim"]`)
	user := regexp.MustCompile(`(?m)^USER (\S+)`).FindStringSubmatch(recipe)
	require.NotNil(t, user, "the image names its user")
	assert.NotContains(t, []string{"root", "0", "0:0"}, user[1], "the image runs as an unprivileged user")
}

// The load Job's arguments are flags of flireo-sim load.
func TestLoadJobUsesLoadFlags(t *testing.T) {
	job := readDoc(t, "deploy/k8s/load-job.yaml")
	known := commandFlagNames(t, "load")
	args := regexp.MustCompile(`(?m)^\s+- --([a-z-]+)`).FindAllStringSubmatch(job, -1)
	require.NotEmpty(t, args)
	for _, m := range args {
		assert.True(t, known[m[1]], "deploy/k8s/load-job.yaml: flireo-sim load has no flag --%s", m[1])
	}
	assert.True(t, strings.Contains(job, "- load\n"), "the Job runs flireo-sim load (the image's entrypoint is flireo-sim)")
}
