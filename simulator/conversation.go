package simulator

import (
	"context"
	"time"
)

// conversation is the state of the turns being played: the moment the call
// was answered and the max-duration limit that follows from it.
type conversation struct {
	c     *call
	limit time.Time // zero: no max duration
}

// converse plays the turns of the plan.
func (c *call) converse(ctx context.Context, answered time.Time) error {
	v := &conversation{c: c}
	if c.cfg.MaxDuration > 0 {
		v.limit = answered.Add(c.cfg.MaxDuration)
	}
	if c.plan.Intent != Voicemail && c.cfg.FirstMessage != "" {
		c.say(RoleAssistant, c.cfg.FirstMessage, 0)
	}
	for i, turn := range c.plan.Turns {
		over, err := v.turn(ctx, i, turn)
		if err != nil || over {
			return err
		}
	}
	v.goodbye()
	return nil
}

// capped ends the call when it reached its max duration.
func (v *conversation) capped() bool {
	c := v.c
	if !v.limit.IsZero() && !c.now.Before(v.limit) {
		c.now = v.limit
		c.endBy(StatusEnded, EndMaxDuration)
		return true
	}
	return false
}

// turn plays one turn: control commands, a planned error, the caller's line,
// the tools it needs and the assistant's answer. over reports that the call
// ended.
func (v *conversation) turn(ctx context.Context, i int, turn Turn) (over bool, err error) {
	c, p := v.c, v.c.plan
	if c.e.Pace > 0 {
		if err := c.pace(ctx); err != nil {
			return true, err
		}
	}
	if c.controlEnds() {
		return true, nil
	}
	if p.Error != "" && i == p.ErrorAfter {
		c.advance(turn.Gap / 2)
		c.errMsg = p.Error
		c.endBy(StatusEndedWithError, EndError)
		return true, nil
	}
	c.advance(turn.Gap)
	if v.capped() {
		return true, nil
	}
	if line := c.gen.CallerLine(p, turn); line != "" {
		c.say(RoleUser, line, turn.Speak)
	}
	if v.capped() {
		return true, nil
	}
	c.advance(turn.Think)
	if over, err := v.commandsFirst(ctx); err != nil || over {
		return true, err
	}
	before := c.unmet
	line, over, err := v.answer(ctx, turn)
	if err != nil || over {
		return true, err
	}
	if v.say(line, turn.Talk) {
		return true, nil
	}
	return v.repairs(ctx, turn, before)
}

// commandsFirst: in paced play with live control, the assistant's answer is
// due now on the wall clock; a command that arrived while the caller spoke
// acts first.
func (v *conversation) commandsFirst(ctx context.Context) (over bool, err error) {
	c := v.c
	if c.e.Pace <= 0 || c.set.ctl == nil {
		return false, nil
	}
	if err := c.pace(ctx); err != nil {
		return true, err
	}
	return c.controlEnds(), nil
}

// answer is the assistant's line for the turn, after the tools it needs.
func (v *conversation) answer(ctx context.Context, turn Turn) (line string, over bool, err error) {
	c, p := v.c, v.c.plan
	line = c.gen.Reply(p, turn)
	if p.Intent == Voicemail && c.cfg.Voicemail != "" {
		line = c.cfg.Voicemail
	}
	if _, tools := c.servedNeed(turn.Need); len(tools) > 0 && c.sends(ToolCalls) {
		follow, stop, err := c.useTools(ctx, tools)
		if err != nil || stop {
			return "", true, err
		}
		if follow != "" {
			line = follow
		}
	} else if c.claimsUnmet(turn.Need) {
		// No tool did it: the assistant claims nothing.
		line = c.gen.Unserved(p, turn.Need)
		c.unmet = true
	}
	return line, v.capped(), nil
}

// say lets the assistant say line, within the max duration; it reports
// whether the call reached it.
func (v *conversation) say(line string, took time.Duration) bool {
	if line != "" {
		v.c.say(RoleAssistant, line, took)
	}
	return v.capped()
}

// goodbye plays the end of a conversation that went through all its turns.
func (v *conversation) goodbye() {
	c, p := v.c, v.c.plan
	if bye := c.gen.Goodbye(p); bye != "" {
		c.advance(700 * time.Millisecond)
		c.say(RoleUser, bye, 0)
	}
	if v.capped() {
		return
	}
	if c.cfg.EndCallMessage != "" && p.Intent != Voicemail && p.Intent != Silent {
		c.advance(500 * time.Millisecond)
		c.say(RoleAssistant, c.cfg.EndCallMessage, 0)
	}
	v.capped()
}

// claimsUnmet reports whether the planned line of a turn with this need
// would state something no tool did: an action need without a tool, or,
// once an action went unmet, any later line but opening hours (the
// follow-up questions and e-mail confirmations presuppose the action).
func (c *call) claimsUnmet(need string) bool {
	if c.plan.Intent == Voicemail {
		return false
	}
	return actionNeeds[need] || (c.unmet && need != NeedHours)
}
