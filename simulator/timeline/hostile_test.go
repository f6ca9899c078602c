package timeline

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// hostileText is what a hostile server puts in its replies: it sets the
// window title, clears the screen, returns the cursor and reverses text.
const hostileText = "\x1b]0;pwned\x07\x1b[2J\rok\u202e\u009b31m"

// What came from a server reaches the terminal escaped, wherever the
// timeline shows it; the JSON keeps it as it came.
func TestServerTextsAreEscapedForTheTerminal(t *testing.T) {
	res := result()
	x := res.Exchanges[2]
	x.Action = "results used: " + hostileText
	x.Findings[1].Detail = "wrong result " + hostileText
	x.Response.Failure = &sim.Failure{Kind: sim.FailRedirect, Detail: "redirect to " + hostileText}
	res.Report.Messages[0].Content = "Hallo " + hostileText
	var b bytes.Buffer
	Call(&b, res, "flireo", Options{Transcript: true})
	out := b.String()
	for _, bad := range []string{"\x1b", "\x07", "\r", "\u202e", "\u009b"} {
		assert.NotContains(t, out, bad)
	}
	assert.Equal(t, 4, strings.Count(out, `\u001b]0;pwned\u0007\u001b[2J\rok\u202e\u009b31m`), out)

	doc, err := json.Marshal(JSON(res, "flireo"))
	require.NoError(t, err)
	var back Doc
	require.NoError(t, json.Unmarshal(doc, &back))
	assert.Equal(t, "Hallo "+hostileText, back.Transcript[0].Content, "the JSON keeps the data")
}
