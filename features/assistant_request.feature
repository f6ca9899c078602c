@assistant-request @needs:assistant-request
Feature: assistant-request
  For an inbound call the platform asks the server which assistant takes it and
  waits 5 seconds for the answer: {} (the saved agent), an assistant override,
  assistant_id with assistant_override, or an error that rejects the call, with an
  optional max duration at the top level or inside the assistant (spec §1.2.2).
  The legacy format needs a full assistant (§1.1.1).

  @must @assistant-request-deadline @http-2xx @reply-json @reply-size @assistant-reply-shape
  Scenario: a known caller gets a documented reply in time
    Given an inbound call from "+31612345678" to "+31850835037"
    When the platform sends the assistant-request
    Then my server answers within 5 seconds with a documented reply

  @must @assistant-request-deadline @http-2xx @reply-json @reply-size @assistant-reply-shape
  Scenario: an unknown caller gets a documented reply in time
    Given an inbound call from "+31699999999" to "+31850835037"
    When the platform sends the assistant-request
    Then my server answers within 5 seconds with a documented reply

  @must @assistant-request-deadline @http-2xx @reply-json @reply-size @assistant-reply-shape
  Scenario: a web call gets a documented reply in time
    Given a web call
    When the platform sends the assistant-request
    Then my server answers within 5 seconds with a documented reply

  @should @reply-unknown-keys
  Scenario: the assistant-request reply uses only documented keys
    Given an inbound call from "+31612345678" to "+31850835037"
    When the platform sends the assistant-request
    Then my server's replies use only documented keys
