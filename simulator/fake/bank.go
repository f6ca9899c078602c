package fake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// A placeholder is a {name} slot in a phrase template.
type placeholder uint8

// Placeholders. Plan text (caller lines, replies, goodbyes, notes) may use
// phName … phGreeting; summaries may also use phStatus, phMessage and phAbout;
// tool follow-ups use phValue, phDate, phTime, phName and phFirstName.
const (
	phNone placeholder = iota
	phName
	phFirstName
	phLastName
	phEmail
	phPhone
	phCity
	phCompany
	phBusiness
	phAddress
	phDate
	phTime
	phOrder
	phGreeting
	phStatus
	phMessage
	phAbout
	phValue
	numPlaceholders
)

var placeholderNames = [numPlaceholders]string{
	phName: "name", phFirstName: "first_name", phLastName: "last_name", phEmail: "email", phPhone: "phone",
	phCity: "city", phCompany: "company", phBusiness: "business", phAddress: "address", phDate: "date",
	phTime: "time", phOrder: "order", phGreeting: "greeting", phStatus: "status", phMessage: "message",
	phAbout: "about", phValue: "value",
}

// phSet is a set of placeholders allowed in one kind of template.
type phSet uint32

func setOf(ps ...placeholder) phSet {
	var s phSet
	for _, p := range ps {
		s |= 1 << p
	}
	return s
}

func (s phSet) has(p placeholder) bool { return s&(1<<p) != 0 }

func (s phSet) names() string {
	var out []string
	for p := phName; p < numPlaceholders; p++ {
		if s.has(p) {
			out = append(out, "{"+placeholderNames[p]+"}")
		}
	}
	return strings.Join(out, " ")
}

var (
	planPlaceholders    = setOf(phName, phFirstName, phLastName, phEmail, phPhone, phCity, phCompany, phBusiness, phAddress, phDate, phTime, phOrder, phGreeting)
	summaryPlaceholders = planPlaceholders | setOf(phStatus, phMessage, phAbout)
	followPlaceholders  = setOf(phValue, phDate, phTime, phName, phFirstName)
)

// vals holds the text for each placeholder.
type vals [numPlaceholders]string

// seg is a literal followed by an optional placeholder.
type seg struct {
	lit string
	ph  placeholder
}

// tmpl is a parsed phrase template.
type tmpl struct {
	segs []seg
	lits int // total bytes of the literals
}

// parseTmpl parses "text {placeholder} text"; every placeholder must be in allowed.
func parseTmpl(s string, allowed phSet) (tmpl, error) {
	var t tmpl
	rest := s
	for rest != "" {
		i := strings.IndexAny(rest, "{}")
		if i < 0 {
			t.segs = append(t.segs, seg{lit: rest})
			t.lits += len(rest)
			break
		}
		if rest[i] == '}' {
			return tmpl{}, fmt.Errorf("%q has a '}' without a '{'", s)
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return tmpl{}, fmt.Errorf("%q has a '{' without a closing '}'", s)
		}
		name := rest[i+1 : i+j]
		ph := phNone
		for p := phName; p < numPlaceholders; p++ {
			if placeholderNames[p] == name {
				ph = p
				break
			}
		}
		if ph == phNone || !allowed.has(ph) {
			return tmpl{}, fmt.Errorf("unknown placeholder {%s} in %q (known here: %s)", name, s, allowed.names())
		}
		t.segs = append(t.segs, seg{lit: rest[:i], ph: ph})
		t.lits += i
		rest = rest[i+j+1:]
	}
	return t, nil
}

// fill renders the template with v, in one allocation.
func (t tmpl) fill(v *vals) string {
	if len(t.segs) == 1 && t.segs[0].ph == phNone {
		return t.segs[0].lit
	}
	n := t.lits
	for _, s := range t.segs {
		if s.ph != phNone {
			n += len(v[s.ph])
		}
	}
	var b strings.Builder
	b.Grow(n)
	for _, s := range t.segs {
		b.WriteString(s.lit)
		if s.ph != phNone {
			b.WriteString(v[s.ph])
		}
	}
	return b.String()
}

