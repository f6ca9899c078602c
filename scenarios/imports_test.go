package scenarios

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An integrator who imports the step library pulls in neither the mock
// platform nor its router: the platform API steps are a package of their
// own (scenarios/platformsteps) that registers itself where it is imported.
func TestImportingScenariosPullsInNoRouter(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the imports with")
	}
	out, err := exec.Command(goTool, "list", "-deps", "github.com/flireo-sim/flireo-sim/scenarios").CombinedOutput()
	require.NoError(t, err, "%s", out)
	deps := strings.Fields(string(out))
	require.Contains(t, deps, "github.com/cucumber/godog", "the listing is the package's imports")
	for _, banned := range []string{"github.com/gorilla/mux", "github.com/flireo-sim/flireo-sim/simulator/platform"} {
		assert.NotContains(t, deps, banned)
	}
}
