// A minimal Flireo webhook receiver (Node 18+, no dependencies) that checks
// the signature of every delivery before it trusts the body.
//
//   FLIREO_WEBHOOK_SECRET=s3cret ADDR=127.0.0.1:8080 node docs/webhooks/verify.js
"use strict";
const crypto = require("node:crypto");
const http = require("node:http");

const TOLERANCE_SECONDS = 300; // how far X-Webhook-Timestamp may lie from now, either way

// verifyWebhook checks X-Webhook-Signature against the raw body (a Buffer):
// the lowercase hex HMAC-SHA256, keyed with the secret, of the timestamp, a
// dot and the body exactly as received; "sha256=" in front is optional.
function verifyWebhook(secret, headers, rawBody, nowSeconds) {
  const ts = headers["x-webhook-timestamp"];
  const sig = headers["x-webhook-signature"];
  if (!ts || !sig) return "missing signature";
  if (!/^\d+$/.test(ts)) return "invalid timestamp";
  if (Math.abs(nowSeconds - Number(ts)) > TOLERANCE_SECONDS) return "stale timestamp";
  const got = Buffer.from(sig.replace(/^sha256=/, ""), "hex");
  const want = crypto
    .createHmac("sha256", secret)
    .update(ts + ".")
    .update(rawBody)
    .digest();
  if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) {
    return "invalid signature";
  }
  return null;
}

const secret = process.env.FLIREO_WEBHOOK_SECRET || "";
const [host, port] = (process.env.ADDR || "127.0.0.1:8080").split(":");

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (c) => chunks.push(c));
  req.on("end", () => {
    const rawBody = Buffer.concat(chunks);
    const err = verifyWebhook(secret, req.headers, rawBody, Math.floor(Date.now() / 1000));
    if (err) {
      res.writeHead(401, { "Content-Type": "text/plain" }).end(err);
      return;
    }
    // Authentic: JSON.parse(rawBody) and answer by X-Webhook-Event here.
    res.writeHead(200, { "Content-Type": "application/json" }).end("{}");
  });
});

server.listen(Number(port), host, () => {
  const a = server.address();
  console.log(`listening on ${a.address}:${a.port}`);
});
