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
		q.h.index = make(map[string]int)
	}
	ns := at.UnixNano()
	if i, ok := q.h.index[key]; ok {
		q.h.items[i].at = ns
		heap.Fix(&q.h, i)
		return
	}
	heap.Push(&q.h, item{key: key, at: ns})
}

// Remove drops key's deadline, if any.
func (q *Queue) Remove(key string) {
	if i, ok := q.h.index[key]; ok {
		heap.Remove(&q.h, i)
	}
}

// Due removes and returns, in deadline order, every key whose deadline is
// strictly before now.
func (q *Queue) Due(now time.Time) []Expired {
	var out []Expired
	ns := now.UnixNano()
	for len(q.h.items) > 0 && q.h.items[0].at < ns {
		it := heap.Pop(&q.h).(item)
		out = append(out, Expired{Key: it.key, At: time.Unix(0, it.at).UTC()})
	}
	return out
}

type item struct {
	key string
	at  int64 // unix nanoseconds: smaller than time.Time and totally ordered
}

// itemHeap implements heap.Interface and keeps index in step with every move
// so Set and Remove find a key's slot in O(1).
type itemHeap struct {
	items []item
	index map[string]int
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
	h.index[h.items[i].key] = i
	h.index[h.items[j].key] = j
}

func (h *itemHeap) Push(x any) {
	it := x.(item)
	h.index[it.key] = len(h.items)
	h.items = append(h.items, it)
}

func (h *itemHeap) Pop() any {
	last := len(h.items) - 1
	it := h.items[last]
	h.items = h.items[:last]
	delete(h.index, it.key)
	return it
}
