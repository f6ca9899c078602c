package dialect

// This file names where the documentation puts keys that integrators put
// elsewhere. The platform ignores a key outside its documented place (the
// assistant declares no tools, the caller hears no custom greeting), so the
// reply-unknown-keys finding says where the key belongs.

// movedKeys maps a folded key (normKey) found at one level of a reply to its
// documented place, relative to the level named by the map.
type movedKeys map[string]string

// movedAtTop: keys found at the top of an assistant-request reply; the
// places are absolute.
var movedAtTop = movedKeys{
	"tools":               "assistant.llm_config.tools",
	"functions":           "assistant.llm_config.tools",
	"firstmessage":        "assistant.first_message",
	"greeting":            "assistant.first_message",
	"welcomemessage":      "assistant.first_message",
	"llmconfig":           "assistant.llm_config",
	"model":               "assistant.llm_config",
	"analysisplan":        "assistant.analysis_plan",
	"structureddataplan":  "assistant.analysis_plan.structured_data_plan",
	"metadata":            "assistant.metadata",
	"systemprompt":        "assistant.llm_config.messages (a system message)",
	"prompt":              "assistant.llm_config.messages (a system message)",
	"endcallmessage":      "assistant.end_call_message",
	"voicemailmessage":    "assistant.voicemail_message",
	"assistantoverrides":  "assistant_override",
	"override":            "assistant_override",
	"maxdurationsec":      "max_duration_seconds",
	"maxduration":         "max_duration_seconds",
	"maxcalldurationsecs": "max_duration_seconds",
}

// movedInAssistant: keys found in an assistant object (or
// assistant_override); the places are relative to that object.
var movedInAssistant = movedKeys{
	"tools":              "llm_config.tools",
	"functions":          "llm_config.tools",
	"toolconfig":         "llm_config.tools",
	"greeting":           "first_message",
	"welcomemessage":     "first_message",
	"initialmessage":     "first_message",
	"openingmessage":     "first_message",
	"firstmsg":           "first_message",
	"firstsentence":      "first_message",
	"introduction":       "first_message",
	"systemprompt":       "llm_config.messages (a system message)",
	"prompt":             "llm_config.messages (a system message)",
	"instructions":       "llm_config.messages (a system message)",
	"messages":           "llm_config.messages",
	"temperature":        "llm_config.temperature",
	"structureddataplan": "analysis_plan.structured_data_plan",
	"analysis":           "analysis_plan",
	"maxduration":        "max_duration_seconds",
	"maxdurationsec":     "max_duration_seconds",
}

// movedInLLM: keys found in llm_config (or the G1 model block); the places
// are relative to the assistant object.
var movedInLLM = movedKeys{
	"functions":      "llm_config.tools",
	"analysisplan":   "analysis_plan",
	"firstmessage":   "first_message",
	"greeting":       "first_message",
	"systemprompt":   "llm_config.messages (a system message)",
	"prompt":         "llm_config.messages (a system message)",
	"metadata":       "metadata",
	"endcallmessage": "end_call_message",
}

// movedInAnalysis: keys found in analysis_plan; relative to the assistant.
var movedInAnalysis = movedKeys{
	"schema":  "analysis_plan.structured_data_plan.schema",
	"enabled": "analysis_plan.structured_data_plan.enabled",
}

// movedInToolReply: keys found at the top of a tool-calls reply.
var movedInToolReply = movedKeys{
	"toolresults": "results",
	"toolresult":  "results",
	"output":      "results[].result (or result)",
	"data":        "results[].result (or result)",
	"response":    "results[].result (or result)",
}

// plural are the folded moved keys that read as plurals.
var plural = map[string]bool{"tools": true, "functions": true, "messages": true, "toolresults": true, "instructions": true}

// place returns where the documentation puts key ("" when nowhere else),
// prefixed with base for relative places.
func (m movedKeys) place(base, key string) string {
	p, ok := m[normKey(key)]
	if !ok {
		return ""
	}
	return base + p
}

// checkMoved is checkKeys that also names the documented place of a key
// found at the wrong level: "tools (not documented; tools belong in
// assistant.llm_config.tools)". base prefixes the places of m.
func (ps *parser) checkMoved(path string, o object, known []string, m movedKeys, base string) {
	for _, mem := range o {
		if isKnown(mem.key, known) {
			continue
		}
		if p := m.place(base, mem.key); p != "" {
			verb := " belongs in "
			if plural[normKey(mem.key)] {
				verb = " belong in "
			}
			ps.unknown = append(ps.unknown, path+mem.key+" (ignored by the platform; "+mem.key+verb+p+")")
			continue
		}
		ps.unknown = append(ps.unknown, unknownKey(path, mem.key, known))
	}
}
