package jsontext

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Valid must agree with encoding/json.Valid on every input.
func TestValidAgreesWithEncodingJSON(t *testing.T) {
	corpus := []string{
		``, ` `, `{}`, `[]`, `""`, `0`, `-0`, `01`, `1.`, `.5`, `1e`, `1e+5`, `-1.25E-3`, `- 1`, `true`, `tru`, `nul`, `null `,
		`{"a":1}`, `{"a":1,}`, `{"a" 1}`, `{a:1}`, `[1,2,]`, `[,]`, `[1 2]`, `{"a":[{"b":"c\"d"}],"e":null}`,
		`"\u00e9"`, `"\u00g9"`, `"\x"`, "\"a\tb\"", `"\/\b\f\n\r\t\\"`, `{"a":1}}`, `{"a":1} {}`, `  [ 1 , { "x" : [ ] } ]  `,
		`{"assistant":{"first_message":"Hallo","llm_config":{"tools":[{"name":"t","parameters":{"type":"object"}}]}},"max_duration_seconds":600}`,
		"\"caf\xc3\xa9\"", "\"\xff\"", `[` + `"` + `]`, `{"a":"b`, `-`, `123abc`, `[1e400]`,
	}
	for _, s := range corpus {
		assert.Equal(t, json.Valid([]byte(s)), Valid([]byte(s)), "%q", s)
	}
	// Random single-byte mutations of valid documents.
	r := rand.New(rand.NewPCG(1, 1))
	alphabet := []byte(`{}[]":,.-+eE0123456789 tfnul\abx` + "\t\n")
	for _, base := range corpus {
		if !json.Valid([]byte(base)) || len(base) == 0 {
			continue
		}
		for range 400 {
			b := []byte(base)
			switch r.IntN(3) {
			case 0:
				b[r.IntN(len(b))] = alphabet[r.IntN(len(alphabet))]
			case 1:
				i := r.IntN(len(b))
				b = append(b[:i], b[i+1:]...)
			default:
				i := r.IntN(len(b) + 1)
				b = append(b[:i], append([]byte{alphabet[r.IntN(len(alphabet))]}, b[i:]...)...)
			}
			if json.Valid(b) != Valid(b) {
				t.Fatalf("disagree on %q: encoding/json %v", b, json.Valid(b))
			}
		}
	}
}
