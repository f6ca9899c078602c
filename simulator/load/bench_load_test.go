package load

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	sim "github.com/flireo-sim/flireo-sim/simulator"
	"github.com/flireo-sim/flireo-sim/simulator/delivery"
)

// TestBenchLoad is `make bench-load`: the simulator's own figures against
// `flireo-sim sink` on loopback, with vegeta on the same sink for
// comparison. Every process is measured with /usr/bin/time -v (CPU, peak
// RSS). It needs FLIREO_BENCH_LOAD=1, the binary (FLIREO_SIM_BIN, default
// bin/flireo-sim) and vegeta (VEGETA, default on PATH). About fifteen minutes.
func TestBenchLoad(t *testing.T) {
	if os.Getenv("FLIREO_BENCH_LOAD") == "" {
		t.Skip("benchmark: run make bench-load (sets FLIREO_BENCH_LOAD=1)")
	}
	bin := envOr("FLIREO_SIM_BIN", "../../bin/flireo-sim")
	bin, _ = filepath.Abs(bin)
	vegeta := envOr("VEGETA", "vegeta")
	for _, p := range []string{bin, "/usr/bin/time"} {
		if _, err := os.Stat(p); err != nil {
			t.Fatalf("%s is missing: run make bench-load (it builds the binary; apt-get install time)", p)
		}
	}
	if p, err := exec.LookPath(vegeta); err == nil {
		vegeta = p
	} else {
		t.Fatalf("vegeta is missing: make bench-load installs it into bin/")
	}
	dir := t.TempDir()
	b := &bench{t: t, bin: bin, vegetaBin: vegeta, dir: dir}
	// Every measurement gets a fresh sink, so that one run's connections
	// cannot slow the next; the previous one is stopped first.
	var stopPrev func()
	plain := func() string {
		if stopPrev != nil {
			stopPrev()
		}
		var url string
		url, stopPrev = b.sinkProc()
		return url
	}

	// The figures so far are written even when a measurement fails.
	var out strings.Builder
	defer func() {
		t.Log("\n" + out.String())
		if path := os.Getenv("FLIREO_BENCH_OUT"); path != "" {
			if err := os.WriteFile(path, []byte(out.String()), 0o644); err != nil {
				t.Error(err)
			}
		}
	}()
	cpuModel := "unknown CPU"
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		if m := regexp.MustCompile(`model name\s*:\s*(.*)`).FindSubmatch(raw); m != nil {
			cpuModel = string(m[1])
		}
	}
	fmt.Fprintf(&out, "flireo-sim load benchmark · %s · %d CPUs (%s) · %s\n\n", time.Now().UTC().Format("2006-01-02"), runtime.NumCPU(), cpuModel, runtime.Version())

	// Calibrate: events per call of the natural mix, and the mean body size.
	cal := b.load(plain(), "--rate", "100/s", "--duration", "3s", "--pace", "instant")
	perCall := float64(cal.rep.All.Count) / float64(cal.rep.Calls.Started)
	meanBody := int(cal.rep.All.BytesSent / cal.rep.All.Count)
	fmt.Fprintf(&out, "natural mix: %.2f events per call, mean request body %d B (", perCall, meanBody)
	for i, e := range cal.rep.Events {
		if i > 0 {
			out.WriteString(", ")
		}
		fmt.Fprintf(&out, "%s %d B", e.Event, e.BytesSent/max(e.Count, 1))
	}
	out.WriteString(")\n\n")
	bodies := map[string]int{"600 B": 600, "10 KB": 10240, fmt.Sprintf("%d B (flireo-sim's mean)", meanBody): meanBody}
	bodyOrder := []string{"600 B", "10 KB", fmt.Sprintf("%d B (flireo-sim's mean)", meanBody)}
	callRate := func(events float64) string { return fmt.Sprintf("%.1f/s", events/perCall) }

	// 1. CPU per delivered event.
	out.WriteString("CPU per delivered event (user+sys CPU / events; 10 s at each rate)\n")
	fmt.Fprintf(&out, "  %-34s %10s %12s %12s %10s\n", "tool", "target/s", "achieved/s", "µs/event", "peak RSS")
	for _, rate := range []float64{2000, 10000} {
		r := b.load(plain(), "--rate", callRate(rate), "--duration", "10s", "--pace", "instant", "--max-in-flight", "2000")
		fmt.Fprintf(&out, "  %-34s %10.0f %12.0f %12.1f %7d MiB\n", "flireo-sim load (whole calls)", rate, r.rate(), r.cpuPer(), r.rss>>20)
		for _, name := range bodyOrder {
			v := b.vegeta(plain(), bodies[name], rate)
			fmt.Fprintf(&out, "  %-34s %10.0f %12.0f %12.1f %7d MiB\n", "vegeta "+name, rate, v.throughput, v.cpuPer(), v.rss>>20)
		}
	}

	// 1b. The delivery path alone (sign, send, read: no call, no render, no
	// checks), in this process, to show where the rest goes.
	out.WriteString("  delivery path alone (flireo-sim's HTTP client, signed, same body as the mean event):\n")
	for _, rate := range []float64{2000, 10000} {
		fmt.Fprintf(&out, "  %-34s %10.0f %12s %12.1f\n", "flireo-sim delivery.Client", rate, "", deliveryOnly(b.t, plain(), meanBody, rate))
	}

	// 2. Highest sustained rate without drops: each tool climbs until a rate
	// fails twice in a row (one retry absorbs a hiccup of the shared machine).
	// An overloaded run can leave thousands of closed connections in
	// TIME_WAIT, which starve the next run of local ports: after a failed
	// rate, wait until they are gone (at most the kernel's 60 s).
	settle := func() {
		for deadline := time.Now().Add(70 * time.Second); time.Now().Before(deadline) && timeWait() > 1000; {
			time.Sleep(time.Second)
		}
	}
	out.WriteString("\nHighest sustained rate (no dropped calls / no failed requests, ≥ 98% of the target achieved; a failed rate is tried twice)\n")
	best := 0.0
	for _, rate := range []float64{6000, 8000, 10000, 12000, 14000, 16000, 18000, 20000, 22000, 24000, 26000, 28000, 30000} {
		ok := false
		for try := 0; try < 2 && !ok; try++ {
			r := b.load(plain(), "--rate", callRate(rate), "--duration", "10s", "--pace", "instant", "--max-in-flight", "2000")
			ok = r.rep.Calls.Dropped == 0 && r.rate() >= 0.98*rate
			fmt.Fprintf(&out, "  flireo-sim %6.0f events/s → %6.0f achieved, %d dropped, p99 %s: %s\n", rate, r.rate(), r.rep.Calls.Dropped,
				fmtMS(r.rep.All.Latency.P99), verdictWord(ok))
			if !ok {
				settle()
			}
		}
		if !ok {
			break
		}
		best = rate
	}
	fmt.Fprintf(&out, "  → flireo-sim sustains %.0f events/s\n", best)
	for _, name := range []string{"600 B", "10 KB"} {
		vbest := 0.0
		for _, rate := range []float64{8000, 10000, 12000, 14000, 16000, 18000, 20000, 22000, 24000} {
			ok := false
			for try := 0; try < 2 && !ok; try++ {
				v := b.vegeta(plain(), bodies[name], rate)
				ok = v.success >= 1 && v.throughput >= 0.98*rate
				fmt.Fprintf(&out, "  vegeta %-6s %6.0f requests/s → %6.0f achieved, success %.4f: %s\n", name, rate, v.throughput, v.success, verdictWord(ok))
				if !ok {
					settle()
				}
			}
			if !ok {
				break
			}
			vbest = rate
		}
		fmt.Fprintf(&out, "  → vegeta (%s) sustains %.0f requests/s\n", name, vbest)
	}

	// 3. Memory with 10,000 realtime calls in flight.
	mem := b.load(plain(), "--rate", "300/s", "--duration", "40s", "--pace", "realtime", "--max-in-flight", "10000", "--grace", "1s")
	fmt.Fprintf(&out, "\nMemory: %d realtime-paced calls live at the peak → peak RSS %d MiB (%.1f KiB per live call)\n",
		mem.rep.Calls.MaxLive, mem.rss>>20, float64(mem.rss)/1024/float64(max(mem.rep.Calls.MaxLive, 1)))

	// 4. Deadline precision: 1,000 deliveries in flight to a server that never answers.
	idle := b.load(b.sink("--hang"), "--rate", "1000/s", "--duration", "1s", "--pace", "instant")
	fmt.Fprintf(&out, "\nDeadline precision (1,000 calls against a server that never answers; 5 s deadlines)\n")
	fmt.Fprintf(&out, "  idle:       assistant-request timeouts fire %s late at p99 (max %s); all %d timeouts: p99 %s\n",
		fmtMS(idle.lateness("assistant-request").P99), fmtMS(idle.lateness("assistant-request").Max), idle.rep.All.Timeouts, fmtMS(idle.rep.All.LatenessMS.P99))
	bg := b.start(plain(), "--rate", callRate(10000), "--duration", "30s", "--pace", "instant", "--max-in-flight", "3000")
	time.Sleep(3 * time.Second)
	busy := b.load(b.sink("--hang"), "--rate", "1000/s", "--duration", "1s", "--pace", "instant")
	bgr := bg.wait()
	fmt.Fprintf(&out, "  saturated (flireo-sim load at %.0f events/s on the same 2 cores): assistant-request p99 %s late (max %s); all: p99 %s\n",
		bgr.rate(), fmtMS(busy.lateness("assistant-request").P99), fmtMS(busy.lateness("assistant-request").Max), fmtMS(busy.rep.All.LatenessMS.P99))

	// 5. Accuracy against a receiver that answers after exactly 50 ms.
	acc := b.load(b.sink("--delay", "50ms"), "--rate", "200/s", "--duration", "10s", "--pace", "instant")
	fmt.Fprintf(&out, "\nAccuracy (receiver answers after 50 ms): p50 %s, p99 %s, min %s over %d events\n",
		fmtMS(acc.rep.All.Latency.P50), fmtMS(acc.rep.All.Latency.P99), fmtMS(acc.rep.All.Latency.Min), acc.rep.All.Count)
}

