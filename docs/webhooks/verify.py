# A minimal Flireo webhook receiver (Python 3.8+, standard library only) that
# checks the signature of every delivery before it trusts the body.
#
#   FLIREO_WEBHOOK_SECRET=s3cret ADDR=127.0.0.1:8080 python3 docs/webhooks/verify.py
import hashlib
import hmac
import http.server
import os
import time

TOLERANCE_SECONDS = 300  # how far X-Webhook-Timestamp may lie from now, either way


def verify_webhook(secret, headers, raw_body, now):
    """Check X-Webhook-Signature against the raw body (bytes): the lowercase
    hex HMAC-SHA256, keyed with the secret, of the timestamp, a dot and the
    body exactly as received; "sha256=" in front is optional.
    Returns None when authentic, else the reason."""
    ts = headers.get("X-Webhook-Timestamp", "")
    sig = headers.get("X-Webhook-Signature", "")
    if not ts or not sig:
        return "missing signature"
    if not ts.isdigit():
        return "invalid timestamp"
    if abs(now - int(ts)) > TOLERANCE_SECONDS:
        return "stale timestamp"
    if sig.startswith("sha256="):
        sig = sig[len("sha256="):]
    want = hmac.new(secret.encode(), ts.encode() + b"." + raw_body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(sig.lower().encode(), want.encode()):
        return "invalid signature"
    return None


class Webhook(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        raw_body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        err = verify_webhook(os.environ.get("FLIREO_WEBHOOK_SECRET", ""), self.headers, raw_body, int(time.time()))
        status, ctype, reply = (401, "text/plain", err.encode()) if err else (200, "application/json", b"{}")
        # Authentic: json.loads(raw_body) and answer by X-Webhook-Event here.
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    host, port = os.environ.get("ADDR", "127.0.0.1:8080").rsplit(":", 1)
    server = http.server.ThreadingHTTPServer((host, int(port)), Webhook)
    print("listening on %s:%d" % server.server_address[:2], flush=True)
    server.serve_forever()
