package platform

import (
	"net/http"
	"regexp"
	"strings"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// controlRequest is the body of POST /calls/{id}/control (spec §5.1).
type controlRequest struct {
	Type            string  `json:"type"`
	Content         *string `json:"content"`
	TriggerResponse *bool   `json:"trigger_response"`
	EndAfter        *bool   `json:"end_after"`
	Message         *string `json:"message"`
	Destination     *string `json:"destination"`
}

var (
	e164    = regexp.MustCompile(`^\+[1-9][0-9]{6,14}$`)
	sipURI  = regexp.MustCompile(`^sips?:[^\s@]+@[^\s@]+$`)
	cmdList = sim.CommandInjectContext + ", " + sim.CommandSay + ", " + sim.CommandEndCall + ", " + sim.CommandTransfer
)

// command validates the request into an engine command.
func (req *controlRequest) command() (sim.Command, *requestError) {
	cmd := sim.Command{Type: req.Type}
	if rerr := req.validate(); rerr != nil {
		return cmd, rerr
	}
	text := func(p *string) string {
		if p == nil {
			return ""
		}
		return strings.TrimSpace(*p)
	}
	switch req.Type {
	case "":
		return cmd, missing("type", "Invalid command: type is required, one of %s", cmdList)
	case sim.CommandInjectContext, sim.CommandSay:
		cmd.Content = text(req.Content)
		if cmd.Content == "" {
			return cmd, missing("content", "Invalid command: %s needs content (the text to %s)", req.Type,
				map[string]string{sim.CommandSay: "speak", sim.CommandInjectContext: "add to the assistant's context"}[req.Type])
		}
		cmd.TriggerResponse = req.TriggerResponse != nil && *req.TriggerResponse
		cmd.EndAfter = req.EndAfter != nil && *req.EndAfter
		if req.Type == sim.CommandSay {
			cmd.TriggerResponse = false
		} else {
			cmd.EndAfter = false
		}
	case sim.CommandEndCall:
		cmd.Message = text(req.Message)
	case sim.CommandTransfer:
		cmd.Message = text(req.Message)
		cmd.Destination = text(req.Destination)
		switch {
		case cmd.Destination == "":
			return cmd, missing("destination", "Invalid command: transfer needs a destination (an E.164 number such as +31612345678 or a SIP URI)")
		case !e164.MatchString(cmd.Destination) && !sipURI.MatchString(cmd.Destination):
			return cmd, badRequest("destination", "Invalid command: destination %q is neither an E.164 number (+31612345678) nor a SIP URI (sip:sales@example.com)", cmd.Destination)
		}
	default:
		return cmd, badRequest("type", "Invalid command: type %q is not one of %s", req.Type, cmdList)
	}
	return cmd, nil
}

// handleControl answers POST /calls/{id}/control: the command acts on the
// running call at its next step (the following webhooks and the
// end-of-call-report show it). 400 when the command is invalid or the call
// is not in progress, 404 for an unknown call, 429 past 10 commands a minute.
func (p *Platform) handleControl(w http.ResponseWriter, r *http.Request) {
	c := p.call(w, r)
	if c == nil {
		return
	}
	if !c.takeCommand(w, p.opt.CommandsPerMinute, p.now()) {
		return
	}
	var req controlRequest
	if rerr := p.decode(w, r, &req); rerr != nil {
		if rerr.status == http.StatusBadRequest {
			rerr.message = "Invalid command: " + rerr.message
		}
		rerr.write(w)
		return
	}
	cmd, rerr := req.command()
	if rerr != nil {
		rerr.write(w)
		return
	}
	ok, why := c.offer(cmd)
	p.log.Info("control command", "call", c.id, "type", cmd.Type, "accepted", ok)
	if !ok {
		writeError(w, http.StatusBadRequest, errCallNotActive, "", "Invalid command or call not active: "+why)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"success": true, "message": "Command sent successfully"})
}
