package delivery

import (
	"bytes"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/flireo-sim/flireo-sim/internal/golden"

	"github.com/flireo-sim/flireo-sim/simulator"
)

// curlArgs runs cmd in sh with curl replaced by a function that prints its
// arguments NUL-terminated, then "STDIN:" and what it read from stdin.
func curlArgs(t *testing.T, cmd string) (args []string, stdin []byte) {
	t.Helper()
	script := "curl() { for a in \"$@\"; do printf '%s\\0' \"$a\"; done; printf 'STDIN:'; cat; }\n" + cmd
	out, err := exec.Command("sh", "-c", script).Output()
	require.NoError(t, err, "the command does not run in sh:\n%s", cmd)
	i := bytes.LastIndex(out, []byte("STDIN:"))
	require.GreaterOrEqual(t, i, 0)
	for _, a := range bytes.Split(out[:i], []byte{0}) {
		args = append(args, string(a))
	}
	return args[:len(args)-1], out[i+len("STDIN:"):]
}

// parsedCurl is what a curl command line asks for.
type parsedCurl struct {
	url     string
	headers map[string]string
	body    []byte
	flag    string // --data-binary or --data-raw
}

func parseCurl(t *testing.T, cmd string) parsedCurl {
	t.Helper()
	args, stdin := curlArgs(t, cmd)
	require.GreaterOrEqual(t, len(args), 5, "%q", args)
	assert.Equal(t, []string{"-sS", "-i"}, args[:2])
	p := parsedCurl{url: args[2], headers: map[string]string{}}
	rest := args[3:]
	for len(rest) >= 2 && rest[0] == "-H" {
		k, v, ok := strings.Cut(rest[1], ": ")
		require.True(t, ok, "header %q", rest[1])
		p.headers[k] = v
		rest = rest[2:]
	}
	require.Len(t, rest, 2, "%q", rest)
	p.flag = rest[0]
	p.body = []byte(rest[1])
	if rest[1] == "@-" {
		p.body = stdin
	}
	return p
}

func TestCurlRoundTrip(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		probe simulator.Probe
		flag  string
	}{
		{name: "compact", body: string(testBody), flag: "--data-binary"},
		{name: "shell metacharacters", body: `{"text":"it's $HOME ` + "`id`" + ` \\n \"q\" ''; rm -rf / ; \u00e9"}`, flag: "--data-binary"},
		{name: "multi-line", body: string(testBody), probe: simulator.ProbeReformatted, flag: "--data-binary"},
		{name: "starts with @", body: "@/etc/passwd", flag: "--data-raw"},
		{name: "NUL byte", body: "a\x00b'%s\\n\xff", flag: "--data-binary"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, ch := recorder(t, `{}`)
			c := New(Options{Secret: testSecret, Now: fixedNow})
			req := simulator.Request{URL: srv.URL + "/hook?a=1&b='x'", Event: simulator.ToolCalls, Body: []byte(tt.body), Probe: tt.probe}
			resp := c.Send(t.Context(), req)
			require.Nil(t, resp.Failure)
			got := one(t, ch)

			cmd := Curl(req, resp, "", time.Now())
			p := parseCurl(t, cmd)
			assert.Equal(t, req.URL, p.url)
			assert.Equal(t, tt.flag, p.flag)
			assert.Equal(t, got.body, p.body, "the body does not round-trip")
			require.Len(t, p.headers, len(resp.SentHeader))
			for k := range resp.SentHeader {
				assert.Equal(t, resp.SentHeader.Get(k), p.headers[k], "header %s", k)
				assert.Equal(t, got.header.Get(k), p.headers[k], "header %s as received", k)
			}
		})
	}
}

