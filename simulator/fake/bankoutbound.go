package fake

import (
	"fmt"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// loadOutboundLines reads the default agent's opening and closing lines of
// an intent: required for the outbound intents the assistant speaks on
// (every outbound intent but voicemail, where it only leaves a message), not
// allowed for the others (an inbound call's default agent greets the caller
// with the language's default).
func (ib *intentBank) loadOutboundLines(in simulator.Intent, f *intentFile) error {
	if simulator.IntentDirection(in) != simulator.Outbound || in == simulator.Voicemail {
		if len(f.Opening) > 0 || len(f.Closing) > 0 {
			return fmt.Errorf("opening/closing: only outbound intents other than voicemail have them (%q is not one)", in)
		}
		return nil
	}
	var err error
	if ib.opening, err = tmpls("opening", f.Opening, planPlaceholders); err != nil {
		return err
	}
	if ib.closing, err = tmpls("closing", f.Closing, planPlaceholders); err != nil {
		return err
	}
	return nil
}
