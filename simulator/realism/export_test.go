package realism

import "encoding/json"

// Offered lists the slots ("YYYY-MM-DD HH:MM") a tool result offers, as the
// booking check reads them.
func Offered(raw json.RawMessage) []string {
	var out []string
	for _, s := range offeredSlots(raw) {
		out = append(out, s.String())
	}
	return out
}
