package platform

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// openAccounts starts the platform with two API keys and no practical rate
// limit.
func openAccounts(t *testing.T) *env {
	t.Helper()
	return setup(t, func(o *Options) {
		o.APIKeys = []string{testKey, otherKey}
		o.RequestsPerMinute = 1 << 20
	})
}

// errorOf returns the error member of an answer.
func errorOf(t *testing.T, r response) map[string]any {
	t.Helper()
	e, ok := r.body["error"].(map[string]any)
	require.True(t, ok, "an error body: %s", r.raw)
	return e
}

// crudCase is one resource kind driven through the generic operations.
type crudCase struct {
	path, one, many string
	create          map[string]any
	check           func(t *testing.T, obj map[string]any)
	patch           map[string]any // nil: PATCH is not an operation (405)
	afterPatch      func(t *testing.T, obj map[string]any)
	invalid         []invalidCase
	secret          string // a secret in create that must never be answered
}

type invalidCase struct {
	body  string
	param string
}

func crudCases() []crudCase {
	return []crudCase{{
		path: "/api/v1/tool-templates", one: "tool_template", many: "tool_templates",
		create: map[string]any{"name": "Availability", "description": "Vrije tijden",
			"function_definition": map[string]any{"name": "check_availability", "parameters": map[string]any{"type": "object"}},
			"server_url":          "https://tools.example.com/hook", "server_secret": "whsec_tool_secret_123", "async": false},
		check: func(t *testing.T, o map[string]any) {
			assert.Equal(t, "Availability", o["name"])
			assert.Equal(t, "function", o["tool_type"])
			assert.Equal(t, "check_availability", o["function_definition"].(map[string]any)["name"])
			assert.Equal(t, "Vrije tijden", o["function_definition"].(map[string]any)["description"], "the template's description by default")
			assert.Equal(t, "https://tools.example.com/hook", o["tool_config"].(map[string]any)["url"])
			assert.Equal(t, maskedSecret, o["server_secret"])
		},
		patch: map[string]any{"description": nil, "async": true},
		afterPatch: func(t *testing.T, o map[string]any) {
			assert.NotContains(t, o, "description", "null removes")
			assert.Equal(t, true, o["async"])
		},
		invalid: []invalidCase{
			{`{"description": "x"}`, "name"},
			{`{"name": 5}`, "name"},
			{`{"name": "Heeft spaties"}`, "function_definition.name"},
			{`{"name": "x", "function_definition": {"name": "9bad"}}`, "function_definition.name"},
			{`{"name": "x", "function_definition": {"parameters": []}}`, "function_definition.parameters"},
			{`{"name": "x", "server_url": "ftp://example.com"}`, "server_url"},
			{`{"name": "x", "tool_type": "webhook"}`, "tool_type"},
			{`{"name": "x", "tool_type": "transfer_call", "tool_config": {"destinations": [{"type": "number", "number": "0612"}]}}`, "tool_config.destinations"},
			{`{"name": "x", "tool_type": "transfer_call"}`, "tool_config.destinations"},
		},
		secret: "whsec_tool_secret_123",
	}, {
		path: "/api/v1/analysis-templates", one: "analysis_template", many: "analysis_templates",
		create: map[string]any{"name": "Sentiment", "schema": map[string]any{"type": "object",
			"properties": map[string]any{"sentiment": map[string]any{"type": "integer", "minimum": 1, "maximum": 10}}},
			"user_prompt": "Analyseer {transcript}"},
		check: func(t *testing.T, o map[string]any) {
			assert.Equal(t, "Sentiment", o["name"])
			assert.Contains(t, o["schema"].(map[string]any)["properties"], "sentiment")
			assert.Equal(t, "Analyseer {transcript}", o["user_prompt"])
		},
		patch:      map[string]any{"description": "Stemming"},
		afterPatch: func(t *testing.T, o map[string]any) { assert.Equal(t, "Stemming", o["description"]) },
		invalid: []invalidCase{
			{`{"schema": {"type": "object", "properties": {"a": {}}}}`, "name"},
			{`{"name": "x"}`, "schema"},
			{`{"name": "x", "schema": {"type": "array", "properties": {"a": {}}}}`, "schema"},
			{`{"name": "x", "schema": {"type": "object"}}`, "schema"},
			{`{"name": "x", "schema": "sentiment"}`, "schema"},
			{`{"name": "x", "schema": {"properties": {"a": {}}}, "messages": [{"role": "tool", "content": "x"}]}`, "messages"},
			{`{"name": "x", "schema": {"properties": {"a": {}}}, "min_messages_threshold": -1}`, "min_messages_threshold"},
		},
	}, {
		path: "/api/v1/sip-trunks", one: "trunk", many: "trunks",
		create: map[string]any{"name": "Kantoor", "provider": "voys", "inbound_addresses": []string{"203.0.113.10", "198.51.100.0/24"},
			"outbound_address": "sip.voys.nl:5060", "outbound_number": "+31201234567", "auth_username": "kantoor", "auth_password": "sip_pass_987"},
		check: func(t *testing.T, o map[string]any) {
			assert.Equal(t, "Kantoor", o["name"])
			assert.Equal(t, []any{"203.0.113.10", "198.51.100.0/24"}, o["inbound_addresses"])
			assert.Equal(t, maskedSecret, o["auth_password"])
		},
		invalid: []invalidCase{
			{`{"provider": "voys"}`, "name"},
			{`{"name": "x", "inbound_addresses": ["not an address!"]}`, "inbound_addresses"},
			{`{"name": "x", "inbound_addresses": "203.0.113.10"}`, "inbound_addresses"},
			{`{"name": "x", "outbound_address": "sip.example.com:99999"}`, "outbound_address"},
			{`{"name": "x", "outbound_number": "0201234567"}`, "outbound_number"},
			{`{"name": "x", "auth_password": "p"}`, "auth_username"},
		},
		secret: "sip_pass_987",
	}}
}

