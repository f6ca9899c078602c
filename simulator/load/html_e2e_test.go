package load

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chromium finds Debian's chromium (or another Chromium/Chrome binary).
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestE2EHTMLReport renders the HTML report in headless Chromium, offline,
// and checks that the page shows what a person needs at a glance.
func TestE2EHTMLReport(t *testing.T) {
	if os.Getenv("FLIREO_E2E") == "" {
		t.Skip("browser test: set FLIREO_E2E=1 (make e2e installs chromium and runs it)")
	}
	bin := chromium()
	if bin == "" {
		t.Skip("browser test: chromium is not installed (apt-get install chromium, or run make e2e)")
	}
	rep := runShard(t, Shard{0, 1}, "assistant-request.p99<10ms", "errors==0")
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	require.NoError(t, err)
	require.NoError(t, rep.WriteHTML(f))
	require.NoError(t, f.Close())

	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
		"--disable-background-networking", "--user-data-dir=" + filepath.Join(dir, "profile")}

	dom, err := exec.CommandContext(ctx, bin, append(flags, "--dump-dom", "file://"+page)...).Output()
	require.NoError(t, err, "chromium --dump-dom")
	text := string(dom)
	for _, want := range []string{"FAIL", "Thresholds", "errors==0", "Latency over time", "Latency distribution",
		"Throughput and errors over time", "Calls over time", "Slowest calls", "assistant-request"} {
		assert.Contains(t, text, want)
	}
	assert.Equal(t, 4, strings.Count(text, "<svg"), "the four charts are in the rendered page")

	shot := filepath.Join(dir, "report.png")
	out, err := exec.CommandContext(ctx, bin, append(flags, "--window-size=1280,2000", "--screenshot="+shot, "file://"+page)...).CombinedOutput()
	require.NoError(t, err, "chromium --screenshot: %s", out)
	img, err := os.Open(shot)
	require.NoError(t, err)
	defer img.Close()
	pic, err := png.Decode(img)
	require.NoError(t, err)
	b := pic.Bounds()
	assert.Equal(t, 1280, b.Dx())
	var inked, red int
	for y := b.Min.Y; y < b.Max.Y; y += 4 {
		for x := b.Min.X; x < b.Max.X; x += 4 {
			r, g, bl, _ := pic.At(x, y).RGBA()
			if r < 0xe000 || g < 0xe000 || bl < 0xe000 {
				inked++
			}
			if r > 0xc000 && g < 0x6000 && bl < 0x6000 {
				red++
			}
		}
	}
	total := (b.Dx() / 4) * (b.Dy() / 4)
	assert.Greater(t, inked, total/50, "the page is not blank")
	assert.Greater(t, red, 20, "the failed verdict shows in red")
}
