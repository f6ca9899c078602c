package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// The container image (deploy/container/Containerfile) holds nothing but the
// binary, built as below: it must run with no file beside it (no libc, no
// dynamic loader, no /etc). Built into an empty directory, it runs there as
// the root of the file system.
func TestStaticBinaryRunsAlone(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("chroot is tested on Linux only")
	}
	if testing.Short() {
		t.Skip("builds the static binary: skipped with -short")
	}
	root := t.TempDir()
	build := exec.Command(needTool(t, "go", "the Go toolchain"), "build", "-trimpath", "-o", filepath.Join(root, "flireo-sim"), ".")
	build.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "CGO_ENABLED=0 go build -trimpath: %s", out)

	argv := chrootCommand(t, root)
	out, err = exec.Command(argv[0], append(argv[1:], "/flireo-sim", "version")...).CombinedOutput()
	require.NoError(t, err, "flireo-sim version in an empty root: %s", out)
	require.True(t, strings.HasPrefix(string(out), "flireo-sim "), "got %q", out)
}

// chrootCommand is how this process may enter root: chroot as root, else in
// a user namespace (unshare -r chroot). Whether entering works is probed on
// "/" with true, so that a binary that cannot run alone fails the test
// instead of skipping it; it skips with the reason when neither is permitted.
func chrootCommand(t *testing.T, root string) []string {
	t.Helper()
	candidates := [][]string{{"chroot"}, {"unshare", "-r", "chroot"}}
	if os.Geteuid() != 0 {
		candidates = candidates[1:]
	}
	var reasons []string
	for _, c := range candidates {
		if _, err := exec.LookPath(c[0]); err != nil {
			reasons = append(reasons, c[0]+" is not installed")
			continue
		}
		out, err := exec.Command(c[0], append(c[1:], "/", "true")...).CombinedOutput()
		if err == nil {
			return append(c, root)
		}
		reasons = append(reasons, strings.Join(c, " ")+": "+strings.TrimSpace(string(out)))
	}
	t.Skipf("cannot enter another root here (%s): the static binary was built but not run alone", strings.Join(reasons, "; "))
	return nil
}
