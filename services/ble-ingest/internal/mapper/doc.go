// Package mapper converts between the domain advertisement (advert) and the
// contract's protobuf messages (ScannedAdvertisement, AdvertisementReceived).
// Errors name the contract field that cannot be mapped, so the RPC edge can
// report it as invalid_argument and local sources can say what they skipped.
package mapper
