// Package realism checks that a played call is believable: its payload
// timestamps lie in the call's own window, its transcript never contradicts
// itself or claims what no tool confirmed, and its bookings are at times
// the server offered and not in the past.
//
// The checks read a sim.CallResult as played: the bytes of every request,
// the wall-clock time each was sent, the tool calls and the parsed tool
// results, and the transcript of the report. They prefer structure (tool
// calls and their results) over words; where words are needed (what the
// assistant claimed), the nl and en phrase banks of fixtures/phrases and
// common server wording are recognised.
package realism
