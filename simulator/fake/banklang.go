package fake

import (
	"fmt"
	"sort"

	"github.com/flireo-sim/flireo-sim/simulator"
)

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

// tmplList is one list of templates in a bank file and where it goes.
type tmplList struct {
	key string
	src []string
	dst *[]tmpl
}

// loadTmplLists parses each list (none may be empty) with the allowed placeholders.
func loadTmplLists(prefix string, lists []tmplList, allowed phSet) error {
	for _, l := range lists {
		var err error
		if *l.dst, err = tmpls(prefix+l.key, l.src, allowed); err != nil {
			return err
		}
	}
	return nil
}

func loadLang(f *langFile) (*langBank, error) {
	lb := &langBank{lang: f.Lang, or: f.Or, and: f.And, words: f.Words}
	if err := lb.loadWords(f); err != nil {
		return nil, err
	}
	if err := lb.loadHold(&f.Hold); err != nil {
		return nil, err
	}
	intents, err := loadIntents(f.Intents)
	if err != nil {
		return nil, err
	}
	lb.intents = intents
	if err := lb.loadSummaries(f); err != nil {
		return nil, err
	}
	if err := lb.follow.load(&f.FollowUp); err != nil {
		return nil, err
	}
	if err := lb.dlg.load(&f.Dialogue); err != nil {
		return nil, err
	}
	return lb, nil
}

// loadWords checks and copies the fixed word lists and the joining words.
func (lb *langBank) loadWords(f *langFile) error {
	lists := []struct {
		key string
		src []string
		dst []string
	}{
		{"months", f.Months, lb.months[:]}, {"weekdays", f.Weekdays, lb.weekdays[:]},
		{"greetings", f.Greetings, lb.greetings[:]}, {"sentiments", f.Sentiments, lb.sentiments[:]},
		{"grades", f.Grades, lb.grades[:]},
	}
	for _, l := range lists {
		if err := fixed(l.key, l.src, len(l.dst), l.dst); err != nil {
			return err
		}
	}
	if err := nonEmpty("words", f.Words); err != nil {
		return err
	}
	if f.Or == "" || f.And == "" {
		return fmt.Errorf("\"or\" and \"and\": both must be set (the words that join lists)")
	}
	return nil
}

// loadHold reads the step a caller plays to ask for a moment.
func (lb *langBank) loadHold(h *stepFile) error {
	if h.Need != "" || h.Chance != nil || h.Paired {
		return fmt.Errorf("hold: only \"caller\" and \"reply\" are allowed")
	}
	hold, err := loadStep(h, false, "hold")
	if err != nil {
		return err
	}
	lb.hold = hold
	return nil
}

// loadIntents reads every built-in intent's phrases, indexed like
// simulator.Intents; an unknown or missing intent is an error.
func loadIntents(src map[string]*intentFile) ([]*intentBank, error) {
	keys := make([]string, 0, len(src))
	for k := range src {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if intentIndex(simulator.Intent(k)) < 0 {
			return nil, fmt.Errorf("intents: unknown intent %q (known: %s)", k, intentList())
		}
	}
	out := make([]*intentBank, len(simulator.Intents))
	for k, in := range simulator.Intents {
		f := src[string(in)]
		if f == nil {
			return nil, fmt.Errorf("intents: intent %q is missing; every built-in intent needs phrases", in)
		}
		ib, err := loadIntent(in, f)
		if err != nil {
			return nil, fmt.Errorf("intents.%s.%w", in, err)
		}
		out[k] = ib
	}
	return out, nil
}

// loadSummaries reads the summaries of calls that did not end as planned.
func (lb *langBank) loadSummaries(f *langFile) error {
	return loadTmplLists("summary.", []tmplList{
		{"error", f.Summary.Error, &lb.sumError}, {"rejected", f.Summary.Rejected, &lb.sumRejected},
		{"silence", f.Summary.Silence, &lb.sumSilence}, {"max_duration", f.Summary.MaxDuration, &lb.sumMax},
		{"transferred", f.Summary.Transferred, &lb.sumTransferred},
	}, summaryPlaceholders)
}

// load reads the assistant's lines after a tool answered.
func (fb *followBank) load(fu *followUpFile) error {
	return loadTmplLists("follow_up.", []tmplList{
		{"intro", fu.Intro, &fb.intro}, {"slot_found", fu.SlotFound, &fb.slotFound},
		{"slot_booked", fu.SlotBooked, &fb.slotBooked}, {"slot", fu.Slot, &fb.slot},
		{"date", fu.Date, &fb.date}, {"time", fu.Time, &fb.time}, {"status", fu.Status, &fb.status},
		{"name", fu.Name, &fb.name}, {"message", fu.Message, &fb.message},
		{"confirmation", fu.Confirmation, &fb.confirmation}, {"ticket", fu.Ticket, &fb.ticket},
		{"order", fu.Order, &fb.order}, {"email", fu.Email, &fb.email},
		{"generic", fu.Generic, &fb.generic}, {"text", fu.Text, &fb.text},
		{"async", fu.Async, &fb.async}, {"done", fu.Done, &fb.done}, {"sorry", fu.Sorry, &fb.sorry},
		{"sorry_plain", fu.SorryPlain, &fb.sorryPlain}, {"unavailable", fu.Unavailable, &fb.unavailable},
		{"not_found", fu.NotFound, &fb.notFound}, {"no_tool", fu.NoTool, &fb.noTool},
	}, followPlaceholders)
}