// uses reports whether the template contains the placeholder.
func (t tmpl) uses(p placeholder) bool {
	for _, s := range t.segs {
		if s.ph == p {
			return true
		}
	}
	return false
}

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
		FollowUp struct {
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
		} `json:"follow_up"`
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

func (c *commonBank) load(f *commonFile) error {
	lists := []struct {
		key string
		src []string
		dst *[]string
	}{
		{"first_names", f.FirstNames, &c.firstNames}, {"last_names", f.LastNames, &c.lastNames},
		{"cities", f.Cities, &c.cities}, {"streets", f.Streets, &c.streets},
		{"email_domains", f.EmailDomains, &c.domains}, {"companies", f.Companies, &c.companies},
	}
	for _, l := range lists {
		if err := nonEmpty(l.key, l.src); err != nil {
			return err
		}
		*l.dst = l.src
	}
	if len(f.Businesses) == 0 {
		return fmt.Errorf("businesses: empty; add at least one {\"name\", \"kinds\"}")
	}
	for i, bz := range f.Businesses {
		if strings.TrimSpace(bz.Name) == "" {
			return fmt.Errorf("businesses[%d]: empty name", i)
		}
		c.businesses = append(c.businesses, business{name: bz.Name, kinds: bz.Kinds})
	}
	for k := range f.IntentKinds {
		if intentIndex(simulator.Intent(k)) < 0 {
			return fmt.Errorf("intent_kinds: unknown intent %q (known: %s)", k, intentList())
		}
	}
	c.byIntent = make([][]int, len(simulator.Intents))
	for k, in := range simulator.Intents {
		kinds := f.IntentKinds[string(in)]
		for i, bz := range c.businesses {
			if len(kinds) == 0 || slices.ContainsFunc(bz.kinds, func(s string) bool { return slices.Contains(kinds, s) }) {
				c.byIntent[k] = append(c.byIntent[k], i)
			}
		}
		if len(c.byIntent[k]) == 0 {
			return fmt.Errorf("intent_kinds: no business has a kind in %v for intent %q", kinds, in)
		}
	}
	return nil
}

func nonEmpty(key string, l []string) error {
	if len(l) == 0 {
		return fmt.Errorf("%s: empty; add at least one entry", key)
	}
	for i, s := range l {
		if strings.TrimSpace(s) == "" {
			return fmt.Errorf("%s[%d]: empty entry", key, i)
		}
	}
	return nil
}

func intentList() string {
	s := make([]string, len(simulator.Intents))
	for i, in := range simulator.Intents {
		s[i] = string(in)
	}
	return strings.Join(s, ", ")
}

// tmpls parses a list of templates that must not be empty.
func tmpls(key string, src []string, allowed phSet) ([]tmpl, error) {
	if err := nonEmpty(key, src); err != nil {
		return nil, err
	}
	out := make([]tmpl, len(src))
	for i, s := range src {
		t, err := parseTmpl(s, allowed)
		if err != nil {
			return nil, fmt.Errorf("%s[%d]: %w", key, i, err)
		}
		out[i] = t
	}
	return out, nil
}

// optTmpls parses a list of templates that may be empty.
func optTmpls(key string, src []string, allowed phSet) ([]tmpl, error) {
	if len(src) == 0 {
		return nil, nil
	}
	return tmpls(key, src, allowed)
}

func fixed(key string, src []string, n int, dst []string) error {
	if len(src) != n {
		return fmt.Errorf("%s: has %d entries, want %d", key, len(src), n)
	}
	if err := nonEmpty(key, src); err != nil {
		return err
	}
	copy(dst, src)
	return nil
}

