package platform

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/fake"
)

// simulateOptions is the simulator's own extension of POST /calls/outbound
// (the platform ignores unknown fields, so real clients never send it): it
// picks the callee's behaviour and the conversation.
type simulateOptions struct {
	Outcome string `json:"outcome"` // answered (default), no-answer, voicemail
	Intent  string `json:"intent"`
	Lang    string `json:"lang"`
	Seed    *int64 `json:"seed"`
	Call    *int   `json:"call"`
}

// outboundRequest is the body of POST /calls/outbound (spec §6.2), with the
// deprecated aliases agent_id, agent and agent_config (spec §6.1).
type outboundRequest struct {
	Destination       string           `json:"destination"`
	NumberID          string           `json:"number_id"`
	AssistantID       string           `json:"assistant_id"`
	AgentID           string           `json:"agent_id"`
	Assistant         json.RawMessage  `json:"assistant"`
	Agent             json.RawMessage  `json:"agent"`
	AgentConfig       json.RawMessage  `json:"agent_config"`
	AssistantOverride json.RawMessage  `json:"assistant_override"`
	FirstMessage      *string          `json:"first_message"`
	Simulate          *simulateOptions `json:"simulate"`
}

// Test destinations: like a payment provider's test cards, a destination
// ending in 0000 is never answered and one ending in 9999 reaches voicemail.
const (
	noAnswerSuffix  = "0000"
	voicemailSuffix = "9999"
)

// handleOutbound answers POST /calls/outbound as documented
// ({"success", "call_id", "room_name", "status": "dialing"}) and plays the
// outbound call: no assistant-request (documented for inbound calls only);
// the assistant of the request (reference, transient or hybrid) drives it.
func (p *Platform) handleOutbound(w http.ResponseWriter, r *http.Request) {
	var req outboundRequest
	if rerr := p.decode(w, r, &req); rerr != nil {
		rerr.write(w)
		return
	}
	spec, rerr := p.outboundSpec(r, &req)
	p.startCall(w, spec, rerr, map[string]any{"room_name": spec.roomName, "status": statusDialing})
}

// startCall starts the call of spec, unless building the spec failed, and
// answers 201 with success, the call id and more; or the error.
func (p *Platform) startCall(w http.ResponseWriter, spec callSpec, rerr *requestError, more map[string]any) {
	if rerr == nil {
		_, rerr = p.start(spec)
	}
	if rerr != nil {
		rerr.write(w)
		return
	}
	more["success"], more["call_id"] = true, spec.plan.ID
	writeJSON(w, http.StatusCreated, more)
}

func (p *Platform) outboundSpec(r *http.Request, req *outboundRequest) (callSpec, *requestError) {
	var s callSpec
	dest := strings.TrimSpace(req.Destination)
	switch {
	case dest == "":
		return s, missing("destination", "destination is required: the number to call in E.164, e.g. +31612345678")
	case !e164.MatchString(dest):
		return s, badRequest("destination", "destination %q is not an E.164 number such as +31612345678", dest)
	}
	sop := simulateOptions{}
	if req.Simulate != nil {
		sop = *req.Simulate
	}
	outcome, rerr := outboundOutcome(dest, sop.Outcome)
	if rerr != nil {
		return s, rerr
	}
	fields, id, rerr := p.outboundAssistant(r, req)
	if rerr == nil {
		rerr = req.validate(fields)
	}
	if rerr != nil {
		return s, rerr
	}
	if rerr := p.resolveTemplates(ownerOf(r), fields); rerr != nil {
		return s, rerr
	}
	h, rerr := p.hookFor(fields)
	if rerr != nil {
		return s, rerr
	}
	cfg, rerr := p.configFrom(fields, id)
	if rerr != nil {
		return s, rerr
	}
	if req.FirstMessage != nil && strings.TrimSpace(*req.FirstMessage) != "" {
		cfg.FirstMessage = strings.TrimSpace(*req.FirstMessage)
	}

	plan, gen, rerr := p.outboundPlan(sop, outcome)
	if rerr != nil {
		return s, rerr
	}
	plan.Customer = dest
	plan.ID = "call-outbound-" + newID(12)
	if req.NumberID != "" {
		plan.PhoneID = req.NumberID
	}
	name, business := str(fields, "name"), str(fields, "business_name")
	outboundMessages(cfg, fields, req.FirstMessage != nil && strings.TrimSpace(*req.FirstMessage) != "", plan, business)
	if business != "" {
		plan.Business = business
	}
	return callSpec{
		owner: ownerOf(r), direction: sim.Outbound, outcome: outcome, plan: plan, gen: gen, cfg: cfg, hook: h,
		assistantID: id, agentName: name, businessName: plan.Business, numberID: req.NumberID,
		roomName: "outbound-" + strings.ToLower(newID(8)),
	}, nil
}

