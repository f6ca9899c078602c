package contract

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDocsListEveryOperation checks that docs/platform.md's table of SDK
// operations has a row for each method, with its route.
func TestDocsListEveryOperation(t *testing.T) {
	raw, err := os.ReadFile("../../../docs/platform.md")
	require.NoError(t, err)
	doc := string(raw)
	for _, op := range Operations() {
		assert.Contains(t, doc, "| `"+op.SDK+"` | `"+op.Method+" "+op.Path+"` |", "docs/platform.md lists %s", op.SDK)
	}
	assert.Contains(t, doc, "v1.0.1", "the SDK version the types follow")
}
