package privacy

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
)

// ErrShredded reports sealed data whose subject key is gone: the data is erased.
var ErrShredded = errors.New("subject key destroyed: data is erased")

// sealVersion leads every sealed value so the format can change without guessing.
const sealVersion = 1

// sealInfo separates the sealing key from the pseudonym key derived from the same
// subject key (HKDF, RFC 5869).
const sealInfo = "bluestream/v1/seal"

// Sealer encrypts personal fields (owner references, addresses, IRKs) of registry
// events with the subject's key before they enter the immutable log. Destroying the
// subject key then erases them from every copy of the log, mirrors included.
type Sealer struct {
	keys Keystore
}

// NewSealer returns a sealer over keys.
func NewSealer(keys Keystore) (*Sealer, error) {
	if keys == nil {
		return nil, errors.New("creating sealer: keystore is nil")
	}
	return &Sealer{keys: keys}, nil
}

// Seal encrypts plaintext for subject with AES-256-GCM under a key derived from the
// subject key, binding tenant and subject as additional data so a value cannot be
// moved to another subject. The result is version ‖ nonce ‖ ciphertext.
func (s *Sealer) Seal(ctx context.Context, tenant, subject string, plaintext []byte) ([]byte, error) {
	sk, err := s.keys.SubjectKey(ctx, tenant, subject)
	if err != nil {
		return nil, fmt.Errorf("sealing: %w", err)
	}
	aead, err := sealingAEAD(sk)
	if err != nil {
		return nil, fmt.Errorf("sealing: %w", err)
	}
	out := make([]byte, 1+aead.NonceSize(), 1+aead.NonceSize()+len(plaintext)+aead.Overhead())
	out[0] = sealVersion
	if _, err := rand.Read(out[1:]); err != nil {
		return nil, fmt.Errorf("sealing: drawing nonce: %w", err)
	}
	return aead.Seal(out, out[1:], plaintext, sealAD(tenant, subject)), nil
}

// Open decrypts what Seal produced. It fails with ErrShredded when the subject key
// was destroyed (or replaced after destruction), and names malformed input.
func (s *Sealer) Open(ctx context.Context, tenant, subject string, sealed []byte) ([]byte, error) {
	if len(sealed) < 1 || sealed[0] != sealVersion {
		return nil, fmt.Errorf("opening sealed data: unknown format version")
	}
	sk, err := s.keys.LookupSubjectKey(ctx, tenant, subject)
	if errors.Is(err, ErrNoSubjectKey) {
		return nil, fmt.Errorf("opening sealed data: %w", ErrShredded)
	}
	if err != nil {
		return nil, fmt.Errorf("opening sealed data: %w", err)
	}
	aead, err := sealingAEAD(sk)
	if err != nil {
		return nil, fmt.Errorf("opening sealed data: %w", err)
	}
	if len(sealed) < 1+aead.NonceSize()+aead.Overhead() {
		return nil, fmt.Errorf("opening sealed data: %d bytes is too short", len(sealed))
	}
	nonce, body := sealed[1:1+aead.NonceSize()], sealed[1+aead.NonceSize():]
	plain, err := aead.Open(nil, nonce, body, sealAD(tenant, subject))
	if err != nil {
		// A key made afresh after destruction fails authentication: also erased.
		return nil, fmt.Errorf("opening sealed data: authentication failed: %w", ErrShredded)
	}
	return plain, nil
}

func sealingAEAD(sk Key) (cipher.AEAD, error) {
	key, err := hkdf.Key(sha256.New, sk[:], nil, sealInfo, 32)
	if err != nil {
		return nil, fmt.Errorf("deriving sealing key: %w", err)
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	return cipher.NewGCM(block)
}

func sealAD(tenant, subject string) []byte {
	ad := make([]byte, 0, len(sealInfo)+len(tenant)+len(subject)+2)
	ad = append(ad, sealInfo...)
	ad = append(ad, 0)
	ad = append(ad, tenant...)
	ad = append(ad, 0)
	return append(ad, subject...)
}
