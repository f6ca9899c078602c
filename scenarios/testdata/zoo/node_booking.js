#!/usr/bin/env node
// Online booking for a hair salon, on Node's http module only.
//
// Speaks the G2 (camelCase) format: toolCallList in, results[] with
// toolCallId out. The salon's booking API works with ids, the way a
// scheduling SaaS does:
//
//   find_contact     a contact_id for a phone number, or found: false
//   create_contact   a new contact_id for a name and phone number
//   get_free_slots   free slots as ISO 8601 date-times with the salon's
//                    offset ("2027-03-04T09:15:00+01:00"), on the next
//                    business days of the server's own clock
//   create_booking   books contact_id at start; refuses (an error entry
//                    with the reason and new slots) a contact_id it does
//                    not know, a start it did not offer to this call, a
//                    taken slot or one in the past
//
// Every webhook must be signed: sha256=HMAC-SHA256(secret, timestamp + "."
// + raw body), timestamp within 5 minutes.
//
//   FLIREO_WEBHOOK_SECRET=... node node_booking.js --port 0
//
// The first line on stdout is the port.
'use strict';

const http = require('node:http');
const crypto = require('node:crypto');

const ZONE = 'Europe/Amsterdam';
const TOLERANCE_SECONDS = 300;
const DAYS_OFFERED = 2;
const DAYS_AHEAD = 30;
const MAX_CALLS = 5000;
const TIMES = ['09:00', '09:45', '10:30', '11:15', '13:00', '13:45', '14:30', '15:15', '16:00'];

function parseArgs(argv) {
  const opts = { port: 0, secret: process.env.FLIREO_WEBHOOK_SECRET || '' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') opts.port = Number(argv[++i]);
    else if (argv[i] === '--secret') opts.secret = argv[++i];
  }
  if (!opts.secret) {
    console.error('set FLIREO_WEBHOOK_SECRET or --secret');
    process.exit(2);
  }
  return opts;
}

const opts = parseArgs(process.argv.slice(2));

const tools = [
  {
    name: 'find_contact',
    description: 'Find the caller in the salon CRM by phone number',
    parameters: { type: 'object', properties: { phone: { type: 'string' } }, required: ['phone'] },
  },
  {
    name: 'create_contact',
    description: 'Register a new client; returns the contact_id to book with',
    parameters: {
      type: 'object',
      properties: { name: { type: 'string' }, phone: { type: 'string' } },
      required: ['name'],
    },
  },
  {
    name: 'get_free_slots',
    description: 'Free slots on the next business days, or from a given day (ISO 8601 start times)',
    parameters: { type: 'object', properties: { from: { type: 'string', format: 'date' } } },
  },
  {
    name: 'create_booking',
    description: 'Book a slot returned by get_free_slots for a contact_id',
    parameters: {
      type: 'object',
      properties: {
        contact_id: { type: 'string', description: 'from find_contact or create_contact' },
        start: { type: 'string', format: 'date-time', description: 'start of a free slot' },
        service: { type: 'string', enum: ['cut', 'colour', 'beard'] },
      },
      required: ['contact_id', 'start'],
    },
  },
];

// The salon's state, in memory.
const contacts = new Map([['+31612345678', { contactId: 'c_1001', name: 'Jan de Vries' }]]);
const contactIds = new Set(['c_1001']);
const bookings = new Map(); // start (ISO) -> booking
const offered = new Map(); // call id -> Set of ISO starts offered
let seq = 2000;

// Wall-clock parts of an instant in the salon's zone.
const fmt = new Intl.DateTimeFormat('en-CA', {
  timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
});
function parts(ms) {
  const p = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  return { y: +p.year, m: +p.month, d: +p.day, hh: +p.hour, mm: +p.minute };
}
function offsetMinutes(ms) {
  const p = parts(ms);
  return Math.round((Date.UTC(p.y, p.m - 1, p.d, p.hh, p.mm) - Math.floor(ms / 60000) * 60000) / 60000);
}
const pad = (n) => String(n).padStart(2, '0');

// iso is a local date and time in the salon's zone as an ISO date-time
// with offset, and its instant.
function slotAt(y, m, d, time) {
  const [hh, mm] = time.split(':').map(Number);
  const guess = Date.UTC(y, m - 1, d, hh, mm);
  const off = offsetMinutes(guess - offsetMinutes(guess) * 60000);
  const ms = guess - off * 60000;
  const sign = off >= 0 ? '+' : '-';
  const iso = `${y}-${pad(m)}-${pad(d)}T${time}:00${sign}${pad(Math.floor(Math.abs(off) / 60))}:${pad(Math.abs(off) % 60)}`;
  return { iso, ms };
}

// freeSlots offers the free slots of DAYS_OFFERED business days after
// today, or from the day a caller asked for (up to DAYS_AHEAD ahead).
function freeSlots(now, from) {
  const out = [];
  const today = parts(now);
  let day = Date.UTC(today.y, today.m - 1, today.d);
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(from || ''));
  if (m) {
    const asked = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) - 86400000;
    if (asked > day && asked < day + DAYS_AHEAD * 86400000) day = asked;
  }
  let days = 0;
  while (days < DAYS_OFFERED) {
    day += 86400000;
    const dt = new Date(day);
    if (dt.getUTCDay() === 0 || dt.getUTCDay() === 6) continue;
    days++;
    const k = Math.floor(day / 86400000);
    const picked = [...new Set([0, 1, 2].map((i) => TIMES[(k * 5 + i * 3) % TIMES.length]))].sort();
    for (const t of picked) {
      const s = slotAt(dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate(), t);
      if (s.ms > now && !bookings.has(s.iso)) out.push({ start: s.iso, minutes: 45 });
    }
  }
  return out;
}

