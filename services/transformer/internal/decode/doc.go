// Package decode turns raw BLE advertising payloads into typed readings:
// measurements with UCUM units, beacon identities, and the names of the formats
// that were recognised, alongside the AD structure summary from package adstruct.
//
// Decode reuses the slices of the Result it is given, so a caller that keeps one
// Result per goroutine decodes without allocating. Byte slices in a Result alias
// either the payload or the Result's own scratch space; copy what must outlive the
// next Decode call.
package decode
