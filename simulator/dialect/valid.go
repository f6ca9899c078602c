package dialect

import (
	"encoding/json"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// validJSON is simulator.ValidJSON: encoding/json.Valid's verdict, several
// times faster (replies and echoed configurations are validated at every
// level they are read, on the hot path of load runs).
func validJSON(b []byte) bool { return simulator.ValidJSON(b) }

// splitArray returns the elements of a valid JSON array as raw values.
func splitArray(raw []byte) []json.RawMessage {
	i := skipSpace(raw, 0) + 1
	var out []json.RawMessage
	for {
		i = skipSpace(raw, i)
		if i >= len(raw) || raw[i] == ']' {
			return out
		}
		if raw[i] == ',' {
			i++
			continue
		}
		end := valueEnd(raw, i)
		out = append(out, raw[i:end:end])
		i = end
	}
}
