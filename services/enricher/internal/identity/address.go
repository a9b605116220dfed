// Package identity names BLE devices: it parses and classifies device addresses,
// resolves rotating private addresses with identity resolving keys, describes beacon
// identities, and merges the copies of one advertisement heard by several gateways.
package identity

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// Address is a 48-bit Bluetooth device address, most significant byte first, the
// order in which it is printed ("C0:11:22:33:44:55"). HCI carries it the other way
// round; adapters reverse it when they read it off the air.
type Address [6]byte

// ParseAddress reads an address written as six hex octets separated by colons or
// dashes, most significant first, or as twelve hex digits without separators.
func ParseAddress(s string) (Address, error) {
	var a Address
	clean := strings.NewReplacer(":", "", "-", "").Replace(s)
	if len(clean) != 12 {
		return a, fmt.Errorf("parsing address %q: want 6 hex octets, got %d hex digits", s, len(clean))
	}
	if _, err := hex.Decode(a[:], []byte(clean)); err != nil {
		return a, fmt.Errorf("parsing address %q: %w", s, err)
	}
	return a, nil
}

// String prints the address as upper-case colon-separated octets.
func (a Address) String() string {
	const digits = "0123456789ABCDEF"
	b := make([]byte, 0, 17)
	for i, octet := range a {
		if i > 0 {
			b = append(b, ':')
		}
		b = append(b, digits[octet>>4], digits[octet&0x0f])
	}
	return string(b)
}

// IsZero reports whether the address is all zeros, which no device uses.
func (a Address) IsZero() bool { return a == Address{} }

// AddressType says whether an address is the public one from the IEEE registry or a
// random one the device chose; the advertising PDU's TxAdd bit carries it.
type AddressType int

// Address types as the link layer distinguishes them.
const (
	AddressPublic AddressType = iota
	AddressRandom
)

// String names the address type.
func (t AddressType) String() string {
	switch t {
	case AddressPublic:
		return "public"
	case AddressRandom:
		return "random"
	default:
		return fmt.Sprintf("AddressType(%d)", int(t))
	}
}

// AddressKind is the finer class of an address: random addresses split into three
// sub-types by their two most significant bits (Core Spec Vol 6 Part B 1.3.2).
type AddressKind int

// Address kinds. Reserved covers random addresses with top bits 0b10, which the spec
// leaves undefined; they are kept apart so they are not mistaken for stable ones.
const (
	KindPublic AddressKind = iota
	KindRandomStatic
	KindResolvablePrivate
	KindNonResolvablePrivate
	KindReserved
)

// String names the address kind.
func (k AddressKind) String() string {
	switch k {
	case KindPublic:
		return "public"
	case KindRandomStatic:
		return "random_static"
	case KindResolvablePrivate:
		return "resolvable_private"
	case KindNonResolvablePrivate:
		return "non_resolvable_private"
	case KindReserved:
		return "reserved"
	default:
		return fmt.Sprintf("AddressKind(%d)", int(k))
	}
}

// Rotates reports whether addresses of this kind change over time (RPAs and
// non-resolvable private addresses), so a single address says little about who sent it.
func (k AddressKind) Rotates() bool {
	return k == KindResolvablePrivate || k == KindNonResolvablePrivate
}

// Classify tells what kind of address a is, given the type the link layer reported.
func Classify(a Address, t AddressType) AddressKind {
	if t == AddressPublic {
		return KindPublic
	}
	switch a[0] >> 6 {
	case 0b11:
		return KindRandomStatic
	case 0b01:
		return KindResolvablePrivate
	case 0b00:
		return KindNonResolvablePrivate
	default:
		return KindReserved
	}
}
