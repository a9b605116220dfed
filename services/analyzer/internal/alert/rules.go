package alert

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
)

func (m *Monitor) observeGateway(id string, t time.Time) []Event {
	var events []Event
	g := m.gateways[id]
	if g == nil {
		g = &gatewayWatch{ID: id}
		m.gateways[id] = g
	} else if t.Before(g.LastSeen) {
		return nil
	}
	// Unlike a device, a gateway's readings arrive on every partition, so a
	// gap between two of them here may only be the consumer's interleaving.
	// Silence is therefore decided by Tick alone, which the engine drives
	// with the low watermark: once every partition is past a time, the gap
	// is real.
	k := key{Rule: RuleGatewaySilent, Subject: gatewayPrefix + id}
	events = m.resolve(k, t, "gateway reporting again", events)
	g.LastSeen = t
	m.markDirty(gatewayPrefix + id)
	m.deadlines.Set(gatewayPrefix+id, t.Add(m.cfg.GatewaySilentAfter))
	return events
}

func gatewaySilentAlert(id string, lastSeen time.Time, after time.Duration) Alert {
	return Alert{
		Rule: RuleGatewaySilent, Severity: SeverityCritical, GatewayID: id,
		RaisedAt: lastSeen.Add(after), Value: after.Seconds(), Threshold: after.Seconds(),
		Message: fmt.Sprintf("gateway %s silent for more than %s", id, after),
	}
}

func (m *Monitor) checkSilence(w *deviceWatch, r enriched.Reading, t time.Time, expected time.Duration, events []Event) []Event {
	k := key{Rule: RuleDeviceSilent, Subject: devicePrefix + w.ID}
	if w.Watched && !w.LastSeen.IsZero() && t.Sub(w.LastSeen) > time.Duration(w.SilentFor) {
		events = m.raise(deviceSilentAlert(w, w.LastSeen.Add(time.Duration(w.SilentFor))), events)
	}
	events = m.resolve(k, t, "device reporting again", events)
	w.LastSeen, w.GatewayID = t, r.GatewayID
	w.Watched = slices.Contains(m.cfg.SilentCategories, r.Category)
	w.SilentFor = int64(m.silentAfter(expected))
	if w.Watched {
		m.deadlines.Set(devicePrefix+w.ID, t.Add(time.Duration(w.SilentFor)))
	} else {
		m.deadlines.Remove(devicePrefix + w.ID)
	}
	return events
}

func (m *Monitor) silentAfter(expected time.Duration) time.Duration {
	if expected <= 0 {
		return m.cfg.SilentInitial
	}
	return max(m.cfg.SilentFloor, time.Duration(float64(expected)*m.cfg.SilentFactor))
}

func deviceSilentAlert(w *deviceWatch, at time.Time) Alert {
	after := time.Duration(w.SilentFor)
	return Alert{
		Rule: RuleDeviceSilent, Severity: SeverityWarning, DeviceID: w.ID, GatewayID: w.GatewayID,
		RaisedAt: at, Value: after.Seconds(), Threshold: after.Seconds(),
		Message: fmt.Sprintf("device silent for more than %s (expected interval x factor)", after),
	}
}

func (m *Monitor) checkBattery(deviceID, gatewayID string, b enriched.Battery, t time.Time, events []Event) []Event {
	if !b.Known {
		return events
	}
	k := key{Rule: RuleBatteryLow, Subject: devicePrefix + deviceID}
	if b.Percent < m.cfg.BatteryLowPercent {
		return m.raise(Alert{
			Rule: RuleBatteryLow, Severity: SeverityWarning, DeviceID: deviceID, GatewayID: gatewayID,
			RaisedAt: t, Value: b.Percent, Threshold: m.cfg.BatteryLowPercent,
			Message: fmt.Sprintf("battery at %.0f%%, below %.0f%%", b.Percent, m.cfg.BatteryLowPercent),
		}, events)
	}
	if b.Percent >= m.cfg.BatteryLowPercent+m.cfg.BatteryHysteresis {
		return m.resolve(k, t, "battery recovered", events)
	}
	return events
}

func (m *Monitor) checkRange(deviceID, gatewayID string, ms enriched.Measurement, t time.Time, events []Event) []Event {
	rg, ok := m.cfg.Ranges[ms.Quantity]
	if !ok {
		return events
	}
	k := key{Rule: RuleOutOfRange, Subject: devicePrefix + deviceID, Quantity: ms.Quantity}
	limit := rg.Min
	if ms.Value > rg.Max {
		limit = rg.Max
	}
	if ms.Value >= rg.Min && ms.Value <= rg.Max {
		return m.resolve(k, t, "back in range", events)
	}
	return m.raise(Alert{
		Rule: RuleOutOfRange, Severity: SeverityCritical, DeviceID: deviceID, GatewayID: gatewayID,
		Quantity: ms.Quantity, RaisedAt: t, Value: ms.Value, Threshold: limit,
		Message: fmt.Sprintf("%s %g %s outside [%g, %g]", ms.Quantity, ms.Value, ms.Unit, rg.Min, rg.Max),
	}, events)
}

// checkAnomaly scores the value against the series' history before folding
// it in, so a spike is judged against what came before it.
func (m *Monitor) checkAnomaly(w *deviceWatch, gatewayID string, ms enriched.Measurement, t time.Time, events []Event) []Event {
	i, found := slices.BinarySearchFunc(w.Series, ms.Quantity, func(d detector, q string) int {
		return strings.Compare(d.Quantity, q)
	})
	if !found {
		w.Series = slices.Insert(w.Series, i, detector{Quantity: ms.Quantity})
	}
	d := &w.Series[i]
	defer d.Stats.Update(ms.Value, m.cfg.Anomaly.Alpha)
	if d.Stats.N < m.cfg.Anomaly.WarmUp {
		return events
	}
	z, ok := d.Stats.ZScore(ms.Value)
	if !ok {
		return events
	}
	k := key{Rule: RuleAnomaly, Subject: devicePrefix + w.ID, Quantity: ms.Quantity}
	limit := m.cfg.Anomaly.Threshold
	if math.Abs(z) <= limit {
		return m.resolve(k, t, "back within normal variation", events)
	}
	return m.raise(Alert{
		Rule: RuleAnomaly, Severity: SeverityWarning, DeviceID: w.ID, GatewayID: gatewayID,
		Quantity: ms.Quantity, RaisedAt: t, Value: ms.Value, Threshold: limit,
		Message: fmt.Sprintf("%s %g %s is %.1f standard deviations from its recent mean %.3g", ms.Quantity, ms.Value, ms.Unit, z, d.Stats.Mean),
	}, events)
}
