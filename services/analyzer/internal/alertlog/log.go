// Package alertlog keeps the most recent alert events in order, each with a
// sequence number, so a watcher can resume right after the last event it
// saw and a listing can show recently resolved alerts. It is a projection
// like the others: persisted with them, rebuilt by replay to the same
// numbers, and purged of a subject on erasure.
package alertlog

import (
	"slices"

	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
)

// Entry is one logged event.
type Entry struct {
	Seq   uint64      `json:"seq"`
	Event alert.Event `json:"event"`
}

// Log is a bounded, ordered history of alert events. It is not safe for
// concurrent use.
type Log struct {
	capacity int
	next     uint64  // sequence number of the next entry; starts at 1
	trimmed  uint64  // highest sequence number dropped for capacity
	entries  []Entry // ascending Seq, possibly with gaps left by erasure
	changed  chan struct{}

	dirtySeqs map[uint64]struct{}
	dirtyMeta bool
}

// New returns an empty log keeping at most capacity entries.
func New(capacity int) *Log {
	return &Log{capacity: max(capacity, 1), next: 1, changed: make(chan struct{}), dirtySeqs: make(map[uint64]struct{})}
}

// Append numbers and stores events, dropping the oldest beyond capacity,
// and wakes everyone waiting on Changed.
func (l *Log) Append(events []alert.Event) {
	if len(events) == 0 {
		return
	}
	for _, ev := range events {
		l.entries = append(l.entries, Entry{Seq: l.next, Event: ev})
		l.dirtySeqs[l.next] = struct{}{}
		l.next++
	}
	l.dirtyMeta = true
	if over := len(l.entries) - l.capacity; over > 0 {
		for _, e := range l.entries[:over] {
			l.dirtySeqs[e.Seq] = struct{}{}
		}
		l.trimmed = l.entries[over-1].Seq
		l.entries = slices.Delete(l.entries, 0, over)
	}
	close(l.changed)
	l.changed = make(chan struct{})
}

// Since returns up to limit entries after seq (0 means from the oldest
// kept). complete is false when entries after seq were already dropped for
// capacity: the watcher missed events and must start over from a listing.
func (l *Log) Since(seq uint64, limit int) (entries []Entry, complete bool) {
	i, _ := slices.BinarySearchFunc(l.entries, seq+1, func(e Entry, s uint64) int { return compareSeq(e.Seq, s) })
	complete = seq >= l.trimmed
	rest := l.entries[i:]
	if limit > 0 && len(rest) > limit {
		rest = rest[:limit]
	}
	return slices.Clone(rest), complete
}

// LastSeq is the number of the newest entry ever appended; 0 before any.
func (l *Log) LastSeq() uint64 { return l.next - 1 }

// Changed returns a channel closed at the next Append.
func (l *Log) Changed() <-chan struct{} { return l.changed }

// Erase removes every entry about a device: its history is part of the
// subject's projections.
func (l *Log) Erase(deviceID string) {
	l.entries = slices.DeleteFunc(l.entries, func(e Entry) bool {
		if e.Event.Alert.DeviceID != deviceID {
			return false
		}
		l.dirtySeqs[e.Seq] = struct{}{}
		return true
	})
}
