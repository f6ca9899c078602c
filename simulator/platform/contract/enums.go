package contract

// String unions of src/types.ts. Later values are documented by the
// platform (spec §2.2, §2.3) after SDK v1.0.1; a Checker with Later set
// accepts them.

// STTProvider is the SDK's STTProvider.
type STTProvider string

// Values are the SDK's set.
func (STTProvider) Values() []string { return []string{"deepgram", "elevenlabs", "gladia", "mistral"} }

// LLMProvider is the SDK's LLMProvider.
type LLMProvider string

// Values are the SDK's set.
func (LLMProvider) Values() []string { return []string{"openai", "xai_realtime", "xai", "mistral"} }

// TTSProvider is the SDK's TTSProvider.
type TTSProvider string

// Values are the SDK's set.
func (TTSProvider) Values() []string { return []string{"elevenlabs", "inworld"} }

// XaiVoice is the union of LLMConfig.voice and XaiRealtimeVoice.id.
type XaiVoice string

// Values are the SDK's set.
func (XaiVoice) Values() []string { return []string{"ara", "rex", "sal", "eve", "leo"} }

// LLMRole is LLMMessage.role.
type LLMRole string

// Values are the SDK's set.
func (LLMRole) Values() []string { return []string{"system", "user", "assistant"} }

// FunctionType is ToolDefinition.type.
type FunctionType string

// Values are the SDK's set.
func (FunctionType) Values() []string { return []string{"function"} }

// GladiaRegion is STTConfig.region.
type GladiaRegion string

// Values are the SDK's set.
func (GladiaRegion) Values() []string { return []string{"eu-west", "us-west"} }

// SampleRate is STTConfig.sample_rate (16000 | 8000).
type SampleRate float64

// NumberValues are the SDK's set.
func (SampleRate) NumberValues() []float64 { return []float64{16000, 8000} }

// CallStatus is the SDK's CallStatus.
type CallStatus string

// Values are the SDK's set.
func (CallStatus) Values() []string { return []string{"connecting", "in-progress", "ended", "failed"} }

// Later are the statuses of the SDK's later versions (spec §2.2) and
// dialing, the status of the outbound answer (spec §6.2), which an
// outbound call keeps until it is answered.
func (CallStatus) Later() []string {
	return []string{"ringing", "ended-with-error", "transferred", "rejected", "insufficient-credits", "dialing"}
}

// Direction is Call.direction.
type Direction string

// Values are the SDK's set.
func (Direction) Values() []string { return []string{"inbound", "outbound"} }

// Later: web calls (spec §2.3).
func (Direction) Later() []string { return []string{"web"} }

// MessageRole is CallMessage.role: spoken lines only.
type MessageRole string

// Values are the SDK's set.
func (MessageRole) Values() []string { return []string{"user", "assistant"} }

// Dialing is OutboundCallResponse.status.
type Dialing string

// Values are the SDK's set.
func (Dialing) Values() []string { return []string{"dialing"} }

// CampaignStatus is the SDK's CampaignStatus.
type CampaignStatus string

// Values are the SDK's set.
func (CampaignStatus) Values() []string { return []string{"draft", "scheduled", "paused", "completed"} }

// Later: spec §2.2.
func (CampaignStatus) Later() []string { return []string{"cancelled"} }

// LeadStatus is the SDK's LeadStatus.
type LeadStatus string

// Values are the SDK's set.
func (LeadStatus) Values() []string {
	return []string{"pending", "calling", "completed", "failed", "no_answer"}
}

// Later: spec §2.2.
func (LeadStatus) Later() []string { return []string{"skipped"} }
