package scenarios_test

import (
	"context"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"

	"github.com/cucumber/godog"

	"github.com/flireo-sim/flireo-sim/scenarios"
	"github.com/flireo-sim/flireo-sim/simulator/integrator"
)

// bookings is an integrator's own feature: the library's steps next to one
// of the integrator's ("the call is from a known customer").
const bookings = `Feature: bookings
  Scenario: a known customer books an appointment
    Given an inbound call from "+31612345678" to "+31850835037"
    When the platform sends the assistant-request
    Then my server answers within 5 seconds with an assistant configuration
    And the assistant declares the tool "book_appointment"
    And the call is from a known customer
    When the assistant calls "book_appointment" with:
      """
      {"name": "Jan de Vries", "date": "2030-02-04", "time": "10:30"}
      """
    Then every tool call gets exactly one result
    And the result for "book_appointment" contains "AFS-"
    When the call ends with reason "user_hangup"
    Then the end-of-call-report is acknowledged with a 2xx
    When the end-of-call-report is delivered again
    And I GET "{base}/calls/{call_id}"
    Then the JSON at "reports" equals 1
`

// Example runs the step library next to an integrator's own step, the way a
// go test of the integrator would (with Options.TestingT set to its *testing.T
// and Paths pointing at its feature files).
func Example() {
	// The server under test: here the reference integrator on a loopback port.
	srv, err := integrator.New(integrator.Options{Secret: "whsec_example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	lib, err := scenarios.New(scenarios.Config{Target: ts.URL + "/webhook", Secret: "whsec_example"})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer lib.Close()

	suite := godog.TestSuite{
		Name: "bookings",
		ScenarioInitializer: func(sc *godog.ScenarioContext) {
			lib.Register(sc)
			sc.Step(`^the call is from a known customer$`, func(ctx context.Context) error {
				call, _ := scenarios.CallFrom(ctx)
				if meta := string(call.Session().Config().Metadata); !strings.Contains(meta, "crm_id") {
					return fmt.Errorf("the assistant carries no CRM id: %s", meta)
				}
				return nil
			})
		},
		Options: &godog.Options{Format: "progress", Output: io.Discard, Strict: true,
			FeatureContents: []godog.Feature{{Name: "bookings.feature", Contents: []byte(bookings)}}},
	}
	status := suite.Run()
	res := lib.Result()
	fmt.Println("godog exit status:", status)
	fmt.Println("verdict:", res.Verdict)
	fmt.Println("scenario:", res.Scenarios[0].Status)
	// Output:
	// godog exit status: 0
	// verdict: pass
	// scenario: pass
}
