@tools @needs:tool-calls
Feature: tool calls
  The assistant calls the tools the server's configuration declares. A sync tool call
  waits 10 seconds for {"results": [...]} with one entry per tool call id (tool_call_id
  or toolCallId), or a simple {"result": …}, a bare object or {"error": "…"} that answer
  every call; an async tool is only acknowledged (spec §1.2.3, §1.1.2). Scenarios skip
  themselves when the configuration declares no tool of the kind they need.

  @must @tool-calls-deadline @tool-reply-shape @tool-results-once @tool-results-known-ids
  Scenario: a sync tool call gets one result in time
    Given an inbound call from "+31612345678" to "+31850835037"
    When the platform sends the assistant-request
    And the assistant calls one of its sync tools
    Then my server answers within 10 seconds
    And every tool call gets exactly one result

  @must @tool-calls-deadline @tool-reply-shape @tool-results-once @tool-results-known-ids
  Scenario: several tool calls in one request each get one result
    Given an inbound call
    When the assistant calls 3 of its tools in one request
    Then every tool call gets exactly one result

  @should @ack-deadline
  Scenario: an async tool call is acknowledged at once
    Given an inbound call
    When the assistant calls one of its async tools
    Then my server answers within 5 seconds

  @should @reply-unknown-keys
  Scenario: tool replies use only documented keys
    Given an inbound call
    When the assistant calls 3 of its tools in one request
    Then my server's replies use only documented keys
