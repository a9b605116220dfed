package advert

import "fmt"

// Address is a 48-bit device address in display order: Address[0] is the most
// significant byte, as in "48:CA:43:3A:34:05". HCI and the link layer carry it
// least significant byte first; the decoders reverse it.
type Address [6]byte

// String formats the address as six colon-separated upper-case hex bytes.
func (a Address) String() string {
	return fmt.Sprintf("%02X:%02X:%02X:%02X:%02X:%02X", a[0], a[1], a[2], a[3], a[4], a[5])
}

// AddressFromLittleEndian reverses the six bytes of an address as it appears on
// the air or in HCI parameters.
func AddressFromLittleEndian(b []byte) Address {
	var a Address
	for i := range a {
		a[i] = b[5-i]
	}
	return a
}

// LittleEndian returns the address in over-the-air byte order.
func (a Address) LittleEndian() [6]byte {
	var b [6]byte
	for i := range b {
		b[i] = a[5-i]
	}
	return b
}

// AddressType says how a device address was assigned.
type AddressType uint8

const (
	AddressTypeUnspecified AddressType = iota
	// AddressPublic is an IEEE-assigned public device address.
	AddressPublic
	// AddressRandom is a random device address; RandomKind tells which sort.
	AddressRandom
	// AddressAnonymous marks an extended advertisement sent without AdvA.
	AddressAnonymous
)

func (t AddressType) String() string {
	switch t {
	case AddressPublic:
		return "public"
	case AddressRandom:
		return "random"
	case AddressAnonymous:
		return "anonymous"
	default:
		return fmt.Sprintf("AddressType(%d)", uint8(t))
	}
}

// Known reports whether t is one of the defined address types.
func (t AddressType) Known() bool { return t >= AddressPublic && t <= AddressAnonymous }

// RandomKind is the sub-type of a random address, carried in its two most
// significant bits (Core Spec Vol 6 Part B 1.3.2).
type RandomKind uint8

const (
	RandomKindNone RandomKind = iota
	// RandomStatic addresses (top bits 0b11) stay fixed for at least a power cycle.
	RandomStatic
	// RandomResolvable addresses (0b01) are resolvable private addresses (RPA).
	RandomResolvable
	// RandomNonResolvable addresses (0b00) cannot be linked to an identity.
	RandomNonResolvable
	// RandomReserved covers the top bits 0b10, which the spec reserves.
	RandomReserved
)

func (k RandomKind) String() string {
	return [...]string{"none", "static", "resolvable", "non-resolvable", "reserved"}[k]
}

// RandomKind derives the random address sub-type; it is RandomKindNone unless the
// address type is AddressRandom.
func (a Advertisement) RandomKind() RandomKind {
	if a.AddressType != AddressRandom {
		return RandomKindNone
	}
	switch a.Address[0] >> 6 {
	case 0b11:
		return RandomStatic
	case 0b01:
		return RandomResolvable
	case 0b00:
		return RandomNonResolvable
	default:
		return RandomReserved
	}
}
