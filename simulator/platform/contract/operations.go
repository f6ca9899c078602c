package contract

// Operation is one method of the SDK's resources (src/resources/*.ts): its
// HTTP request and the type of its answer (a Lookup name; "" when the
// answer has no body the SDK reads).
type Operation struct {
	SDK    string // resource.method, e.g. calls.list
	Method string
	Path   string // under /api/v1
	Answer string
}

// Operations are the SDK v1.0.1's 57 methods, in the order of its resources.
func Operations() []Operation {
	return []Operation{
		{"assistants.list", "GET", "/assistants", "AssistantList"},
		{"assistants.get", "GET", "/assistants/{id}", "AssistantEnvelope"},
		{"assistants.create", "POST", "/assistants", "AssistantEnvelope"},
		{"assistants.update", "PATCH", "/assistants/{id}", "AssistantEnvelope"},
		{"assistants.delete", "DELETE", "/assistants/{id}", "Success"},

		{"calls.list", "GET", "/calls", "CallPage"},
		{"calls.listAll", "GET", "/calls?limit=100&offset=N", "CallPage"},
		{"calls.get", "GET", "/calls/{id}", "Call"},
		{"calls.create", "POST", "/calls/outbound", "OutboundCallResponse"},
		{"calls.control", "POST", "/calls/{id}/control", "CallControlResponse"},
		{"calls.injectContext", "POST", "/calls/{id}/control", "CallControlResponse"},
		{"calls.say", "POST", "/calls/{id}/control", "CallControlResponse"},
		{"calls.end", "POST", "/calls/{id}/control", "CallControlResponse"},
		{"calls.transfer", "POST", "/calls/{id}/control", "CallControlResponse"},

		{"numbers.list", "GET", "/numbers", "PhoneNumberList"},
		{"numbers.get", "GET", "/numbers/{id}", "PhoneNumberEnvelope"},
		{"numbers.create", "POST", "/numbers", "PhoneNumberEnvelope"},
		{"numbers.update", "PATCH", "/numbers/{id}", "PhoneNumberEnvelope"},
		{"numbers.delete", "DELETE", "/numbers/{id}", "Success"},

		{"campaigns.list", "GET", "/campaigns", "CampaignList"},
		{"campaigns.get", "GET", "/campaigns/{id}", "CampaignEnvelope"},
		{"campaigns.create", "POST", "/campaigns", "CampaignEnvelope"},
		{"campaigns.update", "PATCH", "/campaigns/{id}", "CampaignEnvelope"},
		{"campaigns.delete", "DELETE", "/campaigns/{id}", "Success"},
		{"campaigns.listLeads", "GET", "/campaigns/{id}/leads", "LeadPage"},
		{"campaigns.addLead", "POST", "/campaigns/{id}/leads", "LeadEnvelope"},
		{"campaigns.removeLead", "DELETE", "/campaigns/{id}/leads/{leadId}", "Success"},

		{"sipTrunks.list", "GET", "/sip-trunks", "SipTrunkList"},
		{"sipTrunks.get", "GET", "/sip-trunks/{id}", "SipTrunkEnvelope"},
		{"sipTrunks.create", "POST", "/sip-trunks", "SipTrunkEnvelope"},
		{"sipTrunks.delete", "DELETE", "/sip-trunks/{id}", "Success"},

		{"voices.list", "GET", "/voices", "VoiceList"},

		{"usage.list", "GET", "/usage", "UsagePage"},
		{"usage.listAll", "GET", "/usage?limit=100&offset=N", "UsagePage"},

		{"byok.get", "GET", "/byok", "BYOKEnvelope"},
		{"byok.getConfig", "GET", "/byok/config", "Record"},
		{"byok.set", "POST", "/byok", "BYOKChanged"},
		{"byok.delete", "DELETE", "/byok", "BYOKChanged"},

		{"toolTemplates.list", "GET", "/tool-templates", "ToolTemplateList"},
		{"toolTemplates.get", "GET", "/tool-templates/{id}", "ToolTemplateEnvelope"},
		{"toolTemplates.create", "POST", "/tool-templates", "ToolTemplateEnvelope"},
		{"toolTemplates.update", "PATCH", "/tool-templates/{id}", "ToolTemplateEnvelope"},
		{"toolTemplates.delete", "DELETE", "/tool-templates/{id}", "Success"},

		{"analysisTemplates.list", "GET", "/analysis-templates", "AnalysisTemplateList"},
		{"analysisTemplates.get", "GET", "/analysis-templates/{id}", "AnalysisTemplateEnvelope"},
		{"analysisTemplates.create", "POST", "/analysis-templates", "AnalysisTemplateEnvelope"},
		{"analysisTemplates.update", "PATCH", "/analysis-templates/{id}", "AnalysisTemplateEnvelope"},
		{"analysisTemplates.delete", "DELETE", "/analysis-templates/{id}", "Success"},

		{"domains.get", "GET", "/domains", "Domain"},
		{"domains.create", "POST", "/domains", "Domain"},
		{"domains.delete", "DELETE", "/domains", "Success"},
		{"domains.listResendDomains", "GET", "/domains/sync", "Records"},
		{"domains.syncResendDomain", "POST", "/domains/sync", "Success"},
		{"domains.verify", "POST", "/domains/verify", "DomainVerified"},
		{"domains.refresh", "POST", "/domains/refresh", "Domain"},

		{"organizations.get", "GET", "/organizations", "Organization"},
		{"organizations.create", "POST", "/organizations", "Organization"},
	}
}
