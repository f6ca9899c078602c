// Package features holds the built-in conformance suite of flireo-sim: one
// Gherkin file per topic, every scenario tagged @must or @should and with the
// IDs of the checks it exercises. Scenarios tagged @probe-api read the
// server's own API (GET {base}/calls/{call_id}) and run only when the target
// serves it; scenarios that need signatures skip themselves without a secret.
package features

import "embed"

// FS holds the *.feature files at its root.
//
//go:embed *.feature
var FS embed.FS
