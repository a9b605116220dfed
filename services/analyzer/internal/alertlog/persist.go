package alertlog

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Keys of persisted state. Sequence numbers are zero-padded so that key
// order is sequence order.
const (
	metaKey     = "meta"
	entryPrefix = "e/"
)

type meta struct {
	Next    uint64 `json:"next"`
	Trimmed uint64 `json:"trimmed"`
}

func entryKey(seq uint64) string { return fmt.Sprintf("%s%020d", entryPrefix, seq) }

// Emit receives one persisted entry; a nil value means "delete key".
type Emit func(key string, value []byte) error

// Flush emits every entry changed since the previous Flush, in key order.
func (l *Log) Flush(emit Emit) error {
	for _, seq := range slices.Sorted(maps.Keys(l.dirtySeqs)) {
		if err := l.emitEntry(seq, emit); err != nil {
			return err
		}
	}
	if l.dirtyMeta {
		if err := l.emitMeta(emit); err != nil {
			return err
		}
	}
	clear(l.dirtySeqs)
	l.dirtyMeta = false
	return nil
}

// Dump emits the whole log in key order. A log that never had an entry
// has no meta either, as after Flush.
func (l *Log) Dump(emit Emit) error {
	for _, e := range l.entries {
		if err := l.emitEntry(e.Seq, emit); err != nil {
			return err
		}
	}
	if l.next == 1 {
		return nil
	}
	return l.emitMeta(emit)
}

func (l *Log) emitEntry(seq uint64, emit Emit) error {
	i, found := slices.BinarySearchFunc(l.entries, seq, func(e Entry, s uint64) int {
		return compareSeq(e.Seq, s)
	})
	if !found {
		return emit(entryKey(seq), nil)
	}
	b, err := json.Marshal(l.entries[i])
	if err != nil {
		return fmt.Errorf("encoding alert log entry %d: %w", seq, err)
	}
	return emit(entryKey(seq), b)
}

func (l *Log) emitMeta(emit Emit) error {
	b, err := json.Marshal(meta{Next: l.next, Trimmed: l.trimmed})
	if err != nil {
		return fmt.Errorf("encoding alert log meta: %w", err)
	}
	return emit(metaKey, b)
}

// Load restores one entry written by Flush or Dump; entries must come in
// key order, as store scans deliver them.
func (l *Log) Load(key string, value []byte) error {
	switch {
	case key == metaKey:
		var m meta
		if err := json.Unmarshal(value, &m); err != nil {
			return fmt.Errorf("decoding alert log meta: %w", err)
		}
		l.next, l.trimmed = m.Next, m.Trimmed
	case strings.HasPrefix(key, entryPrefix):
		var e Entry
		if err := json.Unmarshal(value, &e); err != nil {
			return fmt.Errorf("decoding %s: %w", key, err)
		}
		if want := strings.TrimPrefix(key, entryPrefix); want != fmt.Sprintf("%020d", e.Seq) {
			return fmt.Errorf("decoding %s: holds sequence %d", key, e.Seq)
		}
		if n := len(l.entries); n > 0 && l.entries[n-1].Seq >= e.Seq {
			return fmt.Errorf("loading %s: entries out of order", key)
		}
		l.entries = append(l.entries, e)
	default:
		return fmt.Errorf("loading alert log: unknown key %q", key)
	}
	return nil
}

func compareSeq(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
