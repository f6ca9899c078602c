package platformsteps

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/cucumber/godog"

	"github.com/flireo-sim/flireo-sim/scenarios"
	"github.com/flireo-sim/flireo-sim/scenarios/internal/bodytext"
	sim "github.com/flireo-sim/flireo-sim/simulator"
)

// callSteps are the steps of the "platform API" topic that start calls
// and steer them with control commands.
var callSteps = []scenarios.Definition{
	step("platform API", "the platform API is running (a mock platform for this scenario; the other API steps start it too)",
		"Given the platform API is running", `^the platform API is running$`, do((*state).givenAPI)),
	step("platform API", `I start an outbound call to "NUMBER" through the API (POST /api/v1/calls/outbound)`,
		`When I start an outbound call to "+31612345678" through the API`,
		`^I start an outbound call to "([^"]*)" through the API$`, do1((*state).whenOutbound)),
	step("platform API", `I start an outbound call to "NUMBER" through the API with: (a doc string with request fields)`,
		"When I start an outbound call to \"+31612345678\" through the API with:\n  \"\"\"\n  {\"assistant\": {\"name\": \"Sales\", \"first_message\": \"Goedemiddag!\"}}\n  \"\"\"",
		`^I start an outbound call to "([^"]*)" through the API with:$`, do2((*state).outbound)),
	step("platform API", "an inbound call is started through the API (POST /simulate/inbound)", "When an inbound call is started through the API",
		`^an inbound call is started through the API$`, do((*state).whenInboundAPI)),
	step("platform API", "an inbound call is started through the API with: (a doc string with request fields)",
		"When an inbound call is started through the API with:\n  \"\"\"\n  {\"intent\": \"callback\", \"lang\": \"en\"}\n  \"\"\"",
		`^an inbound call is started through the API with:$`, do1((*state).inbound)),
	step("platform API", `I send the control command "TYPE" with: (a doc string with the command's fields)`,
		"When I send the control command \"say\" with:\n  \"\"\"\n  {\"content\": \"Een ogenblik, ik kijk het na.\", \"end_after\": false}\n  \"\"\"",
		`^I send the control command "([^"]*)" with:$`, do2((*state).whenControlWith)),
	step("platform API", `I tell the assistant to say "TEXT"`, `When I tell the assistant to say "Een ogenblik, ik kijk het na."`,
		`^I tell the assistant to say "([^"]*)"$`, do1(whenSay(false))),
	step("platform API", `I tell the assistant to say "TEXT" and end the call`, `When I tell the assistant to say "Tot ziens!" and end the call`,
		`^I tell the assistant to say "([^"]*)" and end the call$`, do1(whenSay(true))),
	step("platform API", "I end the call through the API", "When I end the call through the API",
		`^I end the call through the API$`, do((*state).whenEndAPI)),
	step("platform API", `I end the call through the API saying "TEXT"`, `When I end the call through the API saying "Bedankt voor uw geduld."`,
		`^I end the call through the API saying "([^"]*)"$`, do1((*state).whenEndAPISaying)),
	step("platform API", `I transfer the call to "NUMBER|SIP URI"`, `When I transfer the call to "+31201234567"`,
		`^I transfer the call to "([^"]*)"$`, do1((*state).whenTransfer)),
	step("platform API", `I inject the context "TEXT"`, `When I inject the context "CRM: klant heeft een open factuur"`,
		`^I inject the context "([^"]*)"$`, do1(whenInject(false))),
	step("platform API", `I inject the context "TEXT" and let the assistant answer`, `When I inject the context "Verificatiecode: 123456" and let the assistant answer`,
		`^I inject the context "([^"]*)" and let the assistant answer$`, do1(whenInject(true))),
}

func (st *state) givenAPI(context.Context) error {
	_, err := st.platformAPI()
	return err
}

// simulate is the simulator's own part of a start request: the call number
// (so that every scenario plays its own calls, reproducibly) and what the
// Given steps chose.
func (st *state) simulate(into map[string]any) {
	n := 0
	if st.api != nil {
		n = len(st.api.calls)
	}
	into["call"] = st.Number() + 900 + n       // after the numbers of concurrent calls
	into["intent"] = string(st.Setup().Intent) // the library's default: book an appointment
	if st.Setup().Lang != "" {
		into["lang"] = st.Setup().Lang
	}
}

// mergeSimulate sets the members of a doc string's "simulate" object in sop.
func mergeSimulate(sop map[string]any, raw json.RawMessage) {
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return
	}
	for k, v := range m {
		sop[k] = v
	}
}

// fields reads a doc string of request fields.
func fields(doc *godog.DocString) (map[string]json.RawMessage, error) {
	var f map[string]json.RawMessage
	if err := json.Unmarshal([]byte(doc.Content), &f); err != nil || f == nil {
		return nil, fmt.Errorf("the doc string must be a JSON object of request fields, got %q", strings.TrimSpace(doc.Content))
	}
	return f, nil
}

