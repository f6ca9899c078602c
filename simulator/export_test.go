package simulator

// ActionNeeds exposes actionNeeds to the package's external tests.
var ActionNeeds = actionNeeds
