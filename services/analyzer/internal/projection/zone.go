package projection

import (
	"cmp"
	"slices"
	"time"
)

// zone holds who is present in one zone now, a ring of time buckets for
// windowed figures, and the occupancy changes of the buckets that are not
// settled yet. Restricted devices are kept apart from the others in every
// counter, because they may only be added when at least k of them are.
//
// A bucket's peak and mean are a function of the event times at which
// devices entered and left, not of the order in which the changes were
// applied: they are computed from the changes sorted by time once no
// change can land in the bucket any more (see Projection.settle), and
// computed the same way on the fly for the buckets still open.
type zone struct {
	Key        string   `json:"key"`
	Open       int32    `json:"open"`
	Restricted int32    `json:"restr"`
	Buckets    []bucket `json:"b,omitempty"` // slot = bucket number mod len
	Last       int64    `json:"last"`        // newest bucket number touched; 0 before any
	// Settled is the first bucket that is not final; Base is the occupancy
	// at its start, and Changes are the changes from its start on, in time
	// order, one per instant. Base plus every change is the current count.
	Settled int64    `json:"settled"`
	Base    count    `json:"base"`
	Changes []change `json:"chg,omitempty"`
}

// count is an occupancy, restricted devices apart.
type count struct {
	Open       int32 `json:"o"`
	Restricted int32 `json:"r"`
}

// visible is the occupancy that may be shown: restricted devices count only
// when there are at least k of them.
func (c count) visible(k int) int32 {
	if int(c.Restricted) >= k {
		return c.Open + c.Restricted
	}
	return c.Open
}

func (c *count) add(o count) {
	c.Open += o.Open
	c.Restricted += o.Restricted
}

func (c *count) sub(o count) {
	c.Open -= o.Open
	c.Restricted -= o.Restricted
}

// change is the occupancy change at one instant. A device present from
// enter to leave counts at both instants, even when they are one (a
// device heard once): Up applies before the instant's occupancy is
// sampled for the peak, Down after it.
type change struct {
	At   int64 `json:"t"` // unix nanoseconds
	Up   count `json:"up"`
	Down count `json:"down"`
}

func (c change) net() count {
	n := c.Up
	n.sub(c.Down)
	return n
}

// bucket aggregates one BucketWidth of event time.
type bucket struct {
	N    int64 `json:"n"`    // bucket number: start time / width
	Peak int32 `json:"peak"` // highest k-safe occupancy in it, once settled
	// Load is the k-safe occupancy integrated over the bucket, in
	// device-milliseconds, once settled: Load / width is the mean.
	Load       int64 `json:"load"`
	Open       tally `json:"o"`
	Restricted tally `json:"r"`
}

// tally counts zone visits that started or ended in a bucket.
type tally struct {
	Entries int32 `json:"in,omitempty"`
	Exits   int32 `json:"out,omitempty"`
	DwellMs int64 `json:"dwell,omitempty"`
}

func (z *zone) current() count { return count{Open: z.Open, Restricted: z.Restricted} }

// enter and leave record a visit starting or ending at t.
func (z *zone) enter(t time.Time, restricted bool, cfg Config) {
	if b := z.adjust(t, restricted, +1, cfg); b != nil {
		b.tally(restricted).Entries++
	}
}

func (z *zone) leave(t time.Time, restricted bool, dwell time.Duration, cfg Config) {
	if b := z.depart(t, restricted, cfg); b != nil {
		tl := b.tally(restricted)
		tl.Exits++
		tl.DwellMs += dwell.Milliseconds()
	}
}

// adjust changes the occupancy from t on and returns t's bucket, nil
// when too old for the ring. Reclassifications use it directly: they
// change the count without a visit starting or ending.
func (z *zone) adjust(t time.Time, restricted bool, delta int32, cfg Config) *bucket {
	return z.record(t, change{Up: one(restricted, delta)}, cfg)
}

// depart removes a device that was present at t from just after t on.
// Erasures use it directly: the device goes without a recorded exit.
func (z *zone) depart(t time.Time, restricted bool, cfg Config) *bucket {
	return z.record(t, change{Down: one(restricted, 1)}, cfg)
}

func one(restricted bool, delta int32) count {
	if restricted {
		return count{Restricted: delta}
	}
	return count{Open: delta}
}

