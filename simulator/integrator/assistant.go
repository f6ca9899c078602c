package integrator

import (
	"encoding/json"
	"strings"
)

// contact is a customer in the built-in contact book.
type contact struct {
	Phone     string // E.164
	FirstName string
	LastName  string
	Email     string
	Tier      string // premium, standard or basic
	CRMID     string
}

func (c contact) Name() string { return c.FirstName + " " + c.LastName }

// contactBook is the server's small CRM, keyed by caller number. The first
// entries use the numbers of the platform documentation's examples.
var contactBook = []contact{
	{"+31612345678", "Jan", "de Vries", "jan.devries@example.nl", "premium", "CRM-10001"},
	{"+31601234567", "Jonas", "Bakker", "jonas.bakker@example.nl", "standard", "CRM-10002"},
	{"+31623731537", "Daniëlle", "van den Berg", "danielle.vandenberg@example.nl", "premium", "CRM-10003"},
	{"+31687654321", "Sanne", "Jansen", "sanne.jansen@example.nl", "basic", "CRM-10004"},
	{"+31655501234", "Thijs", "Smit", "thijs.smit@example.nl", "standard", "CRM-10005"},
	{"+31644412345", "Fleur", "Mulder", "fleur.mulder@example.nl", "basic", "CRM-10006"},
}

// contactByPhone finds the contact for a phone number in any common Dutch
// notation (+31 6…, 0031 6…, 06…, with spaces or dashes).
func contactByPhone(number string) (contact, bool) {
	n := normalizePhone(number)
	if n == "" {
		return contact{}, false
	}
	for _, c := range contactBook {
		if c.Phone == n {
			return c, true
		}
	}
	return contact{}, false
}

func normalizePhone(s string) string {
	var b strings.Builder
	for i, r := range strings.TrimSpace(s) {
		switch {
		case r >= '0' && r <= '9':
			b.WriteRune(r)
		case r == '+' && i == 0:
			b.WriteRune(r)
		}
	}
	n := b.String()
	switch {
	case strings.HasPrefix(n, "00"):
		n = "+" + n[2:]
	case strings.HasPrefix(n, "0"):
		n = "+31" + n[1:]
	}
	if len(n) < 8 || n[0] != '+' {
		return ""
	}
	return n
}

// assistantPlan is the assistant configuration before it is spelled in a
// dialect.
type assistantPlan struct {
	FirstMessage   string
	EndCallMessage string
	SystemPrompt   string
	Provider       string
	Model          string
	MaxDuration    int
	MinMessages    int
	Metadata       map[string]string // nil: none
}

const (
	businessName   = "Voorbeeld Bedrijf"
	assistantName  = "Julia"
	maxDurationSec = 600
)

// planFor personalises the assistant for the caller: a known customer gets
// a greeting by name, a system prompt with their CRM data and metadata to
// match later events to the CRM; anyone else gets the generic assistant.
func planFor(caller string) *assistantPlan {
	p := &assistantPlan{
		EndCallMessage: "Bedankt voor het bellen met " + businessName + ", tot ziens.",
		Provider:       "openai",
		Model:          "gpt-4o-mini",
		MaxDuration:    maxDurationSec,
		MinMessages:    2,
	}
	base := "Je bent " + assistantName + ", de telefonische assistent van " + businessName + ". " +
		"Spreek Nederlands, houd je antwoorden kort en gebruik de tools voor contactgegevens, beschikbaarheid, " +
		"afspraken, bestellingen, klachten, terugbelverzoeken en openingstijden. Verzin nooit gegevens die een tool niet gaf."
	c, ok := contactByPhone(caller)
	if !ok {
		p.FirstMessage = "Goedendag, u spreekt met " + assistantName + " van " + businessName + ". Waarmee kan ik u helpen?"
		p.SystemPrompt = base + " De beller is niet bekend in het klantsysteem: vraag naar naam en e-mailadres voordat je een afspraak maakt."
		p.Metadata = map[string]string{"customer_tier": "unknown"}
		return p
	}
	p.FirstMessage = "Hallo " + c.FirstName + ", leuk dat je belt met " + businessName + "! Waarmee kan ik je helpen?"
	p.SystemPrompt = base + " Je spreekt met " + c.Name() + " (klantnummer " + c.CRMID + ", klantniveau " + c.Tier +
		", e-mail " + c.Email + "). Spreek de beller aan met '" + c.FirstName + "' en vraag niet opnieuw naar deze gegevens."
	if c.Tier == "premium" {
		p.SystemPrompt += " Dit is een premium klant: wees extra behulpzaam."
	}
	p.Metadata = map[string]string{"crm_id": c.CRMID, "customer_tier": c.Tier}
	return p
}

