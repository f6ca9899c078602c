package simulator

// needServer is a generator whose caller can change what a turn asks:
// a caller who heard that nothing is free asks for a callback instead of
// booking a time nobody offered.
type needServer interface {
	ServedNeed(p *CallPlan, need string) string
}

// servedNeed is the need the assistant serves for a turn and the tools it
// calls: the turn's own (or the one a needServer generator makes of it),
// except that an assistant asked to book or move an appointment checks what
// is free first when it has an availability tool and has not called one in
// this call (as an assistant told to book only offered times does); the
// caller then picks one of the times it reads out.
func (c *call) servedNeed(need string) (string, []Tool) {
	if g, ok := c.gen.(needServer); ok {
		need = g.ServedNeed(c.plan, need)
	}
	if need == NeedBooking || need == NeedReschedule {
		if avail := MatchTools(NeedAvailability, c.cfg.Tools); len(avail) > 0 && !c.called(avail) {
			return NeedAvailability, avail
		}
	}
	return need, MatchTools(need, c.cfg.Tools)
}

// called reports whether the call has sent a tool call to any of the tools.
func (c *call) called(tools []Tool) bool {
	for _, x := range c.res.Exchanges {
		for _, tc := range x.ToolCalls {
			for _, t := range tools {
				if tc.Name == t.Name {
					return true
				}
			}
		}
	}
	return false
}
