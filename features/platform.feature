@platform
Feature: the platform API
  An integrator's own code calls the platform's REST API: it starts outbound calls and
  steers live calls with control commands (say, end-call, transfer, inject-context); the
  effect shows in the webhooks that follow and in the end-of-call-report (spec §5, §6).
  Each scenario runs a mock platform whose calls deliver their webhooks to your server,
  where they are graded like every other webhook. A dialect whose end-of-call-report
  carries no transcript (flireo-camel) skips the transcript assertion.

  @must @http-2xx @ack-deadline
  Scenario: what the API tells the assistant to say reaches the end-of-call-report
    When an inbound call is started through the API
    And I tell the assistant to say "Een ogenblik, ik kijk het even voor u na."
    And I end the call through the API
    Then the call's end reason through the API is "api_end_call"
    And every webhook is answered with a 2xx in time
    And the end-of-call-report sent to my server contains "Een ogenblik, ik kijk het even voor u na."

  @must @http-2xx @ack-deadline
  Scenario: an outbound call steered through the API is acknowledged
    When I start an outbound call to "+31612345678" through the API
    Then the API answers 201
    When I inject the context "Klantnummer 48213 heeft een open factuur." and let the assistant answer
    And I transfer the call to "+31201234567"
    Then the call's status through the API is "ended"
    And the call's end reason through the API is "transferred"
    And every webhook is answered with a 2xx in time
    And the end-of-call-report sent to my server contains "Klantnummer 48213"

  @must @http-2xx @ack-deadline
  Scenario: the platform API throttles a burst of control commands and of wrong keys
    When an inbound call is started through the API
    And I send 11 control commands to the call through the API
    Then the API throttled the commands after 10
    When I send 11 requests with wrong API keys to a platform API that requires a key
    Then the wrong keys were throttled after 10, and the right key was not
    And every webhook is answered with a 2xx in time
