package decode

// Apple manufacturer data is a sequence of type-length-value messages. Type 0x02
// with length 0x15 is iBeacon (Apple, "Proximity Beacon Specification" R1);
// the others are Continuity messages, named after the public reverse-engineering
// in furiousMAC/continuity (docs/) and Martin et al., "Handoff All Your
// Privacy", PETS 2019. They are identified, not decoded.
var appleContinuityNames = [256]string{
	0x01: "unknown",
	0x03: "airprint",
	0x05: "airdrop",
	0x06: "homekit",
	0x07: "proximity_pairing",
	0x08: "hey_siri",
	0x09: "airplay_target",
	0x0A: "airplay_source",
	0x0B: "magic_switch",
	0x0C: "handoff",
	0x0D: "tethering_target_presence",
	0x0E: "tethering_source_presence",
	0x0F: "nearby_action",
	0x10: "nearby_info",
	0x12: "find_my",
}

const appleTypeIBeacon = 0x02

// decodeApple walks Apple's messages.
func decodeApple(d []byte, r *Result) {
	for off := 0; off < len(d); {
		if off+2 > len(d) {
			r.problem(FormatAppleContinuity, off, "apple message header cut short")
			return
		}
		typ, n := d[off], int(d[off+1])
		body := d[off+2:]
		if n > len(body) {
			r.problem(FormatAppleContinuity, off, "apple message length runs past the end")
			return
		}
		body = body[:n]
		if typ == appleTypeIBeacon {
			decodeIBeacon(body, r)
		} else {
			name := appleContinuityNames[typ]
			if name == "" {
				name = "unknown"
			}
			r.addFormat(FormatAppleContinuity)
			r.Identifications = append(r.Identifications, Identification{Format: FormatAppleContinuity, Type: typ, Name: name})
		}
		off += 2 + n
	}
}

// decodeIBeacon reads the 21 bytes after type and length: proximity UUID, major
// and minor (big-endian) and the measured power at 1 m.
func decodeIBeacon(b []byte, r *Result) {
	if len(b) != 21 {
		r.problem(FormatIBeacon, 0, "ibeacon: want 21 bytes after type and length")
		return
	}
	r.addFormat(FormatIBeacon)
	id := Identity{Kind: IdentityIBeacon, Major: be16(b[16:]), Minor: be16(b[18:]), MeasuredPower: int8(b[20])}
	copy(id.UUID[:], b[:16])
	r.Identities = append(r.Identities, id)
}
