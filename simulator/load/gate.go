package load

// MustGate is the threshold every run is judged by unless the thresholds
// name checks.must themselves: no must check fails (an incomplete reply, a
// missed deadline, a non-2xx status...). A run whose must checks fail is
// never reported as a pass; a load test that tolerates some failures says
// so, e.g. 'checks.must<0.1%'.
const MustGate = "checks.must==0"

// WithMustGate returns ts with MustGate added when no threshold of ts is on
// checks.must.
func WithMustGate(ts []Threshold) []Threshold {
	for _, t := range ts {
		if t.Scope == "" && t.Metric == "checks.must" {
			return ts
		}
	}
	return append(ts, Threshold{Expr: MustGate, Metric: "checks.must", Op: "==", Kind: kindCount})
}
