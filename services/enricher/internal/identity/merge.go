package identity

import (
	"cmp"
	"container/heap"
	"math"
	"slices"
	"time"
)

// NoRSSI is the RSSI of a reception whose receiver measured none: it sorts as
// weaker than any measured one, so it never decides the zone over one.
const NoRSSI = math.MinInt32

// Receiver is one gateway's reception of an advertisement.
type Receiver struct {
	GatewayID string
	RSSI      int
	At        time.Time
}

// Observation is one advertisement as heard by every gateway that received it within
// the merge window. Receivers are ordered strongest first, so Receivers[0] decides
// the zone. First is the value passed with the earliest-arriving copy.
type Observation[T any] struct {
	Key       string
	FirstSeen time.Time
	First     T
	Receivers []Receiver
}

// Strongest returns the receiver with the highest RSSI.
func (o Observation[T]) Strongest() Receiver { return o.Receivers[0] }

// Merger groups copies of the same advertisement (same key, e.g. address plus payload)
// that arrive within Window of the first copy. Time is event time, taken from the
// copies themselves: a group closes once a copy with a later time than its deadline
// has been seen, so replaying a capture gives the same groups as live traffic.
// A Merger is not safe for concurrent use; run one per partition.
type Merger[T any] struct {
	window    time.Duration
	open      map[string]*group[T]
	deadlines groupHeap[T]
	watermark time.Time
}

type group[T any] struct {
	obs      Observation[T]
	deadline time.Time
	index    int
}

// NewMerger returns a merger with the given window; copies further apart than the
// window become separate observations.
func NewMerger[T any](window time.Duration) *Merger[T] {
	return &Merger[T]{window: window, open: make(map[string]*group[T])}
}

// Add records one copy and returns the observations whose windows the copy's time has
// closed, oldest first. A copy that arrives after its group closed starts a new group.
func (m *Merger[T]) Add(key string, r Receiver, value T) []Observation[T] {
	if r.At.After(m.watermark) {
		m.watermark = r.At
	}
	closed := m.closeUntil(m.watermark)
	if g, ok := m.open[key]; ok {
		g.obs.Receivers = addReceiver(g.obs.Receivers, r)
		return closed
	}
	g := &group[T]{
		obs:      Observation[T]{Key: key, FirstSeen: r.At, First: value, Receivers: []Receiver{r}},
		deadline: r.At.Add(m.window),
	}
	m.open[key] = g
	heap.Push(&m.deadlines, g)
	return closed
}

// Advance moves event time to t without a copy, closing the groups whose windows end
// before t: a quiet partition otherwise holds its last advertisements until the next
// one arrives. Times earlier than the current watermark change nothing.
func (m *Merger[T]) Advance(t time.Time) []Observation[T] {
	if t.After(m.watermark) {
		m.watermark = t
	}
	return m.closeUntil(m.watermark)
}

// Flush closes every open group, e.g. at shutdown, at the end of a replay or of a
// batch, and forgets event time: with no group open the watermark has nothing left
// to close, and kept, it would split the next copies of an earlier advertisement
// (another partition's, or a batch consumed again after an abort) into one
// observation per copy.
func (m *Merger[T]) Flush() []Observation[T] {
	var out []Observation[T]
	for m.deadlines.Len() > 0 {
		out = append(out, m.pop())
	}
	m.watermark = time.Time{}
	return out
}

// Pending reports how many groups are still open.
func (m *Merger[T]) Pending() int { return len(m.open) }

func (m *Merger[T]) closeUntil(watermark time.Time) []Observation[T] {
	var out []Observation[T]
	for m.deadlines.Len() > 0 && m.deadlines[0].deadline.Before(watermark) {
		out = append(out, m.pop())
	}
	return out
}

func (m *Merger[T]) pop() Observation[T] {
	g := heap.Pop(&m.deadlines).(*group[T])
	delete(m.open, g.obs.Key)
	return g.obs
}

// addReceiver keeps one entry per gateway (a gateway hears the same PDU on up to
// three advertising channels) with its strongest RSSI, ordered strongest first and
// then by gateway id so equal signals give a deterministic order.
func addReceiver(rs []Receiver, r Receiver) []Receiver {
	if i := slices.IndexFunc(rs, func(x Receiver) bool { return x.GatewayID == r.GatewayID }); i >= 0 {
		if r.RSSI <= rs[i].RSSI {
			return rs
		}
		rs = slices.Delete(rs, i, i+1)
	}
	rs = append(rs, r)
	slices.SortStableFunc(rs, func(a, b Receiver) int {
		if c := cmp.Compare(b.RSSI, a.RSSI); c != 0 {
			return c
		}
		return cmp.Compare(a.GatewayID, b.GatewayID)
	})
	return rs
}

// groupHeap orders open groups by deadline, then key, for container/heap.
type groupHeap[T any] []*group[T]

func (h groupHeap[T]) Len() int { return len(h) }
func (h groupHeap[T]) Less(i, j int) bool {
	if !h[i].deadline.Equal(h[j].deadline) {
		return h[i].deadline.Before(h[j].deadline)
	}
	return h[i].obs.Key < h[j].obs.Key
}
func (h groupHeap[T]) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index, h[j].index = i, j
}
func (h *groupHeap[T]) Push(x any) {
	g := x.(*group[T])
	g.index = len(*h)
	*h = append(*h, g)
}
func (h *groupHeap[T]) Pop() any {
	old := *h
	g := old[len(old)-1]
	old[len(old)-1] = nil
	*h = old[:len(old)-1]
	return g
}
