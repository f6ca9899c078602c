package simulator

// DefaultAssistantFor is the simulator's default agent for the call of p:
// DefaultAssistant in the plan's language on inbound and web calls. On an
// outbound call the assistant placed the call, so it opens by introducing
// itself and the reason of the call and closes by thanking the callee for
// their time: the plan's Opening and Closing, else the language's outbound
// defaults. A server's or saved assistant's configured messages replace
// these as configured.
func DefaultAssistantFor(p *CallPlan) *AssistantConfig {
	cfg := DefaultAssistant(p.Lang)
	if p.Direction != Outbound {
		return cfg
	}
	cfg.FirstMessage, cfg.EndCallMessage = OutboundMessages(p.Lang, p.Business)
	if p.Opening != "" {
		cfg.FirstMessage = p.Opening
	}
	if p.Closing != "" {
		cfg.EndCallMessage = p.Closing
	}
	return cfg
}

// OutboundMessages are the language's default first and end-call messages
// of an assistant that calls a customer on behalf of business ("": none
// named).
func OutboundMessages(lang, business string) (first, end string) {
	if lang == "en" {
		if business == "" {
			return "Hello, this is a digital assistant calling.", "Thank you for your time, goodbye."
		}
		return "Hello, this is the digital assistant of " + business + " calling.", "Thank you for your time, goodbye."
	}
	if business == "" {
		return "Goedendag, u spreekt met een digitale assistent.", "Bedankt voor uw tijd, tot ziens."
	}
	return "Goedendag, u spreekt met de digitale assistent van " + business + ".", "Bedankt voor uw tijd, tot ziens."
}