// outboundOutcome is the simulated outcome of an outbound call: asked for,
// or chosen by the destination's last digits (…0000 no answer, …9999
// voicemail), answered otherwise.
func outboundOutcome(dest, outcome string) (string, *requestError) {
	switch outcome {
	case "":
		switch {
		case strings.HasSuffix(dest, noAnswerSuffix):
			return outcomeNoAnswer, nil
		case strings.HasSuffix(dest, voicemailSuffix):
			return outcomeVoicemail, nil
		}
		return outcomeAnswered, nil
	case outcomeAnswered, outcomeNoAnswer, outcomeVoicemail:
		return outcome, nil
	}
	return "", badRequest("simulate.outcome", "simulate.outcome %q is not one of answered, no-answer, voicemail", outcome)
}

// outboundPlan draws the plan of an outbound call with the outcome.
func (p *Platform) outboundPlan(sop simulateOptions, outcome string) (*sim.CallPlan, sim.Generator, *requestError) {
	intent := sim.Intent(sop.Intent)
	if outcome == outcomeVoicemail {
		intent = sim.Voicemail
	} else if intent == sim.Voicemail {
		return nil, nil, badRequest("simulate.intent", "simulate.intent voicemail needs simulate.outcome voicemail")
	} else if err := sim.IntentMismatch(intent, sim.Outbound); intent != "" && err != nil {
		return nil, nil, badRequest("simulate.intent", "simulate.%v", err)
	}
	plan, gen, rerr := p.plan(sop.Seed, sop.Call, fake.Options{Intent: intent, Lang: sop.Lang, Direction: sim.Outbound}, "simulate.")
	if rerr != nil {
		return nil, nil, rerr
	}
	if outcome == outcomeAnswered && plan.Intent == sim.Voicemail && sop.Intent == "" {
		// A drawn voicemail intent would contradict the outcome: redraw as a reminder.
		plan, gen, _ = p.plan(sop.Seed, &plan.Number, fake.Options{Intent: sim.AppointmentReminder, Lang: sop.Lang, Direction: sim.Outbound}, "simulate.")
	}
	return plan, gen, nil
}

// outboundAssistant resolves the three documented modes: reference
// (assistant_id), transient (assistant) and hybrid (assistant_id +
// assistant_override, whose top-level keys replace the saved ones).
func (p *Platform) outboundAssistant(r *http.Request, req *outboundRequest) (map[string]json.RawMessage, string, *requestError) {
	id := req.AssistantID
	if id == "" {
		id = req.AgentID
	}
	transient, param := req.transient()
	override := req.AssistantOverride
	if len(override) > 0 && isNull(override) {
		override = nil
	}
	switch {
	case id != "" && transient != nil:
		return nil, "", badRequest(param, "give assistant_id (optionally with assistant_override) or a transient assistant, not both")
	case id == "" && transient == nil:
		return nil, "", missing("assistant_id", "say which assistant calls: assistant_id, a transient assistant object, or assistant_id with assistant_override")
	case id == "" && override != nil:
		return nil, "", missing("assistant_id", "assistant_override needs the assistant_id it overrides")
	}
	if transient != nil {
		var fields map[string]json.RawMessage
		if json.Unmarshal(transient, &fields) != nil {
			return nil, "", badRequest(param, "%s must be a JSON object (an assistant configuration)", param)
		}
		return fields, "", nil
	}
	fields, rerr := p.savedAssistant(r, id)
	if rerr != nil {
		return nil, "", rerr
	}
	if override != nil {
		if rerr := applyOverride(fields, override); rerr != nil {
			return nil, "", rerr
		}
	}
	return fields, id, nil
}

