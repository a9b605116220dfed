package decode

import "github.com/bluestream/bluestream/services/transformer/internal/adstruct"

// decodeAltBeacon reads an AltBeacon advertisement (AltBeacon Protocol
// Specification v1.0, github.com/AltBeacon/spec): under any company id, the
// beacon code 0xBEAC, a 20-byte beacon id, the reference RSSI at 1 m and one
// manufacturer-reserved byte. The id is reported like iBeacon's: a 16-byte
// organisational unit, then two 16-bit values, as most deployments use it.
func decodeAltBeacon(md adstruct.ManufacturerData, r *Result) bool {
	d := md.Data
	if len(d) != 24 || d[0] != 0xBE || d[1] != 0xAC {
		return false
	}
	r.addFormat(FormatAltBeacon)
	id := Identity{Kind: IdentityAltBeacon, Major: be16(d[18:]), Minor: be16(d[20:]), MeasuredPower: int8(d[22])}
	copy(id.UUID[:], d[2:18])
	r.Identities = append(r.Identities, id)
	return true
}
