package platform

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOrganization(t *testing.T) {
	e := openAccounts(t)
	r := e.do(http.MethodGet, "/api/v1/organizations", nil)
	require.Equal(t, http.StatusOK, r.status, string(r.raw))
	org := r.body
	for _, k := range []string{"id", "name", "created_at", "plan"} {
		assert.NotEmpty(t, org[k], k)
	}
	assert.Equal(t, 0.0, org["active_agents"])
	assert.Equal(t, 0.0, org["active_calls"])
	assert.Equal(t, 0.0, org["active_numbers"])
	assert.Equal(t, 0.0, org["monthly_usage_minutes"])
	require.Equal(t, http.StatusCreated, e.do(http.MethodPost, "/api/v1/numbers", map[string]any{"phone_number": "+31201234567"}).status)
	assert.Equal(t, 1.0, e.do(http.MethodGet, "/api/v1/organizations", nil).body["active_numbers"], "counts the account's numbers")
	other := e.doKey(otherKey, http.MethodGet, "/api/v1/organizations", nil).body
	assert.NotEqual(t, org["id"], other["id"], "one organization per account")

	require.Equal(t, http.StatusCreated, e.do(http.MethodPost, "/api/v1/assistants", map[string]any{"name": "Support"}).status)
	r = e.do(http.MethodPatch, "/api/v1/organizations", map[string]any{"name": "Voorbeeld BV", "email": "info@voorbeeld.nl"})
	require.Equal(t, http.StatusOK, r.status, string(r.raw))
	assert.Equal(t, "Voorbeeld BV", r.body["name"])
	assert.Equal(t, "info@voorbeeld.nl", r.body["email"])
	assert.Equal(t, org["id"], r.body["id"])
	assert.Equal(t, 1.0, r.body["active_agents"], "counts the account's assistants")
	assert.Equal(t, "Voorbeeld BV", e.do(http.MethodGet, "/api/v1/organizations", nil).body["name"])
	assert.Equal(t, 0.0, e.doKey(otherKey, http.MethodGet, "/api/v1/organizations", nil).body["active_agents"])

	r = e.do(http.MethodPost, "/api/v1/organizations", map[string]any{"name": "Klant A"})
	require.Equal(t, http.StatusCreated, r.status, string(r.raw))
	assert.Equal(t, org["id"], r.body["parent_id"])
	assert.NotEqual(t, org["id"], r.body["id"])

	for _, c := range []struct{ method, body, param string }{
		{http.MethodPatch, `{"name": ""}`, "name"},
		{http.MethodPatch, `{"name": 3}`, "name"},
		{http.MethodPatch, `{"email": "geen adres"}`, "email"},
		{http.MethodPost, `{"email": "a@b.nl"}`, "name"},
	} {
		r = e.do(c.method, "/api/v1/organizations", c.body)
		assert.Equal(t, http.StatusBadRequest, r.status, c.body)
		assert.Equal(t, c.param, errorOf(t, r)["param"], c.body)
	}
}

func TestOrganizationCountsLiveCalls(t *testing.T) {
	e, g := held(t, nil)
	id := e.inbound(nil)
	g.waitHeld(t)
	assert.Equal(t, 1.0, e.do(http.MethodGet, "/api/v1/organizations", nil).body["active_calls"])
	g.open()
	e.wait(id)
	org := e.do(http.MethodGet, "/api/v1/organizations", nil).body
	assert.Equal(t, 0.0, org["active_calls"])
	usage := e.do(http.MethodGet, "/api/v1/usage", nil).body["summary"].(map[string]any)
	assert.Positive(t, org["monthly_usage_minutes"], "the ended call counts")
	assert.Equal(t, usage["total_duration_minutes"], org["monthly_usage_minutes"], "as GET /usage bills it")
}