// timeWait counts this machine's TCP sockets in TIME_WAIT (-1: unknown).
func timeWait() int {
	n := 0
	for _, p := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		raw, err := os.ReadFile(p)
		if err != nil {
			return -1
		}
		for _, line := range strings.Split(string(raw), "\n")[1:] {
			if f := strings.Fields(line); len(f) > 3 && f[3] == "06" {
				n++
			}
		}
	}
	return n
}

func verdictWord(ok bool) string {
	if ok {
		return "sustained"
	}
	return "NOT sustained"
}

func envOr(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

type bench struct {
	t              *testing.T
	bin, vegetaBin string
	dir            string
	n              int
}

// sink starts `flireo-sim sink` on a free loopback port and returns its URL.
// sink starts a sink that runs until the test ends and returns its URL.
func (b *bench) sink(args ...string) string {
	b.t.Helper()
	url, _ := b.sinkProc(args...)
	return url
}

// sinkProc starts a sink and returns its URL and a function that stops it
// (also called when the test ends).
func (b *bench) sinkProc(args ...string) (string, func()) {
	b.t.Helper()
	cmd := exec.Command(b.bin, append([]string{"sink", "--addr", "127.0.0.1:0"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		b.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.t.Fatal(err)
	}
	stop := sync.OnceFunc(func() { _ = cmd.Process.Signal(os.Interrupt); _ = cmd.Wait() })
	b.t.Cleanup(stop)
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		stop()
		b.t.Fatalf("sink: %v: %s", err, stderr.String())
	}
	f := strings.Fields(strings.TrimPrefix(line, "sink listening on "))
	if len(f) == 0 || !strings.HasPrefix(f[0], "http://127.0.0.1:") {
		b.t.Fatalf("sink said %q", line)
	}
	return f[0], stop
}

type timed struct {
	cpu  time.Duration
	rss  int64
	rep  *Report
	done chan struct{}
	err  error
}

func (r *timed) rate() float64 { return float64(r.rep.All.Count) / r.rep.Run.ElapsedS }
func (r *timed) cpuPer() float64 {
	return float64(r.cpu.Microseconds()) / float64(max(r.rep.All.Count, 1))
}
func (r *timed) lateness(ev string) Latency {
	for _, e := range r.rep.Events {
		if e.Event == ev {
			return e.LatenessMS
		}
	}
	return Latency{}
}
func (r *timed) wait() *timed { <-r.done; return r }

// load runs `flireo-sim load` under /usr/bin/time -v and reads its report.
func (b *bench) load(target string, args ...string) *timed {
	b.t.Helper()
	r := b.start(target, args...).wait()
	if r.err != nil {
		b.t.Fatal(r.err)
	}
	return r
}

func (b *bench) start(target string, args ...string) *timed {
	b.n++
	report := filepath.Join(b.dir, fmt.Sprintf("run-%d.json", b.n))
	all := append([]string{"-v", b.bin, "load", "--target", target, "--quiet", "--report", report}, args...)
	cmd := exec.Command("/usr/bin/time", all...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	r := &timed{done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		b.t.Fatal(err)
	}
	go func() {
		defer close(r.done)
		_ = cmd.Wait() // exit 1 is a result (e.g. every delivery timed out)
		r.cpu, r.rss, r.err = parseTime(stderr.String())
		if r.err != nil {
			return
		}
		f, err := os.Open(report)
		if err != nil {
			r.err = fmt.Errorf("flireo-sim load %v: %v\n%s", args, err, stderr.String())
			return
		}
		defer f.Close()
		r.rep, r.err = ReadJSON(f)
	}()
	return r
}

type vegetaResult struct {
	cpu        time.Duration
	rss        int64
	requests   int64
	throughput float64
	success    float64
}

func (v vegetaResult) cpuPer() float64 {
	return float64(v.cpu.Microseconds()) / float64(max(v.requests, 1))
}

// vegeta runs vegeta attack for 10 s with a JSON body of size bytes.
func (b *bench) vegeta(target string, size int, rate float64) vegetaResult {
	b.t.Helper()
	b.n++
	body := filepath.Join(b.dir, fmt.Sprintf("body-%d.json", size))
	if _, err := os.Stat(body); err != nil {
		doc := `{"x":"` + strings.Repeat("a", max(size-8, 0)) + `"}`
		if err := os.WriteFile(body, []byte(doc), 0o644); err != nil {
			b.t.Fatal(err)
		}
	}
	targets := filepath.Join(b.dir, fmt.Sprintf("targets-%d.txt", size))
	spec := fmt.Sprintf("POST %s\nContent-Type: application/json\nX-Webhook-Event: status-update\n@%s\n", target, body)
	if err := os.WriteFile(targets, []byte(spec), 0o644); err != nil {
		b.t.Fatal(err)
	}
	results := filepath.Join(b.dir, fmt.Sprintf("vegeta-%d.bin", b.n))
	cmd := exec.Command("/usr/bin/time", "-v", b.vegetaBin, "attack", "-targets="+targets, fmt.Sprintf("-rate=%.0f/s", rate),
		"-duration=10s", "-output="+results)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		b.t.Fatalf("vegeta: %v\n%s", err, stderr.String())
	}
	var v vegetaResult
	var err error
	if v.cpu, v.rss, err = parseTime(stderr.String()); err != nil {
		b.t.Fatal(err)
	}
	rep, err := exec.Command(b.vegetaBin, "report", "-type=json", results).Output()
	if err != nil {
		b.t.Fatalf("vegeta report: %v", err)
	}
	var doc struct {
		Requests   int64   `json:"requests"`
		Throughput float64 `json:"throughput"`
		Success    float64 `json:"success"`
	}
	if err := json.Unmarshal(rep, &doc); err != nil {
		b.t.Fatal(err)
	}
	v.requests, v.throughput, v.success = doc.Requests, doc.Throughput, doc.Success
	return v
}

var (
	userRE = regexp.MustCompile(`User time \(seconds\): ([\d.]+)`)
	sysRE  = regexp.MustCompile(`System time \(seconds\): ([\d.]+)`)
	rssRE  = regexp.MustCompile(`Maximum resident set size \(kbytes\): (\d+)`)
)

// parseTime reads CPU time and peak RSS from /usr/bin/time -v output.
func parseTime(s string) (time.Duration, int64, error) {
	u, s1 := userRE.FindStringSubmatch(s), sysRE.FindStringSubmatch(s)
	m := rssRE.FindStringSubmatch(s)
	if u == nil || s1 == nil || m == nil {
		return 0, 0, fmt.Errorf("no /usr/bin/time -v figures in:\n%s", s)
	}
	uf, _ := strconv.ParseFloat(u[1], 64)
	sf, _ := strconv.ParseFloat(s1[1], 64)
	kb, _ := strconv.ParseInt(m[1], 10, 64)
	return time.Duration(math.Round((uf+sf)*1e6)) * time.Microsecond, kb << 10, nil
}

// deliveryOnly sends signed requests of size bytes open-loop at rate for
// 10 s with the simulator's delivery client and returns the CPU this process
// spent per request (µs).
func deliveryOnly(t *testing.T, target string, size int, rate float64) float64 {
	c := delivery.New(delivery.Options{Secret: "bench-secret"})
	defer c.Close()
	body := []byte(`{"x":"` + strings.Repeat("a", max(size-8, 0)) + `"}`)
	n := int(rate * 10)
	gap := time.Duration(float64(time.Second) / rate)
	var before, after syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &before)
	var wg sync.WaitGroup
	start := time.Now()
	var failed atomic.Int64
	for i := range n {
		time.Sleep(time.Until(start.Add(time.Duration(i) * gap)))
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := c.Send(context.Background(), sim.Request{URL: target, Event: sim.StatusUpdate, Body: body, Deadline: 5 * time.Second})
			if r.Failure != nil {
				failed.Add(1)
			}
		}()
	}
	wg.Wait()
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &after)
	if f := failed.Load(); f > 0 {
		t.Logf("delivery path: %d of %d requests failed", f, n)
	}
	cpu := time.Duration(after.Utime.Nano() - before.Utime.Nano() + after.Stime.Nano() - before.Stime.Nano())
	return float64(cpu.Microseconds()) / float64(n)
}
