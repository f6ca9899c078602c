package main

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/flireo-sim/flireo-sim/simulator/load"
)

const sinkUsage = `
Usage: flireo-sim sink [--addr 127.0.0.1:8080] [--delay D] [--hang]

A minimal, fast and correct webhook receiver: it answers every event of every dialect
validly and does no work (no signature verification, no parsing, no state). The
assistant-request reply declares tools for every conversation need, so calls take their
full course, tool-calls included. Use it to measure the simulator's own ceiling
(flireo-sim load --target http://ADDR/webhook) and for smoke tests.

--delay holds every reply (to check the reported latency against a known one); --hang
never answers (to check that deadlines fire on time).`

func runSink(ctx context.Context, args []string, stdout, stderr io.Writer, env environment) error {
	fs := newFlags("sink", sinkUsage)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	delay := fs.Duration("delay", 0, "answer every request after this long")
	hang := fs.Bool("hang", false, "never answer (hold every request until the client gives up)")
	if err := fs.parse(args, stdout); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("sink: unexpected argument %q", fs.Arg(0))
	}
	if *delay < 0 {
		return usagef("--delay cannot be negative")
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return usagef("cannot listen on %s: %v (choose another --addr)", *addr, err)
	}
	mode := "answers at once"
	switch {
	case *hang:
		mode = "never answers"
	case *delay > 0:
		mode = fmt.Sprintf("answers after %s", *delay)
	}
	fmt.Fprintf(stdout, "sink listening on http://%s/webhook · %s · stop with Ctrl-C\n", ln.Addr(), mode)
	return serve(ctx, ln, load.NewSink(load.SinkOptions{Delay: *delay, Hang: *hang}))
}
