package projection

import (
	"slices"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

// DeviceView is what may be shown about one device.
type DeviceView struct {
	ID        string
	Category  enriched.Category
	FirstSeen time.Time
	LastSeen  time.Time
	GatewayID string
	// Zone is the last zone the device was seen in.
	Zone     enriched.Zone
	Present  bool
	Position enriched.Position
	RSSI     int32
	Battery  enriched.Battery
	// SessionStart and ZoneEntered are zero when not present (in a zone).
	SessionStart time.Time
	ZoneEntered  time.Time
	// ExpectedInterval is the learned gap between reports, zero until
	// known; Timeout is the silence after which the device disappears.
	ExpectedInterval time.Duration
	Timeout          time.Duration
	Measurements     []MeasurementView // sorted by quantity
	// Readings is how many readings of the device were applied.
	Readings uint64
}

// MeasurementView is the latest value of one quantity and its statistics.
type MeasurementView struct {
	Quantity      string
	Unit          string
	Value         float64
	At            time.Time
	Count         int64
	Min, Max      float64
	Mean          float64
	RollingMean   float64
	RollingStdDev float64
}

// Device returns one device. Restricted devices are reported as unknown:
// they may appear only in aggregates.
func (p *Projection) Device(id string) (DeviceView, bool) {
	d := p.devices[id]
	if d == nil || d.Restricted {
		return DeviceView{}, false
	}
	return p.view(d), true
}

// DeviceFilter selects devices for Devices. Zero fields select everything.
type DeviceFilter struct {
	Zone       string              // key of the last zone (enriched.Zone.Key)
	Categories []enriched.Category // any of these
	SeenSince  time.Time           // last seen at or after
	After      string              // page cursor: the last id of the previous page
	Limit      int                 // page size; 0 means 100
}

// Devices returns one page of matching devices in id order and the cursor
// for the next page, empty on the last page. Restricted devices never match.
func (p *Projection) Devices(f DeviceFilter) (page []DeviceView, next string) {
	limit := f.Limit
	if limit <= 0 {
		limit = 100
	}
	if p.order == nil {
		p.order = sortedKeys(p.devices)
	}
	start := 0
	if f.After != "" {
		start, _ = slices.BinarySearch(p.order, f.After)
		if start < len(p.order) && p.order[start] == f.After {
			start++
		}
	}
	for _, id := range p.order[start:] {
		d := p.devices[id]
		if !f.matches(d) {
			continue
		}
		if len(page) == limit {
			return page, page[len(page)-1].ID
		}
		page = append(page, p.view(d))
	}
	return page, ""
}

func (f DeviceFilter) matches(d *device) bool {
	switch {
	case d.Restricted:
		return false
	case f.Zone != "" && d.Zone != f.Zone:
		return false
	case len(f.Categories) > 0 && !slices.Contains(f.Categories, d.Category):
		return false
	case !f.SeenSince.IsZero() && d.LastSeen.Before(f.SeenSince):
		return false
	}
	return true
}

func (p *Projection) view(d *device) DeviceView {
	zref, _ := enriched.ParseZoneKey(d.Zone)
	expected, _ := d.Interval.estimate()
	v := DeviceView{
		ID: d.ID, Category: d.Category, FirstSeen: d.FirstSeen, LastSeen: d.LastSeen,
		GatewayID: d.GatewayID, Zone: zref, Present: d.Presence.Present,
		Position: d.Position, RSSI: d.RSSI, Battery: d.Battery,
		SessionStart: d.Presence.SessionStart, ZoneEntered: d.Presence.ZoneEntered,
		ExpectedInterval: expected, Timeout: d.Interval.timeout(p.cfg),
		Readings: d.Readings,
	}
	for _, m := range d.Measurements {
		v.Measurements = append(v.Measurements, MeasurementView{
			Quantity: m.Quantity, Unit: m.Unit, Value: m.Value, At: m.At,
			Count: m.Summary.Count, Min: m.Summary.Min, Max: m.Summary.Max, Mean: m.Summary.Mean,
			RollingMean: m.Rolling.Mean, RollingStdDev: m.Rolling.StdDev(),
		})
	}
	return v
}

// Len reports how many devices are tracked, restricted ones included.
func (p *Projection) Len() int { return len(p.devices) }
