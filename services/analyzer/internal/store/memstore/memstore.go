// Package memstore is an in-memory store.Store. It keeps nothing across a
// process restart; it serves tests and short-lived runs that rebuild from
// the log, and is the reference the contract suite is checked against.
package memstore

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// Store implements store.Store in memory. It is safe for concurrent use.
type Store struct {
	mu      sync.RWMutex
	entries map[string][]byte
	offsets map[store.Partition]int64
}

var _ store.Store = (*Store)(nil)

// New returns an empty store.
func New() *Store {
	return &Store{entries: make(map[string][]byte), offsets: make(map[store.Partition]int64)}
}

// Commit implements store.Store.
func (s *Store) Commit(ctx context.Context, b store.Batch) error {
	if err := b.Validate(); err != nil {
		return fmt.Errorf("committing batch: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, m := range b.Mutations {
		if m.Value == nil {
			delete(s.entries, m.Key)
		} else {
			s.entries[m.Key] = bytes.Clone(m.Value)
		}
	}
	maps.Copy(s.offsets, b.Offsets)
	return nil
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.entries[key]
	if !ok {
		return nil, store.ErrNotFound
	}
	return bytes.Clone(v), nil
}

// Scan implements store.Store. It works on a copy of the matching keys so
// fn may call back into the store.
func (s *Store) Scan(ctx context.Context, prefix string, fn func(key string, value []byte) error) error {
	s.mu.RLock()
	var keys []string
	for k := range s.entries {
		if strings.HasPrefix(k, prefix) {
			keys = append(keys, k)
		}
	}
	s.mu.RUnlock()
	slices.Sort(keys)
	for _, k := range keys {
		if err := ctx.Err(); err != nil {
			return err
		}
		s.mu.RLock()
		v, ok := s.entries[k]
		s.mu.RUnlock()
		if !ok {
			continue
		}
		if err := fn(k, bytes.Clone(v)); err != nil {
			return err
		}
	}
	return nil
}

// Offsets implements store.Store.
func (s *Store) Offsets(ctx context.Context) (map[store.Partition]int64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return maps.Clone(s.offsets), nil
}

// Close implements store.Store; the contents are dropped.
func (s *Store) Close() error { return nil }
