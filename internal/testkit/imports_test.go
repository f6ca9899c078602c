package testkit

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// testOnly are the packages that only tests may import.
var testOnly = []string{
	"github.com/flireo-sim/flireo-sim/internal/golden",
	"github.com/flireo-sim/flireo-sim/internal/testkit",
	"github.com/flireo-sim/flireo-sim/simulator/simtest",
	"github.com/flireo-sim/flireo-sim/simulator/integrator/integratortest",
}

// TestHelpersOnlyInTests: no file that is built into the program imports a
// test helper package.
func TestHelpersOnlyInTests(t *testing.T) {
	root := moduleRoot(t)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != root && (name == "testdata" || strings.HasPrefix(name, ".")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, imp := range f.Imports {
			p, _ := strconv.Unquote(imp.Path.Value)
			if slices.Contains(testOnly, p) && !helperDir(root, path) {
				t.Errorf("%s imports the test helper %s", path, p)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// helperDir reports whether path belongs to one of the helper packages.
func helperDir(root, path string) bool {
	rel, err := filepath.Rel(root, filepath.Dir(path))
	if err != nil {
		return false
	}
	return slices.Contains(testOnly, "github.com/flireo-sim/flireo-sim/"+filepath.ToSlash(rel))
}

func moduleRoot(t *testing.T) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}
