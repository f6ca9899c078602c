package contract

// Mirrors of the response types of src/types.ts, in its order. Field
// comments name what the SDK says; the sdk tag is explained in doc.go.

// Pagination is the SDK's Pagination.
type Pagination struct {
	Total  float64 `json:"total"`
	Limit  float64 `json:"limit"`
	Offset float64 `json:"offset"`
}

// APIError is the SDK's ApiError: every error body (and the authentication
// page's 401/403 bodies) decodes into it.
type APIError struct {
	Error   string `json:"error"`
	Message string `json:"message" sdk:"optional"`
	Param   string `json:"param" sdk:"optional"`
	Type    string `json:"type" sdk:"optional"`
}

// STTConfig is the SDK's STTConfig.
type STTConfig struct {
	Provider                   STTProvider  `json:"provider"`
	Model                      string       `json:"model"`
	Language                   string       `json:"language"`
	Keyterms                   []string     `json:"keyterms" sdk:"optional"`
	TagAudioEvents             bool         `json:"tag_audio_events" sdk:"optional"`
	IncludeTimestamps          bool         `json:"include_timestamps" sdk:"optional"`
	SampleRate                 SampleRate   `json:"sample_rate" sdk:"optional"`
	Languages                  []string     `json:"languages" sdk:"optional"`
	CodeSwitching              bool         `json:"code_switching" sdk:"optional"`
	Region                     GladiaRegion `json:"region" sdk:"optional"`
	Endpointing                float64      `json:"endpointing" sdk:"optional"`
	CustomVocabulary           []string     `json:"custom_vocabulary" sdk:"optional"`
	TranslationEnabled         bool         `json:"translation_enabled" sdk:"optional"`
	TranslationTargetLanguages []string     `json:"translation_target_languages" sdk:"optional"`
}

// LLMMessage is the SDK's LLMMessage.
type LLMMessage struct {
	Role    LLMRole `json:"role"`
	Content string  `json:"content"`
}

// ToolFunction is ToolDefinition["function"].
type ToolFunction struct {
	Name        string         `json:"name"`
	Description string         `json:"description" sdk:"optional"`
	Parameters  map[string]any `json:"parameters" sdk:"optional"`
}

// ToolServer is ToolDefinition.server.
type ToolServer struct {
	URL    string `json:"url"`
	Secret string `json:"secret" sdk:"optional"`
}

// ToolDefinition is the SDK's ToolDefinition.
type ToolDefinition struct {
	Type     FunctionType `json:"type"`
	Function ToolFunction `json:"function"`
	Server   ToolServer   `json:"server" sdk:"optional"`
	Async    bool         `json:"async" sdk:"optional"`
}

// LLMConfig is the SDK's LLMConfig.
type LLMConfig struct {
	Provider    LLMProvider      `json:"provider"`
	Model       string           `json:"model"`
	Voice       XaiVoice         `json:"voice" sdk:"optional"`
	Temperature float64          `json:"temperature" sdk:"optional"`
	Messages    []LLMMessage     `json:"messages" sdk:"optional"`
	Tools       []ToolDefinition `json:"tools" sdk:"optional"`
}

// TTSConfig is the SDK's TTSConfig.
type TTSConfig struct {
	Provider        TTSProvider `json:"provider"`
	VoiceID         string      `json:"voice_id"`
	Model           string      `json:"model" sdk:"optional"`
	Language        string      `json:"language" sdk:"optional"`
	Stability       float64     `json:"stability" sdk:"optional"`
	SimilarityBoost float64     `json:"similarity_boost" sdk:"optional"`
	UseSpeakerBoost bool        `json:"use_speaker_boost" sdk:"optional"`
	Speed           float64     `json:"speed" sdk:"optional"`
	Style           float64     `json:"style" sdk:"optional"`
}

// StructuredDataPlan is AnalysisPlan.structured_data_plan.
type StructuredDataPlan struct {
	Enabled    bool   `json:"enabled"`
	TemplateID string `json:"template_id" sdk:"optional"`
}

// AnalysisPlan is the SDK's AnalysisPlan.
type AnalysisPlan struct {
	StructuredDataPlan StructuredDataPlan `json:"structured_data_plan" sdk:"optional"`
}

