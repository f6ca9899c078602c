package contract_test

import (
	"strings"
	"testing"

	"github.com/flireo-sim/flireo-sim/simulator/platform"
)

// resourceRows are the SDK's other operations (numbers, campaigns and
// leads, SIP trunks, voices, usage, BYOK, tool and analysis templates,
// domains, organizations), with requests built from the SDK's parameter
// types. A row whose route serve does not have yet is skipped and named;
// every answer of a route it has is checked strictly. Status 0 is any 2xx:
// the SDK reads no status.
var resourceRows = []row{
	{name: "assistants.create for the resources", method: "POST", path: "/api/v1/assistants", body: `{"name":"Campagnes"}`,
		status: 201, answer: "AssistantEnvelope", save: map[string]string{"agent": "assistant.id"}},

	{name: "numbers.create", method: "POST", path: "/api/v1/numbers", body: `{"phone_number":"+31850000123","is_active":true}`,
		answer: "PhoneNumberEnvelope", save: map[string]string{"num": "number.id"}},
	{name: "numbers.list", method: "GET", path: "/api/v1/numbers", answer: "PhoneNumberList"},
	{name: "numbers.get", method: "GET", path: "/api/v1/numbers/{num}", answer: "PhoneNumberEnvelope"},
	{name: "numbers.update", method: "PATCH", path: "/api/v1/numbers/{num}", body: `{"agent_id":"{agent}"}`, answer: "PhoneNumberEnvelope"},
	{name: "numbers.get unknown", method: "GET", path: "/api/v1/numbers/nope", status: 404, answer: "ApiError"},
	{name: "numbers.delete", method: "DELETE", path: "/api/v1/numbers/{num}", answer: "Success"},

	{name: "campaigns.create", method: "POST", path: "/api/v1/campaigns",
		body:   `{"name":"Herinneringen","agent_id":"{agent}","timezone":"Europe/Amsterdam","leads":[{"phone_number":"+31612345601","name":"Jan","variables":{"afspraak":"dinsdag"}}]}`,
		answer: "CampaignEnvelope", save: map[string]string{"camp": "campaign.id"}},
	{name: "campaigns.list", method: "GET", path: "/api/v1/campaigns", answer: "CampaignList"},
	{name: "campaigns.get", method: "GET", path: "/api/v1/campaigns/{camp}", answer: "CampaignEnvelope"},
	{name: "campaigns.update", method: "PATCH", path: "/api/v1/campaigns/{camp}", body: `{"name":"Herinneringen mei"}`, answer: "CampaignEnvelope"},
	{name: "campaigns.addLead", method: "POST", path: "/api/v1/campaigns/{camp}/leads", body: `{"phone_number":"+31612345602","name":"Els"}`,
		answer: "LeadEnvelope", save: map[string]string{"lead": "lead.id"}},
	{name: "campaigns.addLead without a name", method: "POST", path: "/api/v1/campaigns/{camp}/leads", body: `{"phone_number":"+31612345603"}`, status: 201, answer: "LeadEnvelope"},
	{name: "campaigns.listLeads", method: "GET", path: "/api/v1/campaigns/{camp}/leads?limit=10&offset=0", answer: "LeadPage"},
	{name: "campaigns.removeLead", method: "DELETE", path: "/api/v1/campaigns/{camp}/leads/{lead}", answer: "Success"},
	{name: "campaigns.get unknown", method: "GET", path: "/api/v1/campaigns/nope", status: 404, answer: "ApiError"},
	{name: "campaigns.delete", method: "DELETE", path: "/api/v1/campaigns/{camp}", answer: "Success"},

	{name: "sipTrunks.create", method: "POST", path: "/api/v1/sip-trunks",
		body:   `{"name":"Kantoor","provider":"voys","inbound_addresses":["192.0.2.10"],"outbound_address":"sip.example.com","outbound_number":"+31850000124","auth_username":"kantoor","auth_password":"geheim"}`,
		answer: "SipTrunkEnvelope", save: map[string]string{"trunk": "trunk.id"}},
	{name: "sipTrunks.list", method: "GET", path: "/api/v1/sip-trunks", answer: "SipTrunkList"},
	{name: "sipTrunks.get", method: "GET", path: "/api/v1/sip-trunks/{trunk}", answer: "SipTrunkEnvelope"},
	{name: "sipTrunks.get unknown", method: "GET", path: "/api/v1/sip-trunks/nope", status: 404, answer: "ApiError"},
	{name: "sipTrunks.delete", method: "DELETE", path: "/api/v1/sip-trunks/{trunk}", answer: "Success"},

	{name: "voices.list", method: "GET", path: "/api/v1/voices", answer: "VoiceList"},
	{name: "usage.list", method: "GET", path: "/api/v1/usage", answer: "UsagePage"},
	{name: "usage.listAll", method: "GET", path: "/api/v1/usage?limit=100&offset=0&start_date=2000-01-01", answer: "UsagePage"},

	{name: "byok.set", method: "POST", path: "/api/v1/byok", body: `{"provider":"openai","api_key":"sk-test-contract-123"}`, answer: "BYOKChanged"},
	{name: "byok.get", method: "GET", path: "/api/v1/byok", answer: "BYOKEnvelope"},
	{name: "byok.getConfig", method: "GET", path: "/api/v1/byok/config", answer: "Record"},
	{name: "byok.delete", method: "DELETE", path: "/api/v1/byok", body: `{"provider":"openai"}`, answer: "BYOKChanged"},

	{name: "toolTemplates.create", method: "POST", path: "/api/v1/tool-templates",
		body:   `{"name":"check_availability","description":"Vrije tijden","function_definition":{"name":"check_availability","description":"Vrije tijden","parameters":{"type":"object","properties":{"date":{"type":"string"}}}},"async":false}`,
		answer: "ToolTemplateEnvelope", save: map[string]string{"tool": "tool_template.id"}},
	{name: "toolTemplates.list", method: "GET", path: "/api/v1/tool-templates", answer: "ToolTemplateList"},
	{name: "toolTemplates.get", method: "GET", path: "/api/v1/tool-templates/{tool}", answer: "ToolTemplateEnvelope"},
	{name: "toolTemplates.update", method: "PATCH", path: "/api/v1/tool-templates/{tool}", body: `{"description":"Vrije tijden per dag"}`, answer: "ToolTemplateEnvelope"},
	{name: "toolTemplates.get unknown", method: "GET", path: "/api/v1/tool-templates/nope", status: 404, answer: "ApiError"},
	{name: "toolTemplates.delete", method: "DELETE", path: "/api/v1/tool-templates/{tool}", answer: "Success"},

	{name: "analysisTemplates.create", method: "POST", path: "/api/v1/analysis-templates",
		body:   `{"name":"Tevredenheid","description":"Hoe tevreden was de beller","schema":{"type":"object","properties":{"tevredenheid":{"type":"integer"}}}}`,
		answer: "AnalysisTemplateEnvelope", save: map[string]string{"analysis": "analysis_template.id"}},
	{name: "analysisTemplates.list", method: "GET", path: "/api/v1/analysis-templates", answer: "AnalysisTemplateList"},
	{name: "analysisTemplates.get", method: "GET", path: "/api/v1/analysis-templates/{analysis}", answer: "AnalysisTemplateEnvelope"},
	{name: "analysisTemplates.update", method: "PATCH", path: "/api/v1/analysis-templates/{analysis}", body: `{"name":"Tevredenheid 2"}`, answer: "AnalysisTemplateEnvelope"},
	{name: "analysisTemplates.get unknown", method: "GET", path: "/api/v1/analysis-templates/nope", status: 404, answer: "ApiError"},
	{name: "analysisTemplates.delete", method: "DELETE", path: "/api/v1/analysis-templates/{analysis}", answer: "Success"},

	{name: "domains.create", method: "POST", path: "/api/v1/domains", body: `{"domain":"mail.example.com"}`, answer: "Domain"},
	{name: "domains.get", method: "GET", path: "/api/v1/domains", answer: "Domain"},
	{name: "domains.verify", method: "POST", path: "/api/v1/domains/verify", answer: "DomainVerified"},
	{name: "domains.refresh", method: "POST", path: "/api/v1/domains/refresh", answer: "Domain"},
	{name: "domains.listResendDomains", method: "GET", path: "/api/v1/domains/sync", answer: "Records"},
	{name: "domains.syncResendDomain unknown", method: "POST", path: "/api/v1/domains/sync", body: `{"domain_id":"rd_nope"}`, status: 404, answer: "ApiError"},
	{name: "domains.delete", method: "DELETE", path: "/api/v1/domains", answer: "Success"},

	{name: "organizations.get", method: "GET", path: "/api/v1/organizations", answer: "Organization"},
	{name: "organizations.create", method: "POST", path: "/api/v1/organizations", body: `{"name":"Dochter BV","email":"info@example.com"}`, answer: "Organization"},
}

// TestResourcesFitTheSDK plays the rows of the other resources and checks
// every answer of the routes serve has.
func TestResourcesFitTheSDK(t *testing.T) {
	s := start(t, platform.ErrorBodyFlat, nil)
	bad, skipped := s.playRows(t, platform.ErrorBodyFlat, resourceRows, true)
	for _, p := range bad {
		t.Error(p)
	}
	if len(skipped) > 0 {
		t.Logf("not implemented by serve yet (%d rows): %s", len(skipped), strings.Join(skipped, ", "))
	}
	if len(skipped) == len(resourceRows)-1 {
		t.Skip("serve has none of these routes yet")
	}
}
