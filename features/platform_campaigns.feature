@platform
Feature: campaigns and phone numbers through the platform API
  A campaign calls its leads as outbound calls of its assistant; a phone number linked to
  an assistant answers its inbound calls with that assistant. Every call delivers its
  webhooks to your server, where they are graded like every other webhook, and the
  calls' assistant metadata carries the campaign_id and lead_id (spec §6.7, §1.2).

  @must @http-2xx @ack-deadline
  Scenario: every lead of a campaign is called and acknowledged
    Given a campaign with 3 leads
    When I start the campaign
    Then the API answers 200
    And every lead is called
    And the lead "+31612345002" is "completed"
    And every webhook is answered with a 2xx in time
    And the usage through the API counts 3 calls

  @must @http-2xx @ack-deadline
  Scenario: a lead that does not answer is marked no_answer
    Given a campaign calling "+31612345678, +31612340000"
    When I start the campaign
    Then every lead is called
    And the lead "+31612345678" is "completed"
    And the lead "+31612340000" is "no_answer"
    And every webhook is answered with a 2xx in time

  @must @http-2xx @ack-deadline
  Scenario: a linked number's inbound calls reach its assistant
    Given my number "+31851234567" is answered by the assistant "Receptie"
    When the number "+31851234567" is called
    Then the API answers 201
    And the call's assistant through the API is "Receptie"
    And the call's status through the API is "ended"
    And every webhook is answered with a 2xx in time