// transient is the request's transient assistant, under the first of its
// documented names that is set, and that name.
func (req *outboundRequest) transient() (json.RawMessage, string) {
	for _, c := range []struct {
		name string
		raw  json.RawMessage
	}{{"assistant", req.Assistant}, {"agent", req.Agent}, {"agent_config", req.AgentConfig}} {
		if len(c.raw) > 0 && !isNull(c.raw) {
			return c.raw, c.name
		}
	}
	return nil, "assistant"
}

// applyOverride lays a hybrid call's assistant_override over the saved
// assistant's fields: its top-level keys replace them, null removes them.
func applyOverride(fields map[string]json.RawMessage, override json.RawMessage) *requestError {
	var over map[string]json.RawMessage
	if json.Unmarshal(override, &over) != nil {
		return badRequest("assistant_override", "assistant_override must be a JSON object")
	}
	for k, v := range over {
		if isNull(v) {
			delete(fields, k)
		} else {
			fields[k] = v
		}
	}
	return nil
}

// inboundRequest is the body of POST /simulate/inbound, the test trigger.
type inboundRequest struct {
	Intent      string `json:"intent"`
	Lang        string `json:"lang"`
	Seed        *int64 `json:"seed"`
	Call        *int   `json:"call"`
	Caller      string `json:"caller"`
	AssistantID string `json:"assistant_id"`
	PhoneNumber string `json:"phone_number"` // the called number: the account's number (numbers.go)
}

// handleInbound starts an inbound call on demand: it rings the assistant
// (assistant_id's, or the account's default agent and webhook), sends the
// assistant-request and plays the conversation of the intent, seed and call
// number (each drawn when absent).
func (p *Platform) handleInbound(w http.ResponseWriter, r *http.Request) {
	var req inboundRequest
	if rerr := p.decodeOrEmpty(w, r, &req); rerr != nil {
		rerr.write(w)
		return
	}
	spec, rerr := p.inboundSpec(r, &req)
	p.startCall(w, spec, rerr, map[string]any{"status": statusRinging})
}

func (p *Platform) inboundSpec(r *http.Request, req *inboundRequest) (callSpec, *requestError) {
	var s callSpec
	caller := strings.TrimSpace(req.Caller)
	if caller != "" && !e164.MatchString(caller) {
		return s, badRequest("caller", "caller %q is not an E.164 number such as +31612345678", caller)
	}
	h := hook{url: p.opt.Sim.Target, secret: p.opt.Sim.Secret}
	var cfg *sim.AssistantConfig
	var name, business string
	number, rerr := p.calledNumber(r, req.PhoneNumber, &req.AssistantID)
	if rerr != nil {
		return s, rerr
	}
	if req.AssistantID != "" {
		fields, rerr := p.savedAssistant(r, req.AssistantID)
		if rerr == nil {
			rerr = p.resolveTemplates(ownerOf(r), fields)
		}
		if rerr != nil {
			return s, rerr
		}
		if h, rerr = p.hookFor(fields); rerr != nil {
			return s, rerr
		}
		if cfg, rerr = p.configFrom(fields, req.AssistantID); rerr != nil {
			return s, rerr
		}
		name, business = str(fields, "name"), str(fields, "business_name")
	}
	if req.Intent == string(sim.Voicemail) {
		return s, badRequest("intent", "voicemail is an outbound outcome: use POST /api/v1/calls/outbound with a destination ending in %s", voicemailSuffix)
	}
	if err := sim.IntentMismatch(sim.Intent(req.Intent), sim.Inbound); req.Intent != "" && err != nil {
		return s, badRequest("intent", "%v; start an outbound call with POST /api/v1/calls/outbound", err)
	}
	plan, gen, rerr := p.plan(req.Seed, req.Call, fake.Options{Intent: sim.Intent(req.Intent), Lang: req.Lang, Direction: sim.Inbound}, "")
	if rerr != nil {
		return s, rerr
	}
	if caller != "" {
		plan.Customer = caller
	}
	if business != "" {
		plan.Business = business
	}
	if number != nil {
		plan.PhoneNumber, plan.PhoneID = number.number, number.id
	}
	plan.ID = "call-_" + plan.Customer + "_" + newID(12)
	return callSpec{
		owner: ownerOf(r), direction: sim.Inbound, plan: plan, gen: gen, cfg: cfg, hook: h,
		assistantID: req.AssistantID, agentName: name, businessName: plan.Business, numberID: plan.PhoneID,
	}, nil
}