func TestCurlResign(t *testing.T) {
	later := fixedNow().Add(time.Hour)
	tests := []struct {
		probe  simulator.Probe
		bare   bool
		ts     int64
		signed func(sent []byte) []byte // the bytes the new signature covers
		key    string
	}{
		{probe: simulator.ProbeNone, ts: later.Unix(), key: testSecret},
		{probe: simulator.ProbeNone, bare: true, ts: later.Unix(), key: testSecret},
		{probe: simulator.ProbeStale, ts: later.Unix() - 600, key: testSecret},
		{probe: simulator.ProbeFuture, ts: later.Unix() + 600, key: testSecret},
		{probe: simulator.ProbeReformatted, ts: later.Unix(), key: testSecret},
		{probe: simulator.ProbeTampered, ts: later.Unix(), key: testSecret, signed: func([]byte) []byte { return testBody }},
		{probe: simulator.ProbeWrongSecret, ts: later.Unix(), key: wrongSecret(testSecret)},
		{probe: simulator.ProbeUnsigned, ts: later.Unix()},
	}
	for _, tt := range tests {
		t.Run(string(tt.probe)+"-"+strconv.FormatBool(tt.bare), func(t *testing.T) {
			srv, _ := recorder(t, `{}`)
			c := New(Options{Secret: testSecret, BareHex: tt.bare, Now: fixedNow})
			req := simulator.Request{URL: srv.URL, Event: simulator.EndOfCallReport, Body: testBody, Probe: tt.probe}
			resp := c.Send(t.Context(), req)
			require.Nil(t, resp.Failure)

			cmd := Curl(req, resp, testSecret, later)
			assert.NotContains(t, cmd, testSecret)
			assert.NotContains(t, cmd, wrongSecret(testSecret))
			p := parseCurl(t, cmd)
			assert.Equal(t, resp.SentBody, p.body)
			assert.Equal(t, strconv.FormatInt(tt.ts, 10), p.headers[HeaderTimestamp])
			if tt.key == "" {
				assert.NotContains(t, p.headers, HeaderSignature)
				return
			}
			signed := p.body
			if tt.signed != nil {
				signed = tt.signed(p.body)
			}
			want := refHMAC(tt.key, tt.ts, signed)
			if !tt.bare {
				want = "sha256=" + want
			}
			assert.Equal(t, want, p.headers[HeaderSignature])
			assert.NotEqual(t, resp.SentHeader.Get(HeaderSignature), p.headers[HeaderSignature], "not re-signed")
		})
	}
}

// TestCurlReplays runs the command with the real curl against a server and
// checks that the server receives the delivery again, freshly signed.
func TestCurlReplays(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Skip("curl is not installed")
	}
	srv, ch := recorder(t, `{}`)
	c := New(Options{Secret: testSecret})
	req := simulator.Request{URL: srv.URL, Event: simulator.AssistantRequest, Body: testBody, Probe: simulator.ProbeReformatted}
	resp := c.Send(t.Context(), req)
	require.Nil(t, resp.Failure)
	first := one(t, ch)

	now := time.Now().Add(time.Minute)
	cmd := exec.CommandContext(t.Context(), "sh", "-c", Curl(req, resp, testSecret, now))
	for _, kv := range os.Environ() {
		if k, _, _ := strings.Cut(kv, "="); !strings.HasSuffix(strings.ToLower(k), "_proxy") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "%s", out)
	assert.Contains(t, string(out), "200 OK")
	again := one(t, ch)
	assert.Equal(t, first.body, again.body)
	assert.Equal(t, strconv.FormatInt(now.Unix(), 10), again.header.Get(HeaderTimestamp))
	assert.Equal(t, "sha256="+refHMAC(testSecret, now.Unix(), again.body), again.header.Get(HeaderSignature))
	for _, h := range []string{"Content-Type", "User-Agent", HeaderEvent} {
		assert.Equal(t, first.header.Get(h), again.header.Get(h), h)
	}
}

func TestCurlGolden(t *testing.T) {
	c := New(Options{Secret: testSecret, Now: fixedNow})
	req := simulator.Request{URL: "https://hooks.example.com/flireo?env=test", Event: simulator.ToolCalls, Body: []byte(`{"message":{"type":"tool-calls","text":"it's fine"}}`)}
	body, h, ts, err := c.prepare(req, fixedNow())
	require.NoError(t, err)
	resp := simulator.Response{SentHeader: h, SentBody: body, Timestamp: ts, SentAt: fixedNow()}
	got := Curl(req, resp, testSecret, fixedNow().Add(time.Minute)) + "\n"

	golden.Check(t, "delivery/curl.txt", []byte(got))
}
