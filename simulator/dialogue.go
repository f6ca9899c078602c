package simulator

import "context"

// maxRepairs bounds the exchanges that repair one turn (a new lookup,
// another day, another time, a callback request).
const maxRepairs = 4

// repairs plays the caller's answers to tool results that did not help: the
// caller spells a name, asks for another day or time, or asks for a
// callback, and the assistant serves the need that follows. before is
// whether an action had gone unmet before the turn: a repair that works
// restores it.
func (v *conversation) repairs(ctx context.Context, turn Turn, before bool) (over bool, err error) {
	c := v.c
	for range maxRepairs {
		line, need := c.gen.Repair(c.plan)
		if line == "" {
			return false, nil
		}
		if c.controlEnds() {
			return true, nil
		}
		c.advance(turn.Gap)
		c.say(RoleUser, line, 0)
		if v.capped() {
			return true, nil
		}
		c.advance(turn.Think)
		if over, err := v.commandsFirst(ctx); err != nil || over {
			return true, err
		}
		c.unmet = false
		reply, over, err := v.answer(ctx, Turn{Need: need})
		if err != nil || over {
			return true, err
		}
		if !c.unmet {
			c.unmet = before
		}
		if v.say(reply, 0) {
			return true, nil
		}
	}
	return false, nil
}
