// Package simulator runs a deterministic fleet of BLE devices and gateways on a
// floor plan, driven by a virtual clock: Step(until) returns every advertisement
// the gateways would have received up to that instant. Devices send the bytes
// real ones send (iBeacon, Eddystone, RuuviTag data format 5, BTHome v2, plain
// named devices), move between zones, and can be given incidents (battery drain,
// temperature spike, going silent) for the analyzer to find. The same seed and
// configuration always yield the same advertisements.
package simulator
