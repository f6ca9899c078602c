@signatures @needs:signature
Feature: webhook signatures
  With a webhook secret every delivery carries X-Webhook-Timestamp and
  X-Webhook-Signature: sha256=HMAC-SHA256(secret, timestamp + "." + raw body). A server
  verifies the raw bytes before parsing, refuses missing, tampered, wrong-secret, stale
  and future-dated signatures with 401 or 403, and accepts a correct signature over any
  valid JSON (spec §3). Without a secret these scenarios are skipped, and so they are in
  the unsigned flireo-legacy dialect (G1 documents no signature headers).

  @must @http-2xx @needs:assistant-request
  Scenario: correctly signed webhooks are accepted
    Given webhooks are signed with the secret
    And an inbound call
    When the platform sends the assistant-request
    Then my server answers within 5 seconds with a documented reply
    When the call is answered
    Then my server accepts it with a 2xx

  @must @signature-enforced
  Scenario Outline: a webhook <how> is refused
    Given webhooks are signed with the secret
    And an inbound call
    When the call is answered
    And the platform re-sends it <how>
    Then my server refuses it with 401 or 403

    Examples:
      | how                               |
      | without a signature               |
      | with a tampered body              |
      | signed with a wrong secret        |
      | with a timestamp 10 minutes old   |
      | with a timestamp 10 minutes ahead |

  @must @signature-raw-body
  Scenario: a correctly signed body that is not compact JSON is accepted
    Given webhooks are signed with the secret
    And an inbound call
    When the call is answered
    And the platform re-sends it correctly signed as indented JSON
    Then my server accepts it with a 2xx
