package scenarios

import (
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/fixtures"
)

// shapeServer answers the assistant-request of the envelope formats with
// assistant, the legacy one with the documented full G1 assistant, tool-calls
// with tools(ids) and every other event with 200.
func shapeServer(t *testing.T, assistant []byte, tools func(ids []string) []byte) string {
	t.Helper()
	g1 := fixture(t, "documented/replies/assistant/g1-full-assistant.json")
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var ev struct {
			EventType string `json:"eventType"`
			Tasks     []struct {
				ID string `json:"taskId"`
			} `json:"tasksInitiated"`
			Message struct {
				Type  string `json:"type"`
				Snake []struct {
					ID string `json:"id"`
				} `json:"tool_call_list"`
				Camel []struct {
					ID string `json:"id"`
				} `json:"toolCallList"`
			} `json:"message"`
		}
		_ = json.Unmarshal(body, &ev)
		w.Header().Set("Content-Type", "application/json")
		switch {
		case ev.EventType == "assistant-request":
			_, _ = w.Write(g1)
		case ev.Message.Type == "assistant-request":
			_, _ = w.Write(assistant)
		case ev.EventType == "tool-calls" || ev.Message.Type == "tool-calls":
			var ids []string
			for _, c := range ev.Message.Snake {
				ids = append(ids, c.ID)
			}
			for _, c := range ev.Message.Camel {
				ids = append(ids, c.ID)
			}
			for _, c := range ev.Tasks {
				ids = append(ids, c.ID)
			}
			_, _ = w.Write(tools(ids))
		default:
			_, _ = w.Write([]byte(`{"ok":true}`))
		}
	}))
	t.Cleanup(ts.Close)
	return ts.URL + "/webhook"
}

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := fs.ReadFile(fixtures.FS, name)
	require.NoError(t, err)
	return b
}

// local drops every tool url of an assistant reply, so that tool-calls stay
// on the loopback stub.
func local(t *testing.T, b []byte) []byte {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(b, &v))
	var walk func(any)
	walk = func(x any) {
		switch m := x.(type) {
		case map[string]any:
			delete(m, "url")
			delete(m, "server")
			for _, e := range m {
				walk(e)
			}
		case []any:
			for _, e := range m {
				walk(e)
			}
		}
	}
	walk(v)
	out, err := json.Marshal(v)
	require.NoError(t, err)
	return out
}

// withTools declares sync and async tools, as a server that uses tools does.
const withTools = `{"assistant":{"first_message":"Goedemiddag!","llm_config":{"tools":[
 {"name":"lookup_contact","description":"Look up a contact","parameters":{"type":"object","properties":{"query":{"type":"string"}},"required":["query"]}},
 {"name":"check_availability","description":"Free slots","parameters":{"type":"object","properties":{"date":{"type":"string","format":"date"}},"required":["date"]}},
 {"name":"book_appointment","description":"Book an appointment","parameters":{"type":"object","properties":{"name":{"type":"string"},"date":{"type":"string","format":"date"},"time":{"type":"string","format":"time"}},"required":["name","date","time"]}},
 {"name":"request_callback","description":"Call back later","async":true,"async_response":"Ik regel dat.","parameters":{"type":"object","properties":{"phone":{"type":"string"}}}}]}},
 "max_duration_seconds":600}`

func resultsReply(key string, entry func(id string) map[string]any) func([]string) []byte {
	return func(ids []string) []byte {
		rs := make([]map[string]any, len(ids))
		for i, id := range ids {
			rs[i] = entry(id)
			rs[i][key] = id
		}
		b, _ := json.Marshal(map[string]any{"results": rs})
		return b
	}
}

func constant(b []byte) func([]string) []byte { return func([]string) []byte { return b } }

// TestEveryDocumentedReplyShapeConforms runs the suite against servers that
// answer in each documented reply shape: every shape is accepted, and a server
// that uses it passes.
func TestEveryDocumentedReplyShapeConforms(t *testing.T) {
	results := resultsReply("tool_call_id", func(string) map[string]any { return map[string]any{"result": map[string]any{"ok": true}} })
	type shape struct {
		name      string
		assistant []byte
		tools     func([]string) []byte
	}
	var shapes []shape
	// The documented examples the fixtures mark as flawed (a tool without a
	// name, keys no spelling knows) are no shape a conforming server uses.
	var expected struct {
		Assistant map[string]struct {
			Problems int      `json:"problems"`
			Unknown  []string `json:"unknown"`
		} `json:"assistant"`
	}
	require.NoError(t, json.Unmarshal(fixture(t, "documented/replies/expected.json"), &expected))
	entries, err := fs.ReadDir(fixtures.FS, "documented/replies/assistant")
	require.NoError(t, err)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "g1-") {
			continue // the legacy shape: answered to every legacy assistant-request
		}
		if x := expected.Assistant[e.Name()]; x.Problems > 0 || len(x.Unknown) > 0 {
			continue
		}
		shapes = append(shapes, shape{"assistant " + e.Name(), local(t, fixture(t, path.Join("documented/replies/assistant", e.Name()))), results})
	}
	shapes = append(shapes,
		shape{"tools results with tool_call_id", []byte(withTools), results},
		shape{"tools results with toolCallId", []byte(withTools), resultsReply("toolCallId", func(string) map[string]any { return map[string]any{"result": "gelukt"} })},
		shape{"tools results with error entries", []byte(withTools), resultsReply("tool_call_id", func(string) map[string]any { return map[string]any{"error": "niet beschikbaar"} })},
		shape{"tools simple", []byte(withTools), constant(fixture(t, "documented/replies/tools/g2-simple.json"))},
		shape{"tools direct", []byte(withTools), constant(fixture(t, "documented/replies/tools/g2-direct.json"))},
		shape{"tools error", []byte(withTools), constant(fixture(t, "documented/replies/tools/g2-error.json"))},
		shape{"tools error (G3+)", []byte(withTools), constant(fixture(t, "documented/replies/tools/g3plus-error.json"))},
	)
	for _, s := range shapes {
		t.Run(s.name, func(t *testing.T) {
			target := shapeServer(t, s.assistant, s.tools)
			res, _ := run(t, Config{Target: target, Seed: 2},
				RunOptions{Tags: "@assistant-request,@tools,@lifecycle,@deadlines", Concurrency: 4})
			assert.Equal(t, StatusPass, res.Verdict, res.Reason)
			assert.Empty(t, failedChecks(res))
			for _, sc := range res.Scenarios {
				assert.NotEqual(t, StatusFail, sc.Status, "%s: %s", sc.Name, sc.Error)
			}
			if strings.HasPrefix(s.name, "tools") {
				assert.Equal(t, StatusPass, byIDOf(res, "tool-results-once").Status, "tool scenarios ran")
			}
		})
	}
}
