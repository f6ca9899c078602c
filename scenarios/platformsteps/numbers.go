package platformsteps

// Steps for phone numbers: a number linked to an assistant answers its
// inbound calls with that assistant.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"github.com/flireo-sim/flireo-sim/scenarios"
)

// numberSteps are the steps of the "platform API" topic about numbers.
var numberSteps = []scenarios.Definition{
	step("platform API", `my number "NUMBER" is answered by the assistant "NAME" (POST /api/v1/assistants and /api/v1/numbers)`,
		`Given my number "+31851234567" is answered by the assistant "Receptie"`,
		`^my number "([^"]*)" is answered by the assistant "([^"]*)"$`, do2((*state).givenNumber)),
	step("platform API", `the number "NUMBER" is called (POST /simulate/inbound with phone_number)`,
		`When the number "+31851234567" is called`, `^the number "([^"]*)" is called$`, do1((*state).whenNumberCalled)),
	step("platform API", `the call's assistant through the API is "NAME"`, `Then the call's assistant through the API is "Receptie"`,
		`^the call's assistant through the API is "([^"]*)"$`, do1((*state).thenCallAssistant)),
}

// givenNumber creates an assistant (its webhooks go to the scenario's
// server) and registers the number linked to it.
// newAssistant saves an assistant with only a name and returns its id.
func (st *state) newAssistant(ctx context.Context, name string) (string, error) {
	r, err := st.request(ctx, http.MethodPost, "/api/v1/assistants", map[string]any{"name": name}, true)
	if err != nil {
		return "", err
	}
	var a struct {
		Assistant struct {
			ID string `json:"id"`
		} `json:"assistant"`
	}
	if r.Status != http.StatusCreated || json.Unmarshal(r.Body, &a) != nil {
		return "", fmt.Errorf("%s, expected 201 with the assistant", r)
	}
	return a.Assistant.ID, nil
}

func (st *state) givenNumber(ctx context.Context, number, name string) error {
	if _, err := st.platformAPIInstant(); err != nil {
		return err
	}
	id, err := st.newAssistant(ctx, name)
	if err != nil {
		return err
	}
	r, err := st.request(ctx, http.MethodPost, "/api/v1/numbers", map[string]any{"phone_number": number, "agent_id": id}, true)
	if err != nil {
		return err
	}
	if r.Status != http.StatusCreated {
		return fmt.Errorf("%s, expected 201 with the number", r)
	}
	return nil
}

func (st *state) whenNumberCalled(ctx context.Context, number string) error {
	if _, err := st.platformAPI(); err != nil {
		return err
	}
	body := map[string]any{"phone_number": number}
	st.simulate(body)
	if customer, ok := st.Customer(); ok {
		body["caller"] = customer
	}
	return st.start(ctx, "/simulate/inbound", body, nil)
}

func (st *state) thenCallAssistant(ctx context.Context, name string) error {
	id, err := st.apiCall()
	if err != nil {
		return err
	}
	r, err := st.request(ctx, http.MethodGet, "/api/v1/calls/"+id, nil, false)
	if err != nil {
		return err
	}
	var c struct {
		AgentName *string `json:"agent_name"`
	}
	if r.Status != http.StatusOK || json.Unmarshal(r.Body, &c) != nil {
		return fmt.Errorf("%s, expected 200 with the call", r)
	}
	if c.AgentName == nil || *c.AgentName != name {
		got := "none (the account's default agent)"
		if c.AgentName != nil {
			got = fmt.Sprintf("%q", *c.AgentName)
		}
		return fmt.Errorf("the call's assistant is %s, expected %q", got, name)
	}
	return nil
}
