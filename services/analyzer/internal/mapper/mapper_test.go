package mapper

import (
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	analyzerv1 "github.com/bluestream/bluestream/gen/bluestream/analyzer/v1"
	blev1 "github.com/bluestream/bluestream/gen/bluestream/ble/v1"
	"github.com/bluestream/bluestream/services/analyzer/internal/alert"
	"github.com/bluestream/bluestream/services/analyzer/internal/enriched"
	"github.com/bluestream/bluestream/services/analyzer/internal/projection"
)

var t0 = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

func validEvent() *blev1.ReadingEnriched {
	return &blev1.ReadingEnriched{
		DevicePseudonym: "p-1",
		ReceivedAt:      timestamppb.New(t0),
		EnrichedAt:      timestamppb.New(t0.Add(time.Second)),
		Place:           &blev1.Place{Site: "ber", Building: "b1", Floor: "2", Zone: "lab"},
		Receivers: []*blev1.Receiver{
			{GatewayId: "gw-far", Rssi: -90},
			{GatewayId: "gw-near", Rssi: -55},
		},
		Position:              &blev1.Position{XM: 3, YM: 4, ErrorM: 1.5},
		Measurements:          []*blev1.Measurement{{Quantity: "temperature", Value: 21.5, Unit: "Cel"}, {Quantity: "battery", Value: 80, Unit: "%"}},
		DataProtection:        &blev1.DataProtection{SubjectCategory: blev1.SubjectCategory_SUBJECT_CATEGORY_EMPLOYEE, WorksCouncilCovered: true},
		AdvertisingIntervalMs: ptr(uint32(1000)),
	}
}

func ptr[T any](v T) *T { return &v }

func TestReading_maps_every_field(t *testing.T) {
	t.Parallel()
	r, err := Reading(validEvent())
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case r.DeviceID != "p-1":
		t.Errorf("device = %q", r.DeviceID)
	case r.GatewayID != "gw-near" || r.RSSI != -55:
		t.Errorf("gateway = %q rssi %d, want the strongest receiver gw-near -55", r.GatewayID, r.RSSI)
	case !r.EventTime.Equal(t0):
		t.Errorf("event time = %v", r.EventTime)
	case r.Zone.Key() != "ber/b1/2/lab":
		t.Errorf("zone = %q", r.Zone.Key())
	case !r.Position.Known || r.Position.X != 3 || r.Position.ErrorM != 1.5:
		t.Errorf("position = %+v", r.Position)
	case r.AdvInterval != time.Second:
		t.Errorf("interval = %v", r.AdvInterval)
	case r.Category != enriched.CategoryEmployee || !r.WorksCouncil:
		t.Errorf("category = %v covered %v", r.Category, r.WorksCouncil)
	case !r.Battery.Known || r.Battery.Percent != 80:
		t.Errorf("battery = %+v, want 80%% lifted from the measurement", r.Battery)
	case len(r.Measurements) != 2:
		t.Errorf("measurements = %+v", r.Measurements)
	}
}

func TestReading_names_the_bad_field(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*blev1.ReadingEnriched)
		want   string
	}{
		{"no_receivers", func(m *blev1.ReadingEnriched) { m.Receivers = nil }, "receivers"},
		{"no_time", func(m *blev1.ReadingEnriched) { m.ReceivedAt = nil }, "received_at"},
		{"unknown_category", func(m *blev1.ReadingEnriched) { m.DataProtection.SubjectCategory = 42 }, "subject_category"},
		{"half_a_place", func(m *blev1.ReadingEnriched) { m.Place.Floor = "" }, "zone.floor"},
		{"battery_over_100", func(m *blev1.ReadingEnriched) { m.Measurements[1].Value = 140 }, "battery.percent"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := validEvent()
			tt.change(m)
			_, err := Reading(m)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Reading() error = %v, want one naming %q", err, tt.want)
			}
		})
	}
}

func TestErasure(t *testing.T) {
	t.Parallel()
	e, err := Erasure(&blev1.SubjectErased{DevicePseudonyms: []string{"a", "b"}, ErasedAt: timestamppb.New(t0), RequestId: "r"})
	if err != nil || len(e.Subjects) != 2 || !e.RequestedAt.Equal(t0) {
		t.Errorf("Erasure() = %+v, %v", e, err)
	}
	if _, err := Erasure(&blev1.SubjectErased{}); err == nil || !strings.Contains(err.Error(), "device_pseudonyms") {
		t.Errorf("empty erasure: %v", err)
	}
}

