package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSendPrintShowsTheSignedRequest(t *testing.T) {
	const secret = "print-secret-42"
	code, out, errOut := cli(t, nil, "send", "status-update", "--print", "--secret", secret, "--target", "http://127.0.0.1:1/webhook")
	require.Equal(t, exitPass, code, errOut)
	head, body, ok := strings.Cut(out, "\n\n")
	require.True(t, ok, out)
	assert.True(t, strings.HasPrefix(head, "POST http://127.0.0.1:1/webhook\n"), head)
	for _, h := range []string{"Content-Type: application/json", "X-Webhook-Event: status-update", "X-Webhook-Timestamp: ", "X-Webhook-Signature: sha256="} {
		assert.Contains(t, head, h)
	}
	assert.NotContains(t, out, secret, "the secret is never printed")
	assert.True(t, json.Valid([]byte(body)), body)

	code, out, errOut = cli(t, nil, "send", "status-update", "--print=body", "--secret", secret, "--target", "http://127.0.0.1:1/webhook")
	require.Equal(t, exitPass, code, errOut)
	assert.True(t, json.Valid([]byte(out)), "--print=body prints only the body: %s", out)
	assert.NotContains(t, out, "X-Webhook")

	code, out, errOut = cli(t, nil, "send", "status-update", "--print")
	require.Equal(t, exitPass, code, errOut)
	assert.True(t, strings.HasPrefix(out, "POST {the --target URL}\n"), "without --target the URL is a placeholder: %s", out)
	assert.NotContains(t, out, "X-Webhook-Signature", "no secret, no signature")

	code, _, errOut = cli(t, nil, "send", "status-update", "--print=headers-only")
	assert.Equal(t, exitUsage, code)
	assert.Contains(t, errOut, "--print=body")
}
