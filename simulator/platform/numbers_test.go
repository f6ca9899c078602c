package platform

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const otherKey = "sk_test_other"

// twoAccounts is a platform with two API keys: testKey and otherKey.
func twoAccounts(t *testing.T, mod func(o *Options)) *env {
	return setup(t, func(o *Options) {
		o.APIKeys = []string{testKey, otherKey}
		if mod != nil {
			mod(o)
		}
	})
}

// errParam is the code and param of an error answer.
func errParam(r response) (string, string) {
	e, _ := r.body["error"].(map[string]any)
	code, _ := e["code"].(string)
	param, _ := e["param"].(string)
	return code, param
}

// orderNumber registers a number for the test key's account.
func (e *env) orderNumber(body map[string]any) map[string]any {
	e.t.Helper()
	r := e.do(http.MethodPost, "/api/v1/numbers", body)
	require.Equal(e.t, http.StatusCreated, r.status, string(r.raw))
	n := r.body["number"].(map[string]any)
	requireSDK(e.t, "PhoneNumber", n)
	return n
}

func TestAvailableNumbers(t *testing.T) {
	e := twoAccounts(t, nil)
	all := e.do(http.MethodGet, "/api/v1/numbers/available?limit=100", nil)
	require.Equal(t, http.StatusOK, all.status, string(all.raw))
	list := all.body["numbers"].([]any)
	require.Len(t, list, 96, "12 numbers for each of 8 area codes")
	again := e.do(http.MethodGet, "/api/v1/numbers/available?limit=100", nil)
	assert.Equal(t, string(all.raw), string(again.raw), "the catalogue is the same every time")

	for _, tc := range []struct {
		query string
		n     int
		check func(map[string]any) bool
	}{
		{"", 20, nil},
		{"?area_code=20", 12, func(m map[string]any) bool { return strings.HasPrefix(m["phone_number"].(string), "+3120") }},
		{"?area_code=020&limit=3", 3, func(m map[string]any) bool { return m["region"] == "Amsterdam" }},
		{"?type=national&limit=100", 24, func(m map[string]any) bool { return m["type"] == "national" }},
		{"?contains=" + list[0].(map[string]any)["phone_number"].(string)[3:], 1, nil},
		{"?area_code=99", 0, nil},
	} {
		r := e.do(http.MethodGet, "/api/v1/numbers/available"+tc.query, nil)
		require.Equal(t, http.StatusOK, r.status, tc.query)
		got := r.body["numbers"].([]any)
		assert.Len(t, got, tc.n, tc.query)
		for _, g := range got {
			if tc.check != nil {
				assert.True(t, tc.check(g.(map[string]any)), "%s: %v", tc.query, g)
			}
		}
	}
	for query, param := range map[string]string{"?area_code=abc": "area_code", "?contains=12a": "contains", "?type=mobile": "type", "?limit=0": "limit", "?limit=101": "limit"} {
		r := e.do(http.MethodGet, "/api/v1/numbers/available"+query, nil)
		assert.Equal(t, http.StatusBadRequest, r.status, query)
		_, p := errParam(r)
		assert.Equal(t, param, p, query)
	}

	// An ordered number is no longer on offer, to any account.
	first := list[0].(map[string]any)["phone_number"].(string)
	n := e.orderNumber(map[string]any{"phone_number": first})
	assert.Equal(t, "catalogue", n["source"])
	r := e.doKey(otherKey, http.MethodGet, "/api/v1/numbers/available?limit=100", nil)
	assert.Len(t, r.body["numbers"], 95)
	assert.NotContains(t, string(r.raw), first)
}

