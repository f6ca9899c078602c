package platform

import (
	"encoding/json"
	"strings"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// outboundMessages gives an outbound call the simulator's own outbound
// first and end-call messages (sim.DefaultAssistantFor: the assistant
// introduces itself and the reason of its call, and thanks the callee for
// their time) where neither the assistant nor the request configures them;
// configured messages are said as configured. business, when set, is the
// assistant's business_name, said instead of the plan's drawn business.
func outboundMessages(cfg *sim.AssistantConfig, fields map[string]json.RawMessage, firstInRequest bool, plan *sim.CallPlan, business string) {
	def := sim.DefaultAssistantFor(plan)
	first, end := def.FirstMessage, def.EndCallMessage
	if business != "" && business != plan.Business {
		first = strings.ReplaceAll(first, plan.Business, business)
		end = strings.ReplaceAll(end, plan.Business, business)
	}
	if !firstInRequest && !configured(fields, "first_message", "firstMessage") {
		cfg.FirstMessage = first
	}
	if !configured(fields, "end_call_message", "endCallMessage") {
		cfg.EndCallMessage = end
	}
}

// configured reports whether the assistant fields set any of the keys.
func configured(fields map[string]json.RawMessage, keys ...string) bool {
	for _, k := range keys {
		if raw, ok := fields[k]; ok && !isNull(raw) {
			return true
		}
	}
	return false
}
