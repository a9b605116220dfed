package identity

import (
	"crypto/aes"
	"crypto/cipher"
	"encoding/hex"
	"fmt"
	"strings"
)

// IRK is an identity resolving key: the 128-bit AES key a device uses to derive its
// resolvable private addresses, most significant byte first as the spec prints it.
type IRK [16]byte

// ParseIRK reads 32 hex digits, optionally with a 0x prefix and spaces.
func ParseIRK(s string) (IRK, error) {
	var k IRK
	clean := strings.TrimPrefix(strings.ReplaceAll(s, " ", ""), "0x")
	if len(clean) != 32 {
		return k, fmt.Errorf("parsing IRK: want 32 hex digits, got %d", len(clean))
	}
	if _, err := hex.Decode(k[:], []byte(clean)); err != nil {
		return k, fmt.Errorf("parsing IRK: %w", err)
	}
	return k, nil
}

// Ah is the random address hash function of Core Spec Vol 3 Part H 2.2.2:
// ah(k, r) = e(k, r') mod 2^24, where r' is the 24-bit prand zero-padded to 128 bits
// and e is AES-128. With the spec's most-significant-first notation, r' places prand
// in the last three bytes and the result is the last three bytes of the ciphertext.
func Ah(k IRK, prand [3]byte) [3]byte {
	return ah(k.cipher(), prand)
}

// cipher expands the key once; resolvers keep the result because key expansion costs
// more than the single block encryption that ah needs.
func (k IRK) cipher() cipher.Block {
	block, err := aes.NewCipher(k[:])
	if err != nil {
		// A 16-byte key is always valid for AES-128; reaching here is a programming error.
		panic(fmt.Sprintf("identity: AES-128 rejected a 16-byte key: %v", err))
	}
	return block
}

func ah(block cipher.Block, prand [3]byte) [3]byte {
	var in, out [16]byte
	copy(in[13:], prand[:])
	block.Encrypt(out[:], in[:])
	return [3]byte{out[13], out[14], out[15]}
}

// Prand returns the 24 most significant bits of a resolvable private address.
func (a Address) Prand() [3]byte { return [3]byte{a[0], a[1], a[2]} }

// Hash returns the 24 least significant bits of a resolvable private address.
func (a Address) Hash() [3]byte { return [3]byte{a[3], a[4], a[5]} }

// ResolvesWith reports whether a is a resolvable private address generated with k
// (Core Spec Vol 3 Part H 2.2.2: the local hash equals the address's hash part).
func (a Address) ResolvesWith(k IRK) bool {
	if a[0]>>6 != 0b01 {
		return false
	}
	return Ah(k, a.Prand()) == a.Hash()
}

// NewResolvablePrivateAddress builds the RPA a device holding k would advertise for the
// given prand. The two most significant bits of prand are forced to 0b01 as the spec
// requires; tests and the simulator use this to produce realistic rotating addresses.
func NewResolvablePrivateAddress(k IRK, prand [3]byte) Address {
	prand[0] = prand[0]&0x3f | 0x40
	h := Ah(k, prand)
	return Address{prand[0], prand[1], prand[2], h[0], h[1], h[2]}
}
