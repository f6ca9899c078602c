#!/usr/bin/env python3
"""Appointment line of a physiotherapy practice, standard library only.

Speaks the G3 (snake_case) webhook format. The assistant it returns books
appointments against the practice's own calendar, kept in memory:

  check_availability  offers free times on the next business days as one
                      sentence the assistant can read out:
                      "Vrij op 2027-03-04: 09:15, 11:45 en 15:30."
  book_appointment    books a time, but only one that was offered to this
                      call, that is still free and that is not in the past;
                      anything else is refused with an explanation (and new
                      times), as the tool-calls error format allows
  lookup_contact      finds a patient by phone number or name
  cancel_appointment  cancels a booking by its reference

Dates are relative to the server's own clock in Europe/Amsterdam. Every
webhook is verified over the raw body:
X-Webhook-Signature = sha256=HMAC-SHA256(secret, timestamp + "." + body),
with X-Webhook-Timestamp no more than 5 minutes off.

    FLIREO_WEBHOOK_SECRET=... python3 python_booking.py --port 0

The first line on stdout is the port the server listens on.
"""

import argparse
import collections
import datetime
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

try:
    from zoneinfo import ZoneInfo

    ZONE = ZoneInfo("Europe/Amsterdam")
except Exception:  # no zone database: winter time all year
    ZONE = datetime.timezone(datetime.timedelta(hours=1))

TOLERANCE = 300  # seconds
DAYS_OFFERED = 2  # business days per offer
DAYS_AHEAD = 30  # how far ahead a caller may ask
MAX_CALLS = 5000  # calls remembered (their offers), oldest forgotten first

# The practice's appointment times; each day has a few of them free.
TIMES = ["08:30", "09:15", "10:00", "10:45", "11:45", "13:30", "14:15", "15:30", "16:15"]

PATIENTS = {
    "+31612345678": {"contact_id": "pat-1001", "name": "Jan de Vries", "email": "jan@example.com"},
    "+31687654321": {"contact_id": "pat-1002", "name": "Fatima el Amrani", "email": "fatima@example.com"},
}

TOOLS = [
    {
        "name": "check_availability",
        "description": "Vrije afspraaktijden op een dag of de eerstvolgende werkdagen",
        "parameters": {
            "type": "object",
            "properties": {"date": {"type": "string", "format": "date", "description": "Gewenste dag, JJJJ-MM-DD"}},
        },
    },
    {
        "name": "book_appointment",
        "description": "Boek een afspraak op een aangeboden tijd",
        "parameters": {
            "type": "object",
            "properties": {
                "name": {"type": "string", "description": "Naam van de patient"},
                "date": {"type": "string", "format": "date", "description": "Dag, JJJJ-MM-DD"},
                "time": {"type": "string", "description": "Tijd, UU:MM"},
            },
            "required": ["name", "date", "time"],
        },
    },
    {
        "name": "lookup_contact",
        "description": "Zoek een patient op telefoonnummer of naam",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string", "description": "Telefoonnummer of naam"}},
            "required": ["query"],
        },
    },
    {
        "name": "cancel_appointment",
        "description": "Annuleer een afspraak met het boekingsnummer",
        "parameters": {
            "type": "object",
            "properties": {"reference": {"type": "string", "description": "Boekingsnummer, bv. FYS-1042"}},
            "required": ["reference"],
        },
    },
]


class Refused(Exception):
    """A tool call the practice says no to; the text is for the caller."""


class Calendar:
    """The practice's calendar and what was offered to each call."""

    def __init__(self, now):
        self.now = now  # () -> aware datetime in ZONE
        self.lock = threading.Lock()
        self.booked = {}  # (date, time) -> booking
        self.offers = collections.OrderedDict()  # call id -> set of (date, time)
        self.seq = 1000

    def business_days(self, start, n):
        days, d = [], start
        while len(days) < n:
            if d.weekday() < 5:
                days.append(d)
            d += datetime.timedelta(days=1)
        return days

    def free_times(self, day):
        """Free times on a day: a day-dependent three of TIMES, minus
        bookings and times already past."""
        k = day.toordinal()
        picked = [TIMES[(k + i * 4) % len(TIMES)] for i in range(3)]
        now = self.now()
        out = []
        for t in sorted(set(picked)):
            at = datetime.datetime.combine(day, datetime.time.fromisoformat(t), ZONE)
            if at > now and (day.isoformat(), t) not in self.booked:
                out.append(t)
        return out

    def offer(self, call_id, wanted):
        """Offer free times: on the wanted day when it is a coming business
        day, else (and also when that day is full) on the next ones."""
        today = self.now().date()
        days = []
        if wanted and today <= wanted <= today + datetime.timedelta(days=DAYS_AHEAD) and wanted.weekday() < 5:
            days = [wanted]
        with self.lock:
            if not days or not self.free_times(days[0]):
                days = [d for d in self.business_days(today, DAYS_OFFERED + 1) if self.free_times(d)][:DAYS_OFFERED]
            offered = [(d.isoformat(), self.free_times(d)) for d in days]
            seen = self.offers.setdefault(call_id, set())
            self.offers.move_to_end(call_id)
            for day, times in offered:
                seen.update((day, t) for t in times)
            while len(self.offers) > MAX_CALLS:
                self.offers.popitem(last=False)
        return offered

    def book(self, call_id, name, day, at):
        when = datetime.datetime.combine(day, at, ZONE)
        key = (day.isoformat(), at.strftime("%H:%M"))
        with self.lock:
            if when <= self.now():
                raise Refused("%s om %s ligt in het verleden." % key)
            if key not in self.offers.get(call_id, ()):
                raise Refused("%s om %s heb ik u niet aangeboden." % key)
            if key in self.booked:
                raise Refused("%s om %s is net door iemand anders geboekt." % key)
            self.seq += 1
            ref = "FYS-%d" % self.seq
            self.booked[key] = {"reference": ref, "name": name, "call_id": call_id}
            self.offers[call_id].discard(key)
        return ref, key

    def cancel(self, ref):
        with self.lock:
            for key, b in list(self.booked.items()):
                if b["reference"] == ref:
                    del self.booked[key]
                    return key
        raise Refused("Ik kan geen afspraak vinden met nummer %s." % ref)


