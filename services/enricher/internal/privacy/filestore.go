package privacy

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// FileKeystore keeps keys in one JSON file, rewritten atomically (temporary file,
// fsync, rename) on every change, so a crash leaves either the old or the new set.
// Destroying a key rewrites the file without it; on copy-on-write or journaling file
// systems old blocks may survive until overwritten, so production stores belong on
// an encrypted volume or in a KMS-backed store.
type FileKeystore struct {
	keyTable
	path string
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
	s := &FileKeystore{keyTable: newKeyTable(), path: path}
	s.save = s.persist
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