// decodeOrEmpty is decode where an empty body means {}.
func (p *Platform) decodeOrEmpty(w http.ResponseWriter, r *http.Request, dst any) *requestError {
	body, rerr := p.readBody(w, r, true)
	if rerr != nil {
		return rerr
	}
	return decodeJSON(body, dst)
}

// maxFactories bounds the per-seed call factories kept for /simulate/inbound.
const maxFactories = 64

// plan draws a call plan: from the run seed and the next call number, or
// from the seed and call number asked for. The call is placed now (or at
// the run's fixed clock); its recording id is fresh, never the seeded call
// id.
func (p *Platform) plan(seed *int64, call *int, o fake.Options, prefix string) (*sim.CallPlan, sim.Generator, *requestError) {
	if p.kit.Options.Clock.IsZero() {
		o.Start = p.now()
	}
	o.ErrorRate = 0
	if o.Intent != "" {
		if _, ok := sim.ParseIntent(string(o.Intent)); !ok {
			return nil, nil, badRequest(prefix+"intent", "%sintent %q%s is not one of %s", prefix, o.Intent, sim.IntentHint(string(o.Intent)), intentNames())
		}
	}
	if o.Lang != "" && o.Lang != "nl" && o.Lang != "en" {
		return nil, nil, badRequest(prefix+"lang", "%slang %q: use nl or en", prefix, o.Lang)
	}
	if err := o.Validate(); err != nil {
		return nil, nil, badRequest("", "%v", err)
	}
	if call != nil && *call < 1 {
		return nil, nil, badRequest(prefix+"call", "%scall must be 1 or more (the call number within the seed)", prefix)
	}
	factory, n, rerr := p.factory(seed, call)
	if rerr != nil {
		return nil, nil, rerr
	}
	if !p.kit.Options.Clock.IsZero() {
		factory = factory.WithClock(func() time.Time { return p.kit.Options.Clock })
	}
	plan, gen := factory.Call(n, o)
	if plan.Recording != "" {
		plan.Recording = "https://recordings.flireo.invalid/rec-" + strings.ToLower(newID(20)) + ".mp3"
	}
	return plan, gen, nil
}

// factory is the call factory of the seed (the run's when nil) and the
// call number to draw: call, or the run's next call.
func (p *Platform) factory(seed *int64, call *int) (*fake.Factory, int, *requestError) {
	factory := p.kit.Calls
	p.mu.Lock()
	n := 1
	if call != nil {
		n = *call
	}
	if seed == nil {
		if call == nil {
			p.next++
			n = p.next
		}
	} else if *seed != factory.RunSeed() {
		factory = p.factories[*seed]
		if factory == nil {
			f, err := fake.New(*seed)
			if err != nil {
				p.mu.Unlock()
				return nil, 0, &requestError{status: http.StatusInternalServerError, code: "server_error", message: err.Error()}
			}
			if len(p.factories) >= maxFactories {
				clear(p.factories)
			}
			p.factories[*seed] = f
			factory = f
		}
	}
	p.mu.Unlock()
	return factory, n, nil
}

func intentNames() string {
	names := make([]string, len(sim.Intents))
	for i, in := range sim.Intents {
		names[i] = string(in)
	}
	return strings.Join(names, ", ")
}
