// Package simulator is the engine of flireo-sim: the call model (CallPlan, Event,
// Exchange, Finding), Engine.Play, which walks one call lifecycle against a
// server, and the virtual clock that paces it.
//
// The engine speaks only its own types. Wire formats (simulator/dialect), HTTP
// delivery (simulator/delivery), seeded data (simulator/fake) and the check
// catalogue (simulator/check) plug in through the small interfaces declared
// here, so those packages import this one and never the other way round.
package simulator
