// Package fake makes seeded, realistic call data: call plans (numbers,
// persona, business, intent, the caller's lines and the timeline) and, per
// call, a simulator.Generator for what depends on the server's replies (tool
// call ids and arguments from JSON Schema, the assistant's follow-ups,
// summaries, success evaluations, analyses and usage).
//
// Everything is a pure function of (run seed, call number, options): a
// Factory parses the phrase banks (fixtures/phrases) once, and every call
// gets its own gofakeit faker seeded from the pair, so a 10,000-call load run
// is reproducible call by call.
package fake