func TestResourceCRUD(t *testing.T) {
	e := openAccounts(t)
	for _, tc := range crudCases() {
		t.Run(tc.many, func(t *testing.T) {
			r := e.do(http.MethodGet, tc.path, nil)
			require.Equal(t, http.StatusOK, r.status, string(r.raw))
			assert.Equal(t, []any{}, r.body[tc.many])

			r = e.do(http.MethodPost, tc.path, tc.create)
			require.Equal(t, http.StatusCreated, r.status, string(r.raw))
			obj := r.body[tc.one].(map[string]any)
			id := obj["id"].(string)
			for _, k := range []string{"id", "org_id", "created_at", "updated_at"} {
				assert.NotEmpty(t, obj[k], k)
			}
			tc.check(t, obj)

			r = e.do(http.MethodGet, tc.path+"/"+id, nil)
			require.Equal(t, http.StatusOK, r.status)
			tc.check(t, r.body[tc.one].(map[string]any))

			r = e.do(http.MethodGet, tc.path, nil)
			require.Len(t, r.body[tc.many], 1)
			assert.Equal(t, map[string]any{"total": 1.0, "limit": 50.0, "offset": 0.0}, r.body["pagination"])

			r = e.do(http.MethodPatch, tc.path+"/"+id, tc.patch)
			if tc.patch == nil {
				assert.Equal(t, http.StatusMethodNotAllowed, r.status, "not a documented operation")
			} else {
				require.Equal(t, http.StatusOK, r.status, string(r.raw))
				tc.afterPatch(t, r.body[tc.one].(map[string]any))
			}

			// Another account sees none of it.
			r = e.doKey(otherKey, http.MethodGet, tc.path+"/"+id, nil)
			assert.Equal(t, http.StatusNotFound, r.status)
			assert.Equal(t, "not_found", errorOf(t, r)["code"])
			assert.Equal(t, http.StatusNotFound, e.doKey(otherKey, http.MethodDelete, tc.path+"/"+id, nil).status)
			r = e.doKey(otherKey, http.MethodGet, tc.path, nil)
			assert.Equal(t, []any{}, r.body[tc.many])

			assert.Equal(t, http.StatusNotFound, e.do(http.MethodGet, tc.path+"/nope", nil).status)
			r = e.do(http.MethodDelete, tc.path+"/"+id, nil)
			require.Equal(t, http.StatusOK, r.status)
			assert.Equal(t, map[string]any{"success": true}, r.body)
			assert.Equal(t, http.StatusNotFound, e.do(http.MethodGet, tc.path+"/"+id, nil).status)
			assert.Equal(t, http.StatusNotFound, e.do(http.MethodDelete, tc.path+"/"+id, nil).status)
		})
	}
}

func TestResourceValidation(t *testing.T) {
	e := openAccounts(t)
	for _, tc := range crudCases() {
		for _, bad := range tc.invalid {
			t.Run(tc.many+" "+bad.body, func(t *testing.T) {
				r := e.do(http.MethodPost, tc.path, bad.body)
				require.Equal(t, http.StatusBadRequest, r.status, string(r.raw))
				assert.Equal(t, bad.param, errorOf(t, r)["param"], string(r.raw))
			})
		}
		t.Run(tc.many+" not JSON", func(t *testing.T) {
			assert.Equal(t, http.StatusBadRequest, e.do(http.MethodPost, tc.path, `{"name": `).status)
		})
	}
	// An update that breaks the object is refused and changes nothing.
	r := e.do(http.MethodPost, "/api/v1/analysis-templates", crudCases()[1].create)
	id := r.body["analysis_template"].(map[string]any)["id"].(string)
	r = e.do(http.MethodPatch, "/api/v1/analysis-templates/"+id, map[string]any{"schema": nil})
	assert.Equal(t, http.StatusBadRequest, r.status)
	assert.Equal(t, "schema", errorOf(t, r)["param"])
	r = e.do(http.MethodGet, "/api/v1/analysis-templates/"+id, nil)
	assert.Contains(t, r.body["analysis_template"], "schema")
	assert.Equal(t, http.StatusBadRequest, e.do(http.MethodPatch, "/api/v1/analysis-templates/"+id, `[]`).status)
}