func TestCategory_round_trip(t *testing.T) {
	t.Parallel()
	for c := enriched.CategoryUnknown; c <= enriched.CategorySensor; c++ {
		got, err := CategoryFromProto(CategoryToProto(c))
		if err != nil || got != c {
			t.Errorf("%v -> %v -> %v, %v", c, CategoryToProto(c), got, err)
		}
	}
}

func TestEvent_keys_by_subject_and_maps_both_types(t *testing.T) {
	t.Parallel()
	a := alert.Alert{ID: "a1", Rule: alert.RuleBatteryLow, Severity: alert.SeverityWarning, DeviceID: "p-1", GatewayID: "gw-1", RaisedAt: t0, Message: "battery low"}
	msg, key := Event(alert.Event{Type: alert.Raised, Alert: a, At: t0}, "ber/b1/2/lab")
	raised, ok := msg.(*analyzerv1.AlertRaised)
	if !ok || key != "p-1" || raised.GetAlert().GetAlertId() != "a1" || raised.GetAlert().GetZone() != "ber/b1/2/lab" ||
		raised.GetAlert().GetSeverity() != analyzerv1.Severity_SEVERITY_WARNING {
		t.Errorf("raised = %v key %q", msg, key)
	}
	gw := alert.Alert{ID: "g1", Rule: alert.RuleGatewaySilent, GatewayID: "gw-9", RaisedAt: t0}
	msg, key = Event(alert.Event{Type: alert.Resolved, Alert: gw, At: t0.Add(time.Minute), Reason: "heard again"}, "")
	res, ok := msg.(*analyzerv1.AlertResolved)
	if !ok || key != "gw-9" || res.GetAlertId() != "g1" || !res.GetResolvedAt().AsTime().Equal(t0.Add(time.Minute)) || res.GetReason() != "heard again" {
		t.Errorf("resolved = %v key %q", msg, key)
	}
}

func TestDevice_carries_the_readings_count(t *testing.T) {
	t.Parallel()
	d := Device(projection.DeviceView{ID: "p-1", FirstSeen: t0, LastSeen: t0, Readings: 42})
	if d.GetReadings() != 42 || d.GetDevicePseudonym() != "p-1" {
		t.Errorf("Device() = %v, want readings 42", d)
	}
}

func TestOccupancy_carries_peak_and_mean(t *testing.T) {
	t.Parallel()
	zone := enriched.Zone{Site: "ber", Building: "b1", Floor: "2", Zone: "lab"}
	o := Occupancy(projection.Occupancy{Zone: zone, Window: time.Minute, Current: 2, Peak: 3, Mean: 2.5, Withheld: true})
	if o.GetZone() != "ber/b1/2/lab" || o.GetPresent() != 2 || o.GetPeak() != 3 || o.GetMean() != 2.5 || !o.GetEmployeesWithheld() {
		t.Errorf("Occupancy() = %v, want present 2, peak 3, mean 2.5, withheld", o)
	}
}

// A receiver that measured no RSSI reports 0, which must not beat a measured
// -90; with no measurement at all the reading says it has none.
func TestReading_ignores_receivers_without_RSSI(t *testing.T) {
	t.Parallel()
	msg := validEvent()
	msg.Receivers = []*blev1.Receiver{{GatewayId: "gw-blind", RssiUnavailable: true}, {GatewayId: "gw-far", Rssi: -90}}
	r, err := Reading(msg)
	if err != nil {
		t.Fatal(err)
	}
	if r.GatewayID != "gw-far" || r.RSSI != -90 || r.NoRSSI {
		t.Errorf("gateway %q rssi %d none %v, want gw-far -90", r.GatewayID, r.RSSI, r.NoRSSI)
	}
	msg.Receivers = msg.Receivers[:1]
	if r, err = Reading(msg); err != nil || r.GatewayID != "gw-blind" || !r.NoRSSI {
		t.Errorf("only a blind receiver: %+v, %v; want gw-blind without RSSI", r, err)
	}
}
