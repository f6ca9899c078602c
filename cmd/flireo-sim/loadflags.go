package main

import (
	"io"
	"time"

	"github.com/flireo-sim/flireo-sim/simulator/load"
)

// loadFlags are the flags of the load command.
type loadFlags struct {
	fs                                        *flagSet
	sim                                       simFlags
	rate, ramp, mix, pace, shard              *string
	duration, grace, stopGrace, progressEvery *time.Duration
	maxInFlight                               *int
	thresholds, reports                       multiFlag
	abortOnFail, quiet                        *bool
}

// parseLoadFlags registers and parses the flags of the load command.
func parseLoadFlags(args []string, stdout io.Writer) (*loadFlags, error) {
	fs := newFlags("load", loadUsage)
	lf := &loadFlags{fs: fs}
	lf.sim.register(fs, true)
	lf.rate = fs.String("rate", "10/s", "calls started per second (20/s, 600/m)")
	lf.duration = fs.Duration("duration", time.Minute, "how long calls are started")
	lf.ramp = fs.String("ramp", "", "changing rate instead of --rate: FROM→TO/s:DURATION[,…] (\"->\" works too); the last rate holds until --duration")
	lf.maxInFlight = fs.Int("max-in-flight", load.DefaultMaxInFlight, "live calls at most; a call due beyond that is dropped, never delayed")
	lf.mix = fs.String("mix", "", "intents by weight, e.g. book-appointment=3,opening-hours=1 (default: the natural mix drawn from the seed)")
	lf.pace = fs.String("pace", "realtime", "realtime (events spaced as in a real call), instant, or a speed-up such as 10x")
	fs.Var(&lf.thresholds, "threshold", "pass/fail criterion, e.g. 'assistant-request.p99<1s' (repeatable)")
	fs.Var(&lf.reports, "report", "write the report: FILE.json, FILE.html, or - for JSON on stdout (repeatable)")
	lf.abortOnFail = fs.Bool("abort-on-fail", false, "stop the run as soon as a threshold fails")
	lf.shard = fs.String("shard", "", "i/n: play shard i of n (auto/n: i from $JOB_COMPLETION_INDEX)")
	lf.grace = fs.Duration("grace", 0, "when the schedule ends, how long live calls may take to finish (default: as long as the run's last calls need at --pace, plus 15s; 1m with --pace instant)")
	lf.stopGrace = fs.Duration("stop-grace", load.DefaultStopGrace, "after Ctrl-C or an abort, how long live calls may take to finish")
	lf.progressEvery = fs.Duration("progress-every", 5*time.Second, "plain progress line interval when stderr is not a terminal")
	lf.quiet = fs.Bool("quiet", false, "no progress and no summary (errors and --report output only)")
	fs.group("Load", "rate", "ramp", "duration", "max-in-flight", "mix", "pace", "shard", "grace", "stop-grace")
	fs.group("Pass/fail", "threshold", "abort-on-fail")
	fs.group(groupOutput, "report", "progress-every", "quiet")
	if err := fs.parse(args, stdout); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, usagef("load: unexpected argument %q (flags start with --)", fs.Arg(0))
	}
	return lf, nil
}

// config is the run's configuration from the flags (without what the kit
// knows: the run info, the replay command and progress).
func (lf *loadFlags) config(seed int64, env environment) (load.Config, error) {
	cfg := load.Config{MaxInFlight: *lf.maxInFlight, Seed: seed, Grace: *lf.grace, StopGrace: *lf.stopGrace, AbortOnFail: *lf.abortOnFail}
	if err := lf.checkLimits(); err != nil {
		return cfg, err
	}
	var err error
	if cfg.Schedule, err = lf.schedule(); err != nil {
		return cfg, err
	}
	if cfg.Mix, err = load.ParseMix(*lf.mix); err != nil {
		return cfg, usageError{err}
	}
	if cfg.Shard, err = load.ParseShard(*lf.shard, env.getenv); err != nil {
		return cfg, usageError{err}
	}
	ts, err := parseThresholds(lf.thresholds)
	if err != nil {
		return cfg, err
	}
	cfg.Thresholds = load.WithMustGate(ts)
	return cfg, nil
}

// checkLimits checks --duration, --max-in-flight and the grace periods.
func (lf *loadFlags) checkLimits() error {
	if *lf.duration <= 0 {
		return usagef("--duration must be positive, e.g. 2m")
	}
	if *lf.maxInFlight < 1 {
		return usagef("--max-in-flight must be at least 1")
	}
	if *lf.grace < 0 || *lf.stopGrace < 0 {
		return usagef("--grace and --stop-grace cannot be negative")
	}
	return nil
}

// schedule is the schedule of --ramp, or else of --rate.
func (lf *loadFlags) schedule() (load.Schedule, error) {
	if *lf.ramp != "" {
		return lf.rampSchedule()
	}
	r, err := load.ParseRate(*lf.rate)
	if err != nil {
		return load.Schedule{}, usagef("--rate: %v", err)
	}
	if r <= 0 {
		return load.Schedule{}, usagef("--rate must be above 0, e.g. 20/s")
	}
	return load.Constant(r, *lf.duration), nil
}

// rampSchedule is the schedule of --ramp: it lasts --duration if given,
// else as long as its stages.
func (lf *loadFlags) rampSchedule() (load.Schedule, error) {
	if wasSet(lf.fs, "rate") {
		return load.Schedule{}, usagef("--ramp sets the rate: drop --rate (the ramp's last rate holds until --duration)")
	}
	stages, err := load.ParseRamp(*lf.ramp)
	if err != nil {
		return load.Schedule{}, usageError{err}
	}
	s := load.Schedule{Stages: stages, Duration: *lf.duration}
	if !wasSet(lf.fs, "duration") {
		var total time.Duration
		for _, st := range stages {
			total += st.Duration
		}
		s.Duration = total
	}
	return s, nil
}

// progressPrinter shows live progress on stderr (nil with --quiet).
func (lf *loadFlags) progressPrinter(stderr io.Writer, env environment) *load.ProgressPrinter {
	if *lf.quiet {
		return nil
	}
	tty := isTerminalWriter(stderr)
	return &load.ProgressPrinter{W: stderr, TTY: tty, Every: *lf.progressEvery, Color: tty && env.getenv != nil && env.getenv("NO_COLOR") == ""}
}
