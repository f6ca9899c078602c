package load

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// Once the schedule has ended, both views count the grace period down and
// name the interrupted calls.
func TestProgressCountsGraceDownAndInterrupted(t *testing.T) {
	tests := []struct {
		name  string
		p     Progress
		plain []string
		tty   []string
		not   []string
	}{
		{
			name:  "running: no grace yet",
			p:     Progress{Elapsed: 20 * time.Second, Total: 30 * time.Second, Phase: "running", Started: 40, Live: 40},
			plain: []string{"running · calls 40 started", "0 interrupted"},
			tty:   []string{"running\n", "0 interrupted"},
			not:   []string{"grace"},
		},
		{
			name:  "finishing: grace counted down",
			p:     Progress{Elapsed: 88 * time.Second, Total: 30 * time.Second, Phase: "finishing", GraceLeft: 42 * time.Second, Started: 600, Live: 141, Ended: 459},
			plain: []string{"[  1:28/0:30] finishing · grace 0:42 left · calls", "0 interrupted"},
			tty:   []string{"100%  finishing · grace 0:42 left", "0 interrupted"},
		},
		{
			name:  "stopping: calls cut off",
			p:     Progress{Elapsed: 95 * time.Second, Total: 30 * time.Second, Phase: "stopping", GraceLeft: 3 * time.Second, Started: 600, Ended: 600, Interrupted: 141},
			plain: []string{"stopping · grace 0:03 left", "141 interrupted"},
			tty:   []string{"stopping · grace 0:03 left", "141 interrupted"},
		},
	}
	ansi := regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var plain, tty bytes.Buffer
			(&ProgressPrinter{W: &plain}).Update(tt.p)
			(&ProgressPrinter{W: &tty, TTY: true, Color: true}).Update(tt.p)
			view := ansi.ReplaceAllString(strings.ReplaceAll(tty.String(), "\r", ""), "")
			for _, want := range tt.plain {
				assert.Contains(t, plain.String(), want)
			}
			for _, want := range tt.tty {
				assert.Contains(t, view, want)
			}
			for _, not := range tt.not {
				assert.NotContains(t, plain.String()+view, not)
			}
			for _, l := range strings.Split(view, "\n") {
				assert.LessOrEqual(t, utf8.RuneCountInString(l), 80, "%q fits 80 columns", l)
			}
		})
	}
}
