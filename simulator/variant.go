package simulator

// Variant names the robustness case a delivery exercises: the same event as
// the platform sends it, delivered in a way the documentation allows but a
// server may not expect (again, out of order, with extra fields, very large).
// The checks that judge a variant (simulator/check) own its exchanges; a plain
// delivery has no variant.
type Variant string

// Robustness variants of a delivery.
const (
	VariantNone        Variant = ""
	VariantRedelivery  Variant = "redelivery"   // the same event delivered a second time
	VariantOutOfOrder  Variant = "out-of-order" // end-of-call-report before the status-update ended, and that status-update
	VariantExtraFields Variant = "extra-fields" // fields the documentation does not list, at every level
	VariantWebCall     Variant = "web-call"     // a web call: customer and phone numbers are null
	VariantLarge       Variant = "large"        // an end-of-call-report of 1 MiB (a long transcript)
	VariantText        Variant = "text"         // text with Dutch diacritics and emoji
	VariantConcurrent  Variant = "concurrent"   // one of many calls played at the same time
)