func TestBYOK(t *testing.T) {
	e := openAccounts(t)
	const key = "sk-proj-secret-key-0123456789"
	r := e.do(http.MethodGet, "/api/v1/byok", nil)
	require.Equal(t, http.StatusOK, r.status)
	keys := r.body["byok_keys"].(map[string]any)
	assert.Len(t, keys, 7)
	assert.Nil(t, keys["openai_secret_id"])

	r = e.do(http.MethodPost, "/api/v1/byok", map[string]any{"provider": "openai", "api_key": key})
	require.Equal(t, http.StatusOK, r.status, string(r.raw))
	assert.Equal(t, true, r.body["success"])
	secretID, _ := r.body["byok_keys"].(map[string]any)["openai_secret_id"].(string)
	assert.True(t, strings.HasPrefix(secretID, "vault_"), secretID)
	assert.NotContains(t, string(r.raw), key)

	for _, path := range []string{"/api/v1/byok", "/api/v1/byok/config"} {
		r = e.do(http.MethodGet, path, nil)
		require.Equal(t, http.StatusOK, r.status)
		assert.NotContains(t, string(r.raw), key, path)
		assert.NotContains(t, string(r.raw), "0123456789", path)
	}
	cfg := r.body["providers"].(map[string]any)
	assert.Equal(t, map[string]any{"configured": false}, cfg["deepgram"])
	assert.Equal(t, maskedSecret, cfg["openai"].(map[string]any)["api_key"])
	assert.Nil(t, e.doKey(otherKey, http.MethodGet, "/api/v1/byok", nil).body["byok_keys"].(map[string]any)["openai_secret_id"], "per account")

	r = e.do(http.MethodPost, "/api/v1/byok/config", map[string]any{"provider": "openai"})
	require.Equal(t, http.StatusOK, r.status, string(r.raw))
	assert.Equal(t, true, r.body["valid"])
	require.Equal(t, http.StatusOK, e.do(http.MethodPost, "/api/v1/byok", map[string]any{"provider": "xai", "api_key": "xai-invalid-test"}).status)
	r = e.do(http.MethodPost, "/api/v1/byok/config", map[string]any{"provider": "xai"})
	assert.Equal(t, false, r.body["valid"])
	assert.Equal(t, false, e.do(http.MethodGet, "/api/v1/byok/config", nil).body["providers"].(map[string]any)["xai"].(map[string]any)["verified"])
	assert.Equal(t, http.StatusNotFound, e.do(http.MethodPost, "/api/v1/byok/config", map[string]any{"provider": "mistral"}).status)
	assert.Equal(t, http.StatusNotFound, e.doKey(otherKey, http.MethodPost, "/api/v1/byok/config", map[string]any{"provider": "openai"}).status)

	for _, c := range []struct{ method, path, body, param string }{
		{http.MethodPost, "/api/v1/byok", `{"api_key": "k"}`, "provider"},
		{http.MethodPost, "/api/v1/byok", `{"provider": "azure", "api_key": "k"}`, "provider"},
		{http.MethodPost, "/api/v1/byok", `{"provider": "openai"}`, "api_key"},
		{http.MethodPost, "/api/v1/byok", `{"provider": "openai", "api_key": 7}`, "api_key"},
		{http.MethodDelete, "/api/v1/byok", `{}`, "provider"},
		{http.MethodPost, "/api/v1/byok/config", `{"provider": "aws"}`, "provider"},
	} {
		r = e.do(c.method, c.path, c.body)
		assert.Equal(t, http.StatusBadRequest, r.status, c.body)
		assert.Equal(t, c.param, errorOf(t, r)["param"], c.body)
	}

	assert.Equal(t, http.StatusNotFound, e.doKey(otherKey, http.MethodDelete, "/api/v1/byok", map[string]any{"provider": "openai"}).status)
	r = e.do(http.MethodDelete, "/api/v1/byok", map[string]any{"provider": "openai"})
	require.Equal(t, http.StatusOK, r.status)
	assert.Nil(t, r.body["byok_keys"].(map[string]any)["openai_secret_id"])
	assert.Equal(t, http.StatusNotFound, e.do(http.MethodDelete, "/api/v1/byok", map[string]any{"provider": "openai"}).status)
}

