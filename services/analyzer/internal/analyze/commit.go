package analyze

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/bluestream/bluestream/services/analyzer/internal/store"
)

// Commit writes every change since the previous commit, with the offsets
// of the records that caused them, in one atomic batch. If it fails the
// changes stay pending and the next Commit retries them.
func (e *Engine) Commit(ctx context.Context) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	muts, err := e.collectChanges()
	// Whatever was collected is no longer tracked as dirty by its owner, so
	// it waits in pending until a commit succeeds.
	e.pending = muts
	if err != nil {
		return err
	}
	batch := store.Batch{Mutations: muts, Offsets: make(map[store.Partition]int64, len(e.dirtyOffsets))}
	for p := range e.dirtyOffsets {
		batch.Offsets[p] = e.offsets[p]
	}
	if len(batch.Mutations) == 0 && len(batch.Offsets) == 0 {
		return nil // an idle stream: spare the store a sync
	}
	if err := e.store.Commit(ctx, batch); err != nil {
		return fmt.Errorf("committing analyzer state: %w", err)
	}
	e.pending = nil
	clear(e.dirtyOffsets)
	return nil
}

// collectChanges appends every component's changes to the pending ones,
// in the order they must be applied.
func (e *Engine) collectChanges() ([]store.Mutation, error) {
	muts := e.pending
	collect := func(prefix string) func(string, []byte) error {
		return func(key string, value []byte) error {
			muts = append(muts, store.Mutation{Key: prefix + key, Value: value})
			return nil
		}
	}
	if err := e.proj.Flush(collect(projectionPrefix)); err != nil {
		return muts, fmt.Errorf("collecting projection changes: %w", err)
	}
	if err := e.monitor.Flush(collect(alertPrefix)); err != nil {
		return muts, fmt.Errorf("collecting alert changes: %w", err)
	}
	if err := e.history.Flush(collect(alertLogPrefix)); err != nil {
		return muts, fmt.Errorf("collecting alert history: %w", err)
	}
	for _, id := range slices.Sorted(maps.Keys(e.dirtyErased)) {
		muts = append(muts, store.Mutation{Key: erasedPrefix + id, Value: []byte{}})
	}
	clear(e.dirtyErased)
	if e.clock.dirty {
		b, err := e.clock.encode()
		if err != nil {
			return muts, fmt.Errorf("encoding %s: %w", clockKey, err)
		}
		muts = append(muts, store.Mutation{Key: clockKey, Value: b})
		e.clock.dirty = false
	}
	return muts, nil
}

// Dump emits the engine's whole in-memory state in key order, keyed as in
// the store. Two engines that applied the same records dump the same bytes;
// tests compare dumps to prove replay and rebuild equivalence.
func (e *Engine) Dump(emit func(key string, value []byte) error) error {
	e.mu.Lock()
	defer e.mu.Unlock()
	prefixed := func(prefix string) func(string, []byte) error {
		return func(key string, value []byte) error { return emit(prefix+key, value) }
	}
	if err := e.monitor.Dump(prefixed(alertPrefix)); err != nil {
		return err
	}
	if err := e.history.Dump(prefixed(alertLogPrefix)); err != nil {
		return err
	}
	clock, err := e.clock.encode()
	if err != nil {
		return err
	}
	if err := emit(clockKey, clock); err != nil {
		return err
	}
	for _, id := range slices.Sorted(maps.Keys(e.erased)) {
		if err := emit(erasedPrefix+id, []byte{}); err != nil {
			return err
		}
	}
	return e.proj.Dump(prefixed(projectionPrefix))
}
