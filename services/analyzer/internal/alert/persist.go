package alert

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
)

// Keys of persisted state.
const (
	devicePrefix  = "device/"
	gatewayPrefix = "gateway/"
	openPrefix    = "open/"
)

// Emit receives one persisted entry; a nil value means "delete key".
type Emit func(key string, value []byte) error

// Flush emits every entry changed since the previous Flush, in key order.
func (m *Monitor) Flush(emit Emit) error {
	for _, k := range slices.Sorted(maps.Keys(m.dirty)) {
		if err := m.emit(k, emit); err != nil {
			return err
		}
	}
	clear(m.dirty)
	return nil
}

// Dump emits the whole state in key order.
func (m *Monitor) Dump(emit Emit) error {
	keys := make([]string, 0, len(m.devices)+len(m.gateways)+len(m.open))
	for id := range m.devices {
		keys = append(keys, devicePrefix+id)
	}
	for id := range m.gateways {
		keys = append(keys, gatewayPrefix+id)
	}
	for k := range m.open {
		keys = append(keys, openPrefix+k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if err := m.emit(k, emit); err != nil {
			return err
		}
	}
	return nil
}

func (m *Monitor) emit(k string, emit Emit) error {
	var v any
	switch {
	case strings.HasPrefix(k, devicePrefix):
		if w, ok := m.devices[strings.TrimPrefix(k, devicePrefix)]; ok {
			b, err := w.MarshalBinary()
			if err != nil {
				return fmt.Errorf("encoding %s: %w", k, err)
			}
			return emit(k, b)
		}
	case strings.HasPrefix(k, gatewayPrefix):
		if g, ok := m.gateways[strings.TrimPrefix(k, gatewayPrefix)]; ok {
			v = g
		}
	case strings.HasPrefix(k, openPrefix):
		if a, ok := m.open[strings.TrimPrefix(k, openPrefix)]; ok {
			v = a
		}
	}
	if v == nil {
		return emit(k, nil)
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encoding %s: %w", k, err)
	}
	return emit(k, b)
}

// Load restores one entry written by Flush or Dump. Deadlines are rebuilt
// from the restored last-seen times; one whose alert is open already fires
// into the deduplication and changes nothing.
func (m *Monitor) Load(k string, value []byte) error {
	switch {
	case strings.HasPrefix(k, devicePrefix):
		w := new(deviceWatch)
		if err := w.UnmarshalBinary(value); err != nil {
			return fmt.Errorf("decoding %s: %w", k, err)
		}
		m.devices[w.ID] = w
		if w.Watched {
			m.deadlines.Set(k, w.LastSeen.Add(time.Duration(w.SilentFor)))
		}
	case strings.HasPrefix(k, gatewayPrefix):
		g := new(gatewayWatch)
		if err := json.Unmarshal(value, g); err != nil {
			return fmt.Errorf("decoding %s: %w", k, err)
		}
		m.gateways[g.ID] = g
		m.deadlines.Set(k, g.LastSeen.Add(m.cfg.GatewaySilentAfter))
	case strings.HasPrefix(k, openPrefix):
		a := new(Alert)
		if err := json.Unmarshal(value, a); err != nil {
			return fmt.Errorf("decoding %s: %w", k, err)
		}
		m.open[keyOf(*a).String()] = a
	default:
		return fmt.Errorf("loading alerts: unknown key %q", k)
	}
	return nil
}
