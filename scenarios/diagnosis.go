package scenarios

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/diagnose"
)

// maxCauses is how many distinct causes of one check a result keeps.
const maxCauses = 5

// maxStoredBody caps the request body a report keeps for replay; a longer
// body is left out (the reproduce command still carries it).
const maxStoredBody = 4 << 20

// ScenarioFailure is the first failure of a check within a scenario.
type ScenarioFailure struct {
	Check    string `json:"check"`
	Severity string `json:"severity"`
	Detail   string `json:"detail"`
	// Reproduce replays the failing request (JUnit carries it; the JSON
	// report has it once per check).
	Reproduce string `json:"-"`
}

func (l *Library) scenarioFailure(f *finding, now time.Time) ScenarioFailure {
	return ScenarioFailure{Check: f.Check, Severity: string(f.Severity), Detail: f.Detail, Reproduce: l.reproduce(f, now)}
}

// StoredRequest is a webhook as it was sent, kept in the report so that
// 'flireo-sim replay' can send it again, signed afresh.
type StoredRequest struct {
	Event   string `json:"event"`
	Dialect string `json:"dialect"`
	Method  string `json:"method"`
	URL     string `json:"url"`
	// Headers as sent: the timestamp and signature are those of that
	// moment (a replay signs anew).
	Headers http.Header `json:"headers"`
	// Body is the event's body (before a signature probe altered it), as
	// text; BodyBase64 holds it instead when it is not valid UTF-8.
	Body       string `json:"body,omitempty"`
	BodyBase64 string `json:"body_base64,omitempty"`
	// BodyOmitted: the body was longer than the report keeps (4 MiB).
	BodyOmitted bool   `json:"body_omitted,omitempty"`
	Signed      bool   `json:"signed"`
	Plain       bool   `json:"plain,omitempty"`
	Probe       string `json:"probe,omitempty"`
	Variant     string `json:"variant,omitempty"`
	DeadlineMS  int64  `json:"deadline_ms,omitempty"`
}

// storeRequest keeps what a replay of x needs; nil without an exchange.
func storeRequest(x *sim.Exchange, dialect string) *StoredRequest {
	if x == nil {
		return nil
	}
	r := &StoredRequest{Event: string(x.Event), Dialect: dialect, Method: http.MethodPost, URL: x.Request.URL,
		Headers: x.Response.SentHeader.Clone(), Signed: x.Response.SentHeader.Get("X-Webhook-Signature") != "",
		Plain: x.Request.Plain, Probe: string(x.Request.Probe), Variant: string(x.Request.Variant),
		DeadlineMS: x.Request.Deadline.Milliseconds()}
	switch b := x.Request.Body; {
	case len(b) > maxStoredBody:
		r.BodyOmitted = true
	case utf8.Valid(b):
		r.Body = string(b)
	default:
		r.BodyBase64 = base64.StdEncoding.EncodeToString(b)
	}
	return r
}

// Request returns the stored request as the simulator sends it.
func (r *StoredRequest) Request() (sim.Request, error) {
	ev, ok := sim.ParseEventType(r.Event)
	if !ok {
		return sim.Request{}, fmt.Errorf("unknown event %q", r.Event)
	}
	if r.BodyOmitted {
		return sim.Request{}, errors.New("the body was too long to keep in the report: run its reproduce command instead")
	}
	body := []byte(r.Body)
	if r.BodyBase64 != "" {
		var err error
		if body, err = base64.StdEncoding.DecodeString(r.BodyBase64); err != nil {
			return sim.Request{}, fmt.Errorf("body_base64: %v", err)
		}
	}
	return sim.Request{URL: r.URL, Event: ev, Body: body, Deadline: time.Duration(r.DeadlineMS) * time.Millisecond,
		Plain: r.Plain, Probe: sim.Probe(r.Probe), Variant: sim.Variant(r.Variant)}, nil
}

// hints reads every exchange of the run for a cause behind many failures.
func hints(recs []*record, secretSet bool) []string {
	var xs []*sim.Exchange
	for _, r := range recs {
		xs = append(xs, r.exchanges...)
	}
	return diagnose.Hints(xs, secretSet)
}

// markInterrupted records that the run stopped before its end: the verdict
// cannot be a pass, whatever the scenarios that ran said.
func (r *Result) markInterrupted(ctx context.Context, planned int) {
	why := "the run was interrupted (Ctrl-C or SIGTERM)"
	switch cause := context.Cause(ctx); {
	case errors.Is(cause, context.DeadlineExceeded):
		why = "the run's time limit passed"
	case cause != nil && !errors.Is(cause, context.Canceled):
		why = "the run was stopped: " + cause.Error()
	}
	finished := 0
	for _, s := range r.Scenarios {
		if s.Skip != stoppedSkip {
			finished++
		}
	}
	r.Interrupted = true
	r.InterruptedReason = fmt.Sprintf("%s: %d of %d scenarios finished", why, finished, planned)
	r.Verdict = StatusFail
	r.Reason = "interrupted: " + r.InterruptedReason + "; of what ran: " + r.Reason
}