func (z *zone) record(t time.Time, c change, cfg Config) *bucket {
	b := z.bucketAt(t, cfg)
	net := c.net()
	z.Open += net.Open
	z.Restricted += net.Restricted
	if bucketNumber(t, cfg) < z.Settled {
		// Older than a final bucket: later than any lateness allowed for.
		// It moves the count on, but settled figures stay as they are.
		z.Base.add(net)
		return b
	}
	c.At = t.UnixNano()
	i, found := slices.BinarySearchFunc(z.Changes, c.At, func(c change, at int64) int { return cmp.Compare(c.At, at) })
	if !found {
		z.Changes = slices.Insert(z.Changes, i, c)
		return b
	}
	pending := &z.Changes[i]
	pending.Up.add(c.Up)
	pending.Down.add(c.Down)
	if pending.Up == (count{}) && pending.Down == (count{}) {
		z.Changes = slices.Delete(z.Changes, i, i+1)
	}
	return b
}

func (b *bucket) tally(restricted bool) *tally {
	if restricted {
		return &b.Restricted
	}
	return &b.Open
}

// bucketAt returns the bucket holding t, opening new buckets when t is
// newer than any seen. It returns nil for times older than the ring keeps.
func (z *zone) bucketAt(t time.Time, cfg Config) *bucket {
	if z.Buckets == nil {
		z.Buckets = make([]bucket, cfg.Buckets)
	}
	n := bucketNumber(t, cfg)
	size := int64(len(z.Buckets))
	if n > z.Last {
		start := max(z.Last+1, n-size+1)
		if z.Last == 0 {
			start = n // a new zone has no history to fill
		}
		for m := start; m <= n; m++ {
			z.Buckets[m%size] = bucket{N: m}
		}
		z.Last = n
	}
	b := &z.Buckets[n%size]
	if b.N != n {
		return nil
	}
	return b
}

// settle makes every bucket before frontier final, computing its peak and
// load from the sorted changes. Buckets the ring no longer holds settle
// as well, whatever the frontier, so pending changes never outgrow the
// ring; and no bucket after the newest one touched settles, so the
// outcome depends only on the frontier and the changes, never on when
// settle ran. It reports whether anything changed.
func (z *zone) settle(frontier int64, cfg Config) bool {
	size := int64(cfg.Buckets)
	upTo := max(min(frontier, z.Last+1), z.Last-size+1)
	if upTo <= z.Settled {
		return false
	}
	w := int64(cfg.BucketWidth)
	// Changes in buckets the ring no longer holds only move the base.
	from := max(z.Settled, upTo-size)
	i := 0
	for ; i < len(z.Changes) && z.Changes[i].At < from*w; i++ {
		z.Base.add(z.Changes[i].net())
	}
	rest := z.Changes[i:]
	for n := from; n < upTo; n++ {
		var s sweep
		s.start(z.Base, n*w)
		rest = s.run(rest, (n+1)*w, cfg.MinAggregate)
		z.Base = s.cur
		if b := &z.Buckets[n%int64(len(z.Buckets))]; b.N == n {
			b.Peak, b.Load = s.peak, s.load
		}
	}
	z.Changes = slices.Clone(rest) // let the settled prefix go
	if len(z.Changes) == 0 {
		z.Changes = nil
	}
	z.Settled = upTo
	return true
}

// sweep walks the occupancy step function over one stretch of time.
type sweep struct {
	cur  count
	at   int64 // nanoseconds reached
	peak int32
	load int64 // device-milliseconds
}

func (s *sweep) start(base count, at int64) { *s = sweep{cur: base, at: at, peak: -1} }

// run applies the changes before end and returns the rest. The value
// holding at the start, at each instant of change and after it counts
// towards the peak; a change at the very start replaces the start value.
func (s *sweep) run(changes []change, end int64, k int) []change {
	for len(changes) > 0 && changes[0].At < end {
		c := changes[0]
		if c.At > s.at {
			s.hold(c.At, k)
		}
		s.cur.add(c.Up)
		s.peak = max(s.peak, s.cur.visible(k))
		s.cur.sub(c.Down)
		changes = changes[1:]
	}
	s.hold(end, k)
	return changes
}

// hold keeps the current occupancy until end.
func (s *sweep) hold(end int64, k int) {
	v := s.cur.visible(k)
	s.peak = max(s.peak, v)
	s.load += int64(v) * (floorMs(end) - floorMs(s.at))
	s.at = end
}

func floorMs(ns int64) int64 {
	ms := ns / 1e6
	if ns%1e6 < 0 {
		ms--
	}
	return ms
}

func bucketNumber(t time.Time, cfg Config) int64 {
	return t.UnixNano() / int64(cfg.BucketWidth)
}
