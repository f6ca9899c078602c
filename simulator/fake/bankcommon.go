package fake

import (
	"fmt"
	"slices"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator"
)

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
