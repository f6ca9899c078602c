package scenarios

import (
	"encoding/xml"
	"fmt"
	"io"
	"strings"
)

// maxJUnitReproduce is the longest reproduce command a JUnit failure
// carries; a longer one (a large body) is in the JSON report.
const maxJUnitReproduce = 64 << 10

// JUnit XML as CI servers read it: a suite per feature file, a test case per
// scenario, <failure> with the failed checks, their details and reproduce
// commands, <skipped message="why"/>. The status attribute of godog's
// writer is kept for tools that read it.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Properties []junitProperty `xml:"properties>property,omitempty"`
	Cases      []junitCase     `xml:"testcase"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	Status    string        `xml:"status,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Error     *junitMessage `xml:"error,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
	SystemOut string        `xml:"system-out,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// runSuite names the suite of the run's own test case.
const (
	runSuite       = "flireo-sim run"
	preflightSuite = "pre-flight"
)

// WriteJUnit writes the result as JUnit XML. An interrupted run adds a test
// case in error, so that no CI server shows it green.
func WriteJUnit(w io.Writer, r *Result) error {
	doc := junitSuites{Name: "flireo-sim"}
	index := map[string]int{}
	for _, s := range r.Scenarios {
		name := s.Feature
		if len(r.Dialects) > 1 { // a suite per feature and dialect: the passes' cases share names
			name = fmt.Sprintf("%s (dialect %s)", s.Feature, s.Dialect)
		}
		i, ok := index[name]
		if !ok {
			i = len(doc.Suites)
			index[name] = i
			doc.Suites = append(doc.Suites, junitSuite{Name: name, Properties: runProperties(r)})
		}
		suite := &doc.Suites[i]
		c := junitScenario(s)
		c.Classname = name
		suite.Tests++
		switch {
		case c.Failure != nil:
			suite.Failures++
		case c.Skipped != nil:
			suite.Skipped++
		}
		suite.Cases = append(suite.Cases, c)
	}
	if r.Unreachable != "" && len(r.Scenarios) == 0 {
		// The pre-flight check stopped the run: one failed test case says so.
		doc.Suites = append(doc.Suites, junitSuite{Name: preflightSuite, Tests: 1, Failures: 1, Properties: runProperties(r),
			Cases: []junitCase{{Name: "the target accepts connections", Classname: preflightSuite, Status: "failed",
				Failure: &junitMessage{Message: r.Reason, Type: "unreachable",
					Text: "no scenario was played: start the server or fix the target URL"}}}})
	}
	if r.Interrupted {
		doc.Suites = append(doc.Suites, junitSuite{Name: runSuite, Tests: 1, Errors: 1, Properties: runProperties(r),
			Cases: []junitCase{{Name: "the run completed", Classname: runSuite, Status: "failed",
				Error: &junitMessage{Message: r.InterruptedReason, Type: "interrupted", Text: r.Reason}}}})
	}
	for _, s := range doc.Suites {
		doc.Tests += s.Tests
		doc.Failures += s.Failures
		doc.Errors += s.Errors
		doc.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

func runProperties(r *Result) []junitProperty {
	ps := []junitProperty{{"verdict", string(r.Verdict)}, {"reason", r.Reason}, {"target", r.Target}, {"dialect", r.Dialect},
		{"seed", fmt.Sprint(r.Seed)}, {"clock", r.Clock}, {"replay", r.Replay}}
	if r.Interrupted {
		ps = append(ps, junitProperty{"interrupted", r.InterruptedReason})
	}
	for _, h := range r.Hints {
		ps = append(ps, junitProperty{"hint", h})
	}
	return ps
}

// junitScenario is a scenario's test case.
func junitScenario(s ScenarioResult) junitCase {
	c := junitCase{Name: s.Name, Classname: s.Feature, Status: s.Status.junitStatus()}
	switch s.Status {
	case StatusSkip:
		c.Skipped = &junitMessage{Message: s.Skip}
	case StatusFail:
		c.Failure = junitFailure(s)
	default:
		if len(s.Failures) > 0 { // should checks that failed: not a failure
			c.SystemOut = failureText(s.Failures)
		}
	}
	return c
}

func junitFailure(s ScenarioResult) *junitMessage {
	var must []ScenarioFailure
	for _, f := range s.Failures {
		if f.Severity == "must" {
			must = append(must, f)
		}
	}
	if s.Unnamed || len(must) == 0 {
		m := &junitMessage{Message: s.Error, Type: "assertion", Text: s.Error}
		if len(s.Failures) > 0 {
			m.Text += "\n\n" + failureText(s.Failures)
		}
		return m
	}
	first := must[0]
	where := ""
	if s.Dialect != "" {
		where = " (dialect " + s.Dialect + ")"
	}
	return &junitMessage{Message: fmt.Sprintf("%s%s: %s", first.Check, where, first.Detail),
		Type: first.Check, Text: failureText(s.Failures)}
}

// failureText lists failures with their details and reproduce commands.
func failureText(fs []ScenarioFailure) string {
	var b strings.Builder
	for i, f := range fs {
		if i > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "%s %s: %s", f.Severity, f.Check, f.Detail)
		switch {
		case f.Reproduce == "":
		case len(f.Reproduce) > maxJUnitReproduce:
			fmt.Fprintf(&b, "\nreproduce: the curl command is %d bytes long: see the JSON report (--report FILE.json)", len(f.Reproduce))
		default:
			b.WriteString("\nreproduce:\n")
			b.WriteString(f.Reproduce)
		}
	}
	return b.String()
}