func loadLang(f *langFile) (*langBank, error) {
	lb := &langBank{lang: f.Lang, or: f.Or, and: f.And, words: f.Words}
	if err := fixed("months", f.Months, 12, lb.months[:]); err != nil {
		return nil, err
	}
	if err := fixed("weekdays", f.Weekdays, 7, lb.weekdays[:]); err != nil {
		return nil, err
	}
	if err := fixed("greetings", f.Greetings, 3, lb.greetings[:]); err != nil {
		return nil, err
	}
	if err := fixed("sentiments", f.Sentiments, 3, lb.sentiments[:]); err != nil {
		return nil, err
	}
	if err := fixed("grades", f.Grades, 4, lb.grades[:]); err != nil {
		return nil, err
	}
	if err := nonEmpty("words", f.Words); err != nil {
		return nil, err
	}
	if f.Or == "" || f.And == "" {
		return nil, fmt.Errorf("\"or\" and \"and\": both must be set (the words that join lists)")
	}
	if f.Hold.Need != "" || f.Hold.Chance != nil || f.Hold.Paired {
		return nil, fmt.Errorf("hold: only \"caller\" and \"reply\" are allowed")
	}
	hold, err := loadStep(&f.Hold, false, "hold")
	if err != nil {
		return nil, err
	}
	lb.hold = hold
	keys := make([]string, 0, len(f.Intents))
	for k := range f.Intents {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if intentIndex(simulator.Intent(k)) < 0 {
			return nil, fmt.Errorf("intents: unknown intent %q (known: %s)", k, intentList())
		}
	}
	lb.intents = make([]*intentBank, len(simulator.Intents))
	for k, in := range simulator.Intents {
		src := f.Intents[string(in)]
		if src == nil {
			return nil, fmt.Errorf("intents: intent %q is missing; every built-in intent needs phrases", in)
		}
		ib, err := loadIntent(in, src)
		if err != nil {
			return nil, fmt.Errorf("intents.%s.%w", in, err)
		}
		lb.intents[k] = ib
	}
	sum := []struct {
		key string
		src []string
		dst *[]tmpl
	}{
		{"summary.error", f.Summary.Error, &lb.sumError}, {"summary.rejected", f.Summary.Rejected, &lb.sumRejected},
		{"summary.silence", f.Summary.Silence, &lb.sumSilence}, {"summary.max_duration", f.Summary.MaxDuration, &lb.sumMax},
		{"summary.transferred", f.Summary.Transferred, &lb.sumTransferred},
	}
	for _, s := range sum {
		if *s.dst, err = tmpls(s.key, s.src, summaryPlaceholders); err != nil {
			return nil, err
		}
	}
	fu := &f.FollowUp
	fl := []struct {
		key string
		src []string
		dst *[]tmpl
	}{
		{"intro", fu.Intro, &lb.follow.intro}, {"slot_found", fu.SlotFound, &lb.follow.slotFound},
		{"slot_booked", fu.SlotBooked, &lb.follow.slotBooked}, {"slot", fu.Slot, &lb.follow.slot},
		{"date", fu.Date, &lb.follow.date}, {"time", fu.Time, &lb.follow.time}, {"status", fu.Status, &lb.follow.status},
		{"name", fu.Name, &lb.follow.name}, {"message", fu.Message, &lb.follow.message},
		{"confirmation", fu.Confirmation, &lb.follow.confirmation}, {"ticket", fu.Ticket, &lb.follow.ticket},
		{"order", fu.Order, &lb.follow.order}, {"email", fu.Email, &lb.follow.email},
		{"generic", fu.Generic, &lb.follow.generic}, {"text", fu.Text, &lb.follow.text},
		{"async", fu.Async, &lb.follow.async}, {"done", fu.Done, &lb.follow.done}, {"sorry", fu.Sorry, &lb.follow.sorry},
		{"sorry_plain", fu.SorryPlain, &lb.follow.sorryPlain}, {"unavailable", fu.Unavailable, &lb.follow.unavailable},
		{"not_found", fu.NotFound, &lb.follow.notFound}, {"no_tool", fu.NoTool, &lb.follow.noTool},
	}
	for _, s := range fl {
		if *s.dst, err = tmpls("follow_up."+s.key, s.src, followPlaceholders); err != nil {
			return nil, err
		}
	}
	return lb, nil
}

