package dialect

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRawMemo(t *testing.T) {
	m := rawMemo{m: map[string][]byte{}}
	big := `{ "first_message" : "` + strings.Repeat("héé ", 200) + `" , "metadata": {"crm_id": "1"} }`
	want, err := appendRawObject(nil, json.RawMessage(big), "echo")
	require.NoError(t, err)
	for i := 0; i < 3; i++ {
		got, err := m.appendObject([]byte("x"), []byte(big), "echo")
		require.NoError(t, err)
		assert.Equal(t, "x"+string(want), string(got), "the memo gives the checked, compacted value")
	}
	assert.Len(t, m.m, 1)

	bad := `{"first_message": "` + strings.Repeat("a", 600) + `"`
	for i := 0; i < 2; i++ {
		_, err := m.appendObject(nil, []byte(bad), "echo")
		assert.Error(t, err, "an invalid value is refused every time, never remembered")
	}
	assert.Len(t, m.m, 1)

	for i := 0; i < rawMemoMax+10; i++ {
		v := fmt.Sprintf(`{"n":%d,"pad":%q}`, i, strings.Repeat("p", rawMemoMin))
		_, err := m.appendObject(nil, []byte(v), "echo")
		require.NoError(t, err)
	}
	assert.Len(t, m.m, rawMemoMax, "the memo is bounded")
}

func TestReplyMemo(t *testing.T) {
	d, err := ByName("flireo")
	require.NoError(t, err)
	dd := d.(*dialect)
	body := []byte(`{"assistant":{"first_message":"Hallo","llm_config":{"tools":[` +
		`{"name":"book_appointment","description":"` + strings.Repeat("book ", 120) + `","parameters":{"type":"object","properties":{"date":{"type":"string","format":"date"}},"required":["date"]}}` +
		`]}},"max_duration_seconds":90,"surprise":1}`)
	nl, en := simulator.DefaultAssistant("nl"), simulator.DefaultAssistant("en")
	want, wantCfg := dd.parseAssistantReply(body, nl)

	rep1, cfg1 := d.ParseAssistantReply(body, nl)
	rep2, cfg2 := d.ParseAssistantReply(body, simulator.DefaultAssistant("nl")) // an equal default
	assert.Len(t, dd.replies.m, 1)
	for _, got := range []*simulator.AssistantReply{rep1, rep2} {
		assert.Equal(t, want, got)
	}
	for _, got := range []*simulator.AssistantConfig{cfg1, cfg2} {
		assert.Equal(t, wantCfg, got)
	}
	assert.NotSame(t, rep1, rep2, "every caller gets its own structs")
	assert.NotSame(t, cfg1, cfg2)
	cfg2.MaxDuration, cfg2.FirstMessage = time.Minute, "changed"
	_, cfg3 := d.ParseAssistantReply(body, nl)
	assert.Equal(t, wantCfg, cfg3, "a caller's change does not reach the memo")

	// Each default resolves the same reply its own way; both are kept.
	hybrid := []byte(`{"assistant_id":"x","assistant_override":{"voicemail_message":"` + strings.Repeat("v", 600) + `"}}`)
	for range 2 {
		_, enCfg := d.ParseAssistantReply(hybrid, en)
		assert.Equal(t, en.FirstMessage, enCfg.FirstMessage)
		_, nlCfg := d.ParseAssistantReply(hybrid, nl)
		assert.Equal(t, nl.FirstMessage, nlCfg.FirstMessage)
	}
	assert.Len(t, dd.replies.m[string(hybrid)], 2)

	// A default with tools is never memoised.
	withTools := &simulator.AssistantConfig{FirstMessage: "Hoi", Tools: []simulator.Tool{{Name: "t"}}}
	before := len(dd.replies.m)
	big := []byte(`{"assistant":{"voicemail_message":"` + strings.Repeat("w", 600) + `"}}`)
	_, c1 := d.ParseAssistantReply(big, withTools)
	assert.Equal(t, "Hoi", c1.FirstMessage)
	assert.Len(t, dd.replies.m, before)
}

func TestReplyMemoConcurrent(t *testing.T) {
	d, err := ByName("flireo-camel")
	require.NoError(t, err)
	body := []byte(`{"assistant":{"firstMessage":"` + strings.Repeat("Hallo ", 100) + `"},"maxDurationSeconds":60}`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 50 {
				rep, cfg := d.ParseAssistantReply(body, simulator.DefaultAssistant("nl"))
				cfg.MaxDuration = rep.MaxDuration // what the engine does
				assert.Equal(t, simulator.ReplyOverride, rep.Kind)
			}
		})
	}
	wg.Wait()
}
