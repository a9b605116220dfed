package alert

import (
	"slices"
	"strings"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/deadline"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/stats"
)

// Monitor evaluates the rules and keeps the open alerts. It is not safe for
// concurrent use.
type Monitor struct {
	cfg       Config
	open      map[string]*Alert // by key.String()
	devices   map[string]*deviceWatch
	gateways  map[string]*gatewayWatch
	deadlines deadline.Queue // keys: devicePrefix+id, gatewayPrefix+id

	dirty map[string]struct{} // persisted keys changed since Flush
}

// deviceWatch is what the rules remember about one device.
type deviceWatch struct {
	ID        string     `json:"id"`
	GatewayID string     `json:"gw"`
	LastSeen  time.Time  `json:"last"`
	Watched   bool       `json:"watched,omitempty"` // device_silent applies
	SilentFor int64      `json:"silent"`            // nanoseconds of silence that raise device_silent
	Series    []detector `json:"series,omitempty"`  // sorted by Quantity
}

// detector is the anomaly state of one measurement series.
type detector struct {
	Quantity string     `json:"q"`
	Stats    stats.EWMA `json:"s"`
}

// gatewayWatch is what the rules remember about one gateway.
type gatewayWatch struct {
	ID       string    `json:"id"`
	LastSeen time.Time `json:"last"`
}

// New returns a monitor with no open alerts.
func New(cfg Config) (*Monitor, error) {
	cfg = cfg.withDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Monitor{
		cfg:      cfg,
		open:     make(map[string]*Alert),
		devices:  make(map[string]*deviceWatch),
		gateways: make(map[string]*gatewayWatch),
		dirty:    make(map[string]struct{}),
	}, nil
}

// Observe evaluates a validated reading. expected is the device's learned
// reporting interval (zero when not known yet). Restricted devices raise no
// device alerts: an alert names its device, which the works-council rule
// forbids; their readings still keep their gateway alive.
func (m *Monitor) Observe(r enriched.Reading, expected time.Duration) []Event {
	t := r.EventTime.UTC()
	events := m.observeGateway(r.GatewayID, t)
	if r.Restricted() {
		if _, known := m.devices[r.DeviceID]; known {
			// Its agreement ended or it became an employee device: stop
			// watching it and close what was open about it.
			events = append(events, m.forget(r.DeviceID, t, "device may no longer be monitored individually")...)
		}
		return events
	}
	w := m.devices[r.DeviceID]
	if w == nil {
		w = &deviceWatch{ID: r.DeviceID}
		m.devices[r.DeviceID] = w
	}
	m.markDirty(devicePrefix + w.ID)
	if t.Before(w.LastSeen) {
		return events // late: a stale battery or value must not resolve a newer alert
	}
	events = m.checkSilence(w, r, t, expected, events)
	events = m.checkBattery(w.ID, r.GatewayID, r.Battery, t, events)
	for _, ms := range r.Measurements {
		events = m.checkRange(w.ID, r.GatewayID, ms, t, events)
		events = m.checkAnomaly(w, r.GatewayID, ms, t, events)
	}
	return events
}

// Tick raises silence alerts whose deadlines passed before now. Gateway
// silence is only ever found here; device silence also from the gap when
// the device reports again.
func (m *Monitor) Tick(now time.Time) []Event {
	var events []Event
	for _, due := range m.deadlines.Due(now.UTC()) {
		switch {
		case strings.HasPrefix(due.Key, devicePrefix):
			if w := m.devices[strings.TrimPrefix(due.Key, devicePrefix)]; w != nil {
				events = m.raise(deviceSilentAlert(w, due.At), events)
			}
		case strings.HasPrefix(due.Key, gatewayPrefix):
			if g := m.gateways[strings.TrimPrefix(due.Key, gatewayPrefix)]; g != nil {
				events = m.raise(gatewaySilentAlert(g.ID, g.LastSeen, m.cfg.GatewaySilentAfter), events)
			}
		}
	}
	return events
}

// Erase forgets a device and resolves its open alerts, so consumers of the
// alert stream do not keep an alert open for a subject that no longer exists.
func (m *Monitor) Erase(deviceID string, at time.Time) []Event {
	return m.forget(deviceID, at.UTC(), "subject erased")
}

func (m *Monitor) forget(deviceID string, at time.Time, reason string) []Event {
	var events []Event
	for _, a := range m.Open() {
		if a.DeviceID == deviceID {
			events = m.resolve(keyOf(a), at, reason, events)
		}
	}
	delete(m.devices, deviceID)
	m.deadlines.Remove(devicePrefix + deviceID)
	m.markDirty(devicePrefix + deviceID)
	return events
}

// Open lists the open alerts ordered by raise time, then id.
func (m *Monitor) Open() []Alert {
	out := make([]Alert, 0, len(m.open))
	for _, a := range m.open {
		out = append(out, *a)
	}
	slices.SortFunc(out, func(a, b Alert) int {
		if c := a.RaisedAt.Compare(b.RaisedAt); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

func keyOf(a Alert) key {
	if a.Rule == RuleGatewaySilent {
		return key{Rule: a.Rule, Subject: gatewayPrefix + a.GatewayID}
	}
	return key{Rule: a.Rule, Subject: devicePrefix + a.DeviceID, Quantity: a.Quantity}
}

// raise opens a, unless an alert with its identity is open already.
func (m *Monitor) raise(a Alert, events []Event) []Event {
	k := keyOf(a)
	if _, open := m.open[k.String()]; open {
		return events
	}
	a.ID = alertID(k, a.RaisedAt)
	m.open[k.String()] = &a
	m.markDirty(openPrefix + k.String())
	return append(events, Event{Type: Raised, Alert: a, At: a.RaisedAt})
}

// resolve closes the alert with identity k, if open.
func (m *Monitor) resolve(k key, at time.Time, reason string, events []Event) []Event {
	a, open := m.open[k.String()]
	if !open {
		return events
	}
	delete(m.open, k.String())
	m.markDirty(openPrefix + k.String())
	return append(events, Event{Type: Resolved, Alert: *a, At: at, Reason: reason})
}

func (m *Monitor) markDirty(k string) { m.dirty[k] = struct{}{} }
