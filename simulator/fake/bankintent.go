package fake

import (
	"fmt"
	"slices"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator"
)

func loadIntent(in simulator.Intent, f *intentFile) (*intentBank, error) {
	ib := &intentBank{topic: f.Topic, about: f.About, topics: f.Topics}
	if strings.TrimSpace(f.Topic) == "" || strings.TrimSpace(f.About) == "" {
		return nil, fmt.Errorf("topic/about: both must be set (a short title and a phrase for summaries)")
	}
	silent := in == simulator.Silent
	var err error
	if ib.flows, err = loadFlows(f.Flows, silent); err != nil {
		return nil, err
	}
	if ib.extras, err = loadSteps(f.Extras, silent, "extras"); err != nil {
		return nil, err
	}
	if ib.goodbye, err = loadGoodbye(in, f.Goodbye); err != nil {
		return nil, err
	}
	if err := ib.loadTexts(f); err != nil {
		return nil, err
	}
	if err := ib.loadOutboundLines(in, f); err != nil {
		return nil, err
	}
	return ib, nil
}

// loadFlows reads the intent's flows: at least one, none empty.
func loadFlows(src [][]stepFile, silent bool) ([][]step, error) {
	if len(src) == 0 {
		return nil, fmt.Errorf("flows: empty; add at least one flow of steps")
	}
	var flows [][]step
	for i, fl := range src {
		if len(fl) == 0 {
			return nil, fmt.Errorf("flows[%d]: empty; a flow needs at least one step", i)
		}
		steps, err := loadSteps(fl, silent, fmt.Sprintf("flows[%d]", i))
		if err != nil {
			return nil, err
		}
		flows = append(flows, steps)
	}
	return flows, nil
}

// loadSteps reads a list of steps; key names the list in errors. An empty
// list is nil.
func loadSteps(src []stepFile, silent bool, key string) ([]step, error) {
	if len(src) == 0 {
		return nil, nil
	}
	steps := make([]step, len(src))
	for j := range src {
		s, err := loadStep(&src[j], silent, fmt.Sprintf("%s[%d]", key, j))
		if err != nil {
			return nil, err
		}
		steps[j] = s
	}
	return steps, nil
}

// loadGoodbye reads the caller's goodbyes; nobody says goodbye to a silent
// line or a voicemail box.
func loadGoodbye(in simulator.Intent, src []string) ([]tmpl, error) {
	if in == simulator.Silent || in == simulator.Voicemail {
		if len(src) > 0 {
			return nil, fmt.Errorf("goodbye: must be empty for intent %q (no caller says goodbye)", in)
		}
		return nil, nil
	}
	return tmpls("goodbye", src, planPlaceholders)
}

// loadTexts reads the intent's notes, topics, actions and summaries.
func (ib *intentBank) loadTexts(f *intentFile) error {
	var err error
	if ib.notes, err = tmpls("notes", f.Notes, planPlaceholders); err != nil {
		return err
	}
	if err = nonEmpty("topics", f.Topics); err != nil {
		return err
	}
	if ib.actions, err = tmpls("actions", f.Actions, planPlaceholders); err != nil {
		return err
	}
	if ib.done, err = tmpls("summary.done", f.Summary.Done, summaryPlaceholders); err != nil {
		return err
	}
	if ib.doneStatus, err = optTmpls("summary.done_status", f.Summary.DoneStatus, summaryPlaceholders); err != nil {
		return err
	}
	if ib.open, err = tmpls("summary.open", f.Summary.Open, summaryPlaceholders); err != nil {
		return err
	}
	return nil
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