// Assistant is the SDK's Assistant.
type Assistant struct {
	ID                        string       `json:"id"`
	Name                      string       `json:"name"`
	BusinessName              string       `json:"business_name" sdk:"optional,nullable"`
	NotificationEmail         string       `json:"notification_email" sdk:"optional,nullable"`
	FirstMessage              string       `json:"first_message" sdk:"optional,nullable"`
	IsActive                  bool         `json:"is_active"`
	MaxDurationSeconds        float64      `json:"max_duration_seconds" sdk:"optional,nullable"`
	AutonomousSilenceHandling bool         `json:"autonomous_silence_handling" sdk:"optional"`
	SilenceTimeoutSeconds     float64      `json:"silence_timeout_seconds" sdk:"optional"`
	VoicemailDetection        bool         `json:"voicemail_detection" sdk:"optional,nullable"`
	VoicemailMessage          string       `json:"voicemail_message" sdk:"optional,nullable"`
	GDPRMode                  bool         `json:"gdpr_mode" sdk:"optional"`
	WebhookURL                string       `json:"webhook_url" sdk:"optional,nullable"`
	WebhookSecret             string       `json:"webhook_secret" sdk:"optional,nullable"`
	WebhookEvents             []string     `json:"webhook_events" sdk:"optional,nullable"`
	AnalysisPlan              AnalysisPlan `json:"analysis_plan" sdk:"optional,nullable"`
	STTConfig                 STTConfig    `json:"stt_config"`
	LLMConfig                 LLMConfig    `json:"llm_config"`
	TTSConfig                 TTSConfig    `json:"tts_config"`
	CreatedAt                 string       `json:"created_at"`
	UpdatedAt                 string       `json:"updated_at"`
}

// PhoneNumber is the SDK's PhoneNumber.
type PhoneNumber struct {
	ID                string `json:"id"`
	PhoneNumber       string `json:"phone_number"`
	AgentID           string `json:"agent_id" sdk:"optional,nullable"`
	AgentName         string `json:"agent_name" sdk:"optional,nullable"`
	BusinessName      string `json:"business_name" sdk:"optional,nullable"`
	TransferTrunkID   string `json:"transfer_trunk_id" sdk:"optional,nullable"`
	TransferTrunkName string `json:"transfer_trunk_name" sdk:"optional,nullable"`
	Source            string `json:"source" sdk:"optional,nullable"`
	IsActive          bool   `json:"is_active" sdk:"optional"`
	CreatedAt         string `json:"created_at"`
	UpdatedAt         string `json:"updated_at"`
}

// CallMessage is the SDK's CallMessage.
type CallMessage struct {
	Role    MessageRole `json:"role"`
	Content string      `json:"content"`
}

// Call is the SDK's Call.
type Call struct {
	ID              string         `json:"id"`
	CallerPhone     string         `json:"caller_phone"`
	AssistantPhone  string         `json:"assistant_phone"`
	Status          CallStatus     `json:"status"`
	Direction       Direction      `json:"direction" sdk:"optional"`
	EndReason       string         `json:"end_reason" sdk:"optional,nullable"`
	Error           string         `json:"error" sdk:"optional,nullable"`
	StartedAt       string         `json:"started_at" sdk:"optional,nullable"`
	EndedAt         string         `json:"ended_at" sdk:"optional,nullable"`
	DurationSeconds float64        `json:"duration_seconds" sdk:"optional,nullable"`
	Summary         string         `json:"summary" sdk:"optional,nullable"`
	AnalysisResult  map[string]any `json:"analysis_result" sdk:"optional,nullable"`
	Messages        []CallMessage  `json:"messages" sdk:"optional,nullable"`
	RoomName        string         `json:"room_name" sdk:"optional,nullable"`
	RecordingURL    string         `json:"recording_url" sdk:"optional,nullable"`
	AgentID         string         `json:"agent_id" sdk:"optional,nullable"`
	NumberID        string         `json:"number_id" sdk:"optional,nullable"`
	AgentName       string         `json:"agent_name" sdk:"optional,nullable"`
	BusinessName    string         `json:"business_name" sdk:"optional,nullable"`
	PhoneNumber     string         `json:"phone_number" sdk:"optional,nullable"`
	CreatedAt       string         `json:"created_at"`
	UpdatedAt       string         `json:"updated_at"`
}

// OutboundCallResponse is the SDK's OutboundCallResponse.
type OutboundCallResponse struct {
	Success bool    `json:"success"`
	CallID  string  `json:"call_id"`
	Status  Dialing `json:"status"`
}

// CallControlResponse is the SDK's CallControlResponse.
type CallControlResponse struct {
	Success bool   `json:"success"`
	Message string `json:"message" sdk:"optional"`
}

// SipTrunk is the SDK's SipTrunk.
type SipTrunk struct {
	ID               string   `json:"id"`
	Name             string   `json:"name"`
	Provider         string   `json:"provider" sdk:"optional"`
	InboundAddresses []string `json:"inbound_addresses" sdk:"optional"`
	OutboundAddress  string   `json:"outbound_address" sdk:"optional"`
	OutboundNumber   string   `json:"outbound_number" sdk:"optional"`
	AuthUsername     string   `json:"auth_username" sdk:"optional"`
	CreatedAt        string   `json:"created_at"`
	UpdatedAt        string   `json:"updated_at"`
}

// VoiceDescription is Voice.description.
type VoiceDescription struct {
	En string `json:"en" sdk:"optional"`
	Nl string `json:"nl" sdk:"optional"`
}

// Voice is the SDK's Voice.
type Voice struct {
	ID          string           `json:"id"`
	Name        string           `json:"name"`
	Language    string           `json:"language" sdk:"optional"`
	Description VoiceDescription `json:"description" sdk:"optional"`
}

