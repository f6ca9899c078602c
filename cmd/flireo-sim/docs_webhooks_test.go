package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// docs/webhooks.md stays true: its verification code is the files the
// snippet test runs, its full examples are what send --print=body renders today,
// and every JSON block on it is JSON.

func readDoc(t *testing.T, rel string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", filepath.FromSlash(rel)))
	require.NoError(t, err)
	return string(b)
}

func TestWebhooksPageIncludesTheSnippetsVerbatim(t *testing.T) {
	page := readDoc(t, "docs/webhooks.md")
	for file, lang := range map[string]string{"verify.go": "go", "verify.js": "js", "verify.py": "python"} {
		src := readDoc(t, "docs/webhooks/"+file)
		assert.True(t, strings.Contains(page, "```"+lang+"\n"+src+"```\n"),
			"docs/webhooks.md must include docs/webhooks/%s verbatim in a ```%s block: copy the file into the page", file, lang)
	}
}

// examplePattern finds a full example: the command that renders it, then
// its JSON block.
var examplePattern = regexp.MustCompile("(?s)<!-- flireo-sim (send [^>]*?) -->\n```json\n(.*?)```\n")

func TestWebhooksPageExamplesAreWhatSendPrints(t *testing.T) {
	page := readDoc(t, "docs/webhooks.md")
	found := examplePattern.FindAllStringSubmatch(page, -1)
	require.Len(t, found, 14, "every event of every dialect: 4 × 3 signed or legacy, 2 interactly")
	for _, m := range found {
		args := append(strings.Fields(m[1]), "--target", "http://127.0.0.1:1/webhook")
		code, out, errOut := cli(t, nil, args...)
		require.Equal(t, 0, code, "flireo-sim %s: %s", m[1], errOut)
		assert.Equal(t, strings.TrimSpace(out), strings.TrimSpace(m[2]),
			"the example of 'flireo-sim %s' in docs/webhooks.md differs from what it prints: regenerate it", m[1])
	}
}

var jsonBlockPattern = regexp.MustCompile("(?s)```json\n(.*?)```\n")

func TestWebhooksPageJSONBlocksParse(t *testing.T) {
	for _, m := range jsonBlockPattern.FindAllStringSubmatch(readDoc(t, "docs/webhooks.md"), -1) {
		assert.True(t, json.Valid([]byte(m[1])), "not JSON in docs/webhooks.md:\n%s", m[1])
	}
}

// The reply examples on the page are documented replies: each equals a file
// of fixtures/documented/replies, which the dialect tests parse.
func TestWebhooksPageRepliesAreDocumentedOnes(t *testing.T) {
	page := readDoc(t, "docs/webhooks.md")
	start, end := strings.Index(page, "\n## Events and replies"), strings.Index(page, "\n## Deadlines")
	require.True(t, start > 0 && end > start, "the page has its replies section")
	documented := map[string]bool{}
	files, err := filepath.Glob(filepath.Join("..", "..", "fixtures", "documented", "replies", "*", "*.json"))
	require.NoError(t, err)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		documented[compactJSON(t, b)] = true
	}
	blocks := jsonBlockPattern.FindAllStringSubmatch(page[start:end], -1)
	require.NotEmpty(t, blocks)
	for _, m := range blocks {
		assert.True(t, documented[compactJSON(t, []byte(m[1]))], "not a documented reply (fixtures/documented/replies):\n%s", m[1])
	}
}

func compactJSON(t *testing.T, b []byte) string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, json.Compact(&out, b), "%s", b)
	return out.String()
}
