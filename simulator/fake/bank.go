package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// Grades, best first (the success evaluation values).
const (
	gradeExcellent = iota
	gradeGood
	gradeFair
	gradePoor
)

var gradeNames = [4]string{"Excellent", "Good", "Fair", "Poor"}

// step is one planned turn of a flow.
type step struct {
	need   string
	chance float64 // probability the step is played
	paired bool    // reply[i] answers caller[i]
	caller []tmpl  // empty: the caller stays silent
	reply  []tmpl
}

// intentBank holds one intent's phrases in one language.
type intentBank struct {
	topic, about string
	flows        [][]step
	extras       []step
	goodbye      []tmpl
	notes        []tmpl
	topics       []string
	actions      []tmpl
	done         []tmpl
	doneStatus   []tmpl
	open         []tmpl
	// The default agent's first and end-call messages on outbound calls
	// (outbound intents but voicemail; nil for the others).
	opening, closing []tmpl
}

// followBank holds the assistant's lines after a tool answered.
type followBank struct {
	intro, slotFound, slotBooked, slot, date, time, status, name, message, confirmation,
	ticket, order, email, generic, text, async, done, sorry, sorryPlain, unavailable, notFound, noTool []tmpl
}

// langBank holds one language's phrases.
type langBank struct {
	lang       string
	months     [12]string
	weekdays   [7]string // Sunday first, like time.Weekday
	greetings  [3]string // morning, afternoon, evening
	or, and    string
	words      []string
	sentiments [3]string     // negative, neutral, positive
	grades     [4]string     // Excellent, Good, Fair, Poor
	hold       step          // the caller asks for a moment to look something up
	intents    []*intentBank // indexed like simulator.Intents
	follow     followBank
	dlg        dialogueBank

	// Summaries of calls that did not end as planned.
	sumError       []tmpl
	sumRejected    []tmpl
	sumSilence     []tmpl
	sumMax         []tmpl
	sumTransferred []tmpl
}

type business struct {
	name  string
	kinds []string
}

// commonBank holds the language-independent data: names, places, businesses.
type commonBank struct {
	firstNames []string
	lastNames  []string
	cities     []string
	streets    []string
	domains    []string
	companies  []string
	businesses []business
	byIntent   [][]int // businesses that fit each intent, indexed like simulator.Intents
}

// banks is every phrase bank, parsed and validated.
type banks struct {
	common commonBank
	langs  map[string]*langBank
}

// intentIndex is the position of the intent in simulator.Intents, or -1.
func intentIndex(i simulator.Intent) int {
	for k, x := range simulator.Intents {
		if x == i {
			return k
		}
	}
	return -1
}

// knownNeeds is the Need vocabulary of simulator/needs.go.
var knownNeeds = []string{
	simulator.NeedContact, simulator.NeedAvailability, simulator.NeedBooking, simulator.NeedReschedule,
	simulator.NeedOrder, simulator.NeedTicket, simulator.NeedCallback, simulator.NeedHours, simulator.NeedEmail,
	simulator.NeedTicketStatus,
}

// requiredLangs must each have a bank.
var requiredLangs = []string{"nl", "en"}

