package enriched

import (
	"math"
	"strings"
	"testing"
	"time"
)

func validReading() Reading {
	return Reading{
		DeviceID: "p-1", GatewayID: "gw-1", EventTime: time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC),
		Zone:         Zone{Site: "ber", Building: "b1", Floor: "2", Zone: "lab"},
		Category:     CategorySensor,
		Measurements: []Measurement{{Quantity: "temperature", Value: 21.5, Unit: "Cel"}},
		Battery:      Battery{Known: true, Percent: 80},
	}
}

func TestReading_Validate_names_the_bad_field(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(r *Reading)
		want   string // substring of the error; empty means valid
	}{
		{"valid", func(*Reading) {}, ""},
		{"no_zone_is_fine", func(r *Reading) { r.Zone = Zone{} }, ""},
		{"missing_device", func(r *Reading) { r.DeviceID = "" }, "device_id"},
		{"missing_gateway", func(r *Reading) { r.GatewayID = "" }, "gateway_id"},
		{"missing_time", func(r *Reading) { r.EventTime = time.Time{} }, "event_time"},
		{"negative_interval", func(r *Reading) { r.AdvInterval = -time.Second }, "adv_interval"},
		{"unknown_category", func(r *Reading) { r.Category = 42 }, "category"},
		{"partial_zone", func(r *Reading) { r.Zone.Floor = "" }, "zone.floor"},
		{"slash_in_zone", func(r *Reading) { r.Zone.Zone = "a/b" }, "zone.zone"},
		{"nan_position", func(r *Reading) { r.Position = Position{Known: true, X: math.NaN()} }, "position"},
		{"battery_over_100", func(r *Reading) { r.Battery.Percent = 120 }, "battery.percent"},
		{"infinite_value", func(r *Reading) { r.Measurements[0].Value = math.Inf(1) }, "measurements[0].value"},
		{"unnamed_quantity", func(r *Reading) { r.Measurements[0].Quantity = "" }, "measurements[0].quantity"},
		{"duplicate_quantity", func(r *Reading) { r.Measurements = append(r.Measurements, r.Measurements[0]) }, "appears twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			r := validReading()
			tt.change(&r)
			err := r.Validate()
			switch {
			case tt.want == "" && err != nil:
				t.Errorf("Validate() = %v, want nil", err)
			case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
				t.Errorf("Validate() = %v, want an error naming %q", err, tt.want)
			}
		})
	}
}

func TestReading_Restricted(t *testing.T) {
	t.Parallel()
	r := validReading()
	r.Category = CategoryEmployee
	if !r.Restricted() {
		t.Error("employee device without agreement should be restricted")
	}
	r.WorksCouncil = true
	if r.Restricted() {
		t.Error("employee device with agreement should not be restricted")
	}
	r.Category, r.WorksCouncil = CategoryVisitor, false
	if r.Restricted() {
		t.Error("visitor device should not be restricted")
	}
}

func TestCategory_and_zone_key_round_trip(t *testing.T) {
	t.Parallel()
	for c := CategoryUnknown; c <= CategorySensor; c++ {
		got, err := ParseCategory(c.String())
		if err != nil || got != c {
			t.Errorf("ParseCategory(%q) = %v, %v", c.String(), got, err)
		}
	}
	if _, err := ParseCategory("robot"); err == nil {
		t.Error(`ParseCategory("robot") should fail`)
	}
	z := validReading().Zone
	if got, ok := ParseZoneKey(z.Key()); !ok || got != z {
		t.Errorf("ParseZoneKey(%q) = %v, %v", z.Key(), got, ok)
	}
	if _, ok := ParseZoneKey("ber/b1"); ok {
		t.Error("a two-level key should not parse")
	}
}

func TestErasure_Validate(t *testing.T) {
	t.Parallel()
	if err := (Erasure{}).Validate(); err == nil || !strings.Contains(err.Error(), "subjects") {
		t.Errorf("empty erasure: %v", err)
	}
	if err := (Erasure{Subjects: []string{"a", ""}}).Validate(); err == nil || !strings.Contains(err.Error(), "subjects[1]") {
		t.Errorf("blank subject: %v", err)
	}
	if err := (Erasure{Subjects: []string{"a"}}).Validate(); err != nil {
		t.Errorf("valid erasure: %v", err)
	}
}
