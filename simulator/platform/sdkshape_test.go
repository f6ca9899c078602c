package platform

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/flireo-sim/flireo-sim/simulator/platform/contract"
)

// requireSDK fails the test when v does not fit the SDK type typ, as the
// project's mirrors of the SDK's types (simulator/platform/contract) check
// it, values documented after the SDK's version allowed.
func requireSDK(t *testing.T, typ string, v any) {
	t.Helper()
	raw, err := json.Marshal(v)
	if err != nil {
		t.Fatalf("%s: %v", typ, err)
	}
	problems, err := contract.Checker{Later: true}.Check(typ, raw)
	if err != nil {
		t.Fatalf("%s: %v", typ, err)
	}
	if len(problems) > 0 {
		lines := make([]string, len(problems))
		for i, p := range problems {
			lines[i] = p.String()
		}
		t.Fatalf("%s does not fit the SDK type:\n%s", typ, strings.Join(lines, "\n"))
	}
}
