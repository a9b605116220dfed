package capture

// advertisingCRCInit is the CRC preset for advertising-channel PDUs (Core Spec
// Vol 6 Part B 3.1.1).
const advertisingCRCInit = 0x555555

// linkLayerCRC computes the 24-bit link-layer CRC over a PDU (header and payload).
// The spec defines an LFSR with polynomial x^24+x^10+x^9+x^6+x^4+x^3+x+1, fed with
// each byte least significant bit first and preset with the bit-reversed init;
// shifting right with the reflected polynomial 0xDA6000 is the same register.
// The result is in the byte order the CRC field has in the packet (read as a
// little-endian 24-bit number).
func linkLayerCRC(init uint32, pdu []byte) uint32 {
	state := reverse24(init)
	for _, b := range pdu {
		for range 8 {
			feedback := (state ^ uint32(b)) & 1
			b >>= 1
			state >>= 1
			if feedback != 0 {
				state ^= 0xDA6000
			}
		}
	}
	return state
}

func reverse24(v uint32) uint32 {
	var r uint32
	for range 24 {
		r = r<<1 | v&1
		v >>= 1
	}
	return r
}