func TestNumbersCRUD(t *testing.T) {
	e := twoAccounts(t, nil)
	asst := e.createAssistant(map[string]any{"name": "Receptie", "business_name": "Bakkerij Jansen"})
	r := e.doKey(otherKey, http.MethodPost, "/api/v1/assistants", map[string]any{"name": "Not yours"})
	require.Equal(t, http.StatusCreated, r.status)
	foreign := r.body["assistant"].(map[string]any)["id"].(string)

	r = e.do(http.MethodGet, "/api/v1/numbers", nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, []any{}, r.body["numbers"])

	for _, tc := range []struct {
		body        string
		status      int
		code, param string
	}{
		{`{}`, 400, "missing_field", "phone_number"},
		{`{"phone_number": "0201234567"}`, 400, "invalid_request", "phone_number"},
		{`{"phone_number": 31201234567}`, 400, "invalid_request", "phone_number"},
		{`{"phone_number": "+31201234567", "agent_id": 7}`, 400, "invalid_request", "agent_id"},
		{`{"phone_number": "+31201234567", "agent_id": "nope"}`, 404, "not_found", "agent_id"},
		{`{"phone_number": "+31201234567", "agent_id": "` + foreign + `"}`, 404, "not_found", "agent_id"},
		{`{"phone_number": "+31201234567", "is_active": "yes"}`, 400, "invalid_request", "is_active"},
		{`[1]`, 400, "invalid_request", ""},
	} {
		r := e.do(http.MethodPost, "/api/v1/numbers", tc.body)
		assert.Equal(t, tc.status, r.status, tc.body)
		code, param := errParam(r)
		assert.Equal(t, tc.code, code, tc.body)
		assert.Equal(t, tc.param, param, tc.body)
	}

	n := e.orderNumber(map[string]any{"phone_number": "+31201234567", "agent_id": asst})
	id := n["id"].(string)
	assert.Equal(t, asst, n["agent_id"])
	assert.Equal(t, "Receptie", n["agent_name"])
	assert.Equal(t, "Bakkerij Jansen", n["business_name"])
	assert.Equal(t, true, n["is_active"])
	assert.Equal(t, "imported", n["source"], "not a catalogue number")

	r = e.doKey(otherKey, http.MethodPost, "/api/v1/numbers", map[string]any{"phone_number": "+31201234567"})
	assert.Equal(t, http.StatusConflict, r.status, "a number has one owner")

	r = e.do(http.MethodGet, "/api/v1/numbers/"+id, nil)
	require.Equal(t, http.StatusOK, r.status)
	requireSDK(t, "PhoneNumber", r.body["number"])

	r = e.do(http.MethodPatch, "/api/v1/numbers/"+id, map[string]any{"agent_id": nil, "is_active": false, "transfer_trunk_id": "trunk-1"})
	require.Equal(t, http.StatusOK, r.status, string(r.raw))
	got := r.body["number"].(map[string]any)
	requireSDK(t, "PhoneNumber", got)
	assert.Nil(t, got["agent_id"], "null unlinks")
	assert.Nil(t, got["agent_name"])
	assert.Equal(t, false, got["is_active"])
	assert.Equal(t, "trunk-1", got["transfer_trunk_id"])

	r = e.do(http.MethodPatch, "/api/v1/numbers/"+id, map[string]any{"assistant_id": asst})
	require.Equal(t, http.StatusOK, r.status, string(r.raw))
	assert.Equal(t, asst, r.body["number"].(map[string]any)["agent_id"], "assistant_id is an alias")

	for body, param := range map[string]string{
		`{"phone_number": "+31201234568"}`: "phone_number",
		`{"agent_id": "` + foreign + `"}`:  "agent_id",
		`{"is_active": 1}`:                 "is_active",
		`{"transfer_trunk_id": ["a"]}`:     "transfer_trunk_id",
	} {
		r = e.do(http.MethodPatch, "/api/v1/numbers/"+id, body)
		assert.Contains(t, []int{400, 404}, r.status, body)
		_, p := errParam(r)
		assert.Equal(t, param, p, body)
	}

	r = e.do(http.MethodGet, "/api/v1/numbers?limit=1", nil)
	assert.Len(t, r.body["numbers"], 1)
	assert.Equal(t, map[string]any{"total": 1.0, "limit": 1.0, "offset": 0.0}, r.body["pagination"])
	r = e.doKey(otherKey, http.MethodGet, "/api/v1/numbers", nil)
	assert.Equal(t, []any{}, r.body["numbers"], "another account sees none")
	for _, m := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		r = e.doKey(otherKey, m, "/api/v1/numbers/"+id, `{}`)
		assert.Equal(t, http.StatusNotFound, r.status, "another account's number: %s", m)
	}

	r = e.do(http.MethodDelete, "/api/v1/numbers/"+id, nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, map[string]any{"success": true}, r.body)
	for _, m := range []string{http.MethodGet, http.MethodPatch, http.MethodDelete} {
		r = e.do(m, "/api/v1/numbers/"+id, `{}`)
		assert.Equal(t, http.StatusNotFound, r.status, m)
		code, _ := errParam(r)
		assert.Equal(t, "not_found", code)
	}
	r = e.doKey(otherKey, http.MethodPost, "/api/v1/numbers", map[string]any{"phone_number": "+31201234567"})
	assert.Equal(t, http.StatusCreated, r.status, "a released number can be ordered again")
}

