package fake

import (
	"math"
	"strconv"
)

// afield is one analysis field being written: the value goes after dst.
type afield struct {
	g     *gen
	a     *analysisCtx
	dst   []byte
	s     *schema
	t     string // the schema's type
	depth int
}

// fill writes the field's value by its kind: a table of kinds, one line each.
func (f *afield) fill(k akind) ([]byte, bool) {
	oc := &f.a.oc
	switch k {
	case akSentiment:
		return f.sentiment()
	case akIntent:
		return f.intent()
	case akBooked:
		return f.flag(oc.booked)
	case akTopics:
		return f.topics()
	case akActions:
		return f.actions()
	case akSatisfied:
		return f.satisfied()
	case akFollowUp:
		return f.flag(oc.followUp)
	case akSummary:
		return f.str(f.g.c.summaryText(f.g.p, f.a.msgs, f.a.endReason))
	case akAnswered:
		return f.flag(oc.resolved)
	case akQuality:
		return f.quality()
	case akSuccess:
		return f.success()
	case akEndReason:
		return f.str(f.a.endReason)
	case akAssignee:
		return f.assignee()
	case akDuration:
		return f.duration()
	}
	return f.dst, false
}

// str writes a string fitted to the schema's length; only for string fields.
func (f *afield) str(v string) ([]byte, bool) {
	if f.t != "string" {
		return f.dst, false
	}
	return appendString(f.dst, f.g.fitLength(v, f.s)), true
}

// enumOr writes the first enum value that matches the words (none: not
// filled), or plain when the schema has no enum.
func (f *afield) enumOr(ws []string, plain string) ([]byte, bool) {
	if len(f.s.enum) > 0 {
		if e := matchEnum(f.s.enum, ws); e != nil {
			return appendJV(f.dst, e), true
		}
		return f.dst, false
	}
	return f.str(plain)
}

// flag writes b; only for boolean fields.
func (f *afield) flag(b bool) ([]byte, bool) {
	if f.t != "boolean" {
		return f.dst, false
	}
	return strconv.AppendBool(f.dst, b), true
}

// numeric reports whether the field wants a number.
func (f *afield) numeric() bool { return f.t == "integer" || f.t == "number" }

// score writes x, on a 1-10 scale, mapped onto the schema's range.
func (f *afield) score(x int) ([]byte, bool) { return f.g.scaled(f.dst, f.s, f.t, x) }

func (f *afield) sentiment() ([]byte, bool) {
	if f.numeric() {
		return f.score(f.a.sentiment)
	}
	pol := f.a.polarity()
	return f.enumOr(polarityEnumWords[pol], f.g.lb.sentiments[pol])
}

func (f *afield) intent() ([]byte, bool) {
	if len(f.s.enum) > 0 {
		if e := matchEnum(f.s.enum, intentEnumWords[f.g.p.Intent]); e != nil {
			return appendJV(f.dst, e), true
		}
		return f.enumOr(otherEnumWords, "")
	}
	return f.str(f.g.ib.topic)
}

func (f *afield) topics() ([]byte, bool) {
	if f.t != "array" {
		return f.str(f.g.ib.topics[0])
	}
	if f.s.items != nil && f.s.items.typ() != "string" {
		return f.dst, false
	}
	return f.g.topics(f.dst, f.s), true
}

func (f *afield) actions() ([]byte, bool) {
	g := f.g
	if f.t != "array" {
		return f.str(g.r.pick(g.ib.actions).fill(g.v))
	}
	n := 0
	if f.a.oc.followUp {
		n = g.r.between(1, 2)
	}
	return g.array(f.dst, f.s, "action", f.depth, n), true
}

func (f *afield) satisfied() ([]byte, bool) {
	if f.numeric() {
		return f.score(f.a.sentiment)
	}
	return f.flag(f.a.oc.grade <= gradeGood)
}

func (f *afield) quality() ([]byte, bool) {
	grade := f.a.oc.grade
	if f.numeric() {
		return f.score(qualityScores[grade])
	}
	return f.enumOr(gradeEnumWords[grade], f.g.lb.grades[grade])
}

func (f *afield) success() ([]byte, bool) {
	grade := f.a.oc.grade
	if f.t == "boolean" {
		return f.flag(grade <= gradeGood)
	}
	return f.enumOr(gradeEnumWords[grade], gradeNames[grade])
}

func (f *afield) assignee() ([]byte, bool) {
	if len(f.s.enum) > 0 {
		return f.enumOr(agentEnumWords, "")
	}
	return f.dst, false
}

func (f *afield) duration() ([]byte, bool) {
	secs := callSeconds(f.a.msgs)
	switch f.t {
	case "integer":
		return strconv.AppendInt(f.dst, int64(math.Round(secs)), 10), true
	case "number":
		return strconv.AppendFloat(f.dst, math.Round(secs*10)/10, 'f', -1, 64), true
	}
	return f.dst, false
}
