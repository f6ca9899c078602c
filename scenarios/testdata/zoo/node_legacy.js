#!/usr/bin/env node
// Webhook server for a recruitment agency's "external" Flireo agent, in the
// legacy flat format of doc.flireo.nl (G1): eventType, fromCaller,
// toAssistant, tasksInitiated. G1 webhooks carry no signature. The
// assistant-request returns the full assistant configuration (as copied from
// the dashboard's Functions tab); tool results are strings.
//
// Written in the small-router style of an Express app, on Node's http module.
//
//   node node_legacy.js --port 0 [--bug NAME]
//
// The first line on stdout is the port.
'use strict';

const http = require('node:http');

const BUGS = {
  'no-assistant': 'answers {} to the assistant-request, as the newer docs allow',
  'task-id-key': 'keys tool results by taskId instead of toolCallId',
  'requires-signature': 'a signature middleware copied from the G3 docs refuses unsigned webhooks',
  'crash-on-debugging': 'reads debugging-artifact as debuggingArtifact.message and throws',
};

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
};
const port = Number(opt('--port', '0'));
const bug = opt('--bug', '');
if (bug && !BUGS[bug]) {
  console.error(`unknown bug ${bug}`);
  process.exit(2);
}

const functionTool = (name, description, properties, required) => ({
  type: 'function',
  function: { name, description, parameters: { type: 'object', properties, required } },
});

const ASSISTANT = {
  firstMessage: 'Goedemorgen, met Julia van Voorbeeld Werving. Hoe kan ik je helpen?',
  endCallMessage: 'Bedankt voor het bellen, tot ziens.',
  voicemailMessage: 'Hallo, dit is Julia van Voorbeeld Werving. Wil je ons terugbellen? Dank je wel!',
  analysisPlan: {
    summaryPlan: { enabled: true },
    structuredDataPlan: {
      enabled: true,
      schema: {
        type: 'object',
        properties: {
          preferredRole: { type: 'string' },
          followUpNeeded: { type: 'boolean' },
        },
      },
    },
    minMessagesThreshold: 10,
    successEvaluationPlan: { enabled: true },
  },
  messagePlan: {},
  firstMessageInterruptionsEnabled: false,
  firstMessageMode: 'assistant-speaks-first',
  maxDurationSeconds: 600,
  backgroundSound: 'off',
  endCallPhrases: [],
  compliancePlan: {},
  transcriber: { provider: 'deepgram', model: 'nova-3', language: 'nl' },
  model: {
    model: 'gpt-4.1-mini',
    provider: 'openai',
    maxTokens: 150,
    temperature: 0.3,
    emotionRecognitionEnabled: false,
    messages: [{ role: 'system', content: 'Je bent Julia, recruiter bij Voorbeeld Werving.' }],
    tools: [
      functionTool('lookup_contact', 'Zoek een kandidaat op naam of telefoonnummer', { query: { type: 'string' } }, ['query']),
      functionTool('check_availability', 'Vrije gespreksmomenten op een dag', { date: { type: 'string', format: 'date' } }, ['date']),
      functionTool(
        'book_appointment',
        'Plan een kennismakingsgesprek',
        { name: { type: 'string' }, date: { type: 'string', format: 'date' }, time: { type: 'string', format: 'time' } },
        ['name', 'date', 'time'],
      ),
      functionTool('send_task', 'Stuur een bericht naar het team', { message: { type: 'string' } }, ['message']),
    ],
  },
  voice: {
    model: 'eleven_flash_v2_5',
    voiceId: 'ukiwGs47sHyibruHJ1vg',
    provider: '11labs',
    stability: 0.5,
    similarityBoost: 0.6,
    useSpeakerBoost: true,
  },
};

const calls = new Map(); // callId or callSession -> what we know about the call

// --- a tiny router -----------------------------------------------------------

function json(res, status, body) {
  const data = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) });
  res.end(data);
}

function readJSON(req, res, next) {
  let raw = '';
  req.setEncoding('utf8');
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    try {
      req.body = JSON.parse(raw);
    } catch (e) {
      return json(res, 400, { error: 'invalid JSON' });
    }
    next();
  });
}

function requireSignature(req, res, next) {
  if (bug === 'requires-signature' && !req.headers['x-webhook-signature']) {
    return json(res, 401, { error: 'missing signature' });
  }
  next();
}

const handlers = {
  'assistant-request': (body, res) => {
    if (bug === 'no-assistant') return json(res, 200, {});
    const assistant = { ...ASSISTANT };
    if (body.fromCaller === '+31612345678') {
      assistant.firstMessage = 'Goedemorgen Jonas, met Julia. Fijn dat je terugbelt!';
    }
    return json(res, 200, { assistant });
  },
  'tool-calls': (body, res) => {
    const results = (body.tasksInitiated || []).map((task) => {
      const payload = task.taskPayload || {};
      let text;
      switch (task.taskName) {
        case 'lookup_contact':
          text = `Kandidaat gevonden: Jonas Bakker, zoekt een backend rol.`;
          break;
        case 'check_availability':
          text = `Vrij op ${payload.date}: 09:00, 11:30 en 15:00.`;
          break;
        case 'book_appointment':
          text = `Gesprek gepland voor ${payload.name} op ${payload.date} om ${payload.time}.`;
          break;
        case 'send_task':
          text = 'Bericht succesvol ontvangen, het team belt terug.';
          break;
        default:
          text = `Onbekende taak ${task.taskName}.`;
      }
      return bug === 'task-id-key' ? { taskId: task.taskId, result: text } : { toolCallId: task.taskId, result: text };
    });
    return json(res, 200, { results });
  },
  'status-update': (body, res) => {
    const call = calls.get(body.callSession) || {};
    call.status = body.status;
    if (body.status === 'ended-with-debugging') {
      call.debugging = bug === 'crash-on-debugging' ? body.debuggingArtifact.message : body['debugging-artifact'];
    }
    calls.set(body.callSession, call);
    return json(res, 200);
  },
  'end-of-call-report': (body, res) => {
    const call = calls.get(body.callId) || {};
    call.report = { transcript: body.transcriptText, summary: body.summaryText, seconds: body.callLengthSeconds };
    calls.set(body.callId, call);
    return json(res, 200);
  },
};

function route(req, res) {
  const handler = req.method === 'POST' && req.url === '/webhook' && handlers[req.body && req.body.eventType];
  if (!handler) return json(res, 404, { error: 'not found' });
  try {
    handler(req.body, res);
  } catch (err) {
    console.error(err);
    json(res, 500, { error: 'internal server error' });
  }
}

const chain = [readJSON, requireSignature];

const server = http.createServer((req, res) => {
  let i = 0;
  const next = () => (i < chain.length ? chain[i++](req, res, next) : route(req, res));
  next();
});

server.listen(port, '127.0.0.1', () => console.log(server.address().port));
