package scenarios

import sim "github.com/flireo-sim/flireo-sim/simulator"

// keptReply is how much of a reply body a finished scenario keeps: the
// reports quote a reply, they never need it whole.
const keptReply = 4 << 10

// slim drops what the reports of a finished scenario do not use, so that a
// run keeps memory in proportion to what it reports, not to what the server
// sent: reply bodies are cut to keptReply bytes (the checks already judged
// them, and the details quote no more).
func slim(xs []*sim.Exchange) {
	for _, x := range xs {
		if b := x.Response.Body; len(b) > keptReply {
			x.Response.Body = append([]byte(nil), b[:keptReply]...)
		}
	}
}
