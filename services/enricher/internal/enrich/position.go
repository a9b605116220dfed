package enrich

import (
	"maps"
	"slices"
	"time"

	"github.com/bluestream/bluestream/services/enricher/internal/geo"
	"github.com/bluestream/bluestream/services/enricher/internal/registry"
)

// placedRange is one gateway's distance estimate to a device at one time.
type placedRange struct {
	gateway   string
	placement registry.Placement
	distance  float64
	at        time.Time
}

// positionWindows keeps each device's latest range from each gateway, so readings of
// consecutive advertisements heard by different gateways still combine into a fix.
type positionWindows struct {
	window           time.Duration
	geohashPrecision int
	devices          map[string]map[string]placedRange // window key → gateway id → latest range
	updates          int
	newestAt         time.Time
}

// sweepEvery bounds memory: every so many updates, devices silent for a whole window
// are dropped. Sweeping on every update would cost a pass over all devices each time.
const sweepEvery = 4096

func newPositionWindows(window time.Duration, geohashPrecision int) *positionWindows {
	return &positionWindows{window: window, geohashPrecision: geohashPrecision, devices: make(map[string]map[string]placedRange)}
}

// update records the ranges and returns a position from the ranges on the same site
// and floor as the strongest gateway that are no older than the window at time at.
func (w *positionWindows) update(key string, where registry.Placement, ranges []placedRange, at time.Time) *Position {
	if at.After(w.newestAt) {
		w.newestAt = at
	}
	w.updates++
	if w.updates%sweepEvery == 0 {
		w.sweep()
	}
	latest := w.devices[key]
	if latest == nil {
		latest = make(map[string]placedRange)
		w.devices[key] = latest
	}
	for _, r := range ranges {
		if old, ok := latest[r.gateway]; !ok || !r.at.Before(old.at) {
			latest[r.gateway] = r
		}
	}
	var usable []geo.Range
	var fixes []geo.PlanFix
	// Gateway order, not map order: floating-point sums depend on order, and the same
	// input must give the same output on every run and deployment target.
	for _, gw := range slices.Sorted(maps.Keys(latest)) {
		r := latest[gw]
		if at.Sub(r.at) > w.window || r.at.Sub(at) > w.window {
			continue
		}
		if r.placement.Site != where.Site || r.placement.Building != where.Building || r.placement.Floor != where.Floor {
			continue
		}
		usable = append(usable, geo.Range{Anchor: r.placement.Plan, Distance: r.distance})
		fixes = append(fixes, geo.PlanFix{Plan: r.placement.Plan, Position: r.placement.Position})
	}
	if len(usable) < 3 {
		return nil
	}
	est, err := geo.Trilaterate(usable)
	if err != nil {
		return nil // too few distinct or only collinear gateways: no fix this time
	}
	pos := &Position{X: est.Position.X, Y: est.Position.Y, ErrorMetres: est.ErrorMetres, Gateways: est.Ranges}
	w.locate(pos, fixes)
	return pos
}

// locate adds the WGS84 position and geohash, mapping the plan through the very
// gateways that ranged the device. Gateways registered without a real position (all
// at one spot, or on a line) give no map, and the position stays plan-only.
func (w *positionWindows) locate(pos *Position, fixes []geo.PlanFix) {
	m, err := geo.FitPlanMap(fixes)
	if err != nil {
		return
	}
	ll := m.Position(geo.Point{X: pos.X, Y: pos.Y})
	hash, err := geo.Geohash(ll, w.geohashPrecision)
	if err != nil {
		return // a plan far outside the gateways can map beyond the poles
	}
	pos.WGS84, pos.Geohash = &ll, hash
}

// forget drops a device's ranges, e.g. after erasure.
func (w *positionWindows) forget(key string) { delete(w.devices, key) }

func (w *positionWindows) sweep() {
	for key, latest := range w.devices {
		for gw, r := range latest {
			if w.newestAt.Sub(r.at) > w.window {
				delete(latest, gw)
			}
		}
		if len(latest) == 0 {
			delete(w.devices, key)
		}
	}
}