// analysisSchema is the structured-data schema of the analysis plan.
var analysisSchema = json.RawMessage(`{
	"type": "object",
	"properties": {
		"sentiment": {"type": "string", "enum": ["positive", "neutral", "negative"], "description": "Stemming van de beller aan het eind van het gesprek"},
		"intent": {"type": "string", "description": "Waarvoor de beller belde, in een paar woorden"},
		"appointment_booked": {"type": "boolean", "description": "Of er een afspraak is gemaakt"},
		"follow_up_needed": {"type": "boolean", "description": "Of een medewerker actie moet ondernemen"}
	},
	"required": ["sentiment", "intent", "appointment_booked", "follow_up_needed"]
}`)

func analysisMessages() []any {
	return []any{
		map[string]any{"role": "system", "content": "Analyseer het gesprek volgens dit schema: {{schema}}"},
		map[string]any{"role": "user", "content": "Transcript: {{transcript}}"},
	}
}

// renderAssistant spells the plan as an assistant-request reply in the
// caller's format:
//
//   - G3 (snake_case): {"assistant": {first_message, llm_config, analysis_plan,
//     metadata}, "max_duration_seconds": 600};
//   - G2 (camelCase, and Interactly): {"assistant": {firstMessage, llm_config,
//     analysisPlan, metadata}, "maxDurationSeconds": 600}, llm_config stays
//     snake_case as documented, tools use asyncResponse;
//   - G1: {"assistant": {firstMessage, endCallMessage, maxDurationSeconds,
//     analysisPlan, model}}, a full configuration as the legacy platform
//     requires. G1 documents no place for metadata, so none is sent.
func renderAssistant(f format, p *assistantPlan) map[string]any {
	system := []any{map[string]any{"role": "system", "content": p.SystemPrompt}}
	tools := renderTools(f)
	metadata := make(map[string]any, len(p.Metadata))
	for k, v := range p.Metadata {
		metadata[k] = v
	}
	switch f {
	case formatG1:
		return map[string]any{"assistant": map[string]any{
			"firstMessage":       p.FirstMessage,
			"endCallMessage":     p.EndCallMessage,
			"maxDurationSeconds": p.MaxDuration,
			"analysisPlan": map[string]any{
				"structuredDataPlan":   map[string]any{"enabled": true, "schema": analysisSchema, "messages": analysisMessages()},
				"minMessagesThreshold": p.MinMessages,
			},
			"model": map[string]any{"provider": p.Provider, "model": p.Model, "tools": tools, "messages": system},
		}}
	case formatG2, formatInteractly:
		return map[string]any{
			"assistant": map[string]any{
				"firstMessage": p.FirstMessage,
				"llm_config":   map[string]any{"provider": p.Provider, "model": p.Model, "messages": system, "tools": tools},
				"analysisPlan": map[string]any{
					"structuredDataPlan":   map[string]any{"enabled": true, "schema": analysisSchema, "messages": analysisMessages()},
					"minMessagesThreshold": p.MinMessages,
				},
				"metadata": metadata,
			},
			"maxDurationSeconds": p.MaxDuration,
		}
	default:
		return map[string]any{
			"assistant": map[string]any{
				"first_message": p.FirstMessage,
				"llm_config":    map[string]any{"provider": p.Provider, "model": p.Model, "messages": system, "tools": tools},
				"analysis_plan": map[string]any{
					"structured_data_plan":   map[string]any{"enabled": true, "schema": analysisSchema, "messages": analysisMessages()},
					"min_messages_threshold": p.MinMessages,
				},
				"metadata": metadata,
			},
			"max_duration_seconds": p.MaxDuration,
		}
	}
}

// renderTools declares the tool catalogue in the format's spelling: flat
// {name, description, async, parameters} objects as documented for custom
// tools, with async_response (G3) or asyncResponse (G1, G2) on async tools.
func renderTools(f format) []any {
	asyncKey := "async_response"
	if f != formatG3 {
		asyncKey = "asyncResponse"
	}
	out := make([]any, 0, len(toolCatalogue))
	for _, t := range toolCatalogue {
		d := map[string]any{
			"name":        t.Name,
			"description": t.Description,
			"async":       t.AsyncResponse != "",
			"parameters":  t.Parameters,
		}
		if t.AsyncResponse != "" {
			d[asyncKey] = t.AsyncResponse
		}
		out = append(out, d)
	}
	return out
}
