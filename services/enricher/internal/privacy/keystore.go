// Package privacy keeps personal data out of enriched events: keyed pseudonyms with
// per-tenant period keys and per-subject keys that erasure destroys (crypto-shredding),
// and the data-protection tags every enriched event carries.
package privacy

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
)

// KeySize is the length of every key: 256 bits, HMAC-SHA256's block-size-safe choice.
const KeySize = 32

// Key is secret key material.
type Key [KeySize]byte

// String hides the key so it never reaches a log by accident.
func (Key) String() string { return "privacy.Key(redacted)" }

// GoString hides the key from %#v as well.
func (Key) GoString() string { return "privacy.Key(redacted)" }

// ErrInvalidName reports an empty tenant or subject name.
var ErrInvalidName = errors.New("invalid key name")

// ErrNoSubjectKey reports a subject without a key: never seen, or erased.
var ErrNoSubjectKey = errors.New("no key for subject")

// Keystore holds the secrets behind pseudonyms. Period keys exist per tenant and
// period and rotate by moving to the next period; subject keys exist per tenant and
// data subject until erasure destroys them. Every replica of the enricher must see the
// same store, or the same device gets different pseudonyms on different partitions.
type Keystore interface {
	// PeriodKey returns the tenant's key for the period, creating it on first use.
	PeriodKey(ctx context.Context, tenant string, period int64) (Key, error)
	// SubjectKey returns the subject's key, creating a fresh random one if none exists,
	// including after DestroySubjectKey, so a returning subject is unlinkable to its past.
	SubjectKey(ctx context.Context, tenant, subject string) (Key, error)
	// LookupSubjectKey returns the subject's key without creating one; it fails with
	// ErrNoSubjectKey when the key never existed or was destroyed.
	LookupSubjectKey(ctx context.Context, tenant, subject string) (Key, error)
	// DestroySubjectKey forgets the subject's key for good; destroying a missing key is
	// not an error, so replaying an erasure event is harmless.
	DestroySubjectKey(ctx context.Context, tenant, subject string) error
	// DropPeriodsBefore forgets the tenant's period keys older than period, once no
	// retained event needs re-pseudonymising with them.
	DropPeriodsBefore(ctx context.Context, tenant string, period int64) error
}

func newRandomKey() (Key, error) {
	var k Key
	if _, err := rand.Read(k[:]); err != nil {
		return k, fmt.Errorf("generating key: %w", err)
	}
	return k, nil
}

func checkNames(names ...string) error {
	for _, n := range names {
		if n == "" {
			return fmt.Errorf("%w: tenant and subject must not be empty", ErrInvalidName)
		}
	}
	return nil
}
