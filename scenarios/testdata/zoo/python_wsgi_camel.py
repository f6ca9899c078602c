#!/usr/bin/env python3
"""Flireo webhook app for a plumbing company, written as a WSGI application.

Speaks the G2 (camelCase) format of reference.flireo.com: message.toolCallList,
phoneNumber, durationSeconds; tool results keyed by toolCallId. The same
callable runs under gunicorn or uwsgi; here it is served by wsgiref with a
thread per request. Signatures are verified over the raw body.

    FLIREO_WEBHOOK_SECRET=... python3 python_wsgi_camel.py --port 0 [--bug NAME]

The first line on stdout is the port.
"""

import argparse
import hashlib
import hmac
import json
import os
import sys
import threading
import time
from socketserver import ThreadingMixIn
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

BUGS = {
    "redelivery-409": "a report for a call already stored is answered 409 Conflict",
    "slow-assistant": "the assistant-request waits for a slow planning system (6 s)",
    "missing-tool-call-id": "tool results use the simple format inside results[] without toolCallId",
    "g3-tool-key": "reads message.tool_call_list (the G3 key), so G2 tool calls get an empty results list",
}

SECRET = ""
BUG = None
MAX_BODY = 16 * 1024 * 1024

TOOLS = [
    {
        "name": "lookup_contact",
        "description": "Look up contact information by name or phone number",
        "parameters": {
            "type": "object",
            "properties": {"query": {"type": "string", "description": "Name or phone number to search"}},
            "required": ["query"],
        },
    },
    {
        "name": "check_availability",
        "description": "When can a plumber come by",
        "parameters": {"type": "object", "properties": {"date": {"type": "string", "format": "date"}}, "required": ["date"]},
    },
    {
        "name": "book_appointment",
        "description": "Plan a plumber visit",
        "parameters": {
            "type": "object",
            "properties": {"name": {"type": "string"}, "date": {"type": "string", "format": "date"}, "time": {"type": "string", "format": "time"}},
            "required": ["name", "date", "time"],
        },
    },
    {
        "name": "request_callback",
        "description": "Ask the planner to call back",
        "async": True,
        "asyncResponse": "De planner belt u vandaag nog terug.",
        "parameters": {"type": "object", "properties": {"phone": {"type": "string"}}},
    },
]

_lock = threading.Lock()
_reports = {}


class QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):
        pass


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


def signature_ok(environ, raw):
    ts = environ.get("HTTP_X_WEBHOOK_TIMESTAMP", "")
    sig = environ.get("HTTP_X_WEBHOOK_SIGNATURE", "")
    if not ts or not sig:
        return False
    try:
        if abs(time.time() - int(ts)) > 300:
            return False
    except ValueError:
        return False
    digest = hmac.new(SECRET.encode(), ts.encode() + b"." + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(sig.removeprefix("sha256="), digest)


def tool_result(name, args):
    if name == "lookup_contact":
        return {"name": "Jan de Vries", "email": "jan@example.com", "phone": "+31612345678"}
    if name == "check_availability":
        return {"date": args.get("date"), "windows": ["08:00-12:00", "13:00-17:00"]}
    if name == "book_appointment":
        return {"booked": True, "date": args.get("date"), "time": args.get("time")}
    if name == "request_callback":
        return {"queued": True}
    return {"error": "unknown tool"}


def on_assistant_request(msg):
    if BUG == "slow-assistant":
        time.sleep(6)
    customer = msg.get("customer") or {}
    greeting = "Loodgietersbedrijf Waterdicht, goedemiddag!"
    if customer.get("number") == "+31612345678":
        greeting = "Goedemiddag Jan, fijn dat u belt. Gaat het om de lekkage?"
    return {
        "assistant": {"firstMessage": greeting, "llm_config": {"provider": "openai", "model": "gpt-4o-mini", "tools": TOOLS}},
        "maxDurationSeconds": 300,
    }


def on_tool_calls(msg):
    results = []
    key = "tool_call_list" if BUG == "g3-tool-key" else "toolCallList"
    for call in msg.get(key) or []:
        fn = call.get("function") or {}
        entry = {"result": tool_result(fn.get("name"), fn.get("arguments") or {})}
        if BUG != "missing-tool-call-id":
            entry["toolCallId"] = call.get("id")
        results.append(entry)
    return {"results": results}


def on_report(msg):
    call_id = (msg.get("call") or {}).get("id")
    with _lock:
        if BUG == "redelivery-409" and call_id in _reports:
            return "409 Conflict", "report already received"
        _reports[call_id] = msg
    return "200 OK", "received"


def respond(start_response, status, body):
    if isinstance(body, str):
        data, ctype = body.encode(), "text/plain; charset=utf-8"
    else:
        data, ctype = json.dumps(body).encode(), "application/json"
    start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(data)))])
    return [data]


def app(environ, start_response):
    if environ["REQUEST_METHOD"] != "POST":
        return respond(start_response, "405 Method Not Allowed", "POST only")
    length = int(environ.get("CONTENT_LENGTH") or 0)
    if length > MAX_BODY:
        return respond(start_response, "413 Request Entity Too Large", "too large")
    raw = environ["wsgi.input"].read(length)
    if not signature_ok(environ, raw):
        return respond(start_response, "401 Unauthorized", {"error": "Invalid signature"})
    try:
        msg = json.loads(raw)["message"]
    except (ValueError, KeyError, TypeError):
        return respond(start_response, "400 Bad Request", {"error": "invalid payload"})
    kind = msg.get("type")
    if kind == "assistant-request":
        return respond(start_response, "200 OK", on_assistant_request(msg))
    if kind == "tool-calls":
        return respond(start_response, "200 OK", on_tool_calls(msg))
    if kind == "end-of-call-report":
        return respond(start_response, *on_report(msg))
    return respond(start_response, "200 OK", "received")


def main():
    global SECRET, BUG
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, default=0)
    p.add_argument("--secret", default=os.environ.get("FLIREO_WEBHOOK_SECRET", ""))
    p.add_argument("--bug", choices=sorted(BUGS))
    a = p.parse_args()
    if not a.secret:
        sys.exit("set FLIREO_WEBHOOK_SECRET or --secret")
    SECRET, BUG = a.secret, a.bug
    httpd = make_server("127.0.0.1", a.port, app, server_class=ThreadingWSGIServer, handler_class=QuietHandler)
    print(httpd.server_port, flush=True)
    httpd.serve_forever()


if __name__ == "__main__":
    main()
