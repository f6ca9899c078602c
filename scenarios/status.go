package scenarios

import "encoding/json"

// Status is the outcome of a check, a scenario or a whole run in a
// Result: pass, fail or skip (a run is never skipped).
type Status string

// The statuses of a Result.
const (
	StatusPass Status = "pass"
	StatusFail Status = "fail"
	StatusSkip Status = "skip"
)

// oldStatuses are the words reports of older versions used for a
// scenario's status.
var oldStatuses = map[string]Status{"passed": StatusPass, "failed": StatusFail, "skipped": StatusSkip}

// UnmarshalJSON reads a status, in the words of older reports too.
func (s *Status) UnmarshalJSON(b []byte) error {
	var w string
	if err := json.Unmarshal(b, &w); err != nil {
		return err
	}
	if old, ok := oldStatuses[w]; ok {
		*s = old
		return nil
	}
	*s = Status(w)
	return nil
}

// junitStatus is the word JUnit reports use for a status.
func (s Status) junitStatus() string {
	for old, st := range oldStatuses {
		if st == s {
			return old
		}
	}
	return string(s)
}
