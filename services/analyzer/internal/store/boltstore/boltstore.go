// Package boltstore is the embedded Store: one bbolt file holding the
// projection entries and the consumer offsets in separate buckets, both
// written in a single bbolt transaction.
package boltstore

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

var (
	stateBucket   = []byte("state")
	offsetsBucket = []byte("offsets")
)

// FileName is the database file created inside the directory given to Open.
const FileName = "analyzer.db"

// Store implements store.Store on bbolt.
type Store struct {
	db *bolt.DB
}

var _ store.Store = (*Store)(nil)

// Open opens (creating if needed) the store in dir. It fails rather than
// wait when another process holds the file.
func Open(dir string) (*Store, error) {
	path := filepath.Join(dir, FileName)
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: time.Second})
	if err != nil {
		return nil, fmt.Errorf("opening %s: %w", path, err)
	}
	err = db.Update(func(tx *bolt.Tx) error {
		for _, name := range [][]byte{stateBucket, offsetsBucket} {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("creating bucket %s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, errors.Join(err, db.Close())
	}
	return &Store{db: db}, nil
}

// Commit implements store.Store.
func (s *Store) Commit(ctx context.Context, b store.Batch) error {
	if err := b.Validate(); err != nil {
		return fmt.Errorf("committing batch: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	// bbolt keeps a write transaction's leaf as one sorted slice until
	// commit, so out-of-order inserts cost O(n) each: 200,000 unsorted keys
	// took minutes, sorted ones take a second. The sort is stable, so of two
	// mutations of one key the later still wins.
	muts := slices.Clone(b.Mutations)
	slices.SortStableFunc(muts, func(x, y store.Mutation) int { return strings.Compare(x.Key, y.Key) })
	return s.db.Update(func(tx *bolt.Tx) error {
		state := tx.Bucket(stateBucket)
		for _, m := range muts {
			var err error
			if m.Value == nil {
				err = state.Delete([]byte(m.Key))
			} else {
				err = state.Put([]byte(m.Key), m.Value)
			}
			if err != nil {
				return fmt.Errorf("writing %q: %w", m.Key, err)
			}
		}
		offsets := tx.Bucket(offsetsBucket)
		for p, off := range b.Offsets {
			if err := offsets.Put(offsetKey(p), binary.BigEndian.AppendUint64(nil, uint64(off))); err != nil {
				return fmt.Errorf("writing offset %s: %w", p, err)
			}
		}
		return nil
	})
}

// Get implements store.Store.
func (s *Store) Get(ctx context.Context, key string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []byte
	err := s.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(stateBucket).Get([]byte(key))
		if v == nil {
			return store.ErrNotFound
		}
		out = bytes.Clone(v) // bbolt's slice is valid only inside the transaction
		return nil
	})
	return out, err
}

// Scan implements store.Store.
func (s *Store) Scan(ctx context.Context, prefix string, fn func(key string, value []byte) error) error {
	return s.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(stateBucket).Cursor()
		p := []byte(prefix)
		for k, v := c.Seek(p); k != nil && bytes.HasPrefix(k, p); k, v = c.Next() {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(string(k), v); err != nil {
				return err
			}
		}
		return nil
	})
}

// Offsets implements store.Store.
func (s *Store) Offsets(ctx context.Context) (map[store.Partition]int64, error) {
	out := make(map[store.Partition]int64)
	err := s.db.View(func(tx *bolt.Tx) error {
		return tx.Bucket(offsetsBucket).ForEach(func(k, v []byte) error {
			p, err := parseOffsetKey(k)
			if err != nil {
				return err
			}
			if len(v) != 8 {
				return fmt.Errorf("offset %s: stored value has %d bytes, want 8", p, len(v))
			}
			out[p] = int64(binary.BigEndian.Uint64(v))
			return nil
		})
	})
	return out, err
}

// Close implements store.Store.
func (s *Store) Close() error { return s.db.Close() }

// offsetKey is "topic\x00partition": topic names cannot contain NUL.
func offsetKey(p store.Partition) []byte {
	return []byte(p.Topic + "\x00" + strconv.FormatInt(int64(p.Partition), 10))
}

func parseOffsetKey(k []byte) (store.Partition, error) {
	topic, part, ok := strings.Cut(string(k), "\x00")
	n, err := strconv.ParseInt(part, 10, 32)
	if !ok || err != nil {
		return store.Partition{}, fmt.Errorf("offset key %q: want topic NUL partition", k)
	}
	return store.Partition{Topic: topic, Partition: int32(n)}, nil
}
