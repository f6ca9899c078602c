// Package golden compares test output with the golden files under
// fixtures/golden and rewrites them when a test binary runs with -update.
// Only tests import it.
package golden

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

// update is the one -update flag of every test binary that compares golden files.
var update = flag.Bool("update", false, "rewrite golden files")

// Path is the file name under fixtures/golden, found from the module root.
func Path(t testing.TB, name string) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return filepath.Join(dir, "fixtures", "golden", filepath.FromSlash(name))
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatalf("golden %s: no go.mod above the test's directory", name)
		}
		dir = parent
	}
}

// Check compares got with the golden file name (a slash path under
// fixtures/golden), or rewrites the file first when -update is set.
func Check(t testing.TB, name string, got []byte) {
	t.Helper()
	path := Path(t, name)
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "golden file %s missing: run go test with -update to create it", path)
	require.Equal(t, string(want), string(got), "output differs from %s (run go test with -update if the change is intended)", path)
}

// JSON is Check for a JSON document: the golden file holds it indented by
// two spaces and ended by a newline.
func JSON(t testing.TB, name string, got []byte) {
	t.Helper()
	var pretty bytes.Buffer
	require.NoError(t, json.Indent(&pretty, got, "", "  "))
	pretty.WriteByte('\n')
	Check(t, name, pretty.Bytes())
}