// The files' JSON shapes.
type (
	commonFile struct {
		FirstNames   []string `json:"first_names"`
		LastNames    []string `json:"last_names"`
		Cities       []string `json:"cities"`
		Streets      []string `json:"streets"`
		EmailDomains []string `json:"email_domains"`
		Companies    []string `json:"companies"`
		Businesses   []struct {
			Name  string   `json:"name"`
			Kinds []string `json:"kinds"`
		} `json:"businesses"`
		IntentKinds map[string][]string `json:"intent_kinds"`
	}
	stepFile struct {
		Need   string   `json:"need"`
		Chance *float64 `json:"chance"`
		Paired bool     `json:"paired"`
		Caller []string `json:"caller"`
		Reply  []string `json:"reply"`
	}
	intentFile struct {
		Topic   string       `json:"topic"`
		About   string       `json:"about"`
		Flows   [][]stepFile `json:"flows"`
		Extras  []stepFile   `json:"extras"`
		Goodbye []string     `json:"goodbye"`
		Notes   []string     `json:"notes"`
		Topics  []string     `json:"topics"`
		Actions []string     `json:"actions"`
		Summary struct {
			Done       []string `json:"done"`
			DoneStatus []string `json:"done_status"`
			Open       []string `json:"open"`
		} `json:"summary"`
		Opening []string `json:"opening"`
		Closing []string `json:"closing"`
	}
	langFile struct {
		Lang       string                 `json:"lang"`
		Months     []string               `json:"months"`
		Weekdays   []string               `json:"weekdays"`
		Greetings  []string               `json:"greetings"`
		Or         string                 `json:"or"`
		And        string                 `json:"and"`
		Words      []string               `json:"words"`
		Sentiments []string               `json:"sentiments"`
		Grades     []string               `json:"grades"`
		Hold       stepFile               `json:"hold"`
		Intents    map[string]*intentFile `json:"intents"`
		Summary    struct {
			Error       []string `json:"error"`
			Rejected    []string `json:"rejected"`
			Silence     []string `json:"silence"`
			MaxDuration []string `json:"max_duration"`
			Transferred []string `json:"transferred"`
		} `json:"summary"`
		FollowUp followUpFile `json:"follow_up"`
		Dialogue dialogueFile `json:"dialogue"`
	}
	followUpFile struct {
		Intro        []string `json:"intro"`
		SlotFound    []string `json:"slot_found"`
		SlotBooked   []string `json:"slot_booked"`
		Slot         []string `json:"slot"`
		Date         []string `json:"date"`
		Time         []string `json:"time"`
		Status       []string `json:"status"`
		Name         []string `json:"name"`
		Message      []string `json:"message"`
		Confirmation []string `json:"confirmation"`
		Ticket       []string `json:"ticket"`
		Order        []string `json:"order"`
		Email        []string `json:"email"`
		Generic      []string `json:"generic"`
		Text         []string `json:"text"`
		Async        []string `json:"async"`
		Done         []string `json:"done"`
		Sorry        []string `json:"sorry"`
		SorryPlain   []string `json:"sorry_plain"`
		Unavailable  []string `json:"unavailable"`
		NotFound     []string `json:"not_found"`
		NoTool       []string `json:"no_tool"`
	}
)

// commonFileName is the language-independent bank; every other *.json file
// at the root of the phrase file system is a language bank named <lang>.json.
const commonFileName = "common.json"

// loadBanks reads and validates the phrase banks at the root of fsys.
func loadBanks(fsys fs.FS) (*banks, error) {
	b := &banks{langs: map[string]*langBank{}}
	var cf commonFile
	if err := decodeFile(fsys, commonFileName, &cf); err != nil {
		return nil, err
	}
	if err := b.common.load(&cf); err != nil {
		return nil, fmt.Errorf("phrase bank %s: %w", commonFileName, err)
	}
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, fmt.Errorf("listing phrase banks: %w", err)
	}
	for _, name := range names {
		if name == commonFileName {
			continue
		}
		var lf langFile
		if err := decodeFile(fsys, name, &lf); err != nil {
			return nil, err
		}
		want := strings.TrimSuffix(path.Base(name), ".json")
		if lf.Lang != want {
			return nil, fmt.Errorf("phrase bank %s: \"lang\" is %q, want %q (the file name without .json)", name, lf.Lang, want)
		}
		lb, err := loadLang(&lf)
		if err != nil {
			return nil, fmt.Errorf("phrase bank %s: %w", name, err)
		}
		b.langs[lf.Lang] = lb
	}
	for _, l := range requiredLangs {
		if b.langs[l] == nil {
			return nil, fmt.Errorf("phrase bank %s.json is missing: every language in %v needs a bank", l, requiredLangs)
		}
	}
	return b, nil
}

// decodeFile decodes one JSON file strictly (unknown keys are errors).
func decodeFile(fsys fs.FS, name string, v any) error {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return fmt.Errorf("phrase bank %s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("phrase bank %s: not valid: %w", name, err)
	}
	if dec.More() {
		return fmt.Errorf("phrase bank %s: not valid: data after the top-level object", name)
	}
	return nil
}
