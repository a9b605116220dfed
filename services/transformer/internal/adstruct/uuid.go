package adstruct

import "encoding/hex"

// UUID is a 128-bit Bluetooth UUID in big-endian (display) order. 16- and 32-bit
// UUIDs are stored expanded onto the Bluetooth Base UUID
// 00000000-0000-1000-8000-00805F9B34FB (Core Specification Vol 3, Part B, 2.5.1).
type UUID [16]byte

var baseUUIDTail = [12]byte{0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0x80, 0x5F, 0x9B, 0x34, 0xFB}

// UUID16 expands a 16-bit UUID onto the Bluetooth Base UUID.
func UUID16(v uint16) UUID { return UUID32(uint32(v)) }

// UUID32 expands a 32-bit UUID onto the Bluetooth Base UUID.
func UUID32(v uint32) UUID {
	var u UUID
	u[0], u[1], u[2], u[3] = byte(v>>24), byte(v>>16), byte(v>>8), byte(v)
	copy(u[4:], baseUUIDTail[:])
	return u
}

// uuidLE reads a UUID of 2, 4 or 16 bytes stored little-endian, as AD structures do.
func uuidLE(b []byte) UUID {
	switch len(b) {
	case 2:
		return UUID16(uint16(b[0]) | uint16(b[1])<<8)
	case 4:
		return UUID32(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24)
	}
	var u UUID
	for i := range 16 {
		u[i] = b[15-i]
	}
	return u
}

// Short16 returns the 16-bit form when the UUID lies on the Base UUID with a value
// below 0x10000.
func (u UUID) Short16() (uint16, bool) {
	v, ok := u.Short32()
	if !ok || v > 0xFFFF {
		return 0, false
	}
	return uint16(v), true
}

// Short32 returns the 32-bit form when the UUID lies on the Base UUID.
func (u UUID) Short32() (uint32, bool) {
	if [12]byte(u[4:]) != baseUUIDTail {
		return 0, false
	}
	return uint32(u[0])<<24 | uint32(u[1])<<16 | uint32(u[2])<<8 | uint32(u[3]), true
}

// String formats the UUID in the canonical 8-4-4-4-12 lower-case form.
func (u UUID) String() string {
	var buf [36]byte
	hex.Encode(buf[0:8], u[0:4])
	buf[8] = '-'
	hex.Encode(buf[9:13], u[4:6])
	buf[13] = '-'
	hex.Encode(buf[14:18], u[6:8])
	buf[18] = '-'
	hex.Encode(buf[19:23], u[8:10])
	buf[23] = '-'
	hex.Encode(buf[24:], u[10:])
	return string(buf[:])
}
