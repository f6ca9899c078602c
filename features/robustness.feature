@robustness
Feature: robustness
  The platform documents no retries, no ordering guarantee and no size limit, and adds
  fields without notice (spec §4, §8, §9): a server must acknowledge a report delivered
  twice and store it once, accept a report before the status-update ended, ignore
  fields it does not know, handle web calls without numbers, very long reports, Dutch
  text with emoji, and many calls at once. Scenarios tagged @probe-api read what the
  server stored through its own API and run only with --probe-api.

  @must @report-redelivery
  Scenario: an end-of-call-report delivered twice is acknowledged both times
    Given an inbound call
    When the call is played to the end
    And the end-of-call-report is delivered again
    Then the end-of-call-report is acknowledged with a 2xx

  @must @report-redelivery @probe-api
  Scenario: an end-of-call-report delivered twice is stored once
    Given an inbound call
    When the call is played to the end
    And the end-of-call-report is delivered again
    And I GET "{base}/calls/{call_id}"
    Then the response status is 200
    And the JSON at "reports" equals 1

  @must @report-before-ended
  Scenario: an end-of-call-report before the status-update ended is acknowledged
    Given an inbound call
    When the end-of-call-report arrives before the status-update ended
    Then the end-of-call-report is acknowledged with a 2xx
    And the status-update is acknowledged with a 2xx

  @must @unknown-fields
  Scenario Outline: <event> with fields the documentation does not list is accepted
    Given an inbound call
    When the platform sends the <event> with fields the documentation does not list
    Then my server accepts it with a 2xx

    Examples:
      | event              |
      | status-update      |
      | end-of-call-report |

    @needs:assistant-request
    Examples:
      | event             |
      | assistant-request |

    @needs:tool-calls
    Examples:
      | event      |
      | tool-calls |

  @must @web-call
  Scenario: a web call with null numbers is handled
    Given a web call
    When the call is played to the end
    Then every webhook is answered with a 2xx in time

  @should @large-report @needs:transcript
  Scenario: a 1 MiB end-of-call-report is acknowledged
    Given an inbound call
    And the call is long enough for a 1 MiB end-of-call-report
    When the call is played to the end
    Then the end-of-call-report is acknowledged with a 2xx

  @should @text-preserved
  Scenario: Dutch diacritics and emoji are accepted
    Given an inbound call
    And the call carries Dutch diacritics and emoji
    When the call is played to the end
    Then every webhook is answered with a 2xx in time

  @should @text-preserved @probe-api
  Scenario: Dutch diacritics and emoji are stored as sent
    Given an inbound call
    And the call carries Dutch diacritics and emoji
    When the call is played to the end
    And I GET "{base}/calls/{call_id}"
    Then the response status is 200
    And the JSON at "report.summary" equals "{summary}"

  @must @concurrent-calls @serial
  Scenario: 20 calls at the same time are all handled
    When 20 calls arrive at the same time
    Then all 20 calls are handled
