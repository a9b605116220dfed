package projection

import (
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/deadline"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

// Projection is the live view of devices and zones. It is not safe for
// concurrent use: the engine serialises writers and readers.
type Projection struct {
	cfg       Config
	devices   map[string]*device
	zones     map[string]*zone
	deadlines deadline.Queue
	// sightings holds, for every present device, the earliest event time
	// a change of its presence may still be dated at: its last sighting
	// (a disappearance is dated there), or the first reading of a move
	// not yet confirmed.
	sightings deadline.Queue
	watermark time.Time // newest event or tick time seen
	// horizon is the newest time passed to Settle: readings older than
	// it are late.
	horizon time.Time
	// settled is the first bucket number not final in every zone: no
	// occupancy change can be dated before the horizon or before a present
	// device's sighting, so buckets ending by then are final.
	settled int64
	// order caches the sorted device ids for paging; nil when a device was
	// added or removed since, and rebuilt on the next listing.
	order []string

	dirtyDevices map[string]struct{}
	dirtyZones   map[string]struct{}
	dirtyMeta    bool
}

// New returns an empty projection.
func New(cfg Config) (*Projection, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Projection{
		cfg:          cfg,
		devices:      make(map[string]*device),
		zones:        make(map[string]*zone),
		dirtyDevices: make(map[string]struct{}),
		dirtyZones:   make(map[string]struct{}),
	}, nil
}

// Watermark is the newest event time the projection has seen.
func (p *Projection) Watermark() time.Time { return p.watermark }

// Apply folds a validated reading in and returns the presence changes it
// caused. A device silent for longer than its timeout disappears (at its
// last sighting) before reappearing, even when no Tick came in between, so
// the outcome does not depend on how ticks and readings interleave.
func (p *Projection) Apply(r enriched.Reading) []Event {
	t := r.EventTime.UTC()
	p.advance(t)
	d, seen := p.devices[r.DeviceID]
	if !seen {
		d = &device{ID: r.DeviceID, FirstSeen: t}
		p.devices[r.DeviceID] = d
		p.order = nil
	}
	p.markDevice(d.ID)
	var events []Event
	if d.Presence.Present && t.Sub(d.LastSeen) > d.Interval.timeout(p.cfg) {
		events = p.disappear(d, events)
	}
	if seen && t.After(d.LastSeen) {
		d.Interval.observeGap(t.Sub(d.LastSeen))
	}
	late := seen && t.Before(d.LastSeen)
	d.record(r, t)
	if late {
		return events // an old reading says nothing about where the device is now
	}
	p.reclassify(d, r, t)
	events = p.place(d, r.Zone.Key(), t, events)
	p.deadlines.Set(d.ID, d.LastSeen.Add(d.Interval.timeout(p.cfg)))
	p.sightings.Set(d.ID, d.since())
	p.settle()
	return events
}

// Tick advances event time to now when no reading does (an idle stream)
// and returns the disappearances whose timeouts passed.
func (p *Projection) Tick(now time.Time) []Event {
	now = now.UTC()
	p.advance(now)
	var events []Event
	for _, due := range p.deadlines.Due(now) {
		if d := p.devices[due.Key]; d != nil && d.Presence.Present {
			p.markDevice(d.ID)
			events = p.disappear(d, events)
		}
	}
	p.settle()
	return events
}

// Erase forgets a device entirely. Zone counters drop it from its last
// sighting on without recording an exit; past aggregate tallies, which
// name nobody, stay. It reports whether the device was known.
func (p *Projection) Erase(deviceID string) bool {
	d := p.devices[deviceID]
	if d == nil {
		return false
	}
	if d.Presence.Zone != "" {
		z := p.zone(d.Presence.Zone)
		z.depart(d.LastSeen, d.Restricted, p.cfg)
		z.settle(p.settled, p.cfg)
	}
	delete(p.devices, deviceID)
	p.order = nil
	p.deadlines.Remove(deviceID)
	p.sightings.Remove(deviceID)
	p.markDevice(deviceID)
	p.settle()
	return true
}

// Settle declares that every reading older than horizon has been applied
// (readings still to come that are older are late), so occupancy buckets
// that no presence change can reach any more become final. The engine
// calls it with its low watermark less the lateness. Idle ticks must not:
// the wall clock says nothing about which readings are still queued.
func (p *Projection) Settle(horizon time.Time) {
	horizon = horizon.UTC()
	if horizon.After(p.horizon) {
		p.horizon = horizon
		p.dirtyMeta = true
		p.settle()
	}
}

// ExpectedInterval is the device's estimated gap between reports, for rules
// such as "silent for longer than expected". ok is false until known.
func (p *Projection) ExpectedInterval(deviceID string) (time.Duration, bool) {
	d := p.devices[deviceID]
	if d == nil {
		return 0, false
	}
	return d.Interval.estimate()
}

func (p *Projection) advance(t time.Time) {
	if t.After(p.watermark) {
		p.watermark = t
		p.dirtyMeta = true
	}
}

// reclassify follows a change of category or agreement at t: the zone
// counters must move the device between the open and restricted tallies.
func (p *Projection) reclassify(d *device, r enriched.Reading, t time.Time) {
	restricted := r.Restricted()
	d.Category = r.Category
	if restricted == d.Restricted {
		return
	}
	if d.Presence.Zone != "" {
		p.adjust(d.Presence.Zone, t, d.Restricted, -1)
		p.adjust(d.Presence.Zone, t, restricted, +1)
	}
	d.Restricted = restricted
}

// place starts a session or moves the device to zoneKey. An empty zoneKey
// (gateway not placed) keeps the device where it was. A move needs
// MoveAfter consecutive readings from the new zone, so a device between
// two gateways does not flap; it is dated at the first of them.
func (p *Projection) place(d *device, zoneKey string, t time.Time, events []Event) []Event {
	if !d.Presence.Present {
		d.Presence = presence{Present: true, SessionStart: t}
		events = append(events, Event{Kind: Appeared, DeviceID: d.ID, At: t, Zone: zoneKey, Restricted: d.Restricted})
		return p.enter(d, zoneKey, t, events)
	}
	from := d.Presence.Zone
	switch {
	case zoneKey == "":
		return events
	case zoneKey == from:
		d.Presence.clearCandidate()
		return events
	case from == "":
		return p.enter(d, zoneKey, t, events)
	}
	at, confirmed := d.Presence.propose(zoneKey, t, p.cfg.MoveAfter)
	if !confirmed {
		return events
	}
	dwell := at.Sub(d.Presence.ZoneEntered)
	events = p.leave(d, at, events)
	events = append(events, Event{Kind: MovedZone, DeviceID: d.ID, At: at, Zone: zoneKey, FromZone: from, Dwell: dwell, Restricted: d.Restricted})
	return p.enter(d, zoneKey, at, events)
}

func (p *Projection) enter(d *device, zoneKey string, t time.Time, events []Event) []Event {
	if zoneKey == "" {
		return events
	}
	d.Zone, d.Presence.Zone, d.Presence.ZoneEntered = zoneKey, zoneKey, t
	z := p.zone(zoneKey)
	z.enter(t, d.Restricted, p.cfg)
	z.settle(p.settled, p.cfg)
	return append(events, Event{Kind: ZoneEntered, DeviceID: d.ID, At: t, Zone: zoneKey, Restricted: d.Restricted})
}

func (p *Projection) leave(d *device, t time.Time, events []Event) []Event {
	zoneKey := d.Presence.Zone
	if zoneKey == "" {
		return events
	}
	dwell := t.Sub(d.Presence.ZoneEntered)
	z := p.zone(zoneKey)
	z.leave(t, d.Restricted, dwell, p.cfg)
	z.settle(p.settled, p.cfg)
	events = append(events, Event{Kind: ZoneLeft, DeviceID: d.ID, At: t, Zone: zoneKey, Dwell: dwell, Restricted: d.Restricted})
	d.Presence.Zone, d.Presence.ZoneEntered = "", time.Time{}
	return events
}

// disappear ends the session at the last sighting: that is when the device
// was last known to be there, whenever the timeout is noticed.
func (p *Projection) disappear(d *device, events []Event) []Event {
	t := d.LastSeen
	events = p.leave(d, t, events)
	events = append(events, Event{Kind: Disappeared, DeviceID: d.ID, At: t, Zone: d.Zone, Dwell: t.Sub(d.Presence.SessionStart), Restricted: d.Restricted})
	d.Presence = presence{}
	p.deadlines.Remove(d.ID)
	p.sightings.Remove(d.ID)
	return events
}

// adjust changes zoneKey's count at t without a visit starting or ending.
func (p *Projection) adjust(zoneKey string, t time.Time, restricted bool, delta int32) {
	z := p.zone(zoneKey)
	z.adjust(t, restricted, delta, p.cfg)
	z.settle(p.settled, p.cfg)
}

// settle moves the settled frontier to the earliest time an occupancy
// change may still be dated at, and settles every zone's buckets before
// it. Readings within the lateness and presence changes (dated at a
// present device's sighting) never land before the frontier, so a
// bucket's figures come out the same however partitions interleaved.
func (p *Projection) settle() {
	frontier := p.horizon
	if next, ok := p.sightings.Earliest(); ok && next.At.Before(frontier) {
		frontier = next.At
	}
	if frontier.IsZero() {
		return
	}
	n := bucketNumber(frontier, p.cfg)
	if n <= p.settled {
		return
	}
	p.settled = n
	p.dirtyMeta = true
	for key, z := range p.zones {
		if z.settle(n, p.cfg) {
			p.dirtyZones[key] = struct{}{}
		}
	}
}

// zone returns the zone for key, creating it; callers pass non-empty keys.
func (p *Projection) zone(key string) *zone {
	z := p.zones[key]
	if z == nil {
		z = &zone{Key: key}
		p.zones[key] = z
	}
	p.dirtyZones[key] = struct{}{}
	return z
}

func (p *Projection) markDevice(id string) { p.dirtyDevices[id] = struct{}{} }
