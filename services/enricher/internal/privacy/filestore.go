package privacy

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
)

// FileKeystore keeps keys in one JSON file, rewritten atomically (temporary file,
// fsync, rename) on every change, so a crash leaves either the old or the new set.
// Destroying a key rewrites the file without it; on copy-on-write or journaling file
// systems old blocks may survive until overwritten, so production stores belong on
// an encrypted volume or in a KMS-backed store.
type FileKeystore struct {
	mu       sync.Mutex
	path     string
	periods  map[periodRef]Key
	subjects map[subjectRef]Key
}

var _ Keystore = (*FileKeystore)(nil)

type keyFile struct {
	Version  int               `json:"version"`
	Periods  []periodKeyEntry  `json:"periods"`
	Subjects []subjectKeyEntry `json:"subjects"`
}

type periodKeyEntry struct {
	periodRef
	Key []byte `json:"key"`
}

type subjectKeyEntry struct {
	subjectRef
	Key []byte `json:"key"`
}

const keyFileVersion = 1

// OpenFileKeystore loads the keystore at path, or starts an empty one if the file does
// not exist yet (it is created on the first key).
func OpenFileKeystore(path string) (*FileKeystore, error) {
	s := &FileKeystore{path: path, periods: make(map[periodRef]Key), subjects: make(map[subjectRef]Key)}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, fmt.Errorf("opening keystore: %w", err)
	}
	var f keyFile
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("opening keystore %s: %w", filepath.Base(path), err)
	}
	if f.Version != keyFileVersion {
		return nil, fmt.Errorf("opening keystore %s: version %d, want %d", filepath.Base(path), f.Version, keyFileVersion)
	}
	for i, e := range f.Periods {
		if s.periods[e.periodRef], err = keyFromBytes(e.Key); err != nil {
			return nil, fmt.Errorf("opening keystore: periods[%d].key: %w", i, err)
		}
	}
	for i, e := range f.Subjects {
		if s.subjects[e.subjectRef], err = keyFromBytes(e.Key); err != nil {
			return nil, fmt.Errorf("opening keystore: subjects[%d].key: %w", i, err)
		}
	}
	return s, nil
}

func keyFromBytes(b []byte) (Key, error) {
	var k Key
	if len(b) != KeySize {
		return k, fmt.Errorf("%d bytes, want %d", len(b), KeySize)
	}
	copy(k[:], b)
	return k, nil
}

// PeriodKey implements Keystore.
func (s *FileKeystore) PeriodKey(_ context.Context, tenant string, period int64) (Key, error) {
	if err := checkNames(tenant); err != nil {
		return Key{}, fmt.Errorf("getting period key: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := periodRef{tenant, period}
	if k, ok := s.periods[ref]; ok {
		return k, nil
	}
	k, err := newRandomKey()
	if err != nil {
		return Key{}, fmt.Errorf("getting period key: %w", err)
	}
	s.periods[ref] = k
	if err := s.persist(); err != nil {
		delete(s.periods, ref)
		return Key{}, fmt.Errorf("getting period key: %w", err)
	}
	return k, nil
}

// SubjectKey implements Keystore.
func (s *FileKeystore) SubjectKey(_ context.Context, tenant, subject string) (Key, error) {
	if err := checkNames(tenant, subject); err != nil {
		return Key{}, fmt.Errorf("getting subject key: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := subjectRef{tenant, subject}
	if k, ok := s.subjects[ref]; ok {
		return k, nil
	}
	k, err := newRandomKey()
	if err != nil {
		return Key{}, fmt.Errorf("getting subject key: %w", err)
	}
	s.subjects[ref] = k
	if err := s.persist(); err != nil {
		delete(s.subjects, ref)
		return Key{}, fmt.Errorf("getting subject key: %w", err)
	}
	return k, nil
}

// LookupSubjectKey implements Keystore.
func (s *FileKeystore) LookupSubjectKey(_ context.Context, tenant, subject string) (Key, error) {
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

// DestroySubjectKey implements Keystore.
func (s *FileKeystore) DestroySubjectKey(_ context.Context, tenant, subject string) error {
	if err := checkNames(tenant, subject); err != nil {
		return fmt.Errorf("destroying subject key: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	ref := subjectRef{tenant, subject}
	k, ok := s.subjects[ref]
	if !ok {
		return nil
	}
	delete(s.subjects, ref)
	if err := s.persist(); err != nil {
		s.subjects[ref] = k // the key is still on disk: keep state truthful
		return fmt.Errorf("destroying subject key: %w", err)
	}
	return nil
}

// DropPeriodsBefore implements Keystore.
func (s *FileKeystore) DropPeriodsBefore(_ context.Context, tenant string, period int64) error {
	if err := checkNames(tenant); err != nil {
		return fmt.Errorf("dropping period keys: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	dropped := make(map[periodRef]Key)
	for ref, k := range s.periods {
		if ref.Tenant == tenant && ref.Period < period {
			dropped[ref] = k
			delete(s.periods, ref)
		}
	}
	if len(dropped) == 0 {
		return nil
	}
	if err := s.persist(); err != nil {
		for ref, k := range dropped {
			s.periods[ref] = k
		}
		return fmt.Errorf("dropping period keys: %w", err)
	}
	return nil
}

// persist writes the whole key set; the caller holds s.mu.
func (s *FileKeystore) persist() error {
	f := keyFile{Version: keyFileVersion}
	for ref, k := range s.periods {
		f.Periods = append(f.Periods, periodKeyEntry{ref, k[:]})
	}
	for ref, k := range s.subjects {
		f.Subjects = append(f.Subjects, subjectKeyEntry{ref, k[:]})
	}
	data, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encoding keystore: %w", err)
	}
	return writeFileAtomic(s.path, data)
}

func writeFileAtomic(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("writing keystore: %w", err)
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	// CreateTemp already uses 0600; keys must never be world-readable.
	if _, err = tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("writing keystore: %w", err)
	}
	if err = tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("syncing keystore: %w", err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("closing keystore: %w", err)
	}
	if err = os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("replacing keystore: %w", err)
	}
	return nil
}
