package scenarios

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStatusReadsOldWords(t *testing.T) {
	cases := map[string]Status{`"pass"`: StatusPass, `"passed"`: StatusPass, `"fail"`: StatusFail, `"failed"`: StatusFail,
		`"skip"`: StatusSkip, `"skipped"`: StatusSkip}
	for in, want := range cases {
		var s Status
		require.NoError(t, json.Unmarshal([]byte(in), &s), in)
		assert.Equal(t, want, s, in)
	}
	var s Status
	assert.Error(t, json.Unmarshal([]byte(`1`), &s))
}

func TestStatusIsWrittenInOneVocabulary(t *testing.T) {
	b, err := json.Marshal(ScenarioResult{Name: "x", Status: StatusSkip})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"status":"skip"`)
	for s, want := range map[Status]string{StatusPass: "passed", StatusFail: "failed", StatusSkip: "skipped"} {
		assert.Equal(t, want, s.junitStatus(), "JUnit keeps godog's words")
	}
}
