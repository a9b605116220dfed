package decode

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/subtle"
)

// ccmOpen decrypts and authenticates AES-CCM (NIST SP 800-38C, RFC 3610) with a
// 4-byte tag, the tag size of BTHome and Xiaomi MiBeacon. The nonce is 7 to 13
// bytes (BTHome v2 uses 13, BTHome v1 and MiBeacon 12). The plaintext is written
// to dst, which must be as long as ciphertext. It returns false when the tag
// does not match or the parameters are out of range.
//
// The standard library has no CCM mode, and the block cipher is all CCM needs:
// CBC-MAC over B0, the associated data and the plaintext, then CTR for both the
// payload and the tag.
func ccmOpen(block cipher.Block, nonce, ciphertext, tag, aad, dst []byte) bool {
	const tagLen = 4
	lenField := 15 - len(nonce) // size of the counter / length field, L
	if len(nonce) < 7 || len(nonce) > 13 || len(tag) != tagLen ||
		len(ciphertext) > 0xFFFF || len(aad) >= 0xFF00 || len(dst) < len(ciphertext) {
		return false
	}
	var ks [16]byte
	for i := 0; i < len(ciphertext); i += 16 {
		ccmCounterBlock(block, nonce, lenField, uint16(i/16+1), &ks)
		end := min(i+16, len(ciphertext))
		subtle.XORBytes(dst[i:end], ciphertext[i:end], ks[:end-i])
	}
	mac := cbcMAC(block, nonce, lenField, aad, dst[:len(ciphertext)], tagLen)
	ccmCounterBlock(block, nonce, lenField, 0, &ks)
	var want [tagLen]byte
	subtle.XORBytes(want[:], mac[:tagLen], ks[:tagLen])
	return subtle.ConstantTimeCompare(want[:], tag) == 1
}

// ccmCounterBlock encrypts counter block A_i into out.
func ccmCounterBlock(block cipher.Block, nonce []byte, lenField int, i uint16, out *[16]byte) {
	var a [16]byte
	a[0] = byte(lenField - 1)
	copy(a[1:], nonce)
	a[14], a[15] = byte(i>>8), byte(i)
	block.Encrypt(out[:], a[:])
}

// cbcMAC computes the CCM authentication field T before encryption.
func cbcMAC(block cipher.Block, nonce []byte, lenField int, aad, plaintext []byte, tagLen int) [16]byte {
	var x, b [16]byte
	b[0] = byte((tagLen-2)/2)<<3 | byte(lenField-1)
	if len(aad) > 0 {
		b[0] |= 1 << 6
	}
	copy(b[1:], nonce)
	b[14], b[15] = byte(len(plaintext)>>8), byte(len(plaintext))
	block.Encrypt(x[:], b[:])
	if len(aad) > 0 {
		// The associated data is preceded by its 2-byte length and padded with zeros.
		var first [16]byte
		first[0], first[1] = byte(len(aad)>>8), byte(len(aad))
		n := copy(first[2:], aad)
		macBlock(block, &x, first[:2+n])
		for i := n; i < len(aad); i += 16 {
			macBlock(block, &x, aad[i:min(i+16, len(aad))])
		}
	}
	for i := 0; i < len(plaintext); i += 16 {
		macBlock(block, &x, plaintext[i:min(i+16, len(plaintext))])
	}
	return x
}

// macBlock folds one block, zero-padded when short, into the CBC-MAC state.
func macBlock(block cipher.Block, x *[16]byte, in []byte) {
	subtle.XORBytes(x[:len(in)], x[:len(in)], in)
	block.Encrypt(x[:], x[:])
}

// cipherFor returns an AES block cipher for key, reusing the one made for the
// previous call when the key is the same: building one allocates, and a stream
// from one device repeats its key.
func (r *Result) cipherFor(key [16]byte) cipher.Block {
	if r.block == nil || r.blockKey != key {
		block, err := aes.NewCipher(key[:])
		if err != nil {
			panic("decode: AES-128 key rejected: " + err.Error()) // cannot happen: the length is fixed
		}
		r.block, r.blockKey = block, key
	}
	return r.block
}
