package contract

// Mirrors of the webhook payloads of src/types.ts: what serve's calls
// deliver to the integrator in the flireo dialect (G3+).

// CallType is WebhookCallInfo.type.
type CallType string

// Values are the SDK's set.
func (CallType) Values() []string {
	return []string{"inbound_phone_call", "outbound_phone_call", "web_call"}
}

// WebhookCallInfo is the SDK's WebhookCallInfo.
type WebhookCallInfo struct {
	ID     string   `json:"id"`
	Type   CallType `json:"type"`
	Status string   `json:"status"`
}

// WebhookPhoneNumber is the SDK's WebhookPhoneNumber.
type WebhookPhoneNumber struct {
	Number string `json:"number"`
	Name   string `json:"name" sdk:"optional"`
}

// WebhookCustomer is the SDK's WebhookCustomer.
type WebhookCustomer struct {
	Number string `json:"number"`
}

// WebhookBase is WebhookBasePayload.message without its type, which each
// event narrows to its own name.
type WebhookBase struct {
	Timestamp   string             `json:"timestamp"`
	Call        WebhookCallInfo    `json:"call"`
	PhoneNumber WebhookPhoneNumber `json:"phone_number"`
	Customer    WebhookCustomer    `json:"customer"`
	Assistant   map[string]any     `json:"assistant" sdk:"optional"`
}

// Event names, each the type of one payload.
type (
	// EventAssistantRequest is "assistant-request".
	EventAssistantRequest string
	// EventStatusUpdate is "status-update".
	EventStatusUpdate string
	// EventToolCalls is "tool-calls".
	EventToolCalls string
	// EventEndOfCallReport is "end-of-call-report".
	EventEndOfCallReport string
)

// Values are the SDK's literal.
func (EventAssistantRequest) Values() []string { return []string{"assistant-request"} }

// Values are the SDK's literal.
func (EventStatusUpdate) Values() []string { return []string{"status-update"} }

// Values are the SDK's literal.
func (EventToolCalls) Values() []string { return []string{"tool-calls"} }

// Values are the SDK's literal.
func (EventEndOfCallReport) Values() []string { return []string{"end-of-call-report"} }

// AssistantRequestPayload is the SDK's AssistantRequestPayload.
type AssistantRequestPayload struct {
	Message struct {
		Type EventAssistantRequest `json:"type"`
		WebhookBase
	} `json:"message"`
}

// StatusUpdatePayload is the SDK's StatusUpdatePayload.
type StatusUpdatePayload struct {
	Message struct {
		Type EventStatusUpdate `json:"type"`
		WebhookBase
		Error string `json:"error" sdk:"optional"`
	} `json:"message"`
}

// ToolCall is one of ToolCallsPayload.message.tool_call_list.
type ToolCall struct {
	ID       string       `json:"id"`
	Type     FunctionType `json:"type"`
	Function struct {
		Name      string         `json:"name"`
		Arguments map[string]any `json:"arguments"`
	} `json:"function"`
}

// ToolCallsPayload is the SDK's ToolCallsPayload.
type ToolCallsPayload struct {
	Message struct {
		Type EventToolCalls `json:"type"`
		WebhookBase
		ToolCallList []ToolCall `json:"tool_call_list"`
	} `json:"message"`
}

// EndOfCallReportPayload is the SDK's EndOfCallReportPayload.
type EndOfCallReportPayload struct {
	Message struct {
		Type EventEndOfCallReport `json:"type"`
		WebhookBase
		DurationSeconds float64        `json:"duration_seconds"`
		Summary         string         `json:"summary"`
		Messages        []CallMessage  `json:"messages"`
		Analysis        map[string]any `json:"analysis" sdk:"optional"`
		RecordingURL    string         `json:"recording_url" sdk:"optional"`
	} `json:"message"`
}

// PayloadFor names the payload type of an event ("" for an unknown one).
func PayloadFor(event string) string {
	switch event {
	case "assistant-request":
		return "AssistantRequestPayload"
	case "status-update":
		return "StatusUpdatePayload"
	case "tool-calls":
		return "ToolCallsPayload"
	case "end-of-call-report":
		return "EndOfCallReportPayload"
	}
	return ""
}
