package projection

import "time"

// zone holds who is present in one zone now and a ring of time buckets for
// windowed figures. Restricted devices are kept apart from the others in
// every counter, because they may only be added when at least k of them are.
type zone struct {
	Key        string   `json:"key"`
	Open       int32    `json:"open"`
	Restricted int32    `json:"restr"`
	Buckets    []bucket `json:"b,omitempty"` // slot = bucket number mod len
	Last       int64    `json:"last"`        // newest bucket number touched; 0 before any
}

// bucket aggregates one BucketWidth of event time.
type bucket struct {
	N          int64 `json:"n"`    // bucket number: start time / width
	Peak       int32 `json:"peak"` // highest k-safe occupancy seen in it
	Open       tally `json:"o"`
	Restricted tally `json:"r"`
}

// tally counts zone visits that started or ended in a bucket.
type tally struct {
	Entries int32 `json:"in,omitempty"`
	Exits   int32 `json:"out,omitempty"`
	DwellMs int64 `json:"dwell,omitempty"`
}

// visible is the occupancy that may be shown: restricted devices count only
// when there are at least k of them.
func (z *zone) visible(k int) int32 {
	if int(z.Restricted) >= k {
		return z.Open + z.Restricted
	}
	return z.Open
}

// enter and leave open t's bucket before changing the count: buckets opened
// on the way start with the occupancy they had, not the new one.
func (z *zone) enter(t time.Time, restricted bool, cfg Config) {
	b := z.bucketAt(t, cfg)
	z.adjust(restricted, +1)
	if b != nil {
		b.tally(restricted).Entries++
	}
	z.notePeak(b, cfg)
}

func (z *zone) leave(t time.Time, restricted bool, dwell time.Duration, cfg Config) {
	b := z.bucketAt(t, cfg)
	z.adjust(restricted, -1)
	if b != nil {
		tl := b.tally(restricted)
		tl.Exits++
		tl.DwellMs += dwell.Milliseconds()
	}
}

// forget removes an erased device from the current count without recording
// an exit: the erased subject must not leave traces in new figures.
func (z *zone) forget(restricted bool) { z.adjust(restricted, -1) }

func (z *zone) adjust(restricted bool, delta int32) {
	if restricted {
		z.Restricted += delta
	} else {
		z.Open += delta
	}
}

func (b *bucket) tally(restricted bool) *tally {
	if restricted {
		return &b.Restricted
	}
	return &b.Open
}

// notePeak raises the peak of b (the event's bucket, nil when too old) and
// of the newest bucket, which is "now".
func (z *zone) notePeak(b *bucket, cfg Config) {
	v := z.visible(cfg.MinAggregate)
	if b != nil && v > b.Peak {
		b.Peak = v
	}
	if len(z.Buckets) > 0 {
		if b := &z.Buckets[z.Last%int64(len(z.Buckets))]; v > b.Peak {
			b.Peak = v
		}
	}
}

// bucketAt returns the bucket holding t, opening new buckets (which start
// at the current occupancy) when t is newer than any seen. It returns nil
// for times older than the ring keeps.
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
		peak := z.visible(cfg.MinAggregate)
		for m := start; m <= n; m++ {
			z.Buckets[m%size] = bucket{N: m, Peak: peak}
		}
		z.Last = n
	}
	b := &z.Buckets[n%size]
	if b.N != n {
		return nil
	}
	return b
}

func bucketNumber(t time.Time, cfg Config) int64 {
	return t.UnixNano() / int64(cfg.BucketWidth)
}
