package decode

// Eddystone frame types (google/eddystone protocol-specification.md).
const (
	eddystoneUID = 0x00
	eddystoneURL = 0x10
	eddystoneTLM = 0x20
	eddystoneEID = 0x30
)

// decodeEddystone decodes Eddystone service data (UUID 0xFEAA).
func decodeEddystone(d []byte, r *Result) {
	if len(d) < 1 {
		r.problem(FormatEddystoneUID, 0, "eddystone: empty service data, no frame type")
		return
	}
	switch d[0] {
	case eddystoneUID:
		decodeEddystoneUID(d, r)
	case eddystoneURL:
		decodeEddystoneURL(d, r)
	case eddystoneTLM:
		decodeEddystoneTLM(d, r)
	case eddystoneEID:
		if len(d) != 10 {
			r.problem(FormatEddystoneEID, 0, "eid frame: want 10 bytes")
			return
		}
		r.addFormat(FormatEddystoneEID)
		id := Identity{Kind: IdentityEddystoneEID, MeasuredPower: int8(d[1])}
		copy(id.EID[:], d[2:10])
		r.Identities = append(r.Identities, id)
	default:
		r.problem(FormatEddystoneUID, 0, "eddystone: unknown frame type")
	}
}

// decodeEddystoneUID: tx power at 0 m, 10-byte namespace, 6-byte instance and
// two reserved bytes that some beacons leave out (eddystone-uid/README.md).
func decodeEddystoneUID(d []byte, r *Result) {
	if len(d) != 18 && len(d) != 20 {
		r.problem(FormatEddystoneUID, 0, "uid frame: want 18 or 20 bytes")
		return
	}
	r.addFormat(FormatEddystoneUID)
	id := Identity{Kind: IdentityEddystoneUID, MeasuredPower: int8(d[1])}
	copy(id.Namespace[:], d[2:12])
	copy(id.Instance[:], d[12:18])
	r.Identities = append(r.Identities, id)
}

// eddystoneSchemes and eddystoneExpansions are the URL scheme prefixes and
// HTTP URL encoding expansions of eddystone-url/README.md.
var (
	eddystoneSchemes    = [...]string{"http://www.", "https://www.", "http://", "https://"}
	eddystoneExpansions = [...]string{".com/", ".org/", ".edu/", ".net/", ".info/", ".biz/", ".gov/",
		".com", ".org", ".edu", ".net", ".info", ".biz", ".gov"}
)

// decodeEddystoneURL expands the compressed URL into the result's scratch space.
func decodeEddystoneURL(d []byte, r *Result) {
	if len(d) < 3 || len(d) > 20 {
		r.problem(FormatEddystoneURL, 0, "url frame: want 3 to 20 bytes")
		return
	}
	if int(d[2]) >= len(eddystoneSchemes) {
		r.problem(FormatEddystoneURL, 2, "url frame: unknown scheme prefix")
		return
	}
	n := len(eddystoneSchemes[d[2]])
	for _, c := range d[3:] {
		switch {
		case int(c) < len(eddystoneExpansions):
			n += len(eddystoneExpansions[c])
		case c <= 0x20 || c >= 0x7F:
			r.problem(FormatEddystoneURL, 3, "url frame: byte outside printable ASCII and not an expansion code")
			return
		default:
			n++
		}
	}
	url := r.grabScratch(n)[:0]
	url = append(url, eddystoneSchemes[d[2]]...)
	for _, c := range d[3:] {
		if int(c) < len(eddystoneExpansions) {
			url = append(url, eddystoneExpansions[c]...)
		} else {
			url = append(url, c)
		}
	}
	r.addFormat(FormatEddystoneURL)
	r.Identities = append(r.Identities, Identity{Kind: IdentityEddystoneURL, MeasuredPower: int8(d[1]), URL: url})
}

// decodeEddystoneTLM decodes plain telemetry (version 0, eddystone-tlm/tlm-plain.md)
// and marks encrypted telemetry (version 1, tlm-encrypted.md), which needs the
// EID identity key and is not decrypted here.
func decodeEddystoneTLM(d []byte, r *Result) {
	if len(d) < 2 {
		r.problem(FormatEddystoneTLM, 0, "tlm frame: no version byte")
		return
	}
	switch d[1] {
	case 0x01:
		r.addFormat(FormatEddystoneTLMEnc)
		return
	case 0x00:
	default:
		r.problem(FormatEddystoneTLM, 1, "tlm frame: unknown version")
		return
	}
	if len(d) != 14 {
		r.problem(FormatEddystoneTLM, 0, "tlm frame: want 14 bytes")
		return
	}
	r.addFormat(FormatEddystoneTLM)
	const f = FormatEddystoneTLM
	if mv := be16(d[2:]); mv != 0 { // 0 means the beacon has no battery reading
		r.add(f, BatteryVoltage, float64(mv)/1000, "V")
	}
	if t := bes16(d[4:]); t != -0x8000 { // 0x8000 means not supported
		r.add(f, Temperature, float64(t)/256, "Cel") // signed 8.8 fixed point
	}
	r.add(f, AdvertisingCount, float64(beUint(d[6:10])), "1")
	r.add(f, Uptime, float64(beUint(d[10:14]))/10, "s")
}