func TestResourceSecretsNeverAnswered(t *testing.T) {
	e := openAccounts(t)
	for _, tc := range crudCases() {
		if tc.secret == "" {
			continue
		}
		r := e.do(http.MethodPost, tc.path, tc.create)
		require.Equal(t, http.StatusCreated, r.status)
		id := r.body[tc.one].(map[string]any)["id"].(string)
		for _, path := range []string{tc.path, tc.path + "/" + id} {
			r = e.do(http.MethodGet, path, nil)
			assert.NotContains(t, string(r.raw), tc.secret, path)
			assert.Contains(t, string(r.raw), maskedSecret, path)
		}
	}
}

func TestResourcePagination(t *testing.T) {
	e := openAccounts(t)
	var ids []string
	for _, name := range []string{"a", "b", "c"} {
		r := e.do(http.MethodPost, "/api/v1/sip-trunks", map[string]any{"name": name})
		require.Equal(t, http.StatusCreated, r.status)
		ids = append(ids, r.body["trunk"].(map[string]any)["id"].(string))
	}
	r := e.do(http.MethodGet, "/api/v1/sip-trunks?limit=2&offset=1", nil)
	require.Equal(t, http.StatusOK, r.status)
	list := r.body["trunks"].([]any)
	require.Len(t, list, 2)
	assert.Equal(t, ids[1], list[0].(map[string]any)["id"], "oldest first")
	assert.Equal(t, map[string]any{"total": 3.0, "limit": 2.0, "offset": 1.0}, r.body["pagination"])
	r = e.do(http.MethodGet, "/api/v1/sip-trunks?offset=7", nil)
	assert.Equal(t, []any{}, r.body["trunks"])
	for _, q := range []string{"limit=0", "limit=101", "limit=x", "offset=-1"} {
		r = e.do(http.MethodGet, "/api/v1/sip-trunks?"+q, nil)
		assert.Equal(t, http.StatusBadRequest, r.status, q)
		assert.Equal(t, strings.SplitN(q, "=", 2)[0], errorOf(t, r)["param"], q)
	}
}

// Concurrent reads and writes of one object are safe (run with -race).
func TestResourceConcurrentUse(t *testing.T) {
	e := openAccounts(t)
	r := e.do(http.MethodPost, "/api/v1/tool-templates", availabilityTemplate)
	require.Equal(t, http.StatusCreated, r.status)
	id := r.body["tool_template"].(map[string]any)["id"].(string)
	var wg sync.WaitGroup
	statuses := make(chan int, 64)
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range 4 {
				var r response
				switch (i + j) % 3 {
				case 0:
					r = e.do(http.MethodPatch, "/api/v1/tool-templates/"+id, map[string]any{"description": fmt.Sprint(i, j)})
				case 1:
					r = e.do(http.MethodGet, "/api/v1/tool-templates/"+id, nil)
				default:
					r = e.do(http.MethodGet, "/api/v1/tool-templates", nil)
				}
				statuses <- r.status
			}
		}()
	}
	wg.Wait()
	close(statuses)
	for s := range statuses {
		assert.Equal(t, http.StatusOK, s)
	}
}

// A kind holds at most maxRecords objects; a create above answers 409.
func TestResourceCap(t *testing.T) {
	e := openAccounts(t)
	create := func(key string) int {
		req := httptest.NewRequest(http.MethodPost, "/api/v1/sip-trunks", strings.NewReader(`{"name": "t"}`))
		req.Header.Set("Authorization", "Bearer "+key)
		rec := httptest.NewRecorder()
		e.p.ServeHTTP(rec, req)
		return rec.Code
	}
	for i := range maxRecords {
		require.Equal(t, http.StatusCreated, create(testKey), "object %d", i+1)
	}
	assert.Equal(t, http.StatusConflict, create(testKey))
	assert.Equal(t, http.StatusConflict, create(otherKey), "the cap counts every account")
	r := e.do(http.MethodGet, "/api/v1/sip-trunks?limit=1", nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, float64(maxRecords), r.body["pagination"].(map[string]any)["total"])
	assert.Equal(t, errTooManyRecords, errorOf(t, e.do(http.MethodPost, "/api/v1/sip-trunks", map[string]any{"name": "t"}))["code"])
}
