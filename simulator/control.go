package simulator

import (
	"context"
	"encoding/json"
)

// poll returns the control commands that arrived, if any.
func (c *call) poll() []Command {
	if c.set.ctl == nil || c.closed || c.ended {
		return nil
	}
	return c.set.ctl.Poll(c.now)
}

// controlEnds applies the commands that arrived and reports whether one of
// them ended the call.
func (c *call) controlEnds() bool { return c.control(c.poll()) }

// closeControlAtEnd ends the controller when the conversation is over: the
// call stays controllable until its end is due on the wall clock (paced
// play); commands accepted until then still act, so none is lost.
func (c *call) closeControlAtEnd(ctx context.Context) error {
	if c.set.ctl == nil || c.closed {
		return nil
	}
	if err := c.pace(ctx); err != nil {
		return err
	}
	c.closed = true
	c.control(c.set.ctl.End())
	return nil
}

// closeControl ends the controller of a call that ended before its
// conversation (rejected, failed) or was aborted.
func (c *call) closeControl() {
	if c.set.ctl != nil && !c.closed {
		c.closed = true
		c.set.ctl.Status(c.status, c.now)
		c.set.ctl.End()
	}
}

// control applies call-control commands (spec §5.1) and reports whether one
// of them ended the call.
func (c *call) control(cmds []Command) bool {
	for _, cmd := range cmds {
		switch cmd.Type {
		case CommandInjectContext:
			// Context is not spoken: it stays out of the transcript (the
			// SDK's messages are user and assistant lines); the platform's
			// timeline shows the command, and the answer it triggers is
			// an assistant line.
			if cmd.TriggerResponse {
				raw, _ := json.Marshal(cmd.Content)
				c.say(RoleAssistant, c.gen.ToolFollowUp(c.plan, Tool{Name: "inject_context"}, &ToolResult{Result: raw}, ""), 0)
			}
		case CommandSay:
			c.say(RoleAssistant, cmd.Content, 0)
			if cmd.EndAfter {
				c.endBy(StatusEnded, EndByAPI)
			}
		case CommandEndCall:
			if cmd.Message != "" {
				c.say(RoleAssistant, cmd.Message, 0)
			}
			c.endBy(StatusEnded, EndByAPI)
		case CommandTransfer:
			if cmd.Message != "" {
				c.say(RoleAssistant, cmd.Message, 0)
			}
			c.xfer = cmd.Destination
			c.endBy(StatusTransferred, EndTransferred)
		}
	}
	return c.ended
}

// endBy ends the conversation; the first reason wins.
func (c *call) endBy(st Status, reason string) {
	if c.ended {
		return
	}
	c.ended = true
	c.status = st
	c.reason = reason
}