func TestDomains(t *testing.T) {
	e := openAccounts(t)
	assert.Equal(t, http.StatusNotFound, e.do(http.MethodGet, "/api/v1/domains", nil).status)
	assert.Equal(t, http.StatusNotFound, e.do(http.MethodPost, "/api/v1/domains/verify", nil).status)

	r := e.do(http.MethodPost, "/api/v1/domains", map[string]any{"domain": "Mail.Voorbeeld.NL"})
	require.Equal(t, http.StatusCreated, r.status, string(r.raw))
	assert.Equal(t, "mail.voorbeeld.nl", r.body["domain"])
	assert.Equal(t, false, r.body["verified"])
	recs := r.body["dns_records"].([]any)
	require.NotEmpty(t, recs)
	first := recs[0].(map[string]any)
	assert.Equal(t, "TXT", first["type"])
	assert.Equal(t, "_flireo-verification.mail.voorbeeld.nl", first["name"])
	assert.True(t, strings.HasPrefix(first["value"].(string), "flireo-verification="))

	r = e.do(http.MethodPost, "/api/v1/domains", map[string]any{"domain": "other.nl"})
	assert.Equal(t, http.StatusConflict, r.status, "one domain per account")
	assert.Equal(t, errDuplicate, errorOf(t, r)["code"])
	assert.Equal(t, http.StatusNotFound, e.doKey(otherKey, http.MethodGet, "/api/v1/domains", nil).status)

	r = e.do(http.MethodPost, "/api/v1/domains/verify", nil)
	require.Equal(t, http.StatusOK, r.status)
	assert.Equal(t, true, r.body["verified"])
	r = e.do(http.MethodPost, "/api/v1/domains/refresh", nil)
	assert.Equal(t, true, r.body["verified"])
	assert.NotNil(t, r.body["verified_at"])

	require.Equal(t, http.StatusOK, e.do(http.MethodDelete, "/api/v1/domains", nil).status)
	assert.Equal(t, http.StatusNotFound, e.do(http.MethodDelete, "/api/v1/domains", nil).status)

	require.Equal(t, http.StatusCreated, e.do(http.MethodPost, "/api/v1/domains", map[string]any{"domain": "mail.voorbeeld.invalid"}).status)
	r = e.do(http.MethodPost, "/api/v1/domains/verify", nil)
	assert.Equal(t, false, r.body["verified"], ".invalid never verifies")
	assert.Equal(t, "failed", r.body["status"])

	for _, bad := range []string{`{}`, `{"domain": ""}`, `{"domain": "https://example.com"}`, `{"domain": "localhost"}`,
		`{"domain": "example.com:25"}`, `{"domain": "203.0.113.10"}`, `{"domain": 5}`} {
		r = e.doKey(otherKey, http.MethodPost, "/api/v1/domains", bad)
		assert.Equal(t, http.StatusBadRequest, r.status, bad)
		assert.Equal(t, "domain", errorOf(t, r)["param"], bad)
	}
}

func TestVoices(t *testing.T) {
	e := setup(t, nil)
	r := e.do(http.MethodGet, "/api/v1/voices", nil)
	require.Equal(t, http.StatusOK, r.status, string(r.raw))
	voices := r.body["voices"].([]any)
	require.NotEmpty(t, voices)
	ids := map[string]bool{}
	for _, v := range voices {
		m := v.(map[string]any)
		assert.NotEmpty(t, m["id"])
		assert.NotEmpty(t, m["name"])
		ids[m["id"].(string)] = true
	}
	for _, id := range []string{"ukiwGs47sHyibruHJ1vg", "ara", "rex", "sal", "eve", "leo"} {
		assert.True(t, ids[id], "documented voice %s", id)
	}

	cases := []struct {
		query string
		want  []string
	}{
		{"provider=elevenlabs", []string{"ukiwGs47sHyibruHJ1vg"}},
		{"provider=xai_realtime&limit=2&offset=1", []string{"rex", "sal"}},
		{"language=nl&provider=elevenlabs", []string{"ukiwGs47sHyibruHJ1vg"}},
		{"language=de&provider=elevenlabs", []string{}},
		{"language=de&provider=openai", []string{"alloy"}},
	}
	for _, c := range cases {
		r = e.do(http.MethodGet, "/api/v1/voices?"+c.query, nil)
		require.Equal(t, http.StatusOK, r.status, c.query)
		got := []string{}
		for _, v := range r.body["voices"].([]any) {
			got = append(got, v.(map[string]any)["id"].(string))
		}
		assert.Equal(t, c.want, got, c.query)
	}
	for q, param := range map[string]string{"provider=azure": "provider", "language=Nederlands": "language", "limit=0": "limit"} {
		r = e.do(http.MethodGet, "/api/v1/voices?"+q, nil)
		assert.Equal(t, http.StatusBadRequest, r.status, q)
		assert.Equal(t, param, errorOf(t, r)["param"], q)
	}
}
