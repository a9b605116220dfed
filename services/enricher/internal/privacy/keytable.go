package privacy

import (
	"context"
	"fmt"
	"sync"
)

type periodRef struct {
	Tenant string `json:"tenant"`
	Period int64  `json:"period"`
}

type subjectRef struct {
	Tenant  string `json:"tenant"`
	Subject string `json:"subject"`
}

// keyTable is what both keystores are: keys in memory behind one lock,
// implementing Keystore. save, when set, makes each change durable before it
// counts; a change whose save fails is undone, so memory never holds what the
// durable copy does not. Keys leaving the table are zeroed in the map first,
// so their bytes do not linger in its backing array.
type keyTable struct {
	mu       sync.Mutex
	periods  map[periodRef]Key
	subjects map[subjectRef]Key
	save     func() error // called with mu held
}

func newKeyTable() keyTable {
	return keyTable{periods: make(map[periodRef]Key), subjects: make(map[subjectRef]Key)}
}

// PeriodKey implements Keystore.
func (t *keyTable) PeriodKey(_ context.Context, tenant string, period int64) (Key, error) {
	if err := checkNames(tenant); err != nil {
		return Key{}, fmt.Errorf("getting period key: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	k, err := getOrCreate(t, t.periods, periodRef{tenant, period})
	if err != nil {
		return Key{}, fmt.Errorf("getting period key: %w", err)
	}
	return k, nil
}

// SubjectKey implements Keystore.
func (t *keyTable) SubjectKey(_ context.Context, tenant, subject string) (Key, error) {
	if err := checkNames(tenant, subject); err != nil {
		return Key{}, fmt.Errorf("getting subject key: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	k, err := getOrCreate(t, t.subjects, subjectRef{tenant, subject})
	if err != nil {
		return Key{}, fmt.Errorf("getting subject key: %w", err)
	}
	return k, nil
}

// LookupSubjectKey implements Keystore.
func (t *keyTable) LookupSubjectKey(_ context.Context, tenant, subject string) (Key, error) {
	if err := checkNames(tenant, subject); err != nil {
		return Key{}, fmt.Errorf("looking up subject key: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	k, ok := t.subjects[subjectRef{tenant, subject}]
	if !ok {
		return Key{}, ErrNoSubjectKey
	}
	return k, nil
}

// DestroySubjectKey implements Keystore.
func (t *keyTable) DestroySubjectKey(_ context.Context, tenant, subject string) error {
	if err := checkNames(tenant, subject); err != nil {
		return fmt.Errorf("destroying subject key: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	ref := subjectRef{tenant, subject}
	if _, ok := t.subjects[ref]; !ok {
		return nil
	}
	if err := remove(t, t.subjects, []subjectRef{ref}); err != nil {
		return fmt.Errorf("destroying subject key: %w", err)
	}
	return nil
}

// DropPeriodsBefore implements Keystore.
func (t *keyTable) DropPeriodsBefore(_ context.Context, tenant string, period int64) error {
	if err := checkNames(tenant); err != nil {
		return fmt.Errorf("dropping period keys: %w", err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	var old []periodRef
	for ref := range t.periods {
		if ref.Tenant == tenant && ref.Period < period {
			old = append(old, ref)
		}
	}
	if len(old) == 0 {
		return nil
	}
	if err := remove(t, t.periods, old); err != nil {
		return fmt.Errorf("dropping period keys: %w", err)
	}
	return nil
}

func (t *keyTable) commit() error {
	if t.save == nil {
		return nil
	}
	return t.save()
}

func getOrCreate[R comparable](t *keyTable, m map[R]Key, ref R) (Key, error) {
	if k, ok := m[ref]; ok {
		return k, nil
	}
	k, err := newRandomKey()
	if err != nil {
		return Key{}, err
	}
	m[ref] = k
	if err := t.commit(); err != nil {
		delete(m, ref)
		return Key{}, err
	}
	return k, nil
}

// remove takes refs out of m, putting them back if the change cannot be saved:
// the keys are then still on disk, and the table stays truthful.
func remove[R comparable](t *keyTable, m map[R]Key, refs []R) error {
	kept := make(map[R]Key, len(refs))
	for _, ref := range refs {
		kept[ref] = m[ref]
		m[ref] = Key{}
		delete(m, ref)
	}
	if err := t.commit(); err != nil {
		for ref, k := range kept {
			m[ref] = k
		}
		return err
	}
	return nil
}
