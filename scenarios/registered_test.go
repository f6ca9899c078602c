package scenarios_test

// The package's own tests run the built-in suite, whose platform API
// scenarios need the platform steps: the test binary imports them here,
// as the command does.
import _ "github.com/flireo-sim/flireo-sim/scenarios/platformsteps"
