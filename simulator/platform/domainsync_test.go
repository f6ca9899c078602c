package platform

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// resendDomains lists the account's Resend domains.
func resendDomains(t *testing.T, e *env, key string) []map[string]any {
	t.Helper()
	r := e.doKey(key, http.MethodGet, "/api/v1/domains/sync", nil)
	require.Equal(t, http.StatusOK, r.status, string(r.raw))
	var list []map[string]any
	require.NoError(t, json.Unmarshal(r.raw, &list))
	return list
}

func TestResendDomainSync(t *testing.T) {
	e := openAccounts(t)
	list := resendDomains(t, e, testKey)
	require.Len(t, list, 2)
	other := resendDomains(t, e, otherKey)
	assert.NotEqual(t, list[0]["id"], other[0]["id"], "ids differ per account")

	cases := []struct {
		name   string
		body   any
		status int
		param  string
	}{
		{"no domain_id", map[string]any{}, http.StatusBadRequest, "domain_id"},
		{"another account's id", map[string]any{"domain_id": other[0]["id"]}, http.StatusNotFound, "domain_id"},
		{"an unknown id", map[string]any{"domain_id": "rd_nope"}, http.StatusNotFound, "domain_id"},
		{"a listed id", map[string]any{"domain_id": list[1]["id"]}, http.StatusOK, ""},
		{"again, with a domain already", map[string]any{"domain_id": list[0]["id"]}, http.StatusConflict, "domain_id"},
	}
	for _, c := range cases {
		r := e.do(http.MethodPost, "/api/v1/domains/sync", c.body)
		require.Equal(t, c.status, r.status, "%s: %s", c.name, r.raw)
		if c.param != "" {
			assert.Equal(t, c.param, errorOf(t, r)["param"], c.name)
		}
	}
	r := e.do(http.MethodGet, "/api/v1/domains", nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, list[1]["name"], r.body["domain"])
	assert.Equal(t, true, r.body["verified"], "a Resend domain is verified there already")
}
