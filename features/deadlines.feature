@deadlines
Feature: deadlines
  The platform waits 5 seconds for the assistant-request and 10 seconds for a sync
  tool call; status-update, end-of-call-report and async tool calls must be
  acknowledged at once (5 seconds, --ack-deadline) (spec §1.3, §4).

  @must @assistant-request-deadline @needs:assistant-request
  Scenario: the assistant-request is answered within 5 seconds
    Given an inbound call
    When the platform sends the assistant-request
    Then my server answers within 5 seconds with a documented reply

  @must @tool-calls-deadline @needs:tool-calls
  Scenario: a sync tool call is answered within 10 seconds
    Given an inbound call
    When the assistant calls one of its sync tools
    Then my server answers within 10 seconds

  @should @ack-deadline
  Scenario: status-updates and the end-of-call-report are acknowledged within 5 seconds
    Given an inbound call
    When the call is played to the end
    Then the status-update is acknowledged within 5 seconds
    And the end-of-call-report is acknowledged within 5 seconds
