@lifecycle
Feature: call lifecycle
  A call sends assistant-request (inbound and web calls), status-update in-progress,
  tool-calls as the conversation needs them, status-update ended (or ended-with-error;
  legacy: ended-with-debugging with its debugging-artifact) and the end-of-call-report,
  in the run's dialect (Interactly has no assistant-request and no tool-calls). Every
  webhook must be answered with a 2xx within its deadline (spec §1.3, §4).

  @must @http-2xx @assistant-request-deadline @tool-calls-deadline @ack-deadline
  Scenario Outline: a whole call is answered in time (<intent>)
    Given an inbound call
    And the caller wants to <intent>
    When the call is played to the end
    Then every webhook is answered with a 2xx in time

    Examples:
      | intent                    |
      | book an appointment       |
      | know where an order is    |
      | reschedule an appointment |
      | know the opening hours    |
      | make a complaint          |
      | be called back            |

  @must @http-2xx @ack-deadline @not-dialect:flireo-legacy
  Scenario: a call that ends with a platform error is acknowledged
    Given an inbound call
    When the conversation takes place
    And the call ends with the platform error "STT connection failed"
    Then the status-update is acknowledged with a 2xx
    And the end-of-call-report is acknowledged with a 2xx

  @must @http-2xx @ack-deadline @dialect:flireo-legacy
  Scenario: a call that ends with ended-with-debugging and its debugging-artifact is acknowledged
    Given an inbound call
    When the conversation takes place
    And the call ends with the platform error "STT connection failed"
    Then the status-update is acknowledged with a 2xx
    And the end-of-call-report is acknowledged with a 2xx

  @must @http-2xx @ack-deadline
  Scenario: an outbound call that reaches voicemail is acknowledged
    Given an outbound call
    And the caller's intent is "voicemail"
    When the call is played to the end
    Then every webhook is answered with a 2xx in time

  @must @http-2xx @ack-deadline @needs:assistant-request
  Scenario: a call the caller ends is acknowledged
    Given an inbound call from "+31612345678" to "+31850835037"
    When the platform sends the assistant-request
    And the call is answered
    And the call ends with reason "user_hangup"
    Then the status-update is acknowledged with a 2xx
    And the end-of-call-report is acknowledged with a 2xx
