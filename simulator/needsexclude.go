package simulator

import "strings"

// needExclude are words of tool names that undo what a need asks: a
// booking, a move or an availability check never calls a cancellation tool
// (cancel_appointment matches "appointment" but books nothing).
var needExclude = map[string][]string{
	NeedAvailability: cancelWords,
	NeedBooking:      cancelWords,
	NeedReschedule:   cancelWords,
}

var cancelWords = []string{"cancel", "annuleer", "annuler", "afzeg", "delete", "verwijder"}

// excludedFor reports whether the tool's name says it undoes what the need asks.
func excludedFor(need string, t Tool) bool {
	name := strings.ToLower(t.Name)
	for _, w := range needExclude[need] {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}
