// Package adstruct splits a BLE advertising payload into its AD structures and
// summarises the ones defined by the Bluetooth Core Specification Supplement
// (CSS v12, Part A, and the "Assigned Numbers" list of common data types).
//
// Parsing never allocates once a Summary has grown to the size of the payloads it
// sees: slices are reset and reused, and every []byte in a Summary aliases the
// payload, so callers must not modify the payload while they use the Summary.
package adstruct
