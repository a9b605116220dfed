// Package store persists the analyzer's projections together with the
// consumer offsets they reflect. Both go in one atomic batch, so after a
// crash the analyzer resumes reading exactly where its stored state ends:
// no event is lost and none is counted twice.
package store

import (
	"context"
	"errors"
	"fmt"
)

// Partition identifies one input partition.
type Partition struct {
	Topic     string
	Partition int32
}

// String returns "topic/partition".
func (p Partition) String() string { return fmt.Sprintf("%s/%d", p.Topic, p.Partition) }

// Mutation sets Key to Value, or deletes Key when Value is nil.
type Mutation struct {
	Key   string
	Value []byte
}

// Batch is applied atomically: all mutations and offsets, or nothing.
type Batch struct {
	Mutations []Mutation
	// Offsets maps a partition to the next offset to consume.
	Offsets map[Partition]int64
}

// Store keeps projection entries (opaque, ordered by key) and offsets.
// Implementations must pass storetest.RunContract.
type Store interface {
	// Commit applies b atomically and durably.
	Commit(ctx context.Context, b Batch) error
	// Get returns the value of key, or ErrNotFound.
	Get(ctx context.Context, key string) ([]byte, error)
	// Scan calls fn for each entry whose key starts with prefix, in key
	// order. fn must not keep value after it returns. An error from fn
	// stops the scan and is returned.
	Scan(ctx context.Context, prefix string, fn func(key string, value []byte) error) error
	// Offsets returns the committed next offset of every partition.
	Offsets(ctx context.Context) (map[Partition]int64, error)
	Close() error
}

// ErrNotFound is returned by Get for a missing key.
var ErrNotFound = errors.New("store: key not found")

// Validate names the first part of b that no store may accept. Stores call
// it before writing anything, so a bad batch leaves no trace.
func (b Batch) Validate() error {
	for i, m := range b.Mutations {
		if m.Key == "" {
			return fmt.Errorf("mutations[%d].key: must not be empty", i)
		}
	}
	for p, off := range b.Offsets {
		switch {
		case p.Topic == "":
			return errors.New("offsets: topic must not be empty")
		case p.Partition < 0:
			return fmt.Errorf("offsets[%s]: partition must not be negative", p)
		case off < 0:
			return fmt.Errorf("offsets[%s]: offset must not be negative, got %d", p, off)
		}
	}
	return nil
}