// XaiRealtimeVoice is the SDK's XaiRealtimeVoice.
type XaiRealtimeVoice struct {
	ID    XaiVoice `json:"id"`
	Name  string   `json:"name"`
	Style string   `json:"style"`
}

// UsageLog is the SDK's UsageLog.
type UsageLog struct {
	ID           string  `json:"id"`
	DurationSec  float64 `json:"duration_sec" sdk:"optional"`
	PhoneNumber  string  `json:"phone_number" sdk:"optional"`
	AgentName    string  `json:"agent_name" sdk:"optional"`
	BusinessName string  `json:"business_name" sdk:"optional"`
	CreatedAt    string  `json:"created_at"`
}

// UsageSummary is the SDK's UsageSummary.
type UsageSummary struct {
	TotalCalls           float64 `json:"total_calls"`
	TotalDurationSeconds float64 `json:"total_duration_seconds"`
	TotalDurationMinutes float64 `json:"total_duration_minutes"`
}

// BYOKKeys is the SDK's BYOKKeys.
type BYOKKeys struct {
	DeepgramSecretID   string `json:"deepgram_secret_id" sdk:"optional,nullable"`
	OpenAISecretID     string `json:"openai_secret_id" sdk:"optional,nullable"`
	ElevenLabsSecretID string `json:"elevenlabs_secret_id" sdk:"optional,nullable"`
	ResendSecretID     string `json:"resend_secret_id" sdk:"optional,nullable"`
	XAISecretID        string `json:"xai_secret_id" sdk:"optional,nullable"`
	GladiaSecretID     string `json:"gladia_secret_id" sdk:"optional,nullable"`
	MistralSecretID    string `json:"mistral_secret_id" sdk:"optional,nullable"`
}

// ToolTemplate is the SDK's ToolTemplate.
type ToolTemplate struct {
	ID                 string       `json:"id"`
	Name               string       `json:"name"`
	Description        string       `json:"description" sdk:"optional"`
	FunctionDefinition ToolFunction `json:"function_definition"`
	ServerURL          string       `json:"server_url" sdk:"optional"`
	ServerSecret       string       `json:"server_secret" sdk:"optional"`
	Async              bool         `json:"async" sdk:"optional"`
	CreatedAt          string       `json:"created_at"`
	UpdatedAt          string       `json:"updated_at"`
}

// AnalysisTemplate is the SDK's AnalysisTemplate.
type AnalysisTemplate struct {
	ID          string         `json:"id"`
	Name        string         `json:"name"`
	Description string         `json:"description" sdk:"optional"`
	Schema      map[string]any `json:"schema"`
	CreatedAt   string         `json:"created_at"`
	UpdatedAt   string         `json:"updated_at"`
}

// Campaign is the SDK's Campaign.
type Campaign struct {
	ID                    string         `json:"id"`
	Name                  string         `json:"name"`
	AgentID               string         `json:"agent_id"`
	Status                CampaignStatus `json:"status"`
	SystemMessageTemplate string         `json:"system_message_template" sdk:"optional,nullable"`
	ScheduleStartTime     string         `json:"schedule_start_time" sdk:"optional,nullable"`
	ScheduleEndTime       string         `json:"schedule_end_time" sdk:"optional,nullable"`
	Timezone              string         `json:"timezone" sdk:"optional,nullable"`
	TotalLeads            float64        `json:"total_leads" sdk:"optional"`
	CompletedLeads        float64        `json:"completed_leads" sdk:"optional"`
	FailedLeads           float64        `json:"failed_leads" sdk:"optional"`
	CreatedAt             string         `json:"created_at"`
	UpdatedAt             string         `json:"updated_at"`
}

// CampaignLead is the SDK's CampaignLead.
type CampaignLead struct {
	ID          string            `json:"id"`
	CampaignID  string            `json:"campaign_id"`
	PhoneNumber string            `json:"phone_number"`
	Name        string            `json:"name" sdk:"optional"`
	Status      LeadStatus        `json:"status"`
	Variables   map[string]string `json:"variables" sdk:"optional"`
	CallID      string            `json:"call_id" sdk:"optional,nullable"`
	CreatedAt   string            `json:"created_at"`
	UpdatedAt   string            `json:"updated_at"`
}

// Domain is the SDK's Domain.
type Domain struct {
	ID        string `json:"id"`
	Domain    string `json:"domain"`
	Verified  bool   `json:"verified"`
	CreatedAt string `json:"created_at"`
}

// Organization is the SDK's Organization.
type Organization struct {
	ID             string  `json:"id"`
	Name           string  `json:"name"`
	Email          string  `json:"email" sdk:"optional"`
	CreditsBalance float64 `json:"credits_balance" sdk:"optional"`
	Plan           string  `json:"plan" sdk:"optional"`
	CreatedAt      string  `json:"created_at"`
}