function offer(callId, now, from) {
  const slots = freeSlots(now, from);
  let seen = offered.get(callId);
  if (!seen) {
    seen = new Set();
    offered.set(callId, seen);
    if (offered.size > MAX_CALLS) offered.delete(offered.keys().next().value);
  }
  for (const s of slots) seen.add(s.start);
  return { timezone: ZONE, slots };
}

class Refused extends Error {}

// normalStart reads a start as an ISO date-time and returns it in the
// salon's own spelling (offset included), or null.
function normalStart(s) {
  const ms = Date.parse(String(s || ''));
  if (Number.isNaN(ms)) return null;
  const p = parts(ms);
  return slotAt(p.y, p.m, p.d, `${pad(p.hh)}:${pad(p.mm)}`);
}

function runTool(name, args, callId, caller, now) {
  switch (name) {
    case 'find_contact': {
      const c = contacts.get(String(args.phone || caller || '').trim());
      return c ? { found: true, contact_id: c.contactId, name: c.name } : { found: false, contact_id: null };
    }
    case 'create_contact': {
      const name = String(args.name || '').trim();
      if (!name) throw new Refused('name is required to register a client');
      const contactId = `c_${++seq}`;
      contactIds.add(contactId);
      const phone = String(args.phone || caller || '').trim();
      if (phone) contacts.set(phone, { contactId, name });
      return { contact_id: contactId, name };
    }
    case 'get_free_slots':
      return offer(callId, now, args.from);
    case 'create_booking': {
      const again = () => offer(callId, now).slots.map((s) => s.start).join(', ');
      if (!contactIds.has(String(args.contact_id || ''))) {
        throw new Refused(`unknown contact_id ${JSON.stringify(args.contact_id)}: use find_contact or create_contact first`);
      }
      const s = normalStart(args.start);
      if (!s) throw new Refused(`start ${JSON.stringify(args.start)} is not an ISO 8601 date-time. Free: ${again()}`);
      if (s.ms <= now) throw new Refused(`${s.iso} is in the past. Free: ${again()}`);
      if (!(offered.get(callId) || new Set()).has(s.iso)) throw new Refused(`${s.iso} was not offered in this call. Free: ${again()}`);
      if (bookings.has(s.iso)) throw new Refused(`${s.iso} has just been taken. Free: ${again()}`);
      const bookingId = `bk_${++seq}`;
      bookings.set(s.iso, { bookingId, contactId: args.contact_id, service: args.service || 'cut' });
      offered.get(callId).delete(s.iso);
      return { booking_id: bookingId, status: 'booked', start: s.iso, contact_id: args.contact_id };
    }
    default:
      throw new Refused(`unknown function ${name}`);
  }
}

function verified(req, raw) {
  const ts = String(req.headers['x-webhook-timestamp'] || '');
  const sig = String(req.headers['x-webhook-signature'] || '').replace(/^sha256=/, '');
  if (!/^\d+$/.test(ts) || !sig || Math.abs(Date.now() / 1000 - Number(ts)) > TOLERANCE_SECONDS) return false;
  const expected = crypto.createHmac('sha256', opts.secret).update(ts + '.').update(raw).digest('hex');
  return sig.length === expected.length && crypto.timingSafeEqual(Buffer.from(sig), Buffer.from(expected));
}

function send(res, status, body) {
  const data = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': data.length });
  res.end(data);
}

function handle(req, res, raw) {
  if (!verified(req, raw)) return send(res, 401, { error: 'Invalid signature' });
  let msg;
  try {
    msg = JSON.parse(raw.toString('utf8')).message;
  } catch {
    msg = null;
  }
  if (!msg || typeof msg !== 'object') return send(res, 400, { error: 'expected {"message": {...}}' });
  if (msg.type === 'assistant-request') {
    return send(res, 200, {
      assistant: {
        firstMessage: 'Salon Knip & Co, goedendag! Waarmee kan ik u helpen?',
        llm_config: { provider: 'openai', model: 'gpt-4o-mini', tools },
      },
    });
  }
  if (msg.type === 'tool-calls') {
    const callId = (msg.call && msg.call.id) || '';
    const caller = (msg.customer && msg.customer.number) || '';
    const now = Date.now();
    const results = (msg.toolCallList || []).map((tc) => {
      const fn = tc.function || {};
      const args = fn.arguments && typeof fn.arguments === 'object' ? fn.arguments : {};
      try {
        return { toolCallId: tc.id, result: runTool(fn.name, args, callId, caller, now) };
      } catch (e) {
        if (!(e instanceof Refused)) throw e;
        return { toolCallId: tc.id, error: e.message };
      }
    });
    return send(res, 200, { results });
  }
  return send(res, 200, { ok: true }); // status-update, end-of-call-report, anything new
}

const server = http.createServer((req, res) => {
  if (req.method !== 'POST') return send(res, 405, { error: 'POST only' });
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      handle(req, res, Buffer.concat(chunks));
    } catch (e) {
      send(res, 500, { error: String(e && e.message) });
    }
  });
});

server.listen(opts.port, '127.0.0.1', () => {
  console.log(server.address().port);
});
