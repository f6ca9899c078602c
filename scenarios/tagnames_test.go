package scenarios

import (
	"testing"

	"github.com/cucumber/godog"
	messages "github.com/cucumber/messages/go/v21"
	"github.com/stretchr/testify/assert"
)

func TestTagTypoNamesTheNearestTag(t *testing.T) {
	pickles := []*godog.Scenario{
		{Tags: []*messages.PickleTag{{Name: "@must"}, {Name: "@probe-api"}}},
		{Tags: []*messages.PickleTag{{Name: "@signatures"}, {Name: "@http-2xx"}}},
	}
	cases := []struct {
		expr, want string
	}{
		{"@must && ~@probe-api", ""},
		{"@must && ~@prob-api", "no scenario is tagged @prob-api (did you mean @probe-api?)"},
		{"@signature,@tools", "no scenario is tagged @signature (did you mean @signatures?)"},
		{"@http-2x", "(did you mean @http-2xx?)"},
		{"@reply-utf8", ""}, // a check ID that no scenario is tagged with
		{"@lifecycle", ""},  // far from every tag: no guess
		{"must", ""},        // the '@' may be left out
	}
	for _, c := range cases {
		err := tagTypo(c.expr, pickles)
		if c.want == "" {
			assert.NoError(t, err, c.expr)
			continue
		}
		if assert.Error(t, err, c.expr) {
			assert.Contains(t, err.Error(), c.want, c.expr)
		}
	}
}

func TestBaselineNamesTheNearestCheck(t *testing.T) {
	_, err := ParseBaseline([]byte("# known\nhttp-2x\n"))
	if assert.Error(t, err) {
		assert.Contains(t, err.Error(), `unknown check "http-2x" (did you mean http-2xx?)`)
	}
	_, err = ParseBaseline([]byte(`{"verdict": "fail", "checks": [{"id": "reply-jsn", "status": "fail"}]}`))
	if assert.Error(t, err) {
		assert.Contains(t, err.Error(), `unknown check "reply-jsn" (did you mean reply-json?)`)
	}
}
