#!/usr/bin/env python3
"""Flireo webhook receiver for a dental practice, standard library only.

Speaks the G3 (snake_case) webhook format. http.server answers HTTP/1.0,
one connection per request. Every webhook is verified over the raw body:
X-Webhook-Signature = sha256=HMAC-SHA256(secret, timestamp + "." + body),
with X-Webhook-Timestamp no more than 5 minutes off.

    FLIREO_WEBHOOK_SECRET=... python3 python_stdlib.py --port 0 [--bug NAME]

The first line on stdout is the port the server listens on.
"""

import argparse
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BUGS = (
    "no-signature-check",      # trusts every webhook
    "reserialized-signature",  # verifies json.dumps(json.loads(body)) instead of the raw bytes
    "timestamp-unchecked",     # checks the HMAC but never the timestamp
    "long-transcript-500",     # the report table column is too small for long calls
    "slow-crm",                # the CRM lookup behind the tools takes 12 s
)

TOLERANCE = 300  # seconds

KNOWN_CUSTOMERS = {
    "+31612345678": {"name": "Jan de Vries", "email": "jan@example.com", "crm_id": "12345"},
}

TOOLS = [
    {
        "name": "lookup_contact",
        "description": "Look up contact information by name or phone number",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string", "description": "Name or phone number"}},
            "required": ["query"],
        },
    },
    {
        "name": "check_availability",
        "description": "Free appointment slots on a day",
        "parameters": {
            "type": "object",
            "properties": {"date": {"type": "string", "format": "date"}},
            "required": ["date"],
        },
    },
    {
        "name": "book_appointment",
        "description": "Book an appointment for the caller",
        "parameters": {
            "type": "object",
            "properties": {
                "name": {"type": "string"},
                "date": {"type": "string", "format": "date"},
                "time": {"type": "string", "format": "time"},
            },
            "required": ["name", "date", "time"],
        },
    },
    {
        "name": "request_callback",
        "description": "Ask the team to call the customer back",
        "async": True,
        "async_response": "Ik geef het door aan het team.",
        "parameters": {"type": "object", "properties": {"phone": {"type": "string"}}},
    },
]

ANALYSIS_PLAN = {
    "structured_data_plan": {
        "enabled": True,
        "schema": {
            "type": "object",
            "properties": {
                "intent": {"type": "string"},
                "sentiment": {"type": "string", "enum": ["positive", "neutral", "negative"]},
                "appointment_booked": {"type": "boolean"},
            },
        },
    },
}

reports = {}  # call id -> report, kept in memory for this example


def crm_lookup(query, bug):
    if bug == "slow-crm":
        time.sleep(12)
    for number, c in KNOWN_CUSTOMERS.items():
        if query and (query in number or query.lower() in c["name"].lower()):
            return c
    return None


def run_tool(name, args, bug):
    if name == "lookup_contact":
        c = crm_lookup(args.get("query", ""), bug)
        return c or {"found": False}
    if name == "check_availability":
        crm_lookup("", bug)
        return {"date": args.get("date"), "slots": ["09:30", "11:00", "14:15"]}
    if name == "book_appointment":
        crm_lookup(args.get("name", ""), bug)
        return {"booked": True, "date": args.get("date"), "time": args.get("time")}
    if name == "request_callback":
        return {"queued": True}
    return {"error": "unknown tool " + str(name)}


def assistant_for(msg):
    number = (msg.get("customer") or {}).get("number")
    who = KNOWN_CUSTOMERS.get(number)
    greeting = "Goedemiddag, Tandartspraktijk De Molen, waarmee kan ik u helpen?"
    assistant = {
        "first_message": greeting,
        "llm_config": {"provider": "openai", "model": "gpt-4o-mini", "tools": TOOLS},
        "analysis_plan": ANALYSIS_PLAN,
    }
    if who:
        assistant["first_message"] = "Hallo %s, leuk dat je belt! Hoe kan ik je helpen?" % who["name"].split()[0]
        assistant["metadata"] = {"crm_id": who["crm_id"]}
    return {"assistant": assistant}


class Handler(BaseHTTPRequestHandler):
    server_version = "praktijk-webhook/1.0"

    def log_message(self, fmt, *args):  # quiet: the test reads stdout
        pass

    def verified(self, raw):
        bug = self.server.bug
        if bug == "no-signature-check":
            return True
        secret = self.server.secret
        ts = self.headers.get("X-Webhook-Timestamp", "")
        sig = self.headers.get("X-Webhook-Signature", "")
        if not ts or not sig:
            return False
        try:
            ts_num = int(ts)
        except ValueError:
            return False
        if bug != "timestamp-unchecked" and abs(time.time() - ts_num) > TOLERANCE:
            return False
        signed = raw
        if bug == "reserialized-signature":
            try:
                signed = json.dumps(json.loads(raw), separators=(",", ":"), ensure_ascii=False).encode()
            except ValueError:
                return False
        expected = hmac.new(secret.encode(), ts.encode() + b"." + signed, hashlib.sha256).hexdigest()
        return hmac.compare_digest(sig.removeprefix("sha256="), expected)

    def reply(self, status, body, content_type="application/json"):
        data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length)
        if not self.verified(raw):
            self.reply(401, {"error": "Invalid signature"})
            return
        try:
            msg = json.loads(raw)["message"]
        except (ValueError, KeyError, TypeError):
            self.reply(400, {"error": "bad payload"})
            return
        kind = msg.get("type")
        if kind == "assistant-request":
            self.reply(200, assistant_for(msg))
        elif kind == "tool-calls":
            results = []
            for tc in msg.get("tool_call_list") or []:
                fn = tc.get("function") or {}
                result = run_tool(fn.get("name"), fn.get("arguments") or {}, self.server.bug)
                results.append({"tool_call_id": tc.get("id"), "result": result})
            self.reply(200, {"results": results})
        elif kind == "end-of-call-report":
            if self.server.bug == "long-transcript-500" and len(raw) > 256 * 1024:
                self.reply(500, "Internal Server Error", "text/plain")
                return
            reports[(msg.get("call") or {}).get("id")] = msg
            self.reply(200, "OK", "text/plain")
        else:  # status-update and anything new: acknowledge
            self.reply(200, "OK", "text/plain")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--secret", default=os.environ.get("FLIREO_WEBHOOK_SECRET", ""))
    p.add_argument("--bug", choices=BUGS)
    a = p.parse_args()
    if not a.secret:
        sys.exit("set FLIREO_WEBHOOK_SECRET or --secret")
    srv = ThreadingHTTPServer(("127.0.0.1", a.port), Handler)
    srv.daemon_threads = True
    srv.secret, srv.bug = a.secret, a.bug
    print(srv.server_address[1], flush=True)
    srv.serve_forever()


if __name__ == "__main__":
    main()