def sentence(offered):
    """'Vrij op 2027-03-04: 09:15, 11:45 en 15:30; op 2027-03-05: 10:00.'"""
    parts = []
    for day, times in offered:
        listed = times[0] if len(times) == 1 else ", ".join(times[:-1]) + " en " + times[-1]
        parts.append("op %s: %s" % (day, listed))
    if not parts:
        return "Er zijn de komende dagen geen tijden vrij."
    return "Vrij " + "; ".join(parts) + "."


def parse_date(s):
    try:
        return datetime.date.fromisoformat(str(s).strip()[:10])
    except ValueError:
        return None


def parse_time(s):
    s = str(s).strip().replace(".", ":")
    try:
        return datetime.time.fromisoformat(s[:5] if len(s) >= 5 and s[2] == ":" else s.zfill(5)[:5])
    except ValueError:
        return None


def run_tool(cal, call_id, caller, name, args):
    """A tool's result, or Refused with the text for the caller."""
    if name == "check_availability":
        return sentence(cal.offer(call_id, parse_date(args.get("date", ""))))
    if name == "book_appointment":
        day, at = parse_date(args.get("date", "")), parse_time(args.get("time", ""))
        if day is None or at is None:
            raise Refused("Ik heb een datum (JJJJ-MM-DD) en een tijd (UU:MM) nodig. " + sentence(cal.offer(call_id, None)))
        try:
            ref, (d, t) = cal.book(call_id, str(args.get("name") or "onbekend"), day, at)
        except Refused as r:
            raise Refused("%s %s" % (r, sentence(cal.offer(call_id, day))))
        return {"status": "confirmed", "reference": ref, "date": d, "time": t,
                "message": "Afspraak bevestigd op %s om %s, boekingsnummer %s." % (d, t, ref)}
    if name == "lookup_contact":
        q = str(args.get("query") or caller or "").strip().lower()
        for number, p in PATIENTS.items():
            if q and (q == number or q in p["name"].lower()):
                return dict(found=True, **p)
        return {"found": False, "message": "Geen patient gevonden voor %r." % q}
    if name == "cancel_appointment":
        d, t = cal.cancel(str(args.get("reference", "")).strip().upper())
        return {"status": "cancelled", "message": "De afspraak op %s om %s is geannuleerd." % (d, t)}
    raise Refused("Onbekende functie %s." % name)


def assistant():
    return {
        "assistant": {
            "first_message": "Fysiotherapie De Brug, goedendag. Waarmee kan ik u helpen?",
            "llm_config": {
                "provider": "openai",
                "model": "gpt-4o-mini",
                "messages": [{"role": "system", "content": "Boek alleen tijden die check_availability aanbood."}],
                "tools": TOOLS,
            },
            "metadata": {"practice": "de-brug"},
        }
    }


class Handler(BaseHTTPRequestHandler):
    server_version = "fysio-webhook/1.0"

    def log_message(self, fmt, *args):  # quiet: the test reads stdout
        pass

    def verified(self, raw):
        ts = self.headers.get("X-Webhook-Timestamp", "")
        sig = self.headers.get("X-Webhook-Signature", "")
        if not ts.isdigit() or not sig or abs(time.time() - int(ts)) > TOLERANCE:
            return False
        expected = hmac.new(self.server.secret.encode(), ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
        return hmac.compare_digest(sig.removeprefix("sha256="), expected)

    def reply(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if not self.verified(raw):
            self.reply(401, {"error": "Invalid signature"})
            return
        try:
            msg = json.loads(raw)["message"]
            kind = msg.get("type")
        except (ValueError, KeyError, TypeError, AttributeError):
            self.reply(400, {"error": "expected {\"message\": {...}}"})
            return
        if kind == "assistant-request":
            self.reply(200, assistant())
        elif kind == "tool-calls":
            self.reply(200, {"results": self.tools(msg)})
        else:  # status-update, end-of-call-report and anything new
            self.reply(200, {"received": True})

    def tools(self, msg):
        call_id = (msg.get("call") or {}).get("id") or ""
        caller = (msg.get("customer") or {}).get("number") or ""
        results = []
        for tc in msg.get("tool_call_list") or []:
            fn = tc.get("function") or {}
            args = fn.get("arguments")
            entry = {"tool_call_id": tc.get("id")}
            try:
                entry["result"] = run_tool(self.server.calendar, call_id, caller, fn.get("name"), args if isinstance(args, dict) else {})
            except Refused as r:
                entry["error"] = str(r)
            results.append(entry)
        return results


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--secret", default=os.environ.get("FLIREO_WEBHOOK_SECRET", ""))
    a = p.parse_args()
    if not a.secret:
        sys.exit("set FLIREO_WEBHOOK_SECRET or --secret")
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.secret = a.secret
    srv.calendar = Calendar(lambda: datetime.datetime.now(ZONE))
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
