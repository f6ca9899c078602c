package suggest

import "testing"

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"load", "load", 0},
		{"lod", "load", 1},
		{"targt", "target", 1},
		{"book_appointment", "book-appointment", 1},
		{"kitten", "sitting", 3},
		{"llm_confg", "llm_config", 1},
		{"déjà", "deja", 2},
	}
	for _, c := range cases {
		if got := Distance(c.a, c.b); got != c.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", c.a, c.b, got, c.want)
		}
	}
}

func TestNearest(t *testing.T) {
	commands := []string{"demo", "call", "send", "load", "serve", "conform", "replay", "steps", "sink"}
	cases := []struct {
		word       string
		candidates []string
		want       string
		ok         bool
	}{
		{"lod", commands, "load", true},
		{"confrom", commands, "conform", true},
		{"send", commands, "", false}, // an exact match needs no suggestion
		{"xyz", commands, "", false},  // too far from everything
		{"a", []string{"b"}, "", false},
		{"targt", []string{"target", "dialect", "secret"}, "target", true},
		{"book_appointment", []string{"book-appointment", "reschedule"}, "book-appointment", true},
		{"flireo-camle", []string{"flireo", "flireo-camel", "flireo-legacy"}, "flireo-camel", true},
		{"timeout", []string{"deadline", "duration"}, "", false},
		{"word", nil, "", false},
	}
	for _, c := range cases {
		got, ok := Nearest(c.word, c.candidates)
		if got != c.want || ok != c.ok {
			t.Errorf("Nearest(%q) = %q, %v; want %q, %v", c.word, got, ok, c.want, c.ok)
		}
	}
}

func TestHint(t *testing.T) {
	if got := Hint("lod", []string{"load"}); got != " (did you mean load?)" {
		t.Errorf("Hint = %q", got)
	}
	if got := Hint("zzzz", []string{"load"}); got != "" {
		t.Errorf("Hint far = %q", got)
	}
}
