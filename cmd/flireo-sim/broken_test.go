package main

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// TestBrokenRepliesNeverPass: against a server whose assistant-request
// replies are cut short (200, a Content-Length longer than the body, then a
// close), every command fails a must check and exits 1, and load's verdict
// agrees with its exit code. Against the correct server the same commands
// pass.
func TestBrokenRepliesNeverPass(t *testing.T) {
	cut := server(t, integrator.Options{Misbehave: "cut-reply"})
	good := server(t, integrator.Options{})
	for _, tc := range []struct {
		name   string
		target string
		code   int
		want   string
	}{
		{"cut", cut, exitFail, "reply-complete"},
		{"correct", good, exitPass, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, args := range [][]string{
				{"call", "--target", tc.target, "--seed", "7"},
				{"send", "assistant-request", "--target", tc.target, "--seed", "7"},
			} {
				code, out, stderr := cli(t, nil, args...)
				assert.Equal(t, tc.code, code, "%v\n%s\n%s", args, out, stderr)
				if tc.want != "" {
					assert.Contains(t, out+stderr, tc.want, "%v", args)
				}
			}
			path := filepath.Join(t.TempDir(), "load.json")
			code, out, stderr := cli(t, nil, "load", "--target", tc.target, "--rate", "10/s", "--duration", "1s",
				"--pace", "instant", "--report", path)
			require.Equal(t, tc.code, code, "%s\n%s", out, stderr)
			rep := readReport(t, path)
			if tc.code == exitPass {
				assert.Equal(t, "pass", rep.Verdict)
				return
			}
			assert.Equal(t, "fail", rep.Verdict, "the verdict agrees with the exit code")
			assert.Contains(t, out, "checks.must==0")
			failed := map[string]int64{}
			for _, c := range rep.Checks {
				failed[c.Check] = c.Failed
			}
			assert.Positive(t, failed["reply-complete"], "%v", rep.Checks)
		})
	}
}
