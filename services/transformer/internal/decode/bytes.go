package decode

// Little- and big-endian readers for the short fixed fields of advertising
// formats; encoding/binary has no 24-bit forms and these keep call sites short.

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
func be16(b []byte) uint16 { return uint16(b[0])<<8 | uint16(b[1]) }

func les16(b []byte) int16 { return int16(le16(b)) }
func bes16(b []byte) int16 { return int16(be16(b)) }

// leUint reads up to 8 bytes little-endian.
func leUint(b []byte) uint64 {
	var v uint64
	for i := len(b) - 1; i >= 0; i-- {
		v = v<<8 | uint64(b[i])
	}
	return v
}

// beUint reads up to 8 bytes big-endian.
func beUint(b []byte) uint64 {
	var v uint64
	for _, c := range b {
		v = v<<8 | uint64(c)
	}
	return v
}

// leInt reads a two's complement little-endian integer of 1 to 8 bytes.
func leInt(b []byte) int64 {
	shift := 64 - 8*uint(len(b))
	return int64(leUint(b)<<shift) >> shift
}
