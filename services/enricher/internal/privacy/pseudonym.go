package privacy

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"fmt"
	"strconv"
	"time"
)

// Period cuts time into key periods of equal length counted from Origin. Pseudonyms
// are stable inside a period and unlinkable across periods, which bounds how long one
// pseudonym can follow a person.
type Period struct {
	Length time.Duration
	Origin time.Time // the Unix epoch when zero
}

// Index returns the number of the period holding t.
func (p Period) Index(t time.Time) (int64, error) {
	if p.Length <= 0 {
		return 0, fmt.Errorf("key period length %v: want a positive duration", p.Length)
	}
	d := t.Sub(p.origin())
	idx := int64(d / p.Length)
	if d < 0 && d%p.Length != 0 {
		idx-- // floor, so the period before the origin is −1, not 0
	}
	return idx, nil
}

// Start returns the first instant of period idx.
func (p Period) Start(idx int64) time.Time {
	return p.origin().Add(time.Duration(idx) * p.Length)
}

func (p Period) origin() time.Time {
	if p.Origin.IsZero() {
		return time.Unix(0, 0)
	}
	return p.Origin
}

// Pseudonym is a keyed, non-reversible stand-in for an identifier.
type Pseudonym struct {
	Value  string // "ps1_" and 26 base32 characters (128 bits)
	Period int64
}

// pseudonymEncoding keeps pseudonyms short, case-insensitive and URL-safe.
var pseudonymEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// Pseudonymizer turns identifiers into pseudonyms with keys from a Keystore. It is
// safe for concurrent use.
type Pseudonymizer struct {
	keys   Keystore
	period Period
	cache  *pseudonymCache
}

// Option configures a Pseudonymizer.
type Option func(*Pseudonymizer)

// WithCache keeps up to size computed pseudonyms in memory, saving the keystore
// lookups and two HMACs per reading of a device seen before. The default is no
// cache. Erase subjects through ForgetSubject, which empties the cache; a key
// destroyed behind the pseudonymizer's back would keep its pseudonyms cached.
func WithCache(size int) Option {
	return func(p *Pseudonymizer) { p.cache = newPseudonymCache(size) }
}

// NewPseudonymizer returns a pseudonymizer; it fails if the period is unusable.
func NewPseudonymizer(keys Keystore, period Period, opts ...Option) (*Pseudonymizer, error) {
	if keys == nil {
		return nil, fmt.Errorf("creating pseudonymizer: keystore is nil")
	}
	if _, err := period.Index(time.Unix(0, 0)); err != nil {
		return nil, fmt.Errorf("creating pseudonymizer: %w", err)
	}
	p := &Pseudonymizer{keys: keys, period: period}
	for _, opt := range opts {
		opt(p)
	}
	return p, nil
}

// Subject pseudonymises ref (a device id, owner reference…) belonging to a known data
// subject. The subject's own key goes in first: HMAC(periodKey, HMAC(subjectKey, ref)).
// Destroying the subject key makes every past pseudonym of that subject unlinkable to
// the identifier, while other subjects' pseudonyms stay as they were.
func (p *Pseudonymizer) Subject(ctx context.Context, tenant, subject, ref string, at time.Time) (Pseudonym, error) {
	idx, err := p.period.Index(at)
	if err != nil {
		return Pseudonym{}, fmt.Errorf("pseudonymising subject: %w", err)
	}
	ck := cacheKey{tenant: tenant, subject: subject, ref: ref, period: idx}
	if ps, ok := p.cache.get(ck); ok {
		return ps, nil
	}
	sk, err := p.keys.SubjectKey(ctx, tenant, subject)
	if err != nil {
		return Pseudonym{}, fmt.Errorf("pseudonymising subject: %w", err)
	}
	inner := mac(sk, "subject", ref)
	ps, err := p.outer(ctx, tenant, "subject", string(inner), at)
	if err != nil {
		return Pseudonym{}, err
	}
	p.cache.put(ck, ps)
	return ps, nil
}

// Period returns the key period the pseudonymizer cuts time into.
func (p *Pseudonymizer) Period() Period { return p.period }

// ForgetSubject destroys the subject's key: every pseudonym made with it becomes
// unlinkable to the identifier, and the subject's next pseudonym starts afresh.
func (p *Pseudonymizer) ForgetSubject(ctx context.Context, tenant, subject string) error {
	// Empty the cache first: if destroying fails and is retried, no stale pseudonym
	// can be served in between.
	p.cache.clear()
	if err := p.keys.DestroySubjectKey(ctx, tenant, subject); err != nil {
		return fmt.Errorf("forgetting subject: %w", err)
	}
	p.cache.clear()
	return nil
}

// Anonymous pseudonymises an identifier with no known subject behind it, such as the
// address of an unregistered phone. Only the period key protects it: there is nobody
// to ask for erasure, and the pseudonym changes with every period anyway.
func (p *Pseudonymizer) Anonymous(ctx context.Context, tenant, ref string, at time.Time) (Pseudonym, error) {
	idx, err := p.period.Index(at)
	if err != nil {
		return Pseudonym{}, fmt.Errorf("pseudonymising: %w", err)
	}
	ck := cacheKey{tenant: tenant, anonymous: true, ref: ref, period: idx}
	if ps, ok := p.cache.get(ck); ok {
		return ps, nil
	}
	ps, err := p.outer(ctx, tenant, "anonymous", ref, at)
	if err != nil {
		return Pseudonym{}, err
	}
	p.cache.put(ck, ps)
	return ps, nil
}

func (p *Pseudonymizer) outer(ctx context.Context, tenant, domain, value string, at time.Time) (Pseudonym, error) {
	idx, err := p.period.Index(at)
	if err != nil {
		return Pseudonym{}, fmt.Errorf("pseudonymising: %w", err)
	}
	pk, err := p.keys.PeriodKey(ctx, tenant, idx)
	if err != nil {
		return Pseudonym{}, fmt.Errorf("pseudonymising: %w", err)
	}
	sum := mac(pk, domain, value)
	return Pseudonym{Value: "ps1_" + pseudonymEncoding.EncodeToString(sum[:16]), Period: idx}, nil
}

// mac computes HMAC-SHA256 over a domain label and the value, length-prefixed so that
// no (domain, value) pair can collide with another.
func mac(k Key, domain, value string) []byte {
	h := hmac.New(sha256.New, k[:])
	buf := make([]byte, 0, 64+len(domain)+len(value))
	buf = append(buf, "bluestream/v1/"...)
	buf = strconv.AppendInt(buf, int64(len(domain)), 10)
	buf = append(buf, ':')
	buf = append(buf, domain...)
	buf = append(buf, '/')
	buf = strconv.AppendInt(buf, int64(len(value)), 10)
	buf = append(buf, ':')
	buf = append(buf, value...)
	h.Write(buf)
	return h.Sum(nil)
}
