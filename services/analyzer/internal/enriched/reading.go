package enriched

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"time"
)

// Reading is one enriched observation of a device by a gateway.
type Reading struct {
	// DeviceID is the keyed pseudonym of the device, never its address.
	DeviceID  string
	GatewayID string
	// EventTime is when the gateway received the advertisement; every
	// time-based decision in the analyzer uses it, never the wall clock.
	EventTime time.Time
	Zone      Zone
	Position  Position
	RSSI      int32
	// NoRSSI says no gateway measured an RSSI for it (RSSI is 0 then).
	NoRSSI bool
	// AdvInterval is the advertising interval announced by the device or
	// the registry; zero when unknown.
	AdvInterval time.Duration
	Category    Category
	// WorksCouncil is true when a works-council agreement covers
	// monitoring of this (employee) device.
	WorksCouncil bool
	Measurements []Measurement
	Battery      Battery
}

// Position is the estimated location within the floor plan, in metres.
type Position struct {
	Known  bool
	X, Y   float64
	ErrorM float64
}

// Measurement is one decoded sensor value.
type Measurement struct {
	Quantity string // e.g. "temperature"
	Value    float64
	Unit     string // e.g. "Cel" (UCUM)
}

// Battery is the device's reported charge.
type Battery struct {
	Known   bool
	Percent float64
}

// Restricted reports whether the device may appear only in aggregates: an
// employee device whose monitoring no works-council agreement covers
// (BetrVG §87(1) no. 6).
func (r Reading) Restricted() bool {
	return r.Category == CategoryEmployee && !r.WorksCouncil
}

// Validate names the first field that makes the reading unusable.
func (r Reading) Validate() error {
	var errs []error
	check := func(ok bool, format string, args ...any) {
		if !ok {
			errs = append(errs, fmt.Errorf(format, args...))
		}
	}
	check(r.DeviceID != "", "device_id: must not be empty")
	check(r.GatewayID != "", "gateway_id: must not be empty")
	check(!r.EventTime.IsZero(), "event_time: must be set")
	check(r.AdvInterval >= 0, "adv_interval: must not be negative, got %s", r.AdvInterval)
	check(r.Category.Valid(), "category: unknown value %d", r.Category)
	errs = append(errs, validateZone(r.Zone)...)
	if r.Position.Known {
		check(finite(r.Position.X) && finite(r.Position.Y), "position: x and y must be finite")
		check(finite(r.Position.ErrorM) && r.Position.ErrorM >= 0, "position.error_m: must be finite and >= 0")
	}
	if r.Battery.Known {
		p := r.Battery.Percent
		check(finite(p) && p >= 0 && p <= 100, "battery.percent: must be within 0..100, got %v", p)
	}
	seen := make(map[string]bool, len(r.Measurements))
	for i, m := range r.Measurements {
		check(m.Quantity != "", "measurements[%d].quantity: must not be empty", i)
		check(finite(m.Value), "measurements[%d].value: must be finite, got %v", i, m.Value)
		check(!seen[m.Quantity], "measurements[%d].quantity: %q appears twice", i, m.Quantity)
		seen[m.Quantity] = true
	}
	return errors.Join(errs...)
}

func validateZone(z Zone) []error {
	if z.IsZero() {
		return nil
	}
	var errs []error
	levels := []struct{ name, value string }{
		{"zone.site", z.Site}, {"zone.building", z.Building}, {"zone.floor", z.Floor}, {"zone.zone", z.Zone},
	}
	for _, l := range levels {
		if l.value == "" {
			errs = append(errs, fmt.Errorf("%s: must be set when any zone level is set", l.name))
		}
		if strings.Contains(l.value, "/") {
			errs = append(errs, fmt.Errorf("%s: must not contain '/', got %q", l.name, l.value))
		}
	}
	return errs
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }
