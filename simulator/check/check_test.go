package check

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	sim "github.com/flireo-sim/flireo-sim/simulator"
)

func ex(ev sim.EventType, status int, latency time.Duration, mod func(*sim.Exchange)) *sim.Exchange {
	deadline := 5 * time.Second
	if ev == sim.ToolCalls {
		deadline = 10 * time.Second
	}
	x := &sim.Exchange{Seq: 1, Event: ev, Request: sim.Request{Event: ev, Deadline: deadline},
		Response:  sim.Response{Status: status, Latency: latency, Header: http.Header{}},
		ReplyUsed: ev == sim.AssistantRequest || ev == sim.ToolCalls}
	if mod != nil {
		mod(x)
	}
	return x
}

func verdicts(x *sim.Exchange) map[string]sim.Verdict {
	s, _ := New()
	out := map[string]sim.Verdict{}
	for _, f := range s.Check(x) {
		out[f.Check] = f.Verdict
	}
	return out
}

func TestChecks(t *testing.T) {
	calls := []sim.ToolCall{{ID: "t1", Name: "a"}, {ID: "t2", Name: "b"}}
	results := func(ids ...string) *sim.ToolReply {
		r := &sim.ToolReply{Format: "results"}
		for _, id := range ids {
			r.Results = append(r.Results, sim.ToolResult{ID: id})
		}
		return r
	}
	cases := []struct {
		name string
		x    *sim.Exchange
		want map[string]sim.Verdict
	}{
		{"fast assistant reply", ex(sim.AssistantRequest, 200, 10*time.Millisecond, func(x *sim.Exchange) {
			x.Assistant = &sim.AssistantReply{Kind: sim.ReplyDefault}
		}), map[string]sim.Verdict{AssistantDeadline: sim.Pass, HTTP2xx: sim.Pass, ReplyJSON: sim.Pass, ReplySize: sim.Pass, AssistantShape: sim.Pass, UnknownReplyKeys: sim.Pass}},
		{"slow assistant reply", ex(sim.AssistantRequest, 200, 6*time.Second, func(x *sim.Exchange) {
			x.Assistant = &sim.AssistantReply{Kind: sim.ReplyDefault}
		}), map[string]sim.Verdict{AssistantDeadline: sim.Fail, HTTP2xx: sim.Pass, ReplyJSON: sim.Pass, ReplySize: sim.Pass, AssistantShape: sim.Pass, UnknownReplyKeys: sim.Pass}},
		{"assistant timeout", ex(sim.AssistantRequest, 0, 5*time.Second, func(x *sim.Exchange) {
			x.Response.Failure = &sim.Failure{Kind: sim.FailTimeout, Detail: "no reply"}
		}), map[string]sim.Verdict{AssistantDeadline: sim.Fail}},
		{"connection refused", ex(sim.StatusUpdate, 0, time.Millisecond, func(x *sim.Exchange) {
			x.Response.Failure = &sim.Failure{Kind: sim.FailRefused, Detail: "connection refused"}
		}), map[string]sim.Verdict{HTTP2xx: sim.Fail}},
		{"html reply", ex(sim.AssistantRequest, 200, time.Millisecond, func(x *sim.Exchange) {
			x.Response.Failure = &sim.Failure{Kind: sim.FailNonJSON, Detail: "not JSON"}
			x.Assistant = &sim.AssistantReply{Kind: sim.ReplyFailed, Problems: []string{"not JSON"}}
		}), map[string]sim.Verdict{AssistantDeadline: sim.Pass, HTTP2xx: sim.Pass, ReplyJSON: sim.Fail, ReplySize: sim.Pass}},
		{"oversized reply", ex(sim.AssistantRequest, 200, time.Millisecond, func(x *sim.Exchange) {
			x.Response.Failure = &sim.Failure{Kind: sim.FailOversized, Detail: "too big"}
			x.Assistant = &sim.AssistantReply{Kind: sim.ReplyFailed}
		}), map[string]sim.Verdict{AssistantDeadline: sim.Pass, HTTP2xx: sim.Pass, ReplySize: sim.Fail}},
		{"500 on a report", ex(sim.EndOfCallReport, 500, time.Millisecond, nil),
			map[string]sim.Verdict{AckDeadline: sim.Pass, HTTP2xx: sim.Fail}},
		{"slow report", ex(sim.EndOfCallReport, 200, 6*time.Second, nil),
			map[string]sim.Verdict{AckDeadline: sim.Fail, HTTP2xx: sim.Pass}},
		{"bad assistant shape and unknown keys", ex(sim.AssistantRequest, 200, time.Millisecond, func(x *sim.Exchange) {
			x.Assistant = &sim.AssistantReply{Kind: sim.ReplyFailed, Problems: []string{`"assistant" is a string`}, Unknown: []string{"llmConfig (documented: llm_config)"}}
		}), map[string]sim.Verdict{AssistantDeadline: sim.Pass, HTTP2xx: sim.Pass, ReplyJSON: sim.Pass, ReplySize: sim.Pass, AssistantShape: sim.Fail, UnknownReplyKeys: sim.Fail}},
		{"every tool answered", ex(sim.ToolCalls, 200, time.Millisecond, func(x *sim.Exchange) {
			x.ToolCalls, x.Tools = calls, results("t1", "t2")
		}), map[string]sim.Verdict{ToolDeadline: sim.Pass, HTTP2xx: sim.Pass, ReplyJSON: sim.Pass, ReplySize: sim.Pass, ToolShape: sim.Pass, ToolResultsOnce: sim.Pass, ToolResultsKnown: sim.Pass, UnknownReplyKeys: sim.Pass}},
		{"missing and duplicate results", ex(sim.ToolCalls, 200, time.Millisecond, func(x *sim.Exchange) {
			x.ToolCalls, x.Tools = calls, results("t1", "t1")
		}), map[string]sim.Verdict{ToolDeadline: sim.Pass, HTTP2xx: sim.Pass, ReplyJSON: sim.Pass, ReplySize: sim.Pass, ToolShape: sim.Pass, ToolResultsOnce: sim.Fail, ToolResultsKnown: sim.Pass, UnknownReplyKeys: sim.Pass}},
		{"unknown result id", ex(sim.ToolCalls, 200, time.Millisecond, func(x *sim.Exchange) {
			x.ToolCalls, x.Tools = calls, results("t1", "t2", "t9")
		}), map[string]sim.Verdict{ToolDeadline: sim.Pass, HTTP2xx: sim.Pass, ReplyJSON: sim.Pass, ReplySize: sim.Pass, ToolShape: sim.Pass, ToolResultsOnce: sim.Pass, ToolResultsKnown: sim.Fail, UnknownReplyKeys: sim.Pass}},
		{"async tool acknowledged late", ex(sim.ToolCalls, 200, 6*time.Second, func(x *sim.Exchange) {
			x.ReplyUsed = false
			x.Request.Deadline = 5 * time.Second
			x.ToolCalls = []sim.ToolCall{{ID: "t1", Async: true}}
		}), map[string]sim.Verdict{AckDeadline: sim.Fail, HTTP2xx: sim.Pass}},
		{"unsigned probe refused", ex(sim.StatusUpdate, 401, time.Millisecond, func(x *sim.Exchange) { x.Request.Probe = sim.ProbeUnsigned }),
			map[string]sim.Verdict{SignatureEnforced: sim.Pass}},
		{"stale probe accepted", ex(sim.StatusUpdate, 200, time.Millisecond, func(x *sim.Exchange) { x.Request.Probe = sim.ProbeStale }),
			map[string]sim.Verdict{SignatureEnforced: sim.Fail}},
		{"reformatted probe accepted", ex(sim.StatusUpdate, 204, time.Millisecond, func(x *sim.Exchange) { x.Request.Probe = sim.ProbeReformatted }),
			map[string]sim.Verdict{SignatureRawBody: sim.Pass}},
		{"reformatted probe refused", ex(sim.StatusUpdate, 401, time.Millisecond, func(x *sim.Exchange) { x.Request.Probe = sim.ProbeReformatted }),
			map[string]sim.Verdict{SignatureRawBody: sim.Fail}},
		{"reformatted probe too late to tell", ex(sim.StatusUpdate, 0, 5*time.Second, func(x *sim.Exchange) {
			x.Request.Probe = sim.ProbeReformatted
			x.Response.Failure = &sim.Failure{Kind: sim.FailTimeout, Detail: "no reply"}
		}), map[string]sim.Verdict{}},
		{"redelivered report acknowledged", ex(sim.EndOfCallReport, 200, time.Millisecond, func(x *sim.Exchange) { x.Request.Variant = sim.VariantRedelivery }),
			map[string]sim.Verdict{AckDeadline: sim.Pass, ReportRedelivery: sim.Pass}},
		{"redelivered report refused: the variant's check, not http-2xx", ex(sim.EndOfCallReport, 409, time.Millisecond, func(x *sim.Exchange) { x.Request.Variant = sim.VariantRedelivery }),
			map[string]sim.Verdict{AckDeadline: sim.Pass, ReportRedelivery: sim.Fail}},
		{"report before ended refused", ex(sim.EndOfCallReport, 409, time.Millisecond, func(x *sim.Exchange) { x.Request.Variant = sim.VariantOutOfOrder }),
			map[string]sim.Verdict{AckDeadline: sim.Pass, ReportBeforeEnded: sim.Fail}},
		{"extra fields refused", ex(sim.StatusUpdate, 400, time.Millisecond, func(x *sim.Exchange) { x.Request.Variant = sim.VariantExtraFields }),
			map[string]sim.Verdict{AckDeadline: sim.Pass, UnknownFields: sim.Fail}},
		{"web call answered", ex(sim.AssistantRequest, 200, time.Millisecond, func(x *sim.Exchange) {
			x.Request.Variant = sim.VariantWebCall
			x.Assistant = &sim.AssistantReply{Kind: sim.ReplyDefault}
		}), map[string]sim.Verdict{AssistantDeadline: sim.Pass, ReplyJSON: sim.Pass, ReplySize: sim.Pass, AssistantShape: sim.Pass, UnknownReplyKeys: sim.Pass, WebCall: sim.Pass}},
		{"large report too large for the server", ex(sim.EndOfCallReport, 413, time.Millisecond, func(x *sim.Exchange) { x.Request.Variant = sim.VariantLarge }),
			map[string]sim.Verdict{AckDeadline: sim.Pass, LargeReport: sim.Fail}},
		{"text refused", ex(sim.StatusUpdate, 400, time.Millisecond, func(x *sim.Exchange) { x.Request.Variant = sim.VariantText }),
			map[string]sim.Verdict{AckDeadline: sim.Pass, TextPreserved: sim.Fail}},
		{"busy during concurrent calls", ex(sim.StatusUpdate, 503, time.Millisecond, func(x *sim.Exchange) { x.Request.Variant = sim.VariantConcurrent }),
			map[string]sim.Verdict{AckDeadline: sim.Pass, ConcurrentCalls: sim.Fail}},
		{"a variant's timeout is the deadline check's", ex(sim.EndOfCallReport, 0, 5*time.Second, func(x *sim.Exchange) {
			x.Request.Variant = sim.VariantLarge
			x.Response.Failure = &sim.Failure{Kind: sim.FailTimeout, Detail: "no reply"}
		}), map[string]sim.Verdict{AckDeadline: sim.Fail}},
		{"a variant that got no reply at all", ex(sim.EndOfCallReport, 0, time.Millisecond, func(x *sim.Exchange) {
			x.Request.Variant = sim.VariantRedelivery
			x.Response.Failure = &sim.Failure{Kind: sim.FailReset, Detail: "connection reset"}
		}), map[string]sim.Verdict{ReportRedelivery: sim.Fail}},
		{"reply with invalid UTF-8, read as U+FFFD", ex(sim.ToolCalls, 200, time.Millisecond, func(x *sim.Exchange) {
			x.ToolCalls, x.Tools = calls, results("t1", "t2")
			x.Repaired = "the reply is not valid UTF-8"
		}), map[string]sim.Verdict{ToolDeadline: sim.Pass, HTTP2xx: sim.Pass, ReplyJSON: sim.Pass, ReplySize: sim.Pass, ToolShape: sim.Pass, ToolResultsOnce: sim.Pass, ToolResultsKnown: sim.Pass, UnknownReplyKeys: sim.Pass, ReplyUTF8: sim.Fail}},
		{"200 cut short mid-body", ex(sim.AssistantRequest, 200, time.Millisecond, func(x *sim.Exchange) {
			x.Response.Failure = &sim.Failure{Kind: sim.FailIncomplete, Detail: "the server closed the connection before the reply was complete"}
			x.Assistant = &sim.AssistantReply{Kind: sim.ReplyFailed}
		}), map[string]sim.Verdict{AssistantDeadline: sim.Pass, HTTP2xx: sim.Pass, ReplyComplete: sim.Fail}},
		{"headers over the cap", ex(sim.ToolCalls, 0, time.Millisecond, func(x *sim.Exchange) {
			x.Response.Failure = &sim.Failure{Kind: sim.FailIncomplete, Detail: "the reply's headers are larger than 1 MiB"}
		}), map[string]sim.Verdict{ReplyComplete: sim.Fail}},
		{"a variant's report cut short", ex(sim.EndOfCallReport, 200, time.Millisecond, func(x *sim.Exchange) {
			x.Request.Variant = sim.VariantLarge
			x.Response.Failure = &sim.Failure{Kind: sim.FailIncomplete, Detail: "connection reset by the server"}
		}), map[string]sim.Verdict{AckDeadline: sim.Pass, LargeReport: sim.Pass, ReplyComplete: sim.Fail}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// Every reply that arrived whole passes reply-complete.
			if r := c.x.Response; r.Status != 0 && (r.Failure == nil || r.Failure.Kind != sim.FailIncomplete) {
				c.want[ReplyComplete] = sim.Pass
			}
			// Every used reply that arrived whole is UTF-8 unless repaired.
			if usedReply(c.x) && c.x.Response.Failure == nil {
				if _, ok := c.want[ReplyUTF8]; !ok {
					c.want[ReplyUTF8] = sim.Pass
				}
			}
			assert.Equal(t, c.want, verdicts(c.x))
		})
	}
}

func TestCatalogueIsWellFormed(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range Catalogue() {
		assert.False(t, seen[c.ID], "duplicate %s", c.ID)
		seen[c.ID] = true
		assert.Contains(t, []sim.Severity{sim.Must, sim.Should}, c.Severity, c.ID)
		assert.NotEmpty(t, c.Title, c.ID)
		assert.Contains(t, c.Spec, "§", c.ID)
		require.NotNil(t, c.Eval, c.ID)
	}
	for _, id := range []string{ReportRedelivery, TextPreserved} {
		c, ok := Find(id)
		require.True(t, ok)
		assert.NotEmpty(t, c.Stored, "%s is judged through the server's own API too", id)
	}
	h, _ := Find(HTTP2xx)
	assert.Empty(t, h.Stored)
	_, err := New("no-such-check")
	assert.ErrorContains(t, err, "known checks are")
	s, err := New(HTTP2xx)
	require.NoError(t, err)
	assert.Len(t, s.Check(ex(sim.StatusUpdate, 200, 0, nil)), 1)
}
