package mapper

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/timestamppb"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/projection"
)

// Alert maps an alert; zone is the key of the device's last zone, empty
// when unknown or for gateway alerts.
func Alert(a alert.Alert, zone string) *analyzerv1.Alert {
	return &analyzerv1.Alert{
		AlertId:         a.ID,
		Rule:            string(a.Rule),
		Severity:        severity(a.Severity),
		DevicePseudonym: a.DeviceID,
		GatewayId:       a.GatewayID,
		Zone:            zone,
		Quantity:        a.Quantity,
		Value:           a.Value,
		Threshold:       a.Threshold,
		Message:         a.Message,
		RaisedAt:        timestamppb.New(a.RaisedAt),
	}
}

func severity(s alert.Severity) analyzerv1.Severity {
	switch s {
	case alert.SeverityCritical:
		return analyzerv1.Severity_SEVERITY_CRITICAL
	case alert.SeverityWarning:
		return analyzerv1.Severity_SEVERITY_WARNING
	}
	return analyzerv1.Severity_SEVERITY_INFO
}

// ResolvedAlert maps the alert a Resolved event closes, stamped with when.
func ResolvedAlert(ev alert.Event, zone string) *analyzerv1.Alert {
	a := Alert(ev.Alert, zone)
	a.ResolvedAt = timestamppb.New(ev.At)
	return a
}

// Event maps an alert event to the message published on
// analyzer.alerts.v1 and its record key: the device, or the gateway for
// gateway alerts, so one subject's alerts stay ordered in one partition.
func Event(ev alert.Event, zone string) (msg proto.Message, key string) {
	key = ev.Alert.DeviceID
	if key == "" {
		key = ev.Alert.GatewayID
	}
	if ev.Type == alert.Resolved {
		return &analyzerv1.AlertResolved{AlertId: ev.Alert.ID, ResolvedAt: timestamppb.New(ev.At), Reason: ev.Reason}, key
	}
	return &analyzerv1.AlertRaised{Alert: Alert(ev.Alert, zone)}, key
}

// Device maps a device view.
func Device(v projection.DeviceView) *analyzerv1.Device {
	d := &analyzerv1.Device{
		DevicePseudonym: v.ID,
		Category:        CategoryToProto(v.Category),
		FirstSeen:       timestamppb.New(v.FirstSeen),
		LastSeen:        timestamppb.New(v.LastSeen),
		Zone:            v.Zone.Key(),
		Present:         v.Present,
		Readings:        v.Readings,
	}
	if v.Position.Known {
		d.Position = &blev1.Position{XM: v.Position.X, YM: v.Position.Y, ErrorM: v.Position.ErrorM}
	}
	if v.Battery.Known {
		d.BatteryPercent = proto.Float64(v.Battery.Percent)
	}
	for _, m := range v.Measurements {
		d.Measurements = append(d.Measurements, &blev1.Measurement{Quantity: m.Quantity, Value: m.Value, Unit: m.Unit})
	}
	return d
}

// Occupancy maps one zone's occupancy; peak and mean are over the window.
func Occupancy(o projection.Occupancy) *analyzerv1.ZoneOccupancy {
	return &analyzerv1.ZoneOccupancy{
		Zone:              o.Zone.Key(),
		Present:           uint32(max(o.Current, 0)),
		Peak:              uint32(max(o.Peak, 0)),
		Mean:              max(o.Mean, 0),
		EmployeesWithheld: o.Withheld,
	}
}
