// Package simulator is the domain of flireo-sim: the call model (CallPlan,
// Event, Exchange, Finding), the ports its adapters implement, and Session,
// the one driver of a call. Engine.Play runs a session to its end; the step
// library and the send command advance one to a phase (Session.AdvanceTo);
// the mock platform drives one with live call control (CallOptions.Controller).
//
// The files follow the call: engine.go and options.go (the engine and a
// call's options), session.go and phase.go (the driver), assistant.go,
// conversation.go, tools.go and ending.go (the lifecycle), control.go (live
// call control), clock.go (the virtual clock and pacing) and delivery.go (the
// one delivery path every exchange takes).
//
// The engine speaks only its own types. Wire formats (simulator/dialect), HTTP
// delivery (simulator/delivery), seeded data (simulator/fake) and the check
// catalogue (simulator/check) plug in through the small interfaces declared
// here, so those packages import this one and never the other way round.
package simulator
