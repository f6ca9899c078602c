package scenarios

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// zooSection returns the table rows (cells without the backquotes) of the
// section "Tested against independent integrators" of a markdown file.
func zooSection(t *testing.T, file string) [][]string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", file))
	require.NoError(t, err)
	text := string(b)
	start := strings.Index(text, "## Tested against independent integrators")
	require.NotEqual(t, -1, start, "%s has the section on the zoo", file)
	text = text[start+3:]
	if end := strings.Index(text, "\n## "); end >= 0 {
		text = text[:end]
	}
	var rows [][]string
	for _, line := range strings.Split(text, "\n") {
		if !strings.HasPrefix(line, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		for i, c := range cells {
			cells[i] = strings.Trim(strings.TrimSpace(c), "`")
		}
		rows = append(rows, cells)
	}
	return rows
}

// TestZooTablesMatchTheDocs keeps the zoo tables of docs/conformance.md and
// the README in step with the cases the zoo test asserts.
func TestZooTablesMatchTheDocs(t *testing.T) {
	servers := map[string][]string{}
	bugs := map[string][]string{}
	for _, r := range zooSection(t, "docs/conformance.md") {
		switch len(r) {
		case 6: // server | file | style | dialect | varies | verdict
			servers[r[0]] = r
		case 5: // server | bug | what breaks | failed checks | verdict
			bugs[r[0]+"/"+r[1]] = r
		default:
			t.Errorf("docs/conformance.md: a zoo row with %d cells: %q", len(r), r)
		}
	}
	readme := map[string][]string{}
	for _, r := range zooSection(t, "README.md") {
		readme[r[0]] = r
	}
	nbugs := 0
	for _, c := range zooCases {
		s, ok := zooServerNamed(c.server)
		require.True(t, ok, c.server)
		if c.bug == "" {
			row, ok := servers[c.server]
			if assert.True(t, ok, "docs/conformance.md lists server %s", c.server) {
				assert.True(t, strings.HasPrefix(row[1], s.file), "%s: file %s", c.server, row[1])
				assert.Equal(t, s.dialect, row[3], "%s: dialect", c.server)
				assert.Equal(t, c.verdict, row[5], "%s: verdict", c.server)
			}
			delete(servers, c.server)
			if row, ok := readme[c.server]; assert.True(t, ok, "README lists server %s", c.server) {
				assert.Equal(t, s.dialect, row[2], "README: %s: dialect", c.server)
				assert.Equal(t, c.verdict, row[3], "README: %s: verdict", c.server)
			}
			continue
		}
		nbugs++
		key := c.server + "/" + c.bug
		row, ok := bugs[key]
		if assert.True(t, ok, "docs/conformance.md lists bug %s", key) {
			want := append([]string(nil), c.failed...)
			sort.Strings(want)
			assert.Equal(t, strings.Join(want, "`, `"), row[3], "%s: failed checks (sorted)", key)
			assert.Equal(t, c.verdict, strings.Fields(row[4])[0], "%s: verdict", key)
		}
		delete(bugs, key)
	}
	assert.Empty(t, servers, "servers in docs/conformance.md that the test does not run")
	assert.Empty(t, bugs, "bugs in docs/conformance.md that the test does not run")
	b, err := os.ReadFile(filepath.Join("..", "README.md"))
	require.NoError(t, err)
	words := strings.Join(strings.Fields(string(b)), " ")
	assert.Contains(t, words, fmt.Sprintf("each of their %d realistic bugs", nbugs))
}
