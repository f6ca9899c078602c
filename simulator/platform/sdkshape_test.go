package platform

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// field is one member of an SDK type (src/types.ts): the JSON kinds it may
// have and whether it is required.
type field struct {
	kinds    string // "string|null", "number", "boolean", "object", "array"
	required bool
}

// sdkTypes are the SDK's response types this package answers with, as
// src/types.ts declares them (required: no "?").
var sdkTypes = map[string]map[string]field{
	"PhoneNumber": {
		"id": {"string", true}, "phone_number": {"string", true}, "agent_id": {"string|null", false},
		"agent_name": {"string|null", false}, "business_name": {"string|null", false},
		"transfer_trunk_id": {"string|null", false}, "transfer_trunk_name": {"string|null", false},
		"source": {"string|null", false}, "is_active": {"boolean", false},
		"created_at": {"string", true}, "updated_at": {"string", true},
	},
	"Campaign": {
		"id": {"string", true}, "name": {"string", true}, "agent_id": {"string", true},
		"status":                  {"draft|scheduled|paused|completed|cancelled", true},
		"system_message_template": {"string|null", false}, "schedule_start_time": {"string|null", false},
		"schedule_end_time": {"string|null", false}, "timezone": {"string|null", false},
		"total_leads": {"number", false}, "completed_leads": {"number", false}, "failed_leads": {"number", false},
		"created_at": {"string", true}, "updated_at": {"string", true},
	},
	"CampaignLead": {
		"id": {"string", true}, "campaign_id": {"string", true}, "phone_number": {"string", true},
		"name": {"string|null", false}, "status": {"pending|calling|completed|failed|no_answer|skipped", true},
		"variables": {"object", false}, "call_id": {"string|null", false},
		"created_at": {"string", true}, "updated_at": {"string", true},
	},
	"UsageLog": {
		"id": {"string", true}, "duration_sec": {"number", false}, "phone_number": {"string|null", false},
		"agent_name": {"string|null", false}, "business_name": {"string|null", false}, "created_at": {"string", true},
	},
	"UsageSummary": {
		"total_calls": {"number", true}, "total_duration_seconds": {"number", true}, "total_duration_minutes": {"number", true},
	},
	"Pagination": {"total": {"number", true}, "limit": {"number", true}, "offset": {"number", true}},
}

// sdkProblems lists where v does not decode into the SDK type: a missing
// required member or a member of another kind. (A TypeScript client does
// not check at run time; these are the types' promises.) An enum kind lists
// its values with "|".
func sdkProblems(typ string, v any) []string {
	obj, ok := v.(map[string]any)
	if !ok {
		return []string{fmt.Sprintf("%s: not an object: %v", typ, v)}
	}
	var out []string
	for name, f := range sdkTypes[typ] {
		val, present := obj[name]
		if !present {
			if f.required {
				out = append(out, typ+"."+name+" is missing")
			}
			continue
		}
		if k := kindOf(val); !fits(f.kinds, k, val) {
			out = append(out, fmt.Sprintf("%s.%s is %s %v, want %s", typ, name, k, val, f.kinds))
		}
	}
	slices.Sort(out)
	return out
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
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
	}
	return "unknown"
}

func fits(kinds, kind string, v any) bool {
	alts := strings.Split(kinds, "|")
	if slices.Contains(alts, kind) {
		return true
	}
	s, ok := v.(string)
	return ok && slices.Contains(alts, s) && !slices.Contains(alts, "string")
}

// requireSDK fails the test when v does not fit the SDK type.
func requireSDK(t *testing.T, typ string, v any) {
	t.Helper()
	if p := sdkProblems(typ, v); len(p) > 0 {
		t.Fatalf("%s does not fit the SDK type:\n%s", typ, strings.Join(p, "\n"))
	}
}

func TestSDKShapeCatchesBadObjects(t *testing.T) {
	for _, tc := range []struct {
		typ  string
		v    any
		want string
	}{
		{"PhoneNumber", map[string]any{"phone_number": "+3120", "created_at": "x", "updated_at": "x"}, "PhoneNumber.id is missing"},
		{"PhoneNumber", map[string]any{"id": 5.0, "phone_number": "+3120", "created_at": "x", "updated_at": "x"}, "PhoneNumber.id is number"},
		{"Campaign", map[string]any{"id": "c", "name": "n", "agent_id": "a", "status": "running", "created_at": "x", "updated_at": "x"}, "Campaign.status is string running"},
		{"CampaignLead", map[string]any{"id": "l", "campaign_id": "c", "phone_number": "+31", "status": "pending", "created_at": "x", "updated_at": "x", "variables": "a=b"}, "CampaignLead.variables is string"},
		{"UsageSummary", map[string]any{"total_calls": 1.0, "total_duration_seconds": "60"}, "UsageSummary.total_duration_minutes is missing"},
	} {
		got := strings.Join(sdkProblems(tc.typ, tc.v), "\n")
		if !strings.Contains(got, tc.want) {
			t.Errorf("%s %v: problems %q, want one with %q", tc.typ, tc.v, got, tc.want)
		}
	}
	if p := sdkProblems("Pagination", map[string]any{"total": 1.0, "limit": 50.0, "offset": 0.0}); len(p) > 0 {
		t.Errorf("a good pagination object: %v", p)
	}
}
