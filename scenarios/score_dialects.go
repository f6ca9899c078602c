package scenarios

import (
	"fmt"
	"io"
	"strings"
)

// writeDialects writes, for people, the dialects of a run that were not
// played and the scenarios each dialect's selection tags left out.
func writeDialects(w io.Writer, r *Result, paint func(code, s string) string) {
	for _, s := range r.SkippedDialects {
		fmt.Fprintf(w, "  %s dialect %s not played: %s\n", paint("2", "-"), s.Dialect, s.Reason)
	}
	var parts []string
	for _, d := range r.Deselected {
		parts = append(parts, fmt.Sprintf("%d in %s", d.Scenarios, d.Dialect))
	}
	if len(parts) > 0 {
		fmt.Fprintf(w, "  %s scenarios not for the dialect (@dialect, @not-dialect tags): %s\n", paint("2", "-"), strings.Join(parts, ", "))
	}
}