// start sends a start request and remembers the call it started.
func (st *state) start(ctx context.Context, path string, body map[string]any, doc *godog.DocString) error {
	if doc != nil {
		extra, err := fields(doc)
		if err != nil {
			return err
		}
		for k, v := range extra {
			if k == "destination" && body["destination"] != nil {
				continue // the step text names it
			}
			if sop, ok := body["simulate"].(map[string]any); ok && k == "simulate" {
				mergeSimulate(sop, v) // the doc string's choices over the library's
				continue
			}
			body[k] = v
		}
	}
	r, err := st.request(ctx, http.MethodPost, path, body, true)
	if err != nil {
		return err
	}
	var ok struct {
		CallID string `json:"call_id"`
	}
	if r.Status/100 == 2 && json.Unmarshal(r.Body, &ok) == nil && ok.CallID != "" {
		st.api.calls = append(st.api.calls, ok.CallID)
	}
	return nil
}

func (st *state) whenOutbound(ctx context.Context, number string) error {
	return st.outbound(ctx, number, nil)
}

func (st *state) outbound(ctx context.Context, number string, doc *godog.DocString) error {
	if _, err := st.platformAPI(); err != nil {
		return err
	}
	sop := map[string]any{}
	st.simulate(sop)
	if sop["intent"] == string(sim.Voicemail) {
		sop["outcome"] = "voicemail"
	}
	if in, _ := sop["intent"].(string); !sim.IntentFits(sim.Intent(in), sim.Outbound) {
		delete(sop, "intent") // an inbound intent (the library's default): the platform draws an outbound one
	}
	body := map[string]any{
		"destination": number,
		"assistant":   map[string]any{"name": "flireo-sim outbound"},
		"simulate":    sop,
	}
	return st.start(ctx, "/api/v1/calls/outbound", body, doc)
}

func (st *state) whenInboundAPI(ctx context.Context) error { return st.inbound(ctx, nil) }

func (st *state) inbound(ctx context.Context, doc *godog.DocString) error {
	if _, err := st.platformAPI(); err != nil {
		return err
	}
	body := map[string]any{}
	st.simulate(body)
	if customer, ok := st.Customer(); ok {
		body["caller"] = customer
	}
	return st.start(ctx, "/simulate/inbound", body, doc)
}

// ---- control commands

// apiCall returns the last call started through the API.
func (st *state) apiCall() (string, error) {
	if st.api == nil || len(st.api.calls) == 0 {
		why := "no call was started through the API: add a step such as 'When an inbound call is started through the API'"
		if st.api != nil && st.api.last != nil && st.api.last.Status/100 != 2 {
			why += " (the last request: " + st.api.last.String() + ")"
		}
		return "", errors.New(why)
	}
	return st.api.calls[len(st.api.calls)-1], nil
}

// control sends a control command to the last call once it is in progress
// (or over: then the API refuses it, which a step may expect).
func (st *state) control(ctx context.Context, cmd map[string]any) error {
	id, err := st.apiCall()
	if err != nil {
		return err
	}
	if _, err := st.await(ctx, id, "in progress", func(c apiCallObject) bool {
		return c.Status != "ringing" && c.Status != "dialing"
	}); err != nil {
		return err
	}
	r, err := st.request(ctx, http.MethodPost, "/api/v1/calls/"+url.PathEscape(id)+"/control", cmd, true)
	if err != nil {
		return err
	}
	if r.Status/100 != 2 {
		st.api.refused = append(st.api.refused, fmt.Sprintf("%v (%d%s)", cmd["type"], r.Status, bodytext.Snippet(r.Body)))
	}
	return nil
}

func (st *state) whenControlWith(ctx context.Context, typ string, doc *godog.DocString) error {
	f, err := fields(doc)
	if err != nil {
		return err
	}
	cmd := make(map[string]any, len(f)+1)
	for k, v := range f {
		cmd[k] = v
	}
	cmd["type"] = typ
	return st.control(ctx, cmd)
}

func whenSay(end bool) func(*state, context.Context, string) error {
	return func(st *state, ctx context.Context, text string) error {
		return st.control(ctx, map[string]any{"type": sim.CommandSay, "content": text, "end_after": end})
	}
}

func (st *state) whenEndAPI(ctx context.Context) error {
	return st.control(ctx, map[string]any{"type": sim.CommandEndCall})
}

func (st *state) whenEndAPISaying(ctx context.Context, text string) error {
	return st.control(ctx, map[string]any{"type": sim.CommandEndCall, "message": text})
}

func (st *state) whenTransfer(ctx context.Context, dest string) error {
	return st.control(ctx, map[string]any{"type": sim.CommandTransfer, "destination": dest})
}

func whenInject(answer bool) func(*state, context.Context, string) error {
	return func(st *state, ctx context.Context, text string) error {
		return st.control(ctx, map[string]any{"type": sim.CommandInjectContext, "content": text, "trigger_response": answer})
	}
}
