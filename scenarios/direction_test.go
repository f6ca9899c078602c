package scenarios

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// TestIntentOfTheOtherDirectionFailsTheScenario: a scenario that asks for
// an inbound intent on an outbound call fails, naming the intents that fit;
// an outbound intent plays.
func TestIntentOfTheOtherDirectionFailsTheScenario(t *testing.T) {
	target := reference(t, integrator.Options{})
	dir := t.TempDir()
	text := `Feature: directions
  Scenario: an inbound intent on an outbound call
    Given an outbound call
    And the caller's intent is "book-appointment"
    When the call is played to the end
    Then every webhook is answered with a 2xx in time

  Scenario: an outbound intent on an outbound call
    Given an outbound call
    And the caller's intent is "appointment-reminder"
    When the call is played to the end
    Then every webhook is answered with a 2xx in time
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "directions.feature"), []byte(text), 0o644))
	lib, err := New(Config{Target: target})
	require.NoError(t, err)
	defer lib.Close()
	res, err := lib.Run(context.Background(), RunOptions{Features: dir})
	require.NoError(t, err)
	require.Len(t, res.Scenarios, 2)
	bad, good := res.Scenarios[0], res.Scenarios[1]
	assert.Equal(t, StatusFail, bad.Status, "%+v", bad)
	assert.Contains(t, bad.Error, `intent "book-appointment" is for inbound calls, not outbound ones: an outbound call takes one of voicemail, appointment-reminder`)
	assert.Equal(t, StatusPass, good.Status, "%+v", good)
}
