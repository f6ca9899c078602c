package fake

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestClassify(t *testing.T) {
	type k uint8
	rules := []wordRule[k]{
		{1, []string{"email*", "mail"}},
		{2, []string{"=id"}},
		{3, []string{"firstname", "first"}},
	}
	tests := []struct {
		name string
		want k
	}{
		{"email", 1},
		{"customerEmailAddress", 1},
		{"e_mail", 1},
		{"customer_id", 2},
		{"id_customer", 0},
		{"first_name", 3},
		{"FirstName", 3},
		{"firstname", 3},
		{"", 0},
		{"colour", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, classify(rules, tt.name))
		})
	}
}

func TestClassifiersAgree(t *testing.T) {
	// The three rule tables share one matcher: a name reads the same way in each.
	assert.Equal(t, kEmail, nameKind("contact_email"))
	assert.Equal(t, akSentiment, analysisKind("overallSentiment"))
	assert.Equal(t, fTicket, classifyField("ticket_number"))
	assert.Equal(t, kGeneric, nameKind("colour"))
	assert.Equal(t, akNone, analysisKind("colour"))
	assert.Equal(t, fOther, classifyField("colour"))
}
