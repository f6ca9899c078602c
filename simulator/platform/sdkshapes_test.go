package platform

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The official SDK's types (src/types.ts) name the required members of
// each answer; required is "member:kind" (kind string, number, boolean,
// object, array), a dotted member for a nested one.
type sdkShape struct {
	name     string
	method   string
	path     string
	body     any
	status   int
	envelope string // "" when the object is answered unwrapped
	list     bool
	required []string
}

func sdkShapes() []sdkShape {
	template := []string{"id:string", "name:string", "function_definition:object", "function_definition.name:string", "created_at:string", "updated_at:string"}
	analysis := []string{"id:string", "name:string", "schema:object", "created_at:string", "updated_at:string"}
	trunk := []string{"id:string", "name:string", "created_at:string", "updated_at:string"}
	org := []string{"id:string", "name:string", "created_at:string"}
	domain := []string{"id:string", "domain:string", "verified:boolean", "created_at:string"}
	return []sdkShape{
		{"ToolTemplate create", http.MethodPost, "/api/v1/tool-templates", availabilityTemplate, 201, "tool_template", false, template},
		{"ToolTemplate end_call", http.MethodPost, "/api/v1/tool-templates", map[string]any{"name": "Ophangen", "tool_type": "end_call"}, 201, "tool_template", false, template},
		{"ToolTemplate transfer_call", http.MethodPost, "/api/v1/tool-templates", map[string]any{"name": "Doorverbinden", "tool_type": "transfer_call",
			"tool_config": map[string]any{"destinations": []any{map[string]any{"type": "number", "number": "+31201234567"}}}}, 201, "tool_template", false, template},
		{"ToolTemplate list", http.MethodGet, "/api/v1/tool-templates", nil, 200, "tool_templates", true, template},
		{"AnalysisTemplate create", http.MethodPost, "/api/v1/analysis-templates", moodTemplate, 201, "analysis_template", false, analysis},
		{"AnalysisTemplate list", http.MethodGet, "/api/v1/analysis-templates", nil, 200, "analysis_templates", true, analysis},
		{"SipTrunk create", http.MethodPost, "/api/v1/sip-trunks", map[string]any{"name": "Kantoor"}, 201, "trunk", false, trunk},
		{"SipTrunk list", http.MethodGet, "/api/v1/sip-trunks", nil, 200, "trunks", true, trunk},
		{"Voice list", http.MethodGet, "/api/v1/voices", nil, 200, "voices", true, []string{"id:string", "name:string"}},
		{"Organization get", http.MethodGet, "/api/v1/organizations", nil, 200, "", false, org},
		{"Organization create", http.MethodPost, "/api/v1/organizations", map[string]any{"name": "Kind"}, 201, "", false, org},
		{"BYOK set", http.MethodPost, "/api/v1/byok", map[string]any{"provider": "gladia", "api_key": "k-123"}, 200, "", false, []string{"success:boolean", "byok_keys:object", "byok_keys.gladia_secret_id:string"}},
		{"BYOK get", http.MethodGet, "/api/v1/byok", nil, 200, "", false, []string{"byok_keys:object"}},
		{"Domain create", http.MethodPost, "/api/v1/domains", map[string]any{"domain": "mail.example.com"}, 201, "", false, domain},
		{"Domain get", http.MethodGet, "/api/v1/domains", nil, 200, "", false, domain},
		{"Domain verify", http.MethodPost, "/api/v1/domains/verify", nil, 200, "", false, []string{"verified:boolean"}},
		{"Domain refresh", http.MethodPost, "/api/v1/domains/refresh", nil, 200, "", false, domain},
	}
}

// kindOf names the JSON kind of a decoded value.
func jsonKindOf(v any) string {
	switch v.(type) {
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "boolean"
	case map[string]any:
		return "object"
	case []any:
		return "array"
	case nil:
		return "null"
	}
	return fmt.Sprintf("%T", v)
}

// missingMembers lists the required members obj lacks or has of another kind.
func missingMembers(obj map[string]any, required []string) []string {
	var bad []string
	for _, req := range required {
		path, want, _ := strings.Cut(req, ":")
		var cur any = obj
		for _, part := range strings.Split(path, ".") {
			m, _ := cur.(map[string]any)
			cur = m[part]
		}
		if got := jsonKindOf(cur); got != want {
			bad = append(bad, fmt.Sprintf("%s is %s, the SDK wants %s", path, got, want))
		}
	}
	return bad
}

func TestAnswersDecodeIntoSDKTypes(t *testing.T) {
	e := openAccounts(t)
	for _, s := range sdkShapes() {
		t.Run(s.name, func(t *testing.T) {
			r := e.do(s.method, s.path, s.body)
			require.Equal(t, s.status, r.status, string(r.raw))
			var objs []map[string]any
			switch {
			case s.list:
				items, ok := r.body[s.envelope].([]any)
				require.True(t, ok, "%s must be an array: %s", s.envelope, r.raw)
				require.NotEmpty(t, items)
				for _, it := range items {
					objs = append(objs, it.(map[string]any))
				}
			case s.envelope != "":
				o, ok := r.body[s.envelope].(map[string]any)
				require.True(t, ok, "%s must be an object: %s", s.envelope, r.raw)
				objs = append(objs, o)
			default:
				objs = append(objs, r.body)
			}
			for _, o := range objs {
				assert.Empty(t, missingMembers(o, s.required), string(r.raw))
			}
		})
	}
}

// TestShapeCheckerFails shows the shape check failing on answers that
// break the SDK's types.
func TestShapeCheckerFails(t *testing.T) {
	req := []string{"id:string", "verified:boolean", "function_definition.name:string"}
	for _, bad := range []map[string]any{
		{"verified": true, "function_definition": map[string]any{"name": "x"}},
		{"id": 5.0, "verified": true, "function_definition": map[string]any{"name": "x"}},
		{"id": "a", "verified": "true", "function_definition": map[string]any{"name": "x"}},
		{"id": "a", "verified": true, "function_definition": map[string]any{}},
	} {
		assert.NotEmpty(t, missingMembers(bad, req), "%v", bad)
	}
	assert.Empty(t, missingMembers(map[string]any{"id": "a", "verified": false, "function_definition": map[string]any{"name": "x"}}, req))
}
