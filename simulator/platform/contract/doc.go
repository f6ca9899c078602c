// Package contract checks the mock platform's REST answers against the
// official Node SDK's response types: Go mirrors of the SDK's src/types.ts
// (v1.0.1, commit 3ca1733) and a strict checker that names, by JSON path,
// every missing required field, wrong JSON type and value outside an enum.
//
// A mirror is a Go struct per SDK interface, field for field, in the SDK's
// order. The json tag names the field; the sdk tag says how the SDK declares
// it: no sdk tag is a required, non-null field (`name: T`), "optional" is
// `name?: T` and "optional,nullable" is `name?: T | null`. A string union is
// a named string type with a Values method (the SDK's set) and, where the
// platform's documentation names values the SDK v1.0.1 did not have yet, a
// Later method; a Checker accepts those only when told to. Unknown fields
// are always allowed (the SDK ignores them).
package contract
