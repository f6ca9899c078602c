package contract

import "reflect"

// The answers of src/resources/*: the envelope each method reads (the type
// argument of its client.request call).

// CallPage is the answer of calls.list and calls.listAll.
type CallPage struct {
	Calls      []Call     `json:"calls"`
	Pagination Pagination `json:"pagination"`
}

// AssistantList is the answer of assistants.list.
type AssistantList struct {
	Assistants []Assistant `json:"assistants"`
}

// AssistantEnvelope is the answer of assistants.get, create and update.
type AssistantEnvelope struct {
	Assistant Assistant `json:"assistant"`
}

// Success is the answer of every delete and of domains.syncResendDomain.
type Success struct {
	Success bool `json:"success"`
}

// PhoneNumberList is the answer of numbers.list.
type PhoneNumberList struct {
	Numbers []PhoneNumber `json:"numbers"`
}

// PhoneNumberEnvelope is the answer of numbers.get, create and update.
type PhoneNumberEnvelope struct {
	Number PhoneNumber `json:"number"`
}

// CampaignList is the answer of campaigns.list.
type CampaignList struct {
	Campaigns []Campaign `json:"campaigns"`
}

// CampaignEnvelope is the answer of campaigns.get, create and update.
type CampaignEnvelope struct {
	Campaign Campaign `json:"campaign"`
}

// LeadPage is the answer of campaigns.listLeads.
type LeadPage struct {
	Leads      []CampaignLead `json:"leads"`
	Pagination Pagination     `json:"pagination"`
}

// LeadEnvelope is the answer of campaigns.addLead.
type LeadEnvelope struct {
	Lead CampaignLead `json:"lead"`
}

// SipTrunkList is the answer of sipTrunks.list.
type SipTrunkList struct {
	Trunks []SipTrunk `json:"trunks"`
}

// SipTrunkEnvelope is the answer of sipTrunks.get and create.
type SipTrunkEnvelope struct {
	Trunk SipTrunk `json:"trunk"`
}

// VoiceList is the answer of voices.list.
type VoiceList struct {
	Voices []Voice `json:"voices"`
}

// UsagePage is the answer of usage.list and usage.listAll.
type UsagePage struct {
	Logs       []UsageLog   `json:"logs"`
	Pagination Pagination   `json:"pagination"`
	Summary    UsageSummary `json:"summary"`
}

// BYOKEnvelope is the answer of byok.get.
type BYOKEnvelope struct {
	BYOKKeys BYOKKeys `json:"byok_keys"`
}

// BYOKChanged is the answer of byok.set and byok.delete.
type BYOKChanged struct {
	Success  bool     `json:"success"`
	BYOKKeys BYOKKeys `json:"byok_keys"`
}

// Record is Record<string, unknown>: byok.getConfig.
type Record map[string]any

// Records is Record<string, unknown>[]: domains.listResendDomains.
type Records []map[string]any

// DomainVerified is the answer of domains.verify.
type DomainVerified struct {
	Verified bool `json:"verified"`
}

// ToolTemplateList is the answer of toolTemplates.list.
type ToolTemplateList struct {
	ToolTemplates []ToolTemplate `json:"tool_templates"`
}

// ToolTemplateEnvelope is the answer of toolTemplates.get, create and update.
type ToolTemplateEnvelope struct {
	ToolTemplate ToolTemplate `json:"tool_template"`
}

// AnalysisTemplateList is the answer of analysisTemplates.list.
type AnalysisTemplateList struct {
	AnalysisTemplates []AnalysisTemplate `json:"analysis_templates"`
}

// AnalysisTemplateEnvelope is the answer of analysisTemplates.get, create
// and update.
type AnalysisTemplateEnvelope struct {
	AnalysisTemplate AnalysisTemplate `json:"analysis_template"`
}

// Answers the SDK does not type, which the project owns.

// Health is GET /health (spec §6.1); the SDK has no method for it.
type Health struct {
	Status    string       `json:"status"`
	Timestamp string       `json:"timestamp"`
	Version   string       `json:"version"`
	Checks    HealthChecks `json:"checks"`
}

// HealthChecks is Health.checks.
type HealthChecks struct {
	Database HealthCheck `json:"database"`
}

// HealthCheck is one of Health.checks.
type HealthCheck struct {
	Status    string  `json:"status"`
	LatencyMS float64 `json:"latency_ms"`
}

// SimulateInbound is the answer of serve's test trigger POST
// /simulate/inbound (not a platform operation).
type SimulateInbound struct {
	Success bool       `json:"success"`
	CallID  string     `json:"call_id"`
	Status  CallStatus `json:"status"`
}

// NestedError is the errors page's body (spec §6.6), which serve answers
// with --error-body nested.
type NestedError struct {
	Error NestedErrorBody `json:"error"`
}

// NestedErrorBody is NestedError.error.
type NestedErrorBody struct {
	Code    string `json:"code"`
	Message string `json:"message" sdk:"optional"`
	Param   string `json:"param" sdk:"optional"`
	Type    string `json:"type" sdk:"optional"`
}

// typeList names every type a Checker knows: the SDK's names for its own
// types, the Go names for the envelopes.
var typeList = []any{
	Pagination{}, APIError{}, STTConfig{}, LLMMessage{}, ToolDefinition{}, LLMConfig{}, TTSConfig{},
	AnalysisPlan{}, Assistant{}, PhoneNumber{}, CallMessage{}, Call{}, OutboundCallResponse{},
	CallControlResponse{}, SipTrunk{}, Voice{}, XaiRealtimeVoice{}, UsageLog{}, UsageSummary{}, BYOKKeys{},
	ToolTemplate{}, AnalysisTemplate{}, Campaign{}, CampaignLead{}, Domain{}, Organization{},
	CallPage{}, AssistantList{}, AssistantEnvelope{}, Success{}, PhoneNumberList{}, PhoneNumberEnvelope{},
	CampaignList{}, CampaignEnvelope{}, LeadPage{}, LeadEnvelope{}, SipTrunkList{}, SipTrunkEnvelope{},
	VoiceList{}, UsagePage{}, BYOKEnvelope{}, BYOKChanged{}, Record{}, Records{}, DomainVerified{},
	ToolTemplateList{}, ToolTemplateEnvelope{}, AnalysisTemplateList{}, AnalysisTemplateEnvelope{},
	Health{}, SimulateInbound{}, NestedError{},
	AssistantRequestPayload{}, StatusUpdatePayload{}, ToolCallsPayload{}, EndOfCallReportPayload{},
}

// Lookup finds a type by name: the SDK's name for its own types ("Call",
// "ApiError"), the Go name for the envelopes ("CallPage").
func Lookup(name string) (reflect.Type, bool) {
	if name == "ApiError" {
		name = "APIError"
	}
	for _, v := range typeList {
		if t := reflect.TypeOf(v); t.Name() == name {
			return t, true
		}
	}
	return nil, false
}

// Names lists the types Lookup knows, by their Go names.
func Names() []string {
	out := make([]string, len(typeList))
	for i, v := range typeList {
		out[i] = reflect.TypeOf(v).Name()
	}
	return out
}
