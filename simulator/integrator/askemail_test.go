package integrator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// controlCall is a control request the fake platform received.
type controlCall struct {
	Path string
	Auth string
	Body map[string]any
}

// fakePlatform records POST /api/v1/calls/{id}/control requests.
type fakePlatform struct {
	mu    sync.Mutex
	calls []controlCall
	got   chan struct{}
}

func newFakePlatform(t *testing.T) (*fakePlatform, string) {
	f := &fakePlatform{got: make(chan struct{}, 100)}
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var body map[string]any
		_ = json.Unmarshal(raw, &body)
		f.mu.Lock()
		f.calls = append(f.calls, controlCall{Path: r.URL.EscapedPath(), Auth: r.Header.Get("Authorization"), Body: body})
		f.mu.Unlock()
		f.got <- struct{}{}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"success":true,"message":"Command sent successfully"}`))
	}))
	t.Cleanup(ts.Close)
	return f, ts.URL
}

func (f *fakePlatform) wait(t *testing.T) controlCall {
	t.Helper()
	select {
	case <-f.got:
	case <-time.After(5 * time.Second):
		t.Fatal("no control request within 5 s")
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls[len(f.calls)-1]
}

func (f *fakePlatform) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.calls)
}

func declaredTools(t *testing.T, reply map[string]any, path string) []string {
	var names []string
	for _, x := range at(t, reply, path).([]any) {
		names = append(names, x.(map[string]any)["name"].(string))
	}
	return names
}

func TestAskEmailDeclaredOnlyWithPlatformAPI(t *testing.T) {
	_, plain := newTestServer(t, Options{})
	r := post(t, plain.URL+"/webhook", g3AssistantRequest)
	assert.NotContains(t, declaredTools(t, r.JSON(t), "assistant.llm_config.tools"), "ask_email")

	_, api := newFakePlatform(t)
	srv, ts := newTestServer(t, Options{PlatformAPI: api + "/api/v1", PlatformKey: "sk_x"})
	t.Cleanup(srv.Close)
	for body, path := range map[string]string{
		g3AssistantRequest: "assistant.llm_config.tools",
		g2AssistantRequest: "assistant.llm_config.tools",
		g1AssistantRequest: "assistant.model.tools",
	} {
		r := post(t, ts.URL+"/webhook", body)
		require.Equal(t, http.StatusOK, r.Status)
		names := declaredTools(t, r.JSON(t), path)
		assert.Equal(t, "ask_email", names[len(names)-1], path)
	}
}

func TestAskEmailInjects(t *testing.T) {
	const callID = "call-_+31612345678_AbC123"
	g3 := func(caller, args string) string {
		return `{"message":{"type":"tool-calls","call":{"id":"` + callID + `","type":"inbound_phone_call","status":"in-progress"},
			"customer":{"number":"` + caller + `"},
			"tool_call_list":[{"id":"tool_1","type":"function","function":{"name":"ask_email","arguments":` + args + `}}]}}`
	}
	g1 := `{"eventTime":1756278882619,"callId":"875573b5-4458-45be-bac2-4d2b869f8297","eventType":"tool-calls",
		"fromCaller":"+31601234567","toAssistant":"+31850123456",
		"tasksInitiated":[{"taskId":"call_1","taskName":"ask_email"}]}`
	cases := []struct {
		name, body  string
		path, email string // "" email: no injection
	}{
		{"known caller", g3("+31612345678", `{}`), "/api/v1/calls/call-_+31612345678_AbC123/control", "jan.devries@example.nl"},
		{"spoken address", g3("+31699999999", `{"email":" Pim.Pol@Example.com "}`), "/api/v1/calls/call-_+31612345678_AbC123/control", "pim.pol@example.com"},
		{"no address", g3("+31699999999", `{"email":"pim at example"}`), "", ""},
		{"legacy G1 (spec §5.2)", g1, "/api/v1/calls/875573b5-4458-45be-bac2-4d2b869f8297/control", "jonas.bakker@example.nl"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, api := newFakePlatform(t)
			srv, ts := newTestServer(t, Options{PlatformAPI: api + "/api/v1/", PlatformKey: "sk_x"})
			r := post(t, ts.URL+"/webhook", c.body)
			require.Equal(t, http.StatusOK, r.Status, string(r.Body))
			assert.Contains(t, string(r.Body), "sms", "ask_email answers at once")
			assert.NotContains(t, string(r.Body), "unknown tool")
			if c.email == "" {
				srv.Close()
				assert.Zero(t, f.count(), "nothing to inject")
				return
			}
			got := f.wait(t)
			srv.Close()
			assert.Equal(t, c.path, got.Path)
			assert.Equal(t, "Bearer sk_x", got.Auth)
			assert.Equal(t, "inject-context", got.Body["type"])
			assert.Equal(t, true, got.Body["trigger_response"])
			assert.Contains(t, got.Body["content"], c.email)
		})
	}
}

func TestAskEmailWithoutPlatformIsUnknown(t *testing.T) {
	_, ts := newTestServer(t, Options{})
	body := strings.Replace(g3ToolCalls, `"lookup_contact"`, `"ask_email"`, 1)
	r := post(t, ts.URL+"/webhook", body)
	require.Equal(t, http.StatusOK, r.Status)
	assert.Contains(t, string(r.Body), `unknown tool \"ask_email\"`)
}
