package privacy

import (
	"context"
	"fmt"
	"sync"
)

// MemoryKeystore keeps keys in process memory: for tests, single-process runs and as
// the cache in front of a durable store. Keys die with the process.
type MemoryKeystore struct {
	mu       sync.Mutex
	periods  map[periodRef]Key
	subjects map[subjectRef]Key
}

type periodRef struct {
	Tenant string `json:"tenant"`
	Period int64  `json:"period"`
}

type subjectRef struct {
	Tenant  string `json:"tenant"`
	Subject string `json:"subject"`
}

var _ Keystore = (*MemoryKeystore)(nil)

// NewMemoryKeystore returns an empty in-memory keystore.
func NewMemoryKeystore() *MemoryKeystore {
	return &MemoryKeystore{periods: make(map[periodRef]Key), subjects: make(map[subjectRef]Key)}
}

// PeriodKey implements Keystore.
func (s *MemoryKeystore) PeriodKey(_ context.Context, tenant string, period int64) (Key, error) {
	if err := checkNames(tenant); err != nil {
		return Key{}, fmt.Errorf("getting period key: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return getOrCreate(s.periods, periodRef{tenant, period})
}

// SubjectKey implements Keystore.
func (s *MemoryKeystore) SubjectKey(_ context.Context, tenant, subject string) (Key, error) {
	if err := checkNames(tenant, subject); err != nil {
		return Key{}, fmt.Errorf("getting subject key: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return getOrCreate(s.subjects, subjectRef{tenant, subject})
}

// LookupSubjectKey implements Keystore.
func (s *MemoryKeystore) LookupSubjectKey(_ context.Context, tenant, subject string) (Key, error) {
	if err := checkNames(tenant, subject); err != nil {
		return Key{}, fmt.Errorf("looking up subject key: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	k, ok := s.subjects[subjectRef{tenant, subject}]
	if !ok {
		return Key{}, ErrNoSubjectKey
	}
	return k, nil
}

// DestroySubjectKey implements Keystore. The map entry is overwritten before it is
// deleted so the key bytes do not linger in the map's backing array.
func (s *MemoryKeystore) DestroySubjectKey(_ context.Context, tenant, subject string) error {
	if err := checkNames(tenant, subject); err != nil {
		return fmt.Errorf("destroying subject key: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := subjectRef{tenant, subject}
	if _, ok := s.subjects[ref]; ok {
		s.subjects[ref] = Key{}
		delete(s.subjects, ref)
	}
	return nil
}

// DropPeriodsBefore implements Keystore.
func (s *MemoryKeystore) DropPeriodsBefore(_ context.Context, tenant string, period int64) error {
	if err := checkNames(tenant); err != nil {
		return fmt.Errorf("dropping period keys: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for ref := range s.periods {
		if ref.Tenant == tenant && ref.Period < period {
			s.periods[ref] = Key{}
			delete(s.periods, ref)
		}
	}
	return nil
}

func getOrCreate[K comparable](m map[K]Key, ref K) (Key, error) {
	if k, ok := m[ref]; ok {
		return k, nil
	}
	k, err := newRandomKey()
	if err != nil {
		return Key{}, err
	}
	m[ref] = k
	return k, nil
}
