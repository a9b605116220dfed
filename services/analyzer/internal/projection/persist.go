package projection

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Keys of persisted state. Each device and each zone is its own entry so a
// commit writes only what changed since the previous one.
const (
	devicePrefix = "device/"
	zonePrefix   = "zone/"
	metaKey      = "meta"
)

// meta is the projection-wide state.
type meta struct {
	Watermark time.Time `json:"wm"`
	Horizon   time.Time `json:"hz"`
	Settled   int64     `json:"settled"`
}

// Emit receives one persisted entry; a nil value means "delete key".
type Emit func(key string, value []byte) error

// Flush emits every entry changed since the previous Flush, in key order,
// and forgets the changes. Devices, the bulk of the state, use the compact
// binary codec; zones and meta use JSON (fields in a fixed order, floats in
// shortest round-trip form, times in UTC). Both give equal bytes for equal
// state.
func (p *Projection) Flush(emit Emit) error {
	if p.dirtyMeta {
		if err := p.emitMeta(emit); err != nil {
			return err
		}
	}
	for _, id := range sortedKeys(p.dirtyDevices) {
		if err := p.emitDevice(id, emit); err != nil {
			return err
		}
	}
	for _, key := range sortedKeys(p.dirtyZones) {
		if err := emitJSON(zonePrefix+key, p.zones[key], emit); err != nil {
			return err
		}
	}
	clear(p.dirtyDevices)
	clear(p.dirtyZones)
	p.dirtyMeta = false
	return nil
}

// Dump emits the whole state in key order, as Flush would after a rebuild.
func (p *Projection) Dump(emit Emit) error {
	for _, id := range sortedKeys(p.devices) {
		if err := p.emitDevice(id, emit); err != nil {
			return err
		}
	}
	if err := p.emitMeta(emit); err != nil {
		return err
	}
	for _, key := range sortedKeys(p.zones) {
		if err := emitJSON(zonePrefix+key, p.zones[key], emit); err != nil {
			return err
		}
	}
	return nil
}

// Load restores one entry written by Flush or Dump. Call it for every
// stored entry before applying new input.
func (p *Projection) Load(key string, value []byte) error {
	switch {
	case key == metaKey:
		var m meta
		if err := json.Unmarshal(value, &m); err != nil {
			return fmt.Errorf("decoding %s: %w", key, err)
		}
		p.watermark, p.horizon, p.settled = m.Watermark, m.Horizon, m.Settled
	case strings.HasPrefix(key, devicePrefix):
		d := new(device)
		if err := d.UnmarshalBinary(value); err != nil {
			return fmt.Errorf("decoding %s: %w", key, err)
		}
		p.devices[d.ID] = d
		p.order = nil
		if d.Presence.Present {
			p.deadlines.Set(d.ID, d.LastSeen.Add(d.Interval.timeout(p.cfg)))
			p.sightings.Set(d.ID, d.since())
		}
	case strings.HasPrefix(key, zonePrefix):
		z := new(zone)
		if err := json.Unmarshal(value, z); err != nil {
			return fmt.Errorf("decoding %s: %w", key, err)
		}
		if len(z.Buckets) != 0 && len(z.Buckets) != p.cfg.Buckets {
			return fmt.Errorf("decoding %s: %d buckets stored, config has %d (rebuild after changing buckets)", key, len(z.Buckets), p.cfg.Buckets)
		}
		p.zones[z.Key] = z
	default:
		return fmt.Errorf("loading projection: unknown key %q", key)
	}
	return nil
}

func (p *Projection) emitMeta(emit Emit) error {
	return emitJSON(metaKey, meta{Watermark: p.watermark, Horizon: p.horizon, Settled: p.settled}, emit)
}

func (p *Projection) emitDevice(id string, emit Emit) error {
	d, ok := p.devices[id]
	if !ok {
		return emit(devicePrefix+id, nil)
	}
	b, err := d.MarshalBinary()
	if err != nil {
		return fmt.Errorf("encoding %s: %w", devicePrefix+id, err)
	}
	return emit(devicePrefix+id, b)
}

func emitJSON(key string, v any, emit Emit) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", key, err)
	}
	return emit(key, b)
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(maps.Keys(m))
}
