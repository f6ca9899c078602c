@platform
Feature: assistants and templates through the platform API
  An integrator's own code keeps its assistants on the platform: it stores tool templates and
  analysis templates, and assistants that use them by id (llm_config.tools[].template_id,
  analysis_plan.structured_data_plan.template_id; spec §6.3–§6.5). A call of such an assistant
  calls the template's tool on your server and reports an analysis of the template's fields.
  The calls are outbound calls that confirm an appointment (intent appointment-confirmation, which
  always books): they send no assistant-request, so the saved assistant drives them (an inbound
  call's assistant-request reply may replace its tools). Each scenario runs a mock
  platform whose calls deliver their webhooks to your server, where they are graded like every
  other webhook. A dialect without tool-calls skips the tool scenario.

  @must @needs:tool-calls @http-2xx @ack-deadline @tool-calls-deadline
  Scenario: an assistant's tool template makes the platform call that tool on my server
    When I create the tool template "booking" through the API with:
      """
      {"description": "Book an appointment at a date and time",
       "function_definition": {"name": "book_appointment", "parameters": {"type": "object",
         "properties": {"date": {"type": "string", "format": "date", "description": "YYYY-MM-DD"},
                        "time": {"type": "string", "description": "HH:MM"}}, "required": ["date", "time"]}}}
      """
    And I create the assistant "Afspraken" through the API with:
      """
      {"first_message": "Goedendag, waarmee kan ik u helpen?",
       "llm_config": {"provider": "openai", "model": "gpt-4o-mini", "tools": [{"template_id": "{template:booking}"}]}}
      """
    And I start an outbound call to "+31612345678" with the assistant "Afspraken" through the API
    Then the API answers 201
    And the platform calls the tool "book_appointment" on my server
    And every webhook is answered with a 2xx in time

  @must @http-2xx @ack-deadline
  Scenario: an assistant's analysis template shapes the analysis in the end-of-call-report
    When I create the analysis template "satisfaction" through the API with:
      """
      {"schema": {"type": "object", "required": ["satisfaction", "call_back"], "properties": {
         "satisfaction": {"type": "integer", "minimum": 1, "maximum": 10},
         "call_back": {"type": "boolean"}}},
       "min_messages_threshold": 0}
      """
    And I create the assistant "Aftercare" through the API with:
      """
      {"first_message": "Goedemiddag, u spreekt met de nazorg.",
       "analysis_plan": {"structured_data_plan": {"enabled": true, "template_id": "{template:satisfaction}"}}}
      """
    And I start an outbound call to "+31612345678" with the assistant "Aftercare" through the API
    Then the API answers 201
    And the end-of-call-report sent to my server has the analysis fields "satisfaction, call_back"
    And every webhook is answered with a 2xx in time
