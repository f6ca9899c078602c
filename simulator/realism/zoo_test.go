package realism_test

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// zooDir holds the independent integrators (scenarios/testdata/zoo).
var zooDir = filepath.Join("..", "..", "scenarios", "testdata", "zoo")

// zooBackend is a booking backend of the zoo and the dialect it speaks.
type zooBackend struct {
	name    string
	run     string // python3 or node
	file    string
	dialect string
}

var zooBackends = []zooBackend{
	{name: "python-booking", run: "python3", file: "python_booking.py", dialect: "flireo"},
	{name: "node-booking", run: "node", file: "node_booking.js", dialect: "flireo-camel"},
}

// startZoo starts a zoo backend on a loopback port with the secret and
// returns its webhook URL; it stops when the test ends. A missing
// interpreter fails the test on CI (CI=true) and skips it elsewhere.
func startZoo(t *testing.T, z zooBackend, secret string) string {
	t.Helper()
	bin, err := exec.LookPath(z.run)
	if err != nil {
		msg := fmt.Sprintf("%s is not installed: the zoo needs python3 and node", z.run)
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	cmd := exec.Command(bin, filepath.Join(zooDir, z.file), "--port", "0")
	cmd.Env = append(os.Environ(), "FLIREO_WEBHOOK_SECRET="+secret)
	cmd.Stderr = os.Stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", z.name, err)
	}
	exited := make(chan struct{})
	port := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		if sc.Scan() {
			port <- strings.TrimSpace(sc.Text())
		}
		for sc.Scan() { // drain the rest until the server exits
		}
	}()
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	select {
	case p := <-port:
		if _, err := strconv.Atoi(p); err != nil {
			t.Fatalf("%s printed %q, not its port", z.name, p)
		}
		return "http://127.0.0.1:" + p + "/webhook"
	case <-exited:
		t.Fatalf("%s exited before it printed its port", z.name)
	case <-time.After(60 * time.Second):
		t.Fatalf("%s did not print its port within 60 s", z.name)
	}
	return ""
}
