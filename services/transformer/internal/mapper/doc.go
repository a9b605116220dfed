// Package mapper turns decoder results into the bluestream.ble.v1 contract:
// decode.Result (whose slices alias the payload and scratch space) becomes a
// DecodedPayload that owns its data, and Marshal encodes it the same way on
// every run and every deployment target, so readings are byte-identical.
package mapper
