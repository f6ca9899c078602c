package scenarios

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/check"
)

func TestParseBaseline(t *testing.T) {
	cases := []struct {
		name      string
		data      string
		checks    []string
		scenarios []string
		err       string
	}{
		{name: "report", data: `{"verdict":"fail","checks":[{"id":"http-2xx","status":"fail"},{"id":"ack-deadline","status":"pass"}],
			"scenarios":[{"name":"mine","status":"fail","unattributed":true},{"name":"theirs","status":"fail"}]}`,
			checks: []string{check.HTTP2xx}, scenarios: []string{"mine"}},
		{name: "report of an older version", data: `{"verdict":"fail","checks":[{"id":"http-2xx","status":"fail"}],
			"scenarios":[{"name":"mine","status":"failed","unattributed":true},{"name":"ok","status":"passed","unattributed":true}]}`,
			checks: []string{check.HTTP2xx}, scenarios: []string{"mine"}},
		{name: "text", data: "# known\nhttp-2xx  # since May\n\nscenario: mine\n", checks: []string{check.HTTP2xx}, scenarios: []string{"mine"}},
		{name: "unknown check in text", data: "no-such-check\n", err: `line 1: unknown check "no-such-check"`},
		{name: "unknown check in a report", data: `{"verdict":"fail","checks":[{"id":"nope","status":"fail"}]}`, err: `unknown check "nope"`},
		{name: "JSON that is no report", data: `{"x":1}`, err: "not a flireo-sim report"},
		{name: "broken JSON", data: `{"verdict":`, err: "not a flireo-sim report"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			base, err := ParseBaseline([]byte(c.data))
			if c.err != "" {
				assert.ErrorContains(t, err, c.err)
				return
			}
			require.NoError(t, err)
			assert.ElementsMatch(t, c.checks, keys(base.Checks))
			assert.ElementsMatch(t, c.scenarios, keys(base.Scenarios))
		})
	}
}

func keys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}

func TestReadBaselineErrorsNameTheOption(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.txt")
	require.NoError(t, os.WriteFile(bad, []byte("no-such-check\n"), 0o644))
	for _, path := range []string{bad, filepath.Join(dir, "missing.txt")} {
		_, err := ReadBaseline(path)
		var oe *sim.OptionError
		require.True(t, errors.As(err, &oe), "an option error: %v", err)
		assert.Equal(t, "Baseline", oe.Option)
		assert.NotContains(t, err.Error(), "--")
	}
}
