// Package advert defines Advertisement, one BLE advertisement as a gateway, a local
// HCI controller, a capture replay or the simulator received it: raw bytes plus the
// radio facts around them, with nothing decoded. Transport adapters map it to and
// from the protobuf event AdvertisementReceived; the enums are numbered so that zero
// means "unspecified", as proto3 enums require.
package advert
