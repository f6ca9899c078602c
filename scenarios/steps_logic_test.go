package scenarios

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

func TestToolResultContains(t *testing.T) {
	calls := []sim.ToolCall{{ID: "c1", Name: "book_appointment"}, {ID: "c2", Name: "check_availability"}}
	reply := &sim.ToolReply{Results: []sim.ToolResult{{ID: "c1", Result: json.RawMessage(`"confirmed at 10:30"`)}, {ID: "c2", Error: "no slots"}}}
	cases := []struct {
		name, tool, text, err string
		x                     *sim.Exchange
	}{
		{name: "result has it", tool: "book_appointment", text: "confirmed", x: &sim.Exchange{ToolCalls: calls, Tools: reply}},
		{name: "error text has it", tool: "check_availability", text: "no slots", x: &sim.Exchange{ToolCalls: calls, Tools: reply}},
		{name: "result lacks it", tool: "book_appointment", text: "cancelled", x: &sim.Exchange{ToolCalls: calls, Tools: reply}, err: "without \"cancelled\""},
		{name: "tool not called", tool: "transfer", text: "x", x: &sim.Exchange{ToolCalls: calls, Tools: reply}, err: "did not call \"transfer\""},
		{name: "no result for the call", tool: "book_appointment", text: "x", x: &sim.Exchange{ToolCalls: calls, Tools: &sim.ToolReply{}}, err: "no result for"},
		{name: "unreadable reply", tool: "book_appointment", text: "x", x: &sim.Exchange{ToolCalls: calls}, err: "could not be read"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := toolResultContains(c.x, c.tool, c.text)
			if c.err == "" {
				assert.NoError(t, err)
				return
			}
			assert.ErrorContains(t, err, c.err)
		})
	}
}

func TestToolArguments(t *testing.T) {
	args, err := toolArguments("book", "  {\"name\": \"Jan\",\n \"time\": \"10:30\"}\n")
	require.NoError(t, err)
	assert.Equal(t, `{"name":"Jan","time":"10:30"}`, string(args))
	for _, bad := range []string{`["a"]`, `{"name":`, `"text"`, ``} {
		_, err := toolArguments("book", bad)
		assert.ErrorContains(t, err, "must be a JSON object", bad)
	}
}

func TestRejection(t *testing.T) {
	reject := &sim.Exchange{Assistant: &sim.AssistantReply{Kind: sim.ReplyReject, Reject: "Dit nummer is niet in gebruik."}}
	assert.NoError(t, rejection(reject, "Dit nummer is niet in gebruik."))
	assert.ErrorContains(t, rejection(reject, "Tot ziens"), `not "Tot ziens"`)
	assert.ErrorContains(t, rejection(&sim.Exchange{Assistant: &sim.AssistantReply{Kind: sim.ReplyOverride}}, "x"), "did not reject")
	assert.ErrorContains(t, rejection(&sim.Exchange{}, "x"), "could not be used")
}

func TestSameMaxDuration(t *testing.T) {
	assert.NoError(t, sameMaxDuration(&sim.AssistantConfig{MaxDuration: 600 * time.Second}, 600))
	assert.ErrorContains(t, sameMaxDuration(&sim.AssistantConfig{MaxDuration: 300 * time.Second}, 600), "is 300 seconds, expected 600")
	assert.ErrorContains(t, sameMaxDuration(&sim.AssistantConfig{}, 600), "no max duration")
}

func TestIntentWords(t *testing.T) {
	in, err := intentOfPhrase("be called back")
	require.NoError(t, err)
	assert.Equal(t, sim.Callback, in)
	_, err = intentOfPhrase("sing a song")
	assert.ErrorContains(t, err, "say one of")
	in, err = intentOfName("wrong-number")
	require.NoError(t, err)
	assert.Equal(t, sim.Intent("wrong-number"), in)
	_, err = intentOfName("nope")
	assert.ErrorContains(t, err, "unknown intent")
}

func TestChecksOfExchanges(t *testing.T) {
	x := &sim.Exchange{ReplyUsed: true, Findings: []sim.Finding{{Check: "http-2xx"}, {Check: "ack-deadline"}, {Check: "http-2xx"}}}
	y := &sim.Exchange{Findings: []sim.Finding{{Check: "web-call"}}}
	assert.Equal(t, []string{"http-2xx", "ack-deadline"}, judgedBy(x))
	assert.True(t, applies([]*sim.Exchange{x, y}, "web-call"))
	assert.False(t, applies([]*sim.Exchange{x, y}, "tool-shape"))
	assert.Equal(t, []*sim.Exchange{x}, readReplies([]*sim.Exchange{x, y}))
}
