package simulator

// schedule is a min-heap of device indices by next advertisement time, ties
// broken by index so the order never depends on heap internals.
type schedule struct {
	devices []*Device
	order   []int
}

func (q schedule) Len() int { return len(q.order) }

func (q schedule) Less(i, j int) bool {
	a, b := q.devices[q.order[i]], q.devices[q.order[j]]
	if a.next.Equal(b.next) {
		return q.order[i] < q.order[j]
	}
	return a.next.Before(b.next)
}

func (q schedule) Swap(i, j int) { q.order[i], q.order[j] = q.order[j], q.order[i] }

func (q *schedule) Push(x any) { q.order = append(q.order, x.(int)) }

func (q *schedule) Pop() any {
	n := len(q.order) - 1
	x := q.order[n]
	q.order = q.order[:n]
	return x
}
