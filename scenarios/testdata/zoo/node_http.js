#!/usr/bin/env node
// Flireo webhook server for a bike shop, on Node's http module only.
//
// Speaks the G3 (snake_case) format. The assistant-request picks the saved
// agent by id and overrides the first message, tools and metadata
// (assistant_id + assistant_override). Replies are streamed (chunked), the
// server keeps Node's default 5 s keep-alive timeout. Every webhook must be
// signed: sha256=HMAC-SHA256(secret, timestamp + "." + raw body), timestamp
// within 5 minutes.
//
//   FLIREO_WEBHOOK_SECRET=... node node_http.js --port 0 [--bug NAME]
//
// The first line on stdout is the port.
'use strict';

const http = require('node:http');
const crypto = require('node:crypto');

const BUGS = [
  'first-result-only', // answers tool_call_list[0] only
  'results-by-name', // keys results by function name instead of the call id
  'args-as-string', // JSON.parse(function.arguments), as in the OpenAI SDK
  'slow-ack', // awaits the database before acknowledging reports
  'empty-results', // forEach(async ...) replies before the tools ran
];

function parseArgs(argv) {
  const opts = { port: 0, secret: process.env.FLIREO_WEBHOOK_SECRET || '', bug: '' };
  for (let i = 0; i < argv.length; i++) {
    const next = () => argv[++i];
    if (argv[i] === '--port') opts.port = Number(next());
    else if (argv[i] === '--secret') opts.secret = next();
    else if (argv[i] === '--bug') opts.bug = next();
  }
  if (opts.bug && !BUGS.includes(opts.bug)) {
    console.error(`unknown bug ${opts.bug}; known: ${BUGS.join(', ')}`);
    process.exit(2);
  }
  if (!opts.secret) {
    console.error('set FLIREO_WEBHOOK_SECRET or --secret');
    process.exit(2);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const SAVED_AGENT_ID = '3f6c2a4e-8b1d-4c7e-9a55-0d2f7e1b9c40';
const TOLERANCE_SECONDS = 300;

const tools = [
  {
    name: 'order_status',
    description: 'Where is an order',
    parameters: {
      type: 'object',
      properties: { order_number: { type: 'string', description: 'Order number, e.g. FB-1042' } },
      required: ['order_number'],
    },
  },
  {
    name: 'check_availability',
    description: 'Free repair slots on a day',
    parameters: { type: 'object', properties: { date: { type: 'string', format: 'date' } }, required: ['date'] },
  },
  {
    name: 'book_appointment',
    description: 'Book a repair slot',
    parameters: {
      type: 'object',
      properties: {
        name: { type: 'string' },
        date: { type: 'string', format: 'date' },
        time: { type: 'string', format: 'time' },
      },
      required: ['name', 'date', 'time'],
    },
  },
  {
    name: 'request_callback',
    description: 'Ask the workshop to call back',
    async: true,
    async_response: 'Ik vraag de werkplaats u terug te bellen.',
    parameters: { type: 'object', properties: { phone: { type: 'string' } } },
  },
];

const customers = new Map([['+31612345678', { name: 'Jan de Vries', tier: 'premium' }]]);
const reports = new Map();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function verify(req, raw) {
  const ts = req.headers['x-webhook-timestamp'];
  const sig = req.headers['x-webhook-signature'];
  if (!ts || !sig) return false;
  const n = Number(ts);
  if (!Number.isFinite(n) || Math.abs(Date.now() / 1000 - n) > TOLERANCE_SECONDS) return false;
  const want = crypto.createHmac('sha256', opts.secret).update(`${ts}.`).update(raw).digest('hex');
  const got = sig.startsWith('sha256=') ? sig.slice(7) : sig;
  const a = Buffer.from(want);
  const b = Buffer.from(got);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

// The shop's inventory and planning API answers in a few milliseconds.
async function runTool(name, args) {
  await sleep(5);
  switch (name) {
    case 'order_status':
      return { order_number: args.order_number, status: 'shipped', eta: '2 werkdagen' };
    case 'check_availability':
      return { date: args.date, slots: ['10:00', '13:30', '16:00'] };
    case 'book_appointment':
      return { booked: true, date: args.date, time: args.time, name: args.name };
    case 'request_callback':
      return { queued: true };
    default:
      return { error: `unknown tool ${name}` };
  }
}

async function toolCalls(msg) {
  let list = msg.tool_call_list || [];
  if (opts.bug === 'first-result-only') list = list.slice(0, 1);
  if (opts.bug === 'empty-results') {
    const results = [];
    list.forEach(async (tc) => {
      results.push({ toolCallId: tc.id, result: await runTool(tc.function.name, tc.function.arguments) });
    });
    return { results };
  }
  const results = [];
  for (const tc of list) {
    let args = tc.function.arguments || {};
    if (opts.bug === 'args-as-string') args = JSON.parse(tc.function.arguments);
    const id = opts.bug === 'results-by-name' ? tc.function.name : tc.id;
    results.push({ toolCallId: id, result: await runTool(tc.function.name, args) });
  }
  return { results };
}

function assistantRequest(msg) {
  const number = msg.customer && msg.customer.number;
  const who = number ? customers.get(number) : undefined;
  const override = {
    first_message: who ? `Hoi ${who.name.split(' ')[0]}, fijn dat je belt!` : 'Fietsenwinkel De Spaak, goedemiddag!',
    llm_config: { provider: 'openai', model: 'gpt-4o-mini', tools },
  };
  if (who) override.metadata = { customer_tier: who.tier };
  return { assistant_id: SAVED_AGENT_ID, assistant_override: override };
}

function send(res, status, body) {
  // Streamed: no Content-Length, so Node sends the body chunked.
  res.writeHead(status, { 'Content-Type': 'application/json' });
  if (body !== undefined) res.write(JSON.stringify(body));
  res.end();
}

async function handle(req, res, raw) {
  if (req.method !== 'POST') return send(res, 405, { error: 'method not allowed' });
  if (!verify(req, raw)) return send(res, 401, { error: 'Invalid signature' });
  const msg = JSON.parse(raw.toString('utf8')).message;
  switch (msg.type) {
    case 'assistant-request':
      return send(res, 200, assistantRequest(msg));
    case 'tool-calls':
      return send(res, 200, await toolCalls(msg));
    case 'end-of-call-report':
      if (opts.bug === 'slow-ack') await sleep(6000);
      reports.set(msg.call.id, msg);
      return send(res, 202, { received: true });
    default:
      if (opts.bug === 'slow-ack') await sleep(6000);
      res.writeHead(204);
      return res.end();
  }
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    handle(req, res, Buffer.concat(chunks)).catch((err) => {
      console.error(err);
      if (!res.headersSent) send(res, 500, { error: 'internal error' });
      else res.end();
    });
  });
});

server.listen(opts.port, '127.0.0.1', () => {
  console.log(server.address().port);
});
