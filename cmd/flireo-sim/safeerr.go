package main

import "github.com/flireo-sim/flireo-sim/internal/termsafe"

// terminalSafe is err with its text escaped for the terminal (an error may
// quote a server or a file); errors.As and errors.Is still see err.
func terminalSafe(err error) error {
	if err == nil || termsafe.Safe(err.Error()) {
		return err
	}
	return flagText{err, termsafe.Text(err.Error())}
}
