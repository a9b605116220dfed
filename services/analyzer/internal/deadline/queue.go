// Package deadline keeps one pending deadline per key on event time, so the
// analyzer can find every device or gateway whose timeout has passed without
// scanning all of them on each tick.
package deadline

import (
	"container/heap"
	"time"
)

// Queue is an indexed min-heap: Set replaces a key's deadline in O(log n)
// and Due pops expired keys in deadline order. Equal deadlines pop in key
// order so that replays produce events in the same order.
// The zero value is ready to use.
type Queue struct {
	h itemHeap
}

// Expired is a key whose deadline passed.
type Expired struct {
	Key string
	At  time.Time
}

// Len reports how many keys have a pending deadline.
func (q *Queue) Len() int { return len(q.h.items) }

// Set schedules (or reschedules) key for at.
func (q *Queue) Set(key string, at time.Time) {
	if q.h.index == nil {
		q.h.index = make(map[string]*item)
	}
	ns := at.UnixNano()
	if it, ok := q.h.index[key]; ok {
		it.at = ns
		heap.Fix(&q.h, it.pos)
		return
	}
	heap.Push(&q.h, &item{key: key, at: ns})
}

// Remove drops key's deadline, if any.
func (q *Queue) Remove(key string) {
	if it, ok := q.h.index[key]; ok {
		heap.Remove(&q.h, it.pos)
	}
}

// Earliest returns the key with the earliest deadline without removing
// it; ok is false when the queue is empty.
func (q *Queue) Earliest() (e Expired, ok bool) {
	if len(q.h.items) == 0 {
		return Expired{}, false
	}
	it := q.h.items[0]
	return Expired{Key: it.key, At: time.Unix(0, it.at).UTC()}, true
}

// Due removes and returns, in deadline order, every key whose deadline is
// strictly before now.
func (q *Queue) Due(now time.Time) []Expired {
	var out []Expired
	ns := now.UnixNano()
	for len(q.h.items) > 0 && q.h.items[0].at < ns {
		it := heap.Pop(&q.h).(*item)
		out = append(out, Expired{Key: it.key, At: time.Unix(0, it.at).UTC()})
	}
	return out
}

type item struct {
	key string
	at  int64 // unix nanoseconds: smaller than time.Time and totally ordered
	pos int   // slot in itemHeap.items, kept current by Swap
}

// itemHeap implements heap.Interface. Items know their own slot, so a swap
// costs two field writes rather than two map updates.
type itemHeap struct {
	items []*item
	index map[string]*item
}

func (h *itemHeap) Len() int { return len(h.items) }

func (h *itemHeap) Less(i, j int) bool {
	a, b := h.items[i], h.items[j]
	if a.at != b.at {
		return a.at < b.at
	}
	return a.key < b.key
}

func (h *itemHeap) Swap(i, j int) {
	h.items[i], h.items[j] = h.items[j], h.items[i]
	h.items[i].pos = i
	h.items[j].pos = j
}

func (h *itemHeap) Push(x any) {
	it := x.(*item)
	it.pos = len(h.items)
	h.items = append(h.items, it)
	h.index[it.key] = it
}

func (h *itemHeap) Pop() any {
	last := len(h.items) - 1
	it := h.items[last]
	h.items[last] = nil
	h.items = h.items[:last]
	delete(h.index, it.key)
	return it
}
