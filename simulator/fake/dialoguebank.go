package fake

// dialogueBank holds the lines of a conversation that follows the server's
// tool results: the caller picking an offered time, retrying after a
// refusal, asking for a callback, helping a failed lookup; the assistant's
// honest lines when it cannot do something; the summaries of those calls.
type dialogueBank struct {
	pick, retry, otherDay, callback, spell []tmpl // caller
	notFoundAgain, noted                   []tmpl // assistant
	sumCallback, sumRefused                []tmpl // summaries
	statusOnly                             []tmpl // assistant, when a planned line contradicts a status
}

// dialogueFile is the "dialogue" object of a language bank.
type dialogueFile struct {
	Pick            []string `json:"pick"`
	Retry           []string `json:"retry"`
	OtherDay        []string `json:"other_day"`
	Callback        []string `json:"callback"`
	Spell           []string `json:"spell"`
	NotFoundAgain   []string `json:"not_found_again"`
	Noted           []string `json:"noted"`
	SummaryCallback []string `json:"summary_callback"`
	SummaryRefused  []string `json:"summary_refused"`
	StatusOnly      []string `json:"status_only"`
}

// dialoguePlaceholders are allowed in the dialogue lines: the plan's and a
// {value} (a spelled name).
var dialoguePlaceholders = planPlaceholders | setOf(phValue)

// load reads the dialogue lines; none may be empty.
func (db *dialogueBank) load(f *dialogueFile) error {
	return loadTmplLists("dialogue.", []tmplList{
		{"pick", f.Pick, &db.pick}, {"retry", f.Retry, &db.retry}, {"other_day", f.OtherDay, &db.otherDay},
		{"callback", f.Callback, &db.callback}, {"spell", f.Spell, &db.spell},
		{"not_found_again", f.NotFoundAgain, &db.notFoundAgain}, {"noted", f.Noted, &db.noted},
		{"summary_callback", f.SummaryCallback, &db.sumCallback}, {"summary_refused", f.SummaryRefused, &db.sumRefused},
		{"status_only", f.StatusOnly, &db.statusOnly},
	}, dialoguePlaceholders)
}
