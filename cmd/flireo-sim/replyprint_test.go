package main

import (
	"bytes"
	"encoding/json"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// deepReply is a 1 MB JSON reply nested 9000 levels deep: json.Indent makes
// hundreds of MiB of it.
func deepReply() []byte {
	var b bytes.Buffer
	const depth = 9000
	b.WriteString(strings.Repeat(`{"k":`, depth))
	b.WriteString("[0")
	for b.Len() < 1<<20-depth-2 {
		b.WriteString(",12345")
	}
	b.WriteString("]" + strings.Repeat("}", depth))
	return b.Bytes()
}

func TestSendPrintsADeepReplyInBoundedMemory(t *testing.T) {
	body := deepReply()
	require.True(t, json.Valid(body))
	var out bytes.Buffer
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	printReply(&out, body, sendReplyLimits)
	runtime.ReadMemStats(&after)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(8<<20), "bytes allocated to print a 1 MB reply")
	assert.Less(t, out.Len(), 80<<10)
	assert.Contains(t, out.String(), "not indented")
	assert.Contains(t, out.String(), "… (cut:")
}

// A reply that is not JSON prints escaped, within the lines replay shows,
// and never cut within a character.
func TestPrintReplyOfText(t *testing.T) {
	var out bytes.Buffer
	printReply(&out, []byte(strings.Repeat("€ line\x1b[2J\n", 100)), replayReplyLimits)
	assertTerminalSafe(t, "a text reply", out.String())
	assert.Equal(t, 42, strings.Count(out.String(), "\n"), "the header, 40 lines and the cut marker:\n%s", out.String())
	assert.Contains(t, out.String(), "… (cut: 520 of 1300 bytes shown)")

	out.Reset()
	printReply(&out, []byte(strings.Repeat("€", 1000)), sendReplyLimits)
	assert.NotContains(t, out.String(), `\x`, "cut at a character boundary")
	assert.Contains(t, out.String(), "… (cut: 2046 of 3000 bytes shown)")
}
