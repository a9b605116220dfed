package projection

import (
	"fmt"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

// Occupancy summarises one zone over the window ending at a point in event
// time. Every figure already obeys the k rule for restricted devices.
type Occupancy struct {
	Zone    enriched.Zone
	Window  time.Duration
	Current int // devices present at the end of the window
	Peak    int // highest occupancy during the window
	// Mean is the time-weighted mean occupancy from the start of the
	// window's first bucket to the end of the window (to the end of its
	// last bucket when that is settled).
	Mean    float64
	Entries int
	Exits   int
	// MeanDwell is the mean time in the zone of the visits that ended in
	// the window; zero when none did.
	MeanDwell time.Duration
	// Withheld is true when restricted devices are present but fewer than
	// k, so Current leaves them out. It says that someone is withheld,
	// never how many.
	Withheld bool
}

// Occupancy reports zoneKey (see enriched.Zone.Key) over the window ending
// at now. The window is rounded up to whole buckets.
func (p *Projection) Occupancy(zoneKey string, now time.Time, window time.Duration) (Occupancy, error) {
	zref, ok := enriched.ParseZoneKey(zoneKey)
	if !ok {
		return Occupancy{}, fmt.Errorf("zone %q: want site/building/floor/zone", zoneKey)
	}
	if maxWindow := p.cfg.BucketWidth * time.Duration(p.cfg.Buckets); window <= 0 || window > maxWindow {
		return Occupancy{}, fmt.Errorf("window %s: must be within (0, %s]", window, maxWindow)
	}
	out := Occupancy{Zone: zref, Window: window}
	z := p.zones[zoneKey]
	if z == nil {
		return out, nil // a zone nobody has entered is empty, not unknown
	}
	return p.summarise(z, out, now), nil
}

func (p *Projection) summarise(z *zone, out Occupancy, now time.Time) Occupancy {
	k := p.cfg.MinAggregate
	out.Current = int(z.current().visible(k))
	out.Withheld = z.Restricted > 0 && int(z.Restricted) < k
	width := int64(p.cfg.BucketWidth)
	last := bucketNumber(now, p.cfg)
	first := last - (int64(out.Window)+width-1)/width + 1
	size := int64(len(z.Buckets))
	var open, restricted tally
	var load int64
	for n := first; n <= last; n++ {
		if n > z.Last || size == 0 {
			break // no event since: nothing to tally
		}
		b := z.Buckets[n%size]
		if b.N != n {
			continue // before the zone's first entry
		}
		open.add(b.Open)
		restricted.add(b.Restricted)
		if n < z.Settled {
			out.Peak = max(out.Peak, int(b.Peak))
			load += b.Load
		}
	}
	// Buckets not settled yet: sweep the pending changes up to now, which
	// the window includes (changes at now count).
	end := min((last+1)*width, now.UnixNano()+1)
	if from := max(first, z.Settled) * width; from < end {
		var s sweep
		s.start(z.Base, z.Settled*width)
		rest := s.run(z.Changes, from, k)
		s.start(s.cur, from)
		s.run(rest, end, k)
		out.Peak = max(out.Peak, int(s.peak))
		load += s.load
	}
	// Settled buckets count whole, as their loads do.
	spanEnd := max(end, min(z.Settled, last+1)*width)
	if span := floorMs(spanEnd) - floorMs(first*width); span > 0 {
		out.Mean = float64(load) / float64(span)
	}
	out.Entries = int(open.Entries) + kSafe(restricted.Entries, k)
	out.Exits = int(open.Exits) + kSafe(restricted.Exits, k)
	dwell := open.DwellMs
	if kSafe(restricted.Exits, k) > 0 {
		dwell += restricted.DwellMs
	}
	if out.Exits > 0 {
		out.MeanDwell = time.Duration(dwell/int64(out.Exits)) * time.Millisecond
	}
	return out
}

func (t *tally) add(o tally) {
	t.Entries += o.Entries
	t.Exits += o.Exits
	t.DwellMs += o.DwellMs
}

// kSafe returns n when it is large enough to publish, else zero.
func kSafe(n int32, k int) int {
	if int(n) >= k {
		return int(n)
	}
	return 0
}

// Zones lists the keys of every zone that has ever been entered, sorted.
func (p *Projection) Zones() []string {
	return sortedKeys(p.zones)
}