func loadIntent(in simulator.Intent, f *intentFile) (*intentBank, error) {
	ib := &intentBank{topic: f.Topic, about: f.About, topics: f.Topics}
	if strings.TrimSpace(f.Topic) == "" || strings.TrimSpace(f.About) == "" {
		return nil, fmt.Errorf("topic/about: both must be set (a short title and a phrase for summaries)")
	}
	if len(f.Flows) == 0 {
		return nil, fmt.Errorf("flows: empty; add at least one flow of steps")
	}
	silent := in == simulator.Silent
	for i, fl := range f.Flows {
		if len(fl) == 0 {
			return nil, fmt.Errorf("flows[%d]: empty; a flow needs at least one step", i)
		}
		steps := make([]step, len(fl))
		for j := range fl {
			s, err := loadStep(&fl[j], silent, fmt.Sprintf("flows[%d][%d]", i, j))
			if err != nil {
				return nil, err
			}
			steps[j] = s
		}
		ib.flows = append(ib.flows, steps)
	}
	for j := range f.Extras {
		s, err := loadStep(&f.Extras[j], silent, fmt.Sprintf("extras[%d]", j))
		if err != nil {
			return nil, err
		}
		ib.extras = append(ib.extras, s)
	}
	var err error
	if in == simulator.Silent || in == simulator.Voicemail {
		// Nobody says goodbye to a silent line or a voicemail box.
		if len(f.Goodbye) > 0 {
			return nil, fmt.Errorf("goodbye: must be empty for intent %q (no caller says goodbye)", in)
		}
	} else if ib.goodbye, err = tmpls("goodbye", f.Goodbye, planPlaceholders); err != nil {
		return nil, err
	}
	if ib.notes, err = tmpls("notes", f.Notes, planPlaceholders); err != nil {
		return nil, err
	}
	if err = nonEmpty("topics", f.Topics); err != nil {
		return nil, err
	}
	if ib.actions, err = tmpls("actions", f.Actions, planPlaceholders); err != nil {
		return nil, err
	}
	if ib.done, err = tmpls("summary.done", f.Summary.Done, summaryPlaceholders); err != nil {
		return nil, err
	}
	if ib.doneStatus, err = optTmpls("summary.done_status", f.Summary.DoneStatus, summaryPlaceholders); err != nil {
		return nil, err
	}
	if ib.open, err = tmpls("summary.open", f.Summary.Open, summaryPlaceholders); err != nil {
		return nil, err
	}
	return ib, nil
}

func loadStep(f *stepFile, silent bool, key string) (step, error) {
	s := step{need: f.Need, chance: 1, paired: f.Paired}
	if f.Need != "" && !slices.Contains(knownNeeds, f.Need) {
		return step{}, fmt.Errorf("%s.need: unknown need %q (known: %s)", key, f.Need, strings.Join(knownNeeds, ", "))
	}
	if f.Chance != nil {
		if *f.Chance <= 0 || *f.Chance > 1 {
			return step{}, fmt.Errorf("%s.chance: %v is not in (0, 1]", key, *f.Chance)
		}
		s.chance = *f.Chance
	}
	var err error
	if silent {
		if len(f.Caller) > 0 {
			return step{}, fmt.Errorf("%s.caller: a silent caller says nothing; remove the lines", key)
		}
	} else if s.caller, err = tmpls(key+".caller", f.Caller, planPlaceholders); err != nil {
		return step{}, err
	}
	if s.reply, err = tmpls(key+".reply", f.Reply, planPlaceholders); err != nil {
		return step{}, err
	}
	if s.paired && len(s.caller) != len(s.reply) {
		return step{}, fmt.Errorf("%s: paired, but %d caller lines and %d replies (reply i answers caller line i)", key, len(s.caller), len(s.reply))
	}
	return s, nil
}
