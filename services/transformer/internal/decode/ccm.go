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
// ccmBlocks is the working memory of ccmOpen. It lives in the Result because
// arrays handed to cipher.Block's methods escape to the heap: kept on the stack
// they would cost an allocation per block.
type ccmBlocks struct {
	ks, a, x, b, want [16]byte
}

func ccmOpen(block cipher.Block, w *ccmBlocks, nonce, ciphertext, tag, aad, dst []byte) bool {
	const tagLen = 4
	lenField := 15 - len(nonce) // size of the counter / length field, L
	if len(nonce) < 7 || len(nonce) > 13 || len(tag) != tagLen ||
		len(ciphertext) > 0xFFFF || len(aad) >= 0xFF00 || len(dst) < len(ciphertext) {
		return false
	}
	for i := 0; i < len(ciphertext); i += 16 {
		ccmCounterBlock(block, w, nonce, lenField, uint16(i/16+1))
		end := min(i+16, len(ciphertext))
		subtle.XORBytes(dst[i:end], ciphertext[i:end], w.ks[:end-i])
	}
	cbcMAC(block, w, nonce, lenField, aad, dst[:len(ciphertext)], tagLen)
	ccmCounterBlock(block, w, nonce, lenField, 0)
	subtle.XORBytes(w.want[:tagLen], w.x[:tagLen], w.ks[:tagLen])
	return subtle.ConstantTimeCompare(w.want[:tagLen], tag) == 1
}

// ccmCounterBlock encrypts counter block A_i into w.ks.
func ccmCounterBlock(block cipher.Block, w *ccmBlocks, nonce []byte, lenField int, i uint16) {
	w.a = [16]byte{}
	w.a[0] = byte(lenField - 1)
	copy(w.a[1:], nonce)
	w.a[14], w.a[15] = byte(i>>8), byte(i)
	block.Encrypt(w.ks[:], w.a[:])
}

// cbcMAC computes the CCM authentication field T, before encryption, into w.x.
func cbcMAC(block cipher.Block, w *ccmBlocks, nonce []byte, lenField int, aad, plaintext []byte, tagLen int) {
	x, b := &w.x, &w.b
	*b = [16]byte{}
	b[0] = byte((tagLen-2)/2)<<3 | byte(lenField-1)
	if len(aad) > 0 {
		b[0] |= 1 << 6
	}
	copy(b[1:], nonce)
	b[14], b[15] = byte(len(plaintext)>>8), byte(len(plaintext))
	block.Encrypt(x[:], b[:])
	if len(aad) > 0 {
		// The associated data is preceded by its 2-byte length and padded with zeros.
		*b = [16]byte{}
		b[0], b[1] = byte(len(aad)>>8), byte(len(aad))
		n := copy(b[2:], aad)
		macBlock(block, x, b[:2+n])
		for i := n; i < len(aad); i += 16 {
			macBlock(block, x, aad[i:min(i+16, len(aad))])
		}
	}
	for i := 0; i < len(plaintext); i += 16 {
		macBlock(block, x, plaintext[i:min(i+16, len(plaintext))])
	}
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
