// Command verify is a minimal Flireo webhook receiver that checks the
// signature of every delivery before it trusts the body.
//
//	FLIREO_WEBHOOK_SECRET=s3cret ADDR=127.0.0.1:8080 go run ./docs/webhooks
package main

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
)

// tolerance is how far X-Webhook-Timestamp may lie from now, either way.
const tolerance = 5 * time.Minute

// verifyWebhook checks X-Webhook-Signature against the raw body: the
// lowercase hex HMAC-SHA256, keyed with the secret, of the timestamp, a dot
// and the body exactly as received; "sha256=" in front is optional.
func verifyWebhook(secret string, h http.Header, body []byte, now time.Time) error {
	ts, sig := h.Get("X-Webhook-Timestamp"), h.Get("X-Webhook-Signature")
	if ts == "" || sig == "" {
		return errors.New("missing signature")
	}
	sec, err := strconv.ParseInt(ts, 10, 64)
	if err != nil {
		return errors.New("invalid timestamp")
	}
	if d := now.Sub(time.Unix(sec, 0)); d > tolerance || d < -tolerance {
		return errors.New("stale timestamp")
	}
	got, err := hex.DecodeString(strings.TrimPrefix(sig, "sha256="))
	if err != nil {
		return errors.New("invalid signature")
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	if !hmac.Equal(got, mac.Sum(nil)) {
		return errors.New("invalid signature")
	}
	return nil
}

func webhook(secret string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 4<<20))
		if err != nil {
			http.Error(w, "unreadable body", http.StatusBadRequest)
			return
		}
		if err := verifyWebhook(secret, r.Header, body, time.Now()); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		// Authentic: parse body and answer by X-Webhook-Event here.
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, "{}")
	}
}

func main() {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "127.0.0.1:8080"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	http.HandleFunc("POST /webhook", webhook(os.Getenv("FLIREO_WEBHOOK_SECRET")))
	log.Fatal(http.Serve(ln, nil))
}
