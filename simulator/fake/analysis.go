package fake

import (
	"math"
	"strconv"
	"strings"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// analysisCtx is what an analysis knows about the finished call.
type analysisCtx struct {
	oc        outcome
	endReason string
	msgs      []simulator.Message
	sentiment int // 1..10
}

// polarity of the sentiment: 0 negative, 1 neutral, 2 positive.
func (a *analysisCtx) polarity() int {
	switch {
	case a.sentiment >= 7:
		return 2
	case a.sentiment >= 5:
		return 1
	}
	return 0
}

// akind is an analysis field recognised by its name.
type akind uint8

const (
	akNone akind = iota
	akSentiment
	akTopics
	akIntent
	akBooked
	akActions
	akSatisfied
	akFollowUp
	akSummary
	akAnswered
	akQuality
	akSuccess
	akEndReason
	akAssignee
	akDuration
)

// analysisRules map property names to analysis fields (same matching as
// nameRules); the documented examples' names come first (spec §1.2.5, §7.2).
var analysisRules = []wordRule[akind]{
	{akSentiment, []string{"sentiment*", "stemming", "mood"}},
	{akTopics, []string{"topics", "onderwerpen", "themes", "themas"}},
	{akBooked, []string{"appointmentbooked", "afspraakgemaakt", "afspraakingepland", "booked", "geboekt", "ingepland"}},
	{akActions, []string{"actionitems", "actiepunten", "nextsteps", "vervolgstappen", "vervolgacties", "todos", "actions", "acties"}},
	{akSatisfied, []string{"satisfied", "satisfaction", "tevreden*", "happy"}},
	{akFollowUp, []string{"followup", "follow", "opvolging", "opvolgen", "terugbellen", "callbackneeded", "escalat*"}},
	{akSummary, []string{"summary", "samenvatting"}},
	{akAnswered, []string{"answered", "beantwoord", "resolved", "opgelost", "afgehandeld", "questionanswered", "vraagbeantwoord"}},
	{akQuality, []string{"quality", "kwaliteit", "rating", "score", "beoordeling"}},
	{akSuccess, []string{"success*", "succes*", "geslaagd", "successful"}},
	{akEndReason, []string{"endreason", "endedreason", "redeneinde"}},
	{akDuration, []string{"duration", "durationseconds", "callduration", "duur", "gespreksduur", "length", "lengte"}},
	{akAssignee, []string{"assignedto", "assigned", "assignee", "owner", "toegewezen*", "eigenaar", "verantwoordelijke"}},
	{akIntent, []string{"intent", "primaryintent", "hoofdonderwerp", "primarytopic", "topic", "onderwerp", "category",
		"categorie", "reason", "reden", "callreason", "belreden"}},
}

func analysisKind(name string) akind { return classify(analysisRules, name) }

// Words that pick an enum value, per intent, per sentiment polarity, per grade.
var (
	intentEnumWords = map[simulator.Intent][]string{
		simulator.BookAppointment: {"appointment", "afspraak", "booking", "boeking", "schedul", "reserv", "planning"},
		simulator.Reschedule:      {"reschedul", "verzet", "verplaats", "appointment", "afspraak", "schedul"},
		simulator.OpeningHours:    {"hours", "openingstijd", "inquiry", "information", "informatie", "info", "vraag", "question"},
		simulator.OrderStatus:     {"order", "bestel", "delivery", "levering", "support", "inquiry", "vraag"},
		simulator.Complaint:       {"complaint", "klacht"},
		simulator.Callback:        {"callback", "call_back", "terugbel", "support", "inquiry", "vraag"},
		simulator.WrongNumber:     {"wrong", "verkeerd"},
		simulator.Silent:          {"silent", "stil", "no_response", "noresponse"},
		simulator.Voicemail:       {"voicemail"},

		// The outbound intents.
		simulator.AppointmentReminder:     {"reminder", "herinnering", "appointment", "afspraak", "schedul"},
		simulator.AppointmentConfirmation: {"confirm", "bevestig", "appointment", "afspraak", "booking", "schedul"},
		simulator.TicketFollowUp:          {"follow", "opvolg", "ticket", "support", "melding", "complaint", "klacht"},
		simulator.RequestedCallback:       {"callback", "call_back", "terugbel", "support", "inquiry", "vraag"},
	}
	otherEnumWords    = []string{"other", "overig", "anders", "unknown", "onbekend", "none", "geen"}
	polarityEnumWords = [3][]string{
		{"neg", "slecht", "bad", "ontevreden", "unhappy", "angry", "boos"},
		{"neu", "gemengd", "mixed", "ok"},
		{"pos", "goed", "good", "happy", "tevreden", "blij"},
	}
	gradeEnumWords = [4][]string{
		{"excellent", "uitstekend", "zeer goed", "very good", "great", "outstanding"},
		{"good", "goed"},
		{"fair", "redelijk", "matig", "average", "gemiddeld", "voldoende", "ok"},
		{"poor", "slecht", "bad", "onvoldoende"},
	}
	qualityScores  = [4]int{9, 7, 5, 3}
	agentEnumWords = []string{"agent", "medewerker", "staff", "team", "employee", "business", "bedrijf", "assistant"}
)

// matchEnum returns the first string enum value equal to, then containing,
// one of the words (earlier words win).
func matchEnum(enum []*jv, ws []string) *jv {
	for _, exact := range []bool{true, false} {
		for _, w := range ws {
			for _, e := range enum {
				if e.kind != 's' {
					continue
				}
				v := strings.ToLower(e.str)
				if (exact && v == w) || (!exact && strings.Contains(v, w)) {
					return e
				}
			}
		}
	}
	return nil
}

// analysisValue appends the call-specific value for a recognised analysis
// field; ok is false when the name is not recognised or the schema wants a
// type the field cannot give (the generic generator then fills it).
func (g *gen) analysisValue(dst []byte, s *schema, name string, depth int) ([]byte, bool) {
	k := analysisKind(name)
	if k == akNone {
		return dst, false
	}
	t := s.typ()
	if len(s.enum) > 0 && t != "string" {
		return dst, false
	}
	f := afield{g: g, a: g.an, dst: dst, s: s, t: t, depth: depth}
	return f.fill(k)
}

// scaled writes a 1-10 score mapped onto the schema's range (1-10 when unset).
func (g *gen) scaled(dst []byte, s *schema, t string, x int) ([]byte, bool) {
	if t != "integer" && t != "number" {
		return dst, false
	}
	lo, hi := 1.0, 10.0
	if !math.IsNaN(s.min) && !math.IsNaN(s.max) && s.max > s.min {
		lo, hi = s.min, s.max
	} else if !math.IsNaN(s.max) && s.max < 10 {
		lo, hi = math.Min(1, s.max), s.max
	}
	v := lo + (hi-lo)*float64(x-1)/9
	if t == "integer" {
		i := int64(math.Round(v))
		if l, h, ok := intRange(s); ok {
			i = max(l, min(h, i))
		}
		return strconv.AppendInt(dst, i, 10), true
	}
	v = math.Round(v*100) / 100
	if s.exMin && v <= s.min {
		v = s.min + (hi-lo)/100
	}
	if s.exMax && v >= s.max {
		v = s.max - (hi-lo)/100
	}
	return strconv.AppendFloat(dst, v, 'f', -1, 64), true
}

// topics appends 1-3 distinct topics of the intent, within minItems/maxItems.
func (g *gen) topics(dst []byte, s *schema) []byte {
	lo, hi := 1, min(3, len(g.ib.topics))
	if s.minItems >= 0 {
		lo = s.minItems
		hi = max(hi, lo)
	}
	if s.maxItems >= 0 {
		hi = min(hi, s.maxItems)
		lo = min(lo, hi)
	}
	n := min(g.r.between(lo, hi), maxGenItems)
	var idx [16]int
	m := min(len(g.ib.topics), len(idx))
	for i := range m {
		idx[i] = i
	}
	var item *schema
	if s.items != nil {
		item = s.items
	}
	dst = append(dst, '[')
	for i := range n {
		if i > 0 {
			dst = append(dst, ',')
		}
		var v string
		if i < m {
			// The first topic is the intent's main one; the rest are drawn.
			if i > 0 {
				j := i + g.r.intn(m-i)
				idx[i], idx[j] = idx[j], idx[i]
			}
			v = g.ib.topics[idx[i]]
		} else {
			v = g.r.pickString(g.lb.words) + " " + strconv.Itoa(i+1)
		}
		if item != nil {
			v = g.fitLength(v, item)
		}
		dst = appendString(dst, v)
	}
	return append(dst, ']')
}

// callSeconds is the time from the first message's start to the last one's end.
func callSeconds(msgs []simulator.Message) float64 {
	if len(msgs) == 0 {
		return 0
	}
	first, last := msgs[0].At, msgs[0].At.Add(msgs[0].Took)
	for _, m := range msgs[1:] {
		if m.At.Before(first) {
			first = m.At
		}
		if e := m.At.Add(m.Took); e.After(last) {
			last = e
		}
	}
	return last.Sub(first).Seconds()
}