// ackServer records the webhooks it gets and answers {}.
type ackServer struct {
	*httptest.Server
	mu     sync.Mutex
	bodies []string
}

func newAckServer(t *testing.T) *ackServer {
	a := &ackServer{}
	a.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		a.mu.Lock()
		a.bodies = append(a.bodies, string(b))
		a.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	t.Cleanup(a.Close)
	return a
}

func (a *ackServer) got() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]string(nil), a.bodies...)
}

func TestLinkedNumberAnswersInbound(t *testing.T) {
	other := newAckServer(t)
	e := twoAccounts(t, nil)
	asst := e.createAssistant(map[string]any{"name": "Lijn 2", "webhook_url": other.URL + "/hook"})
	linked := e.orderNumber(map[string]any{"phone_number": "+31851234567", "agent_id": asst})
	plain := e.orderNumber(map[string]any{"phone_number": "+31301234567"})

	// The linked number's calls go to its assistant's webhook.
	call := e.inbound(map[string]any{"phone_number": "+31851234567", "seed": 3})
	e.wait(call)
	obj := e.get(call)
	assert.Equal(t, asst, obj["assistant_id"])
	assert.Equal(t, "+31851234567", obj["assistant_phone"])
	assert.Equal(t, linked["id"], obj["number_id"])
	assert.Empty(t, e.rec.of(call), "the account webhook gets none of the linked number's calls")
	bodies := other.got()
	require.NotEmpty(t, bodies)
	for _, b := range bodies {
		var m struct {
			Message struct {
				PhoneNumber struct {
					ID     string `json:"id"`
					Number string `json:"number"`
				} `json:"phone_number"`
			} `json:"message"`
		}
		require.NoError(t, json.Unmarshal([]byte(b), &m))
		assert.Equal(t, "+31851234567", m.Message.PhoneNumber.Number, "the called number is in every webhook")
	}

	// A number without an assistant: the account's default agent and webhook.
	call = e.inbound(map[string]any{"phone_number": "+31301234567", "seed": 3})
	e.wait(call)
	assert.NotEmpty(t, e.rec.of(call))
	assert.Nil(t, e.get(call)["assistant_id"])
	assert.Equal(t, plain["id"], e.get(call)["number_id"])
	assert.Len(t, other.got(), len(bodies), "the assistant's webhook gets nothing more")

	// Unknown, other account's, inactive and malformed numbers.
	r := e.do(http.MethodPatch, "/api/v1/numbers/"+plain["id"].(string), map[string]any{"is_active": false})
	require.Equal(t, http.StatusOK, r.status)
	for _, tc := range []struct {
		key, number string
		status      int
	}{
		{testKey, "+31999999999", http.StatusNotFound},
		{otherKey, "+31851234567", http.StatusNotFound},
		{testKey, "+31301234567", http.StatusBadRequest},
		{testKey, "0851234567", http.StatusBadRequest},
	} {
		r := e.doKey(tc.key, http.MethodPost, "/simulate/inbound", map[string]any{"phone_number": tc.number})
		assert.Equal(t, tc.status, r.status, "%s %s: %s", tc.key, tc.number, r.raw)
		_, p := errParam(r)
		assert.Equal(t, "phone_number", p)
	}
}
